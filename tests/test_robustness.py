"""Broken and hostile input: always findings with file and line, never an exception."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.pipeline import analyse_dir
from briefing.read.load import load_briefing
from conftest import SOURCE, Briefs

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes_as_a_note_give_findings_not_exceptions(briefs: Briefs, data: bytes) -> None:
    (briefs.root / "notes" / "fuzz.md").write_bytes(data)
    findings = analyse_dir(briefs.root).findings
    assert all(f.path and f.line >= 1 and f.col >= 1 for f in findings)


YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#\n @%`,?\t")), max_size=120)
"""Nothing in this alphabet spells a required field's name, so no text of it is valid."""

YAML_RULES = {"yaml", "front-matter", "missing-field", "unknown-field"}
"""What is wrong with a block of fields: it does not parse, is not a mapping, lacks a
required field or has one not in the format."""


@FUZZ
@given(YAMLISH)
def test_random_yaml_front_matter_gives_findings_not_exceptions(briefs: Briefs, front: str) -> None:
    (briefs.root / "notes" / "fuzz.md").write_text(
        f"---\n{front}\n---\nText [@src-a].\n", encoding="utf-8"
    )
    findings = analyse_dir(briefs.root).findings
    closing = front.count("\n") + 3  # the line of the second `---`
    errors = [f for f in findings if f.is_error]
    assert errors
    assert all(f.path and f.line >= 1 and f.col >= 1 for f in findings)
    for error in errors:
        assert error.path == "briefs/notes/fuzz.md", error
        assert error.rule in YAML_RULES, error
        assert 1 <= error.line <= closing, error


@FUZZ
@given(YAMLISH)
def test_random_briefing_yml_gives_findings_not_exceptions(briefs: Briefs, text: str) -> None:
    (briefs.root / "briefing.yml").write_text(text, encoding="utf-8")
    findings = analyse_dir(briefs.root).findings
    # A parse error at the end of the text is reported on the line after its last.
    last = text.count("\n") + 2
    errors = [f for f in findings if f.is_error]
    assert errors
    assert all(f.path and f.line >= 1 and f.col >= 1 for f in findings)
    for error in errors:
        assert error.path == "briefs/briefing.yml", error
        assert error.rule in YAML_RULES, error
        assert 1 <= error.line <= last, error


def test_alias_bomb_fails_fast_with_bounded_memory(briefs: Briefs) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    (briefs.root / "briefing.yml").write_text(bomb, encoding="utf-8")
    tracemalloc.start()
    _, findings = load_briefing(briefs.root)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [(f.line, f.rule) for f in findings] == [(1, "yaml")]
    assert "anchors" in findings[0].message
    assert peak < 50 * 1024 * 1024


def test_oversized_front_matter_is_refused(briefs: Briefs) -> None:
    padding = "".join(f"# {'x' * 60}\n" for _ in range(2000))
    briefs.write(
        "notes/huge.md", f"---\ntitle: T\ntopic: pact\nauthor: A\n{padding}---\nText [@src-a].\n"
    )
    _, findings = load_briefing(briefs.root)
    assert [(f.line, f.rule) for f in findings] == [(2, "yaml")]
    assert "larger than 64 KiB" in findings[0].message


def test_scalar_front_matter_is_refused(briefs: Briefs) -> None:
    briefs.write("notes/scalar.md", "---\njust a string\n---\nText [@src-a].\n")
    _, findings = load_briefing(briefs.root)
    assert [(f.path, f.line, f.rule) for f in findings] == [
        ("briefs/notes/scalar.md", 1, "front-matter")
    ]


def test_empty_briefs_folder_reports_what_is_missing(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefs").mkdir()
    findings = analyse_dir(tmp_path / "briefs").findings
    assert [(f.path, f.rule) for f in findings] == [("briefs/briefing.yml", "missing-briefing")]


def test_non_ascii_file_name_is_reported_with_a_suggestion(briefs: Briefs) -> None:
    briefs.write("sources/séoul-2024.md", SOURCE)
    _, findings = load_briefing(briefs.root)
    assert [(f.path, f.rule) for f in findings] == [("briefs/sources/séoul-2024.md", "bad-id")]
    assert "`s-oul-2024.md`" in findings[0].hint


def test_twenty_megabyte_source_body_works_in_bounded_time_and_memory(briefs: Briefs) -> None:
    paragraph = (
        "The pact is “a genuine alliance” – so said the writer, again and again. " * 12 + "\n"
    )
    body = paragraph * (20 * 1024 * 1024 // len(paragraph.encode()))
    briefs.write(
        "sources/huge.md", SOURCE.split("---\nThe pact")[0] + "---\n" + body + "The last words.\n"
    )
    briefs.note(
        "big", 'It ends with "The last words" [@huge, "The last words."]. Cited [@src-a].\n'
    )
    tracemalloc.start()
    analysis = analyse_dir(briefs.root)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert analysis.findings == ()
    assert peak < 400 * 1024 * 1024
