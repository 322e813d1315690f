"""Rebuilds (the live preview, `mkdocs serve`) re-analyse only the files whose content
changed."""

from __future__ import annotations

from briefing.pipeline import analyse_dir
from briefing.prose.statements import analyse_prose
from conftest import Briefs


def test_only_the_edited_note_is_parsed_again(briefs: Briefs) -> None:
    for index in range(5):
        briefs.note(f"note-{index}", f"Statement number {index} of a cached test [@src-a].\n")
    first = analyse_dir(briefs.root)
    before = analyse_prose.cache_info()
    briefs.note("note-3", "An edited statement in a cached test [@src-a].\n")
    second = analyse_dir(briefs.root)
    after = analyse_prose.cache_info()
    assert after.misses - before.misses == 1
    # The other four are not even looked up: their resolution is kept whole.
    kept = [a is b for a, b in zip(first.notes, second.notes, strict=True)]
    assert kept == [True, True, True, False, True]
    assert [s.plain for s in second.statements if s.note_slug == "note-3"] == [
        "An edited statement in a cached test."
    ]
    assert len(list(first.statements)) == len(list(second.statements))


def test_a_fixed_file_is_not_served_from_the_cache(briefs: Briefs) -> None:
    path = briefs.note("fixable", "Uncited at first.\n")
    assert [f.rule for f in analyse_dir(briefs.root).errors] == ["uncited"]
    path.write_text(
        path.read_text(encoding="utf-8").replace("first.", "first [@src-a]."), encoding="utf-8"
    )
    assert analyse_dir(briefs.root).errors == []
