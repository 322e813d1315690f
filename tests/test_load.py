"""Loading briefs/: every problem with its file, line, column and rule."""

from __future__ import annotations

from pathlib import Path

from briefing.findings import Finding
from briefing.pipeline import analyse_dir
from briefing.read.load import load_briefing
from conftest import Briefs


def _where(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    return [(f.path, f.line, f.col, f.rule) for f in findings]


def test_valid_briefing_loads_without_findings(briefs: Briefs) -> None:
    briefing, findings = load_briefing(briefs.root)
    assert findings == []
    assert briefing.meta is not None and [t.id for t in briefing.meta.topics] == [
        "pact",
        "reactions",
    ]
    assert briefing.sources["src-a"].meta.issued == "2024-06"


def test_missing_required_field_points_at_front_matter_start(briefs: Briefs) -> None:
    briefs.write(
        "sources/no-title.md", "---\nissued: 2024\ntype: reporting\nreliability: C\n---\nText.\n"
    )
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/sources/no-title.md", 1, 1, "missing-field")]
    assert "`title`" in findings[0].message


def test_invalid_field_points_at_its_own_line(briefs: Briefs) -> None:
    briefs.write(
        "sources/bad-date.md",
        "---\ntitle: T\ntype: reporting\nreliability: C\nissued: 2024-13-01\n---\nText.\n",
    )
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/sources/bad-date.md", 5, 1, "invalid-field")]
    assert "2024-13-01" in findings[0].message


def test_unknown_field_is_reported_with_a_suggestion(briefs: Briefs) -> None:
    briefs.write(
        "sources/typo.md",
        "---\ntitle: T\nissued: 2024\ntype: reporting\nreliabilty: C\n---\nText.\n",
    )
    _, findings = load_briefing(briefs.root)
    rules = {(f.line, f.rule) for f in findings}
    assert (5, "unknown-field") in rules and (1, "missing-field") in rules
    assert any("reliability" in f.hint for f in findings if f.rule == "unknown-field")


def test_nested_fact_value_problem_points_at_the_value(briefs: Briefs) -> None:
    briefs.write(
        "briefing.yml",
        briefs.root.joinpath("briefing.yml").read_text()
        + "facts:\n  signing-date: {label: Date, type: date}\n",
    )
    briefs.write(
        "sources/facts.md",
        "---\ntitle: T\nissued: 2024\ntype: reporting\n"
        "reliability: C\nfacts:\n  signing-date:\n    - 2024-06-19\n    - June 2024\n---\nT.\n",
    )
    briefs.note("uses", "Cited [@facts; @src-a].\n")
    findings = analyse_dir(briefs.root).findings
    assert _where(findings) == [("briefs/sources/facts.md", 9, 7, "invalid-fact")]


def test_yaml_that_does_not_parse_is_reported_where_the_list_opened(briefs: Briefs) -> None:
    briefs.write("notes/broken.md", "---\ntitle: T\ntopic: [pact\nauthor: A\n---\nText.\n")
    _, findings = load_briefing(briefs.root)
    assert [(f.path, f.line, f.col, f.rule) for f in findings] == [
        ("briefs/notes/broken.md", 3, 8, "yaml")
    ]
    assert "parsing stopped at line 4" in findings[0].message


def test_yaml_that_does_not_parse_elsewhere_is_reported_where_parsing_stopped(
    briefs: Briefs,
) -> None:
    briefs.write("notes/broken.md", "---\ntitle: T\ntopic: a: b\nauthor: A\n---\nText.\n")
    _, findings = load_briefing(briefs.root)
    assert [(f.line, f.col, f.message) for f in findings] == [
        (3, 9, "YAML does not parse: mapping values are not allowed in this context")
    ]


def test_yaml_aliases_are_refused(briefs: Briefs) -> None:
    bomb = "---\ntitle: &a [x, x]\ntopic: pact\nauthor: *a\n---\nText.\n"
    briefs.write("notes/bomb.md", bomb)
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/notes/bomb.md", 2, 8, "yaml")]


def test_front_matter_that_is_a_list_is_refused(briefs: Briefs) -> None:
    briefs.write("notes/list.md", "---\n- title\n- topic\n---\nText.\n")
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/notes/list.md", 1, 1, "front-matter")]


def test_file_not_utf8_is_reported_at_the_bad_byte(briefs: Briefs) -> None:
    path = briefs.root / "notes" / "latin1.md"
    path.write_bytes(b"---\ntitle: Caf\xe9\ntopic: pact\nauthor: A\n---\nText.\n")
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/notes/latin1.md", 2, 11, "encoding")]


def test_bom_and_crlf_are_accepted(briefs: Briefs) -> None:
    path = briefs.root / "notes" / "windows.md"
    path.write_bytes(
        "\ufeff---\r\ntitle: T\r\ntopic: pact\r\nauthor: A\r\n---\r\nCited [@src-a].\r\n".encode(
            "utf-8"
        )
    )
    analysis = analyse_dir(briefs.root)
    assert analysis.findings == ()
    assert [s.line for s in analysis.statements] == [6]


def test_file_name_that_is_not_an_id_is_reported(briefs: Briefs) -> None:
    briefs.write(
        "sources/My Source.md",
        "---\ntitle: T\nissued: 2024\ntype: reporting\nreliability: C\n---\nT.\n",
    )
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/sources/My Source.md", 1, 1, "bad-id")]
    assert "my-source.md" in findings[0].hint


def test_unknown_topic_names_the_known_ones(briefs: Briefs) -> None:
    briefs.note("lost", "Cited [@src-a].\n", topic="reaction")
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/notes/lost.md", 3, 1, "unknown-topic")]
    assert "reactions" in findings[0].hint


def test_duplicate_topic_id_names_the_first(briefs: Briefs) -> None:
    briefs.write(
        "briefing.yml",
        "title: T\nmarking: X\ntopics:\n  - id: a\n    title: A\n  - id: a\n    title: B\n",
    )
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/briefing.yml", 6, 5, "duplicate-id")]
    assert "line 4" in findings[0].message


def test_missing_briefing_yml_still_checks_the_notes(briefs: Briefs) -> None:
    (briefs.root / "briefing.yml").unlink()
    briefs.note("uncited", "No citation here.\n")
    findings = analyse_dir(briefs.root).errors
    assert {f.rule for f in findings} == {"missing-briefing", "uncited"}


def test_binary_file_is_reported(briefs: Briefs) -> None:
    (briefs.root / "notes" / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    _, findings = load_briefing(briefs.root)
    assert _where(findings) == [("briefs/notes/image.md", 1, 1, "binary-file")]


def test_stray_file_is_a_warning_not_an_error(briefs: Briefs, tmp_path: Path) -> None:
    briefs.write("notes/draft.txt", "notes\n")
    _, findings = load_briefing(briefs.root)
    assert [(f.rule, f.is_error) for f in findings] == [("unexpected-file", False)]
