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

from briefing.analyse import analyse_dir
from briefing.facts import compare_fact, dates_agree, values_agree
from briefing.models import FactDeclaration
from briefing.sourcing import independent_count
from conftest import Briefs

DATE = FactDeclaration(label="Date", type="date")
TEXT = FactDeclaration(label="Place", type="text")


@pytest.mark.parametrize("a, b, agree", [
    ("2024-06", "2024-06-19", True),
    ("2024", "2024-06-19", True),
    ("2024-06-19", "2024-06-19", True),
    ("2024-06", "2024-07-01", False),
    ("2016-02-19", "2024-06-19", False),
    ("2024-06-18", "2024-06-19", False),
])
def test_dates_agree_as_far_as_the_less_precise_goes(a: str, b: str, agree: bool) -> None:
    assert dates_agree(a, b) is agree
    assert dates_agree(b, a) is agree


def test_text_is_compared_ignoring_case_spacing_and_quote_marks() -> None:
    assert values_agree("text", "Kim Jong Un’s  visit", "kim jong un's visit")
    assert not values_agree("text", "Pyongyang", "Moscow")


def test_values_from_two_sources_that_conflict_are_disputed() -> None:
    fact = compare_fact("d", DATE, [("a", "2024-06-19"), ("b", "2016-02-19")])
    assert fact.disputed and fact.self_contradicting == ()
    assert [(v.value, v.sources) for v in fact.values] == [("2016-02-19", ("b",)), ("2024-06-19", ("a",))]


def test_partial_date_agreeing_with_a_full_one_is_not_disputed() -> None:
    fact = compare_fact("d", DATE, [("a", "2024-06"), ("b", "2024-06-19")])
    assert not fact.disputed


def test_same_text_from_two_sources_is_one_value() -> None:
    fact = compare_fact("p", TEXT, [("a", "Pyongyang"), ("b", " pyongyang ")])
    assert not fact.disputed and [v.sources for v in fact.values] == [("a", "b")]


def test_source_stating_two_conflicting_values_disagrees_with_itself() -> None:
    fact = compare_fact("d", DATE, [("a", "2024-06-19"), ("b", "2024-02-17"), ("b", "2016-02-19")])
    assert fact.disputed and fact.self_contradicting == ("b",)


def _source(briefs: Briefs, sid: str, grade: str, author: str, publisher: str, facts: str = "") -> None:
    briefs.write(f"sources/{sid}.md", f"---\ntitle: {sid}\nissued: 2024\ntype: reporting\n"
                 f"reliability: {grade}\nauthor: {author}\npublisher: {publisher}\n{facts}---\nText.\n")


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
    assert [(f.line, f.col, f.rule, f.is_error) for f in findings] == [(6, 1, "weak-sourcing", False)]
    briefs.write("briefing.yml", (briefs.root / "briefing.yml").read_text() + "checks:\n  weak-sourcing: error\n")
    assert [f.rule for f in analyse_dir(briefs.root).errors] == ["weak-sourcing"]


def test_disputed_fact_warns_at_each_source_record(briefs: Briefs) -> None:
    briefs.write("briefing.yml", (briefs.root / "briefing.yml").read_text()
                 + "facts:\n  place: {label: Place, type: text, topic: pact}\n")
    _source(briefs, "one", "B", "Ann", "Daily", "facts:\n  place: Pyongyang\n")
    _source(briefs, "two", "C", "Bob", "Weekly", "facts:\n  place: Moscow\n")
    briefs.note("n", "Cited [@src-a; @one; @two].\n")
    findings = analyse_dir(briefs.root).findings
    assert [(f.path, f.line, f.rule) for f in findings] == [
        ("briefs/sources/one.md", 9, "disputed-fact"), ("briefs/sources/two.md", 9, "disputed-fact")]
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
    result = subprocess.run([sys.executable, "-m", "briefing.cli", "build", "-d", "site"], cwd=project,
                            capture_output=True, text=True, check=False)
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
    assert any("Fishers fear for the spawning grounds" in entry and "2023" in entry for entry in rendered)


def test_statements_json_records_citations_quotes_and_strength(built: Path) -> None:
    records = json.loads((built / "statements.json").read_text(encoding="utf-8"))
    quoted = next(r for r in records if r["id"] == "objections-1")
    assert quoted["citations"] == [{"source": "fishers-2023", "locator": '"will bury the spawning grounds"',
                                    "quote": "will bury the spawning grounds",
                                    "quotes": ["will bury the spawning grounds"], "verified": True}]
    assert quoted["file"] == "briefs/notes/objections.md" and quoted["line"] == 6
    both = next(r for r in records if r["id"] == "plans-5")
    assert both["strength"] == {"sources": 2, "independent_sources": 2, "best_grade": "B",
                                "corroborated": True, "weak": False}


def test_pages_carry_schema_org_json_ld(built: Path) -> None:
    page = _html(built, "topics/plans")
    start = page.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(page[start:page.index("</script>", start)])
    assert data["@type"] == "Report"
    assert {c["name"] for c in data["citation"]} == {"Dredging of the outer channel",
                                                     "Fishers fear for the spawning grounds"}


def test_export_command_writes_the_same_open_data(built: Path, tmp_path: Path) -> None:
    project = built.parent
    result = subprocess.run([sys.executable, "-m", "briefing.cli", "export", "-o", str(tmp_path),
                             "--templates", str(Path(__file__).parent.parent / "templates")],
                            cwd=project, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    for name in ("bibliography.json", "statements.json"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes()
