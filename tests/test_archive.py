"""A pinned archive: `archived:` fingerprints the archived text; `briefing check` fails when
the text changes after it was pinned, and `briefing pin ID` writes the fingerprint again,
touching nothing else in the record."""

from __future__ import annotations

import datetime as dt

import pytest

from briefing.adapters.cli import main
from briefing.checks.archive import archived_line, digest
from briefing.output.render import render_site
from briefing.pipeline import analyse_dir
from conftest import ROOT, Briefs

BODY = 'The pact is "a genuine alliance" – so said the writer.\nA second line.\n'


def _pinned(briefs: Briefs, body: str = BODY, retrieved: str = "2026-11-30") -> str:
    record = (
        "---\ntitle: A pinned source\nissued: 2024-06\ntype: reporting\nreliability: C\n"
        f"{archived_line(digest(body), retrieved)}\nnote: Fair.\n---\n{body}"
    )
    briefs.write("sources/pinned.md", record)
    briefs.note(
        "cites", 'It is "a genuine alliance" [@pinned, "a genuine alliance"]. Also [@src-a].\n'
    )
    return record


def test_a_pinned_archive_checks_clean(briefs: Briefs) -> None:
    _pinned(briefs)
    assert main(["check", "--strict"]) == 0


def test_an_archive_changed_after_pinning_is_an_error_at_its_archived_line(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _pinned(briefs)
    path = briefs.root / "sources" / "pinned.md"
    path.write_text(record.replace("A second line.", "A second line, edited."), encoding="utf-8")
    found = digest(BODY.replace("A second line.", "A second line, edited."))
    errors = [f for f in analyse_dir(briefs.root).errors]
    assert [(f.path, f.line, f.col, f.rule) for f in errors] == [
        ("briefs/sources/pinned.md", 6, 1, "archive-changed")
    ]
    assert errors[0].message == (
        "the archived text of `pinned` changed after it was pinned (retrieved 2026-11-30): "
        f"expected sha256 {digest(BODY)[:12]}…, found {found[:12]}…"
    )
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "briefs/sources/pinned.md:6:1: error[archive-changed]" in out
    assert (
        "hint: re-import it with `briefing new source pinned --from …` or re-pin it "
        "deliberately with `briefing pin pinned`"
    ) in out


def test_a_changed_line_ending_or_bom_is_no_change(briefs: Briefs) -> None:
    record = _pinned(briefs)
    (briefs.root / "sources" / "pinned.md").write_bytes(
        b"\xef\xbb\xbf" + record.replace("\n", "\r\n").encode("utf-8")
    )
    assert analyse_dir(briefs.root).errors == []


def test_pin_rewrites_only_the_archived_line(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    record = _pinned(briefs)
    path = briefs.root / "sources" / "pinned.md"
    edited = record.replace("A second line.", "A corrected line.")
    path.write_bytes(edited.replace("\n", "\r\n").encode("utf-8"))
    assert main(["pin", "pinned"]) == 0
    assert "pinned briefs/sources/pinned.md: sha256 " in capsys.readouterr().out
    after = path.read_bytes().decode("utf-8").split("\r\n")
    before = edited.split("\n")
    new_digest = digest(BODY.replace("A second line.", "A corrected line."))
    assert after[5] == archived_line(new_digest, "2026-11-30")  # the retrieval day is kept
    assert after[:5] + after[6:] == before[:5] + before[6:]
    assert analyse_dir(briefs.root).errors == []
    assert main(["pin", "pinned"]) == 0
    assert "is pinned already" in capsys.readouterr().out


def test_pin_adds_a_fingerprint_to_a_record_without_one(briefs: Briefs) -> None:
    path = briefs.root / "sources" / "src-a.md"
    before = path.read_text(encoding="utf-8").split("\n")
    briefs.note("cites", "A claim [@src-a].\n")
    assert main(["check", "--strict"]) == 0  # an unpinned record is not reported
    assert main(["pin", "src-a"]) == 0
    after = path.read_text(encoding="utf-8").split("\n")
    source = analyse_dir(briefs.root).briefing.sources["src-a"]
    assert (
        after
        == before[:5]
        + [archived_line(digest(source.body), dt.date.today().isoformat())]
        + before[5:]
    )
    assert main(["check", "--strict"]) == 0


def test_pin_takes_the_day_accessed_and_replaces_a_block_mapping(briefs: Briefs) -> None:
    briefs.write(
        "sources/block.md",
        "---\ntitle: T\nissued: 2024\ntype: primary\n"
        "reliability: B\naccessed: 2024-07-01\narchived:\n  sha256: nonsense\n"
        "  retrieved: 2024-07-01\nnote: N.\n---\nText.\n",
    )
    assert analyse_dir(briefs.root).errors[0].rule == "invalid-field"
    assert main(["pin", "block"]) == 0
    text = (briefs.root / "sources" / "block.md").read_text(encoding="utf-8")
    line = archived_line(digest("Text.\n"), "2024-07-01")
    assert text == (
        "---\ntitle: T\nissued: 2024\ntype: primary\nreliability: B\n"
        f"accessed: 2024-07-01\n{line}\nnote: N.\n---\nText.\n"
    )


def test_pin_refuses_an_invalid_record_and_an_unknown_id(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    path = briefs.write(
        "sources/bad.md", "---\ntitle: T\nissued: 2024\ntype: primary\nreliability: Z\n---\nText.\n"
    )
    before = path.read_bytes()
    assert main(["pin", "bad"]) == 1
    err = capsys.readouterr().err
    assert "error[invalid-field]: `reliability`" in err and "nothing pinned" in err
    assert path.read_bytes() == before
    assert main(["pin", "nowhere"]) == 2
    assert "no source `nowhere`" in capsys.readouterr().err


def test_the_source_page_shows_the_fingerprint(briefs: Briefs) -> None:
    _pinned(briefs)
    analysis = analyse_dir(briefs.root)
    pages = {p.path: p.expanded() for p in render_site(analysis, ROOT / "templates").pages}
    assert (
        f"| Archived copy | SHA-256 <code>{digest(BODY)}</code> of the text below, "
        "retrieved 2026-11-30 |"
    ) in pages["sources/pinned.md"]
    assert "Archived copy" not in pages["sources/src-a.md"]
