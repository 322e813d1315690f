"""Disputed facts, sourcing strength, timeline and open data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from briefing.analysis.facts import FactComparison, compare_fact, values_agree
from briefing.analysis.sourcing import independent_count
from briefing.pipeline import analyse_dir
from briefing.read.models import FactDeclaration, FactValue
from conftest import BRIEFING_YML, Briefs

DATE = FactDeclaration(label="Date", type="date")
TEXT = FactDeclaration(label="Place", type="text")


@pytest.mark.parametrize(
    "a, b, agree",
    [
        ("2024-06", "2024-06-19", True),
        ("2024", "2024-06-19", True),
        ("2024-06-19", "2024-06-19", True),
        ("2024-06", "2024-07-01", False),
        ("2016-02-19", "2024-06-19", False),
        ("2024-06-18", "2024-06-19", False),
        ("202X-02-17", "2016-02-19", False),
        ("202X-02-17", "2024-02-17", True),
        ("XXXX", "2016-02-19", True),
        ("2024?", "2024-06-19", True),
    ],
)
def test_dates_agree_when_they_allow_a_common_day(a: str, b: str, agree: bool) -> None:
    assert values_agree("date", a, b) is agree
    assert values_agree("date", b, a) is agree


def _compare(declaration: FactDeclaration, pairs: list[tuple[str, str]]) -> FactComparison:
    return compare_fact("f", declaration, [(sid, FactValue(value=v)) for sid, v in pairs])


def test_text_is_compared_ignoring_case_spacing_and_quote_marks() -> None:
    assert values_agree("text", "Kim Jong Un’s  visit", "kim jong un's visit")
    assert not values_agree("text", "Pyongyang", "Moscow")


def test_values_from_two_sources_that_conflict_are_disputed() -> None:
    fact = _compare(DATE, [("a", "2024-06-19"), ("b", "2016-02-19")])
    assert fact.disputed and fact.self_contradicting == ()
    assert [(v.value, v.sources) for v in fact.values] == [
        ("2016-02-19", ("b",)),
        ("2024-06-19", ("a",)),
    ]


def test_partial_date_agreeing_with_a_full_one_is_not_disputed() -> None:
    fact = _compare(DATE, [("a", "2024-06"), ("b", "2024-06-19")])
    assert not fact.disputed


def test_same_text_from_two_sources_is_one_value() -> None:
    fact = _compare(TEXT, [("a", "Pyongyang"), ("b", " pyongyang ")])
    assert not fact.disputed and [v.sources for v in fact.values] == [("a", "b")]


def test_source_stating_two_conflicting_values_disagrees_with_itself() -> None:
    fact = _compare(DATE, [("a", "2024-06-19"), ("b", "2024-02-17"), ("b", "2016-02-19")])
    assert fact.disputed and fact.self_contradicting == ("b",)


def test_a_date_with_its_year_cut_off_disputes_a_full_date_of_another_decade() -> None:
    fact = _compare(DATE, [("c", "202X-02-17"), ("c", "2016-02-19")])
    assert fact.disputed and fact.self_contradicting == ("c",)
    assert [v.value for v in fact.values] == ["2016-02-19", "202X-02-17"]


def _source(
    briefs: Briefs, sid: str, grade: str, author: str, publisher: str, facts: str = ""
) -> None:
    briefs.write(
        f"sources/{sid}.md",
        f"---\ntitle: {sid}\nissued: 2024\ntype: reporting\n"
        f"reliability: {grade}\nauthor: {author}\npublisher: {publisher}\n{facts}---\nText.\n",
    )


def test_independence_needs_different_author_and_outlet(briefs: Briefs) -> None:
    _source(briefs, "one", "B", "Ann", "Daily")
    _source(briefs, "two", "C", "Bob", "Daily")
    _source(briefs, "three", "C", "Cy", "Weekly")
    sources = analyse_dir(briefs.root).briefing.sources
    assert independent_count([sources["one"], sources["two"]]) == 1
    assert independent_count([sources["one"], sources["two"], sources["three"]]) == 2


def test_weak_sourcing_warns_and_can_be_made_an_error(briefs: Briefs) -> None:
    _source(briefs, "rumour", "E", "Anon", "Forum")
    briefs.note("weak", "A claim [@rumour]. Another [@src-a; @rumour].\n")
    findings = analyse_dir(briefs.root).findings
    assert [(f.line, f.col, f.rule, f.is_error) for f in findings] == [
        (6, 1, "weak-sourcing", False)
    ]
    briefs.write(
        "briefing.yml",
        (briefs.root / "briefing.yml").read_text() + "checks:\n  weak-sourcing: error\n",
    )
    assert [f.rule for f in analyse_dir(briefs.root).errors] == ["weak-sourcing"]


def test_disputed_fact_warns_at_each_source_record(briefs: Briefs) -> None:
    briefs.write(
        "briefing.yml",
        (briefs.root / "briefing.yml").read_text()
        + "facts:\n  place: {label: Place, type: text, topic: pact}\n",
    )
    _source(briefs, "one", "B", "Ann", "Daily", "facts:\n  place: Pyongyang\n")
    _source(briefs, "two", "C", "Bob", "Weekly", "facts:\n  place: Moscow\n")
    briefs.note("n", "Cited [@src-a; @one; @two].\n")
    findings = analyse_dir(briefs.root).findings
    assert [(f.path, f.line, f.rule) for f in findings] == [
        ("briefs/sources/one.md", 9, "disputed-fact"),
        ("briefs/sources/two.md", 9, "disputed-fact"),
    ]
    assert "Moscow (two); Pyongyang (one)" in findings[0].message


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The harbour fixture (planted disagreements: depth and start date), built."""
    import shutil

    from conftest import FIXTURE, ROOT

    project = tmp_path_factory.mktemp("facts") / "harbour"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../templates", str(ROOT / "templates")))
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "build", "-d", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return project / "site"


def _html(site: Path, name: str) -> str:
    for candidate in (site / f"{name}.html", site / name / "index.html"):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise AssertionError(f"no page {name}")


def test_topic_page_shows_sources_disagree_box(built: Path) -> None:
    page = _html(built, "topics/plans")
    assert "Sources disagree: Planned depth" in page
    # Closed to one line; the fixture's mkdocs.yml leaves pymdownx.details out, and the
    # plugin turns it on.
    assert (
        '<details class="disputed">\n<summary>Sources disagree: Planned depth (2 values)</summary>'
        in page
    )
    assert "<strong>14 metres</strong>" in page and "<strong>16 metres</strong>" in page
    assert "Sourcing:</strong> 5 statements" in page


def test_disputed_facts_page_lists_every_disputed_fact(built: Path) -> None:
    page = _html(built, "disputed-facts")
    assert page.count("<strong>Disputed.</strong>") == 2
    assert page.index("Start of works") < page.index("Planned depth")


def test_timeline_places_a_partial_date_before_the_full_dates_it_contains(built: Path) -> None:
    page = _html(built, "timeline")
    assert page.index("September 2023") < page.index("2 October 2023")
    assert page.count('class="disputed-flag"') == 2


def test_bibliography_is_valid_csl_json_for_citeproc(built: Path) -> None:
    items = json.loads((built / "bibliography.json").read_text(encoding="utf-8"))
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bib.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bib.bibliography()]
    assert len(rendered) == 2
    assert any(
        "Fishers fear for the spawning grounds" in entry and "2023" in entry for entry in rendered
    )


def test_statements_json_records_citations_quotes_and_strength(built: Path) -> None:
    records = json.loads((built / "statements.json").read_text(encoding="utf-8"))
    quoted = next(r for r in records if r["id"] == "objections-1")
    assert quoted["citations"] == [
        {
            "source": "fishers-2023",
            "locator": '"will bury the spawning grounds"',
            "quote": "will bury the spawning grounds",
            "quotes": ["will bury the spawning grounds"],
            "translation": None,
            "verified": True,
            "role": "attributed",
            "reliability": "C",
            "credibility": 6,
            "credibility_given": False,
        }
    ]
    assert quoted["file"] == "briefs/notes/objections.md" and quoted["line"] == 6
    assert quoted["kind"] == "attribution"
    assert quoted["strength"] == {
        "sources": 1,
        "supporting_sources": 0,
        "independent_sources": 0,
        "best_grade": None,
        "verified": True,
        "corroborated": None,
        "weak": None,
    }
    both = next(r for r in records if r["id"] == "plans-5")
    assert both["kind"] == "assertion"
    assert [(c["role"], c["credibility"]) for c in both["citations"]] == [("supporting", 2)] * 2
    assert both["strength"] == {
        "sources": 2,
        "supporting_sources": 2,
        "independent_sources": 2,
        "best_grade": "B",
        "verified": None,
        "corroborated": True,
        "weak": False,
    }


def test_pages_carry_schema_org_json_ld(built: Path) -> None:
    page = _html(built, "topics/plans")
    start = page.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    assert data["@type"] == "WebPage" and data["isPartOf"]["@type"] == "Report"
    assert {c["name"] for c in data["citation"]} == {
        "Dredging of the outer channel",
        "Fishers fear for the spawning grounds",
    }


def test_export_command_writes_the_same_open_data(built: Path, tmp_path: Path) -> None:
    project = built.parent
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.adapters.cli",
            "export",
            "-o",
            str(tmp_path),
            "--templates",
            str(Path(__file__).parent.parent / "templates"),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for name in ("bibliography.json", "statements.json"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()


# --- fact values tied to the source's words; EDTF dates -----------------------------------

FACTS_YML = "facts:\n  signing-date: {label: Date of signing, type: date}\n  place: {label: Place, type: text}\n"


def _facts_source(briefs: Briefs, facts: str, issued: str = "2024-06") -> None:
    briefs.write("briefing.yml", BRIEFING_YML + FACTS_YML)
    briefs.write(
        "sources/src-a.md",
        f"---\ntitle: A source\nissued: {issued}\ntype: reporting\n"
        f"reliability: C\nfacts:\n{facts}---\nIt was signed on February 17, 202 in Pyongyang.\n",
    )
    briefs.note("n", "It was signed [@src-a].\n")


def test_a_fact_value_quoting_the_source_is_verified_against_its_archived_text(
    briefs: Briefs,
) -> None:
    _facts_source(
        briefs,
        "  signing-date:\n    value: 202X-02-17\n    quote: signed on February 17, 202\n"
        "  place: {value: Pyongyang, quote: in Pyongyang}\n",
    )
    analysis = analyse_dir(briefs.root)
    assert analysis.findings == ()
    date = next(f for f in analysis.facts if f.key == "signing-date")
    assert [(v.value, v.stated_by[0].quote) for v in date.values] == [
        ("202X-02-17", "signed on February 17, 202")
    ]


def test_a_fact_value_whose_words_are_not_in_the_source_is_an_error_naming_the_fact(
    briefs: Briefs,
) -> None:
    _facts_source(briefs, "  place:\n    - value: Moscow\n      quote: in Moscow\n")
    findings = analyse_dir(briefs.root).findings
    assert [(f.line, f.col, f.rule, f.message) for f in findings] == [
        (
            9,
            7,
            "quote-not-found",
            'fact `place`: quoted words not found in the archived text: "in Moscow"',
        )
    ]


def test_a_fact_value_mapping_with_an_unknown_field_names_the_fields_it_may_have(
    briefs: Briefs,
) -> None:
    _facts_source(briefs, "  place: {value: Pyongyang, words: in Pyongyang}\n")
    [finding] = analyse_dir(briefs.root).findings
    assert (finding.rule, finding.message, finding.hint) == (
        "unknown-field",
        "unknown field `facts.place.0.words`",
        "allowed: value, quote",
    )


def test_an_undated_source_is_shown_undated_and_exported_as_a_csl_literal(briefs: Briefs) -> None:
    _facts_source(briefs, "  place: Pyongyang\n", issued="XXXX")
    analysis = analyse_dir(briefs.root)
    assert analysis.findings == ()
    source = analysis.briefing.sources["src-a"]
    assert source.meta.issued_words == "undated"
    from briefing.output.exports import LdPage, csl_item, json_ld

    assert csl_item(source, "en")["issued"] == {"literal": "undated"}
    page = LdPage(
        name="Page",
        url="page.html",
        home_url="index.html",
        source_url=lambda sid: f"sources/{sid}.html",
        cited=["src-a"],
    )
    assert "datePublished" not in json_ld(analysis, page)


@pytest.mark.parametrize(
    "issued, words",
    [
        ("2024", "2024"),
        ("2024-06", "June 2024"),
        ("2024-06-20", "20 June 2024"),
        ("2024?", "2024 (uncertain)"),
        ("2024~", "about 2024"),
        ("202X", "year not given (202–)"),
    ],
)
def test_issued_dates_old_and_edtf_are_valid_and_read_in_words(
    briefs: Briefs, issued: str, words: str
) -> None:
    _facts_source(briefs, "  place: Pyongyang\n", issued=issued)
    analysis = analyse_dir(briefs.root)
    assert analysis.findings == ()
    assert analysis.briefing.sources["src-a"].meta.issued_words == words
