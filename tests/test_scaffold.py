"""`briefing new`: starting files that pass the check, never overwriting, never an unknown topic."""

from __future__ import annotations

import pytest

from briefing.analyse import analyse_dir
from briefing.cli import main
from conftest import Briefs


def test_new_source_and_note_pass_the_check(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "source", "fresh-2024", "--title", "A title: with colon", "--url",
                 "https://example.org/a"]) == 0
    assert main(["new", "note", "fresh-note", "--topic", "reactions", "--author", "Tester"]) == 0
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == []
    assert analysis.briefing.sources["fresh-2024"].meta.title == "A title: with colon"
    assert analysis.briefing.sources["fresh-2024"].meta.url == "https://example.org/a"
    assert "wrote briefs/notes/fresh-note.md" in capsys.readouterr().out


def test_new_refuses_to_overwrite(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    before = (briefs.root / "sources" / "src-a.md").read_text(encoding="utf-8")
    assert main(["new", "source", "src-a", "--title", "Other"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (briefs.root / "sources" / "src-a.md").read_text(encoding="utf-8") == before


def test_new_note_refuses_an_unknown_topic(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "note", "lost", "--topic", "nowhere"]) == 2
    assert "unknown topic `nowhere`; topics: pact, reactions" in capsys.readouterr().err
    assert not (briefs.root / "notes" / "lost.md").exists()


def test_new_refuses_an_invalid_id(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "source", "Bad Id", "--title", "T"]) == 2
    assert "not a valid source id" in capsys.readouterr().err
