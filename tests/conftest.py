"""Shared helpers: small briefs/ trees written into a temporary folder."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "harbour"

BRIEFING_YML = """\
title: Test briefing
marking: PUBLIC
topics:
  - id: pact
    title: The pact
  - id: reactions
    title: Reactions
"""

SOURCE = """\
---
title: A source
issued: 2024-06
type: reporting
reliability: C
---
The pact is "a genuine alliance" – so said the writer.
"""


class Briefs:
    """A briefs/ folder under construction."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "sources").mkdir(parents=True)
        (root / "notes").mkdir()
        self.write("briefing.yml", BRIEFING_YML)
        self.write("sources/src-a.md", SOURCE)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def note(self, slug: str, body: str, topic: str = "pact") -> Path:
        front = f"---\ntitle: Note {slug}\ntopic: {topic}\nauthor: Tester\n---\n"
        return self.write(f"notes/{slug}.md", front + textwrap.dedent(body))


@pytest.fixture
def briefs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Briefs:
    """An empty valid briefing in tmp_path/briefs; the working directory is tmp_path."""
    monkeypatch.chdir(tmp_path)
    return Briefs(tmp_path / "briefs")


@pytest.fixture
def harbour(tmp_path: Path) -> Path:
    """A copy of the second fixture briefing (mkdocs.yml, briefs/, docs/)."""
    target = tmp_path / "harbour"
    shutil.copytree(FIXTURE, target)
    for line_owner in (target / "mkdocs.yml",):
        text = line_owner.read_text().replace("../../../templates", str(ROOT / "templates"))
        line_owner.write_text(text)
    return target


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
