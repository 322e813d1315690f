"""`briefing new`: starting files whose placeholders cannot be published by accident; never
overwriting, never an unknown topic."""

from __future__ import annotations

import pytest

from briefing.adapters.cli import main
from briefing.pipeline import analyse_dir
from conftest import Briefs


def test_new_source_leaves_the_date_to_fill_and_flags_its_placeholders(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "new",
                "source",
                "fresh-2024",
                "--title",
                "A title: with colon",
                "--url",
                "https://example.org/a",
            ]
        )
        == 0
    )
    assert "wrote briefs/sources/fresh-2024.md" in capsys.readouterr().out
    findings = [
        (f.line, f.col, f.rule, f.severity.value, f.message)
        for f in analyse_dir(briefs.root).findings
        if f.path.endswith("fresh-2024.md")
    ]
    assert findings == [
        (
            3,
            1,
            "invalid-field",
            "error",
            "`issued`: found nothing (the field is empty); fill it in",
        ),
    ]
    path = briefs.root / "sources" / "fresh-2024.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("issued: ", "issued: 2024-06-20"), encoding="utf-8"
    )
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == []
    assert [
        (f.line, f.rule, f.message) for f in analysis.findings if f.rule == "scaffold-text"
    ] == [
        (10, "scaffold-text", "the starting file's placeholder note is still here"),
        (
            12,
            "scaffold-text",
            (
                "the starting file's placeholder text is still here: "
                "\"Paste the source's text here, verbatim: quoted citations are "
                'checked against it."'
            ),
        ),
    ]
    assert analysis.briefing.sources["fresh-2024"].meta.title == "A title: with colon"
    assert analysis.briefing.sources["fresh-2024"].meta.url == "https://example.org/a"


def test_new_note_flags_its_example_sentence_and_strict_check_refuses_it(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "note", "fresh-note", "--topic", "reactions"]) == 0
    assert "wrote briefs/notes/fresh-note.md" in capsys.readouterr().out
    findings = [(f.line, f.col, f.rule, f.is_error) for f in analyse_dir(briefs.root).findings]
    assert findings == [(4, 1, "scaffold-text", False), (9, 1, "scaffold-text", False)]
    assert main(["check"]) == 0
    assert main(["check", "--strict"]) == 1
    out = capsys.readouterr().out
    assert (
        "briefs/notes/fresh-note.md:9:1: warning[scaffold-text]: the starting file's "
        'placeholder text is still here: "Write what the source reports here"'
    ) in out
    assert 'placeholder author "Your Name"' in out


def test_filled_in_starting_files_are_clean(briefs: Briefs) -> None:
    assert main(["new", "note", "fresh-note", "--topic", "reactions", "--author", "Tester"]) == 0
    path = briefs.root / "notes" / "fresh-note.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Write what the source reports here", "The writer calls the pact an alliance"
        ),
        encoding="utf-8",
    )
    assert analyse_dir(briefs.root).findings == ()


def test_new_refuses_to_overwrite(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    before = (briefs.root / "sources" / "src-a.md").read_text(encoding="utf-8")
    assert main(["new", "source", "src-a", "--title", "Other"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (briefs.root / "sources" / "src-a.md").read_text(encoding="utf-8") == before


def test_new_note_refuses_an_unknown_topic(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "note", "lost", "--topic", "nowhere"]) == 2
    assert "unknown topic `nowhere`; topics: pact, reactions" in capsys.readouterr().err
    assert not (briefs.root / "notes" / "lost.md").exists()


def test_new_refuses_an_invalid_id(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "source", "Bad Id", "--title", "T"]) == 2
    assert "not a valid source id" in capsys.readouterr().err
