"""The package's layout: the README's table lists every module, and the stages import in the
order data takes through them (nothing points back up)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "scripts" / "briefing"
STAGES = ["rules", "findings", "read", "prose", "analysis", "checks", "pipeline", "output"]
"""The order of the stages; `adapters` sits at the edge and may import any of them."""


def _layout_rows() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The package") :]
    end = section.find("\n\n", section.index("| module |"))
    section = section if end < 0 else section[:end]
    return re.findall(r"^\| `([^`]+)` \|", section, re.M)


def _modules() -> set[str]:
    """Every module under scripts/briefing/, as the README spells it (a folder as `read/`)."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "__init__.py":
            continue
        found.add(relative.removesuffix("__init__.py"))
    return found


def test_the_readme_lists_every_module_of_the_package_once() -> None:
    rows = _layout_rows()
    assert len(rows) == len(set(rows)), "a module is listed twice"
    assert set(rows) == _modules()


def _stage(module: tuple[str, ...]) -> str:
    return module[0]


def _imports(path: Path) -> list[tuple[str, ...]]:
    """The package modules `path` imports from, as dotted parts under `briefing`."""
    module = path.relative_to(PACKAGE).with_suffix("").parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(module[: len(module) - node.level])
            target = base + (node.module.split(".") if node.module else [])
            if not node.module:  # `from . import x`
                target += [node.names[0].name]
            found.append(tuple(target))
    return found


def test_no_stage_imports_from_a_later_one() -> None:
    backwards = []
    for path in PACKAGE.rglob("*.py"):
        here = _stage(path.relative_to(PACKAGE).with_suffix("").parts)
        if here not in STAGES:
            continue
        for target in _imports(path):
            there = _stage(target)
            later = there == "adapters" or (
                there in STAGES and STAGES.index(there) > STAGES.index(here)
            )
            if later:
                backwards.append(f"{path.relative_to(PACKAGE)} imports {'.'.join(target)}")
    assert backwards == []


def test_the_import_reader_resolves_relative_imports_as_python_does() -> None:
    assert ("prose", "citations") in _imports(PACKAGE / "prose" / "statements.py")
    assert ("analysis", "model") in _imports(PACKAGE / "pipeline.py")
    assert ("read", "models") in _imports(PACKAGE / "checks" / "scaffold.py")
