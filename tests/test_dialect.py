"""The Markdown dialect: the site's mkdocs.yml and the print document read notes alike."""

from __future__ import annotations

from pathlib import Path

import yaml

from briefing.output.dialect import MARKDOWN_EXTENSIONS

ROOT = Path(__file__).resolve().parents[1]


def _names(entries: list[str | dict[str, object]]) -> list[str]:
    """Extension names as mkdocs.yml lists them (a name, or a one-key mapping of options)."""
    return [e if isinstance(e, str) else next(iter(e)) for e in entries]


def test_mkdocs_yml_lists_the_extensions_of_the_dialect_in_its_order() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert _names(config["markdown_extensions"]) == list(MARKDOWN_EXTENSIONS)
