"""Messages an analyst can act on: each quotes the value found, names the field or fact,
points where the fix goes, and no finding is a cascade of another."""

from __future__ import annotations

from briefing.findings import Finding, format_text
from briefing.pipeline import analyse_dir
from conftest import BRIEFING_YML, SOURCE, Briefs


def _lines(briefs: Briefs) -> list[str]:
    return [format_text(f) for f in analyse_dir(briefs.root).findings]


def _only(briefs: Briefs) -> Finding:
    findings = analyse_dir(briefs.root).findings
    assert len(findings) == 1, findings
    return findings[0]


def test_an_invalid_grade_quotes_the_value_and_lists_the_grades(briefs: Briefs) -> None:
    briefs.write("sources/src-a.md", SOURCE.replace("reliability: C", "reliability: Z"))
    briefs.note("n", "It was said [@src-a].\n")
    assert _lines(briefs) == [
        (
            'briefs/sources/src-a.md:5:1: error[invalid-field]: `reliability`: found "Z"; '
            "use one of A, B, C, D, E, F"
        )
    ]


def test_an_invalid_type_quotes_the_value_and_lists_the_types(briefs: Briefs) -> None:
    briefs.write("sources/src-a.md", SOURCE.replace("type: reporting", "type: blog"))
    assert _lines(briefs) == [
        (
            'briefs/sources/src-a.md:4:1: error[invalid-field]: `type`: found "blog"; '
            "use one of primary, reporting, analysis, commentary, unknown"
        )
    ]


def test_a_field_of_the_wrong_kind_says_what_was_found(briefs: Briefs) -> None:
    briefs.write(
        "notes/n.md",
        "---\ntitle: T\ntopic: pact\nauthor: [A, B]\norder: first\n---\nIt was said [@src-a].\n",
    )
    assert [line for line in _lines(briefs) if "invalid-field" in line] == [
        "briefs/notes/n.md:4:1: error[invalid-field]: `author`: found a list; write text",
        'briefs/notes/n.md:5:1: error[invalid-field]: `order`: found "first"; write a whole number',
    ]


def test_an_empty_required_field_says_it_is_empty(briefs: Briefs) -> None:
    briefs.write("sources/src-a.md", SOURCE.replace("issued: 2024-06", "issued:"))
    assert _lines(briefs)[0] == (
        "briefs/sources/src-a.md:3:1: error[invalid-field]: `issued`: found nothing "
        "(the field is empty); fill it in"
    )


def test_a_fact_that_is_not_a_date_names_the_fact_and_the_value(briefs: Briefs) -> None:
    briefs.write(
        "briefing.yml", BRIEFING_YML + "facts:\n  signing-date: {label: Date, type: date}\n"
    )
    briefs.write(
        "sources/src-a.md",
        SOURCE.replace("---\nThe pact", "facts:\n  signing-date: next Tuesday\n---\nThe pact"),
    )
    briefs.note("n", "It was said [@src-a].\n")
    assert _lines(briefs) == [
        (
            "briefs/sources/src-a.md:7:3: error[invalid-fact]: fact `signing-date`: found "
            '"next Tuesday"; not a date; write 2024, 2024-06, 2024-06-20, or EDTF for what is not '
            "known: XXXX (undated), 202X (a decade), 2024? (uncertain), 2024~ (approximate)"
        )
    ]


def test_an_unclosed_list_is_reported_where_it_opened(briefs: Briefs) -> None:
    briefs.write(
        "sources/src-a.md",
        SOURCE.replace("type: reporting", "author: [A. Writer, B. Writer\ntype: reporting"),
    )
    finding = _only(briefs)
    assert (finding.line, finding.col, finding.rule) == (4, 9, "yaml")
    assert finding.message == (
        "YAML does not parse: the list opened with `[` here is not closed (close it with `]`); "
        "parsing stopped at line 5, column 5: did not find expected ',' or ']'"
    )


def test_an_unclosed_quote_is_reported_where_it_opened(briefs: Briefs) -> None:
    briefs.write(
        "notes/n.md",
        '---\ntitle: "Open quote\ntopic: pact\nauthor: A\n---\nIt was said [@src-a].\n',
    )
    [finding] = [f for f in analyse_dir(briefs.root).findings if f.is_error]
    assert (finding.path, finding.line, finding.col, finding.rule) == (
        "briefs/notes/n.md",
        2,
        8,
        "yaml",
    )
    assert finding.message.startswith(
        "YAML does not parse: the quoted text opened here is not closed"
    )
    assert "parsing stopped at line 4, column 10: found unexpected end of stream" in finding.message


def test_citing_a_present_but_invalid_source_gives_exactly_one_error(briefs: Briefs) -> None:
    briefs.write("sources/src-a.md", SOURCE.replace("reliability: C", "reliability: Z"))
    briefs.note("n", "\n".join(f"Statement {i} [@src-a]." for i in range(20)) + "\n")
    briefs.note("m", 'It was "a genuine alliance" [@src-a, "a genuine alliance"].\n')
    findings = analyse_dir(briefs.root).findings
    assert [(f.path, f.rule) for f in findings] == [("briefs/sources/src-a.md", "invalid-field")]


def test_an_unknown_key_never_asks_for_a_file_that_exists(briefs: Briefs) -> None:
    briefs.write("sources/src-b.md", SOURCE.replace("reliability: C", "reliability: Z"))
    briefs.note("n", "It was said [@src-bb] and [@ghost] [@src-a].\n")
    hints = {
        f.message: f.hint for f in analyse_dir(briefs.root).findings if f.rule == "unknown-key"
    }
    assert hints == {
        "unknown source `@src-bb`": "did you mean `@src-b`?",
        "unknown source `@ghost`": "no file briefs/sources/ghost.md: check the key, or add the "
        "record with `briefing new source ghost --title …`",
    }


def test_a_malformed_citation_is_not_also_an_uncited_sentence(briefs: Briefs) -> None:
    briefs.note("n", 'It was "x" [@src-a, "a genuine]. Fine [@src-a].\n')
    assert _lines(briefs) == [
        'briefs/notes/n.md:6:21: error[citation-syntax]: unterminated quote in citation: add the closing "'
    ]


def test_checks_refuses_an_error_rule_and_an_unknown_rule(briefs: Briefs) -> None:
    briefs.write(
        "briefing.yml", BRIEFING_YML + "checks:\n  uncited: off\n  uncited-sources: error\n"
    )
    settable = "uncited-source, unexpected-file, scaffold-text, disputed-fact, weak-sourcing"
    assert _lines(briefs) == [
        (
            'briefs/briefing.yml:9:3: error[invalid-field]: `checks.uncited`: found "uncited"; '
            f"an error rule, which stays an error; rules briefing.yml may set: {settable}"
        ),
        (
            "briefs/briefing.yml:10:3: error[invalid-field]: `checks.uncited-sources`: found "
            f'"uncited-sources"; not a rule id; rules briefing.yml may set: {settable}'
        ),
        (
            "briefs/sources/src-a.md:1:1: warning[uncited-source]: source `src-a` is never cited\n"
            "    hint: cite it in a note, or remove it"
        ),
    ]
