"""The sourcing measure (attributions and assertions) and the two-part grade (reliability and
credibility), on small hand-made briefings."""

from __future__ import annotations

import json
import re

import pytest

from briefing.analysis.model import Analysis, Statement
from briefing.output.annotate import Numbering, citation_marker, grade_legend, tooltip_data
from briefing.output.exports import statements, to_json
from briefing.output.print_document import Footnotes
from briefing.output.render import render_site
from briefing.pipeline import analyse_dir
from briefing.prose.citations import parse_citations
from conftest import ROOT, Briefs

ARCHIVED = 'The pact is "a genuine alliance" and "a done deal", so said the writer.\n'


def _source(briefs: Briefs, sid: str, grade: str, author: str, publisher: str) -> None:
    briefs.write(
        f"sources/{sid}.md",
        f"---\ntitle: Source {sid}\nissued: 2024\ntype: reporting\n"
        f"reliability: {grade}\nauthor: {author}\npublisher: {publisher}\n---\n{ARCHIVED}",
    )


@pytest.fixture
def sourced(briefs: Briefs) -> Briefs:
    """Sources: `daily` (B) and `courier` (C) independent of each other, `daily-2` (C) from
    the same outlet as `daily`, and `forum` (E)."""
    _source(briefs, "daily", "B", "Ann", "The Daily")
    _source(briefs, "daily-2", "C", "Bob", "The Daily")
    _source(briefs, "courier", "C", "Cy", "The Courier")
    _source(briefs, "forum", "E", "Anon", "A Forum")
    return briefs


def _analysed(briefs: Briefs, body: str) -> tuple[Analysis, list[Statement]]:
    briefs.note("n", body)
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == [], [f.message for f in analysis.errors]
    return analysis, list(analysis.statements)


def _only(briefs: Briefs, sentence: str) -> tuple[Analysis, Statement]:
    analysis, found = _analysed(briefs, sentence + "\n")
    assert len(found) == 1
    return analysis, found[0]


# --- Which citations attribute, and what kind of statement it is ---------------------------


def test_absence_statement_citing_two_independent_sources_is_an_attribution_not_corroborated(
    sourced: Briefs,
) -> None:
    analysis, statement = _only(
        sourced, "Neither source gives a date for the signing [@daily; @courier]."
    )
    strength = analysis.strength(statement)
    assert (
        statement.claim == "attribution"
        and [c.role for c in statement.citations] == ["attributed"] * 2
    )
    assert not strength.corroborated
    assert analysis.topic_summary("pact").corroborated == 0
    assert [c.credibility for c in statement.citations] == [6, 6]


@pytest.mark.parametrize(
    "sentence",
    [
        "None of the reports names the minister [@daily; @courier].",
        "No other source confirms the visit [@daily; @courier].",
        "The Daily does not mention the treaty, and the Courier didn't name it [@daily; @courier].",
        "It cites no source, and the corpus contains none [@daily; @courier].",
    ],
)
def test_each_absence_pattern_makes_an_attribution(sourced: Briefs, sentence: str) -> None:
    analysis, statement = _only(sourced, sentence)
    assert statement.is_attribution and not analysis.strength(statement).corroborated


def test_absence_patterns_apply_to_english_briefings_only(sourced: Briefs) -> None:
    yml = (sourced.root / "briefing.yml").read_text()
    sourced.write(
        "briefing.yml", yml.replace("marking: PUBLIC\n", "marking: PUBLIC\nlanguage: de\n")
    )
    analysis, statement = _only(sourced, "Neither source gives a date [@daily; @courier].")
    assert statement.claim == "assertion" and analysis.strength(statement).corroborated


def test_author_suppressed_citation_makes_an_attribution(sourced: Briefs) -> None:
    analysis, statement = _only(sourced, "The Daily says the pact is new [-@daily].")
    strength = analysis.strength(statement)
    assert statement.claim == "attribution" and statement.citations[0].role == "attributed"
    assert not strength.verified  # no quote: nothing was checked against the archived text


@pytest.mark.parametrize(
    "sentence",
    [
        'It calls the pact "a genuine alliance" [@daily, "a genuine alliance"].',
        'It calls the pact “a genuine alliance” [@daily, "a genuine alliance"].',
        'It calls the pact "a genuine alliance, and a done deal" [@daily, "a genuine alliance"].',
        'It calls the pact "genuine" [@daily, "a genuine alliance"].',
    ],
)
def test_a_quote_repeated_in_the_sentence_makes_an_attribution(
    sourced: Briefs, sentence: str
) -> None:
    analysis, statement = _only(sourced, sentence)
    assert statement.claim == "attribution"
    assert analysis.strength(statement).verified


def test_a_quote_only_in_the_citation_supports_an_assertion(sourced: Briefs) -> None:
    analysis, statement = _only(sourced, 'The pact is an alliance [@daily, "a genuine alliance"].')
    assert statement.claim == "assertion" and statement.citations[0].role == "supporting"
    assert not analysis.strength(statement).verified


def test_verified_attribution_to_an_e_source_is_not_weak_and_does_not_warn(sourced: Briefs) -> None:
    analysis, statement = _only(
        sourced, 'The forum calls it "a done deal" [@forum, "a done deal"].'
    )
    strength = analysis.strength(statement)
    assert statement.claim == "attribution" and strength.verified and not strength.weak
    assert [f for f in analysis.findings if f.rule == "weak-sourcing"] == []


def test_a_statement_with_one_supporting_citation_is_an_assertion(sourced: Briefs) -> None:
    analysis, statement = _only(
        sourced, 'The Daily calls it "a done deal" [@daily, "a done deal"], and it is [@courier].'
    )
    assert [c.role for c in statement.citations] == ["attributed", "supporting"]
    strength = analysis.strength(statement)
    assert (
        statement.claim == "assertion" and strength.supporting == 1 and strength.best_grade == "C"
    )


# --- Corroborated and weak assertions -------------------------------------------------------


def test_two_independent_sources_in_one_group_corroborate_an_assertion(sourced: Briefs) -> None:
    analysis, statement = _only(sourced, "The pact was signed in June [@daily; @courier].")
    strength = analysis.strength(statement)
    assert statement.claim == "assertion" and strength.corroborated
    assert strength.independent == 2 and strength.best_grade == "B"


def test_two_sources_for_two_halves_of_a_sentence_do_not_corroborate(sourced: Briefs) -> None:
    analysis, statement = _only(
        sourced, "The pact was signed in June [@daily] and ratified in July [@courier]."
    )
    assert statement.claim == "assertion" and not analysis.strength(statement).corroborated
    assert [c.group for c in statement.citations] == [0, 1]


def test_two_sources_of_one_outlet_do_not_corroborate(sourced: Briefs) -> None:
    analysis, statement = _only(sourced, "The pact was signed in June [@daily; @daily-2].")
    assert not analysis.strength(statement).corroborated


def test_an_attributed_citation_does_not_corroborate_a_supporting_one(sourced: Briefs) -> None:
    analysis, statement = _only(
        sourced, 'The pact, "a done deal", was signed in June [@daily, "a done deal"; @courier].'
    )
    assert [c.role for c in statement.citations] == ["attributed", "supporting"]
    assert not analysis.strength(statement).corroborated


def test_assertion_resting_on_an_e_source_is_weak_and_warns(sourced: Briefs) -> None:
    analysis, found = _analysed(
        sourced, "The pact is secret [@forum]. It is not [@forum; @courier].\n"
    )
    assert [analysis.strength(s).weak for s in found] == [True, False]
    weak = [f for f in analysis.findings if f.rule == "weak-sourcing"]
    assert [(f.line, f.col) for f in weak] == [(6, 1)]
    assert weak[0].message.startswith("assertion rests only on sources graded E or F")


def test_topic_summary_counts_attributions_and_assertions_apart(sourced: Briefs) -> None:
    analysis, _ = _analysed(
        sourced,
        (
            'It calls it "a done deal" [@forum, "a done deal"]. '
            "The Daily says so too [-@daily]. "
            "Neither names the minister [@daily; @courier]. "
            "The pact was signed [@daily; @courier]. "
            "It is secret [@forum].\n"
        ),
    )
    summary = analysis.topic_summary("pact")
    assert (summary.statements, summary.attributions, summary.verified) == (5, 3, 1)
    assert (summary.assertions, summary.corroborated, summary.weak) == (2, 1, 1)


def test_sourcing_strip_reports_attributions_and_assertions_separately(sourced: Briefs) -> None:
    analysis, _ = _analysed(
        sourced,
        (
            'It calls it "a done deal" [@forum, "a done deal"]. '
            "The pact was signed [@daily; @courier]. It is secret [@forum].\n"
        ),
    )
    page = next(
        p for p in render_site(analysis, ROOT / "templates").pages if p.path == "topics/pact.md"
    )
    assert (
        "**Sourcing:** 3 statements · 1 attribution, 1 verified against the archived text · "
        "2 assertions, 1 corroborated by two or more independent sources, "
        "1 rests only on sources graded E or F · [how this is measured](../sourcing.md)"
    ) in page.markdown
    sourcing = next(
        p for p in render_site(analysis, ROOT / "templates").pages if p.path == "sourcing.md"
    )
    assert "| [Anon 2024](sources/forum.md) |" in sourcing.markdown  # the source's label
    row = next(line for line in sourcing.markdown.splitlines() if "sources/forum.md" in line)
    assert row.endswith("| 2 | 1 | 1 | 1 |")  # citing, reporting it, supported, resting on it alone


# --- Credibility, the grade's second part ---------------------------------------------------


@pytest.mark.parametrize(
    "text, locator, credibility",
    [
        ('[@a, "words", credibility 2]', '"words"', 2),
        ("[@a, p. 4, credibility 3]", "p. 4", 3),
        ("[@a, credibility 5]", "", 5),
        ("[@a, Credibility 1, p. 4]", "p. 4", 1),
        ("[@a, p. 4]", "p. 4", None),
        ('[@a, "credibility 2"]', '"credibility 2"', None),
    ],
)
def test_credibility_suffix_is_read_and_left_out_of_the_locator(
    text: str, locator: str, credibility: int | None
) -> None:
    parsed = parse_citations(text)
    assert parsed.errors == ()
    item = parsed.groups[0].items[0]
    assert (item.locator, item.credibility) == (locator, credibility)
    again = parse_citations(parsed.groups[0].to_markdown()).groups[0].items[0]
    assert (again.locator, again.credibility) == (locator, credibility)


def test_a_quote_and_credibility_keep_the_locator_quote_only() -> None:
    item = parse_citations('[@a, "words", credibility 2]').groups[0].items[0]
    assert item.quote_only and item.quotes == ("words",)


@pytest.mark.parametrize(
    "text, term",
    [
        ("[@a, credibility 7]", "credibility 7"),
        ("[@a, p. 4, credibility 0]", "credibility 0"),
        ("[@a, credibility high]", "credibility high"),
        ("[@a, credibility]", "credibility"),
    ],
)
def test_credibility_outside_one_to_six_is_a_syntax_error_quoting_it(text: str, term: str) -> None:
    parsed = parse_citations(text)
    assert parsed.groups == ()
    [error] = parsed.errors
    assert text[error.offset :].startswith(term)
    assert error.message == (
        "the information's credibility is a number from 1 (confirmed by other sources) to 6 "
        f'(truth cannot be judged): found "{term}"; write e.g. [@a, credibility 3]'
    )


def test_credibility_given_twice_is_a_syntax_error() -> None:
    [error] = parse_citations("[@a, credibility 2, credibility 3]").errors
    assert "credibility is given twice for @a" in error.message


def test_invalid_credibility_is_reported_by_the_check_where_it_stands(sourced: Briefs) -> None:
    sourced.note("n", "A claim [@daily, credibility 9].\n")
    [error] = analyse_dir(sourced.root).errors
    assert (error.rule, error.line, error.col) == ("citation-syntax", 6, 18)
    assert 'found "credibility 9"' in error.message


def test_credibility_defaults_to_six_and_to_two_when_corroborated(sourced: Briefs) -> None:
    _, found = _analysed(
        sourced, ("Alone [@daily]. Together [@daily; @courier]. Same outlet [@daily; @daily-2].\n")
    )
    assert [[c.credibility for c in s.citations] for s in found] == [[6], [2, 2], [6, 6]]
    assert all(not c.credibility_given for s in found for c in s.citations)


def test_given_credibility_wins_over_the_default(sourced: Briefs) -> None:
    _, statement = _only(sourced, "Together [@daily, credibility 4; @courier].")
    assert [(c.credibility, c.credibility_given) for c in statement.citations] == [
        (4, True),
        (2, False),
    ]


def test_badge_shows_both_parts_apart_from_the_number_and_spells_them_out(sourced: Briefs) -> None:
    analysis, statement = _only(sourced, "A claim [@courier, p. 2, credibility 3].")
    group = statement.groups[0]
    numbering = Numbering("topics/pact.md", analysis.briefing.sources)
    html = citation_marker(group, numbering)
    assert ">[1]</a>" in html
    assert (
        '<span class="grade grade-c cite-grade" role="img" aria-labelledby="grade-C3">'
        'C<span class="grade-credibility">3</span></span>'
    ) in html
    # Spelled out once a page, for screen readers, in the words the badge is named by; the
    # tooltip shows them on hover.
    spelled = "source reliability C: fairly reliable; information credibility 3: possibly true"
    assert spelled not in html and "title=" not in html
    assert numbering.grades == {("C", 3)}
    assert grade_legend(numbering.grades) == (
        f'<div class="grade-legend" hidden data-search-exclude><span id="grade-C3">{spelled}'
        "</span></div>"
    )
    # The tooltip: the source's grade from the page's data, the citation's from its marker.
    assert ' data-ref="1" data-credibility="3" data-at="p. 2">' in html
    tips = json.loads(tooltip_data(numbering, [(3, True)]))
    courier = tips["sources"]["1"]
    assert (courier["reliability"], courier["reliability_words"]) == ("C", "fairly reliable")
    assert tips["credibility"] == {"3": "possibly true"}


def test_tooltip_says_why_a_default_credibility_is_what_it_is(sourced: Briefs) -> None:
    analysis, statement = _only(sourced, "A claim [@daily; @courier].")
    numbering = Numbering("topics/pact.md", analysis.briefing.sources)
    html = citation_marker(statement.groups[0], numbering)
    assert ' data-ref="1" data-credibility="2" data-default="">' in html
    tips = json.loads(tooltip_data(numbering, [(2, False)]))
    assert tips["default"] == {
        "2": "probably true, as an independent source in the same citation says the same"
    }


def test_every_marker_on_a_page_shows_two_parts(sourced: Briefs) -> None:
    analysis, _ = _analysed(
        sourced, "One [@daily]. Two [@daily; @courier, credibility 1]. Three [@forum].\n"
    )
    page = next(
        p for p in render_site(analysis, ROOT / "templates").pages if p.path == "topics/pact.md"
    )
    badges = re.findall(
        r'aria-labelledby="grade-([A-F])([1-6])">([A-F])<span class="grade-credibility">([1-6])<',
        page.expanded(),
    )
    assert badges == [(g, c, g, c) for g, c in [("B", "6"), ("B", "2"), ("C", "1"), ("E", "6")]]
    # Each grade's words once, at the end of the page: what the badges are named by.
    legend = re.findall(r'<span id="grade-([A-F][1-6])">source reliability', page.expanded())
    assert legend == ["B2", "B6", "C1", "E6"]
    assert page.expanded().rstrip().endswith("</div>")


def test_pdf_footnote_gives_both_parts_of_the_grade(sourced: Briefs) -> None:
    analysis, statement = _only(sourced, "A claim [@courier, credibility 5].")
    footnotes = Footnotes(1)
    html = footnotes.cite(statement.groups[0])
    assert (
        '<span class="grade grade-c" title="source reliability C: fairly reliable; '
        'information credibility 5: improbable">C5</span> (fairly reliable, improbable)'
    ) in html


def test_statements_json_carries_kind_roles_and_credibility(sourced: Briefs) -> None:
    analysis, _ = _analysed(
        sourced,
        (
            'It calls it "a done deal" [@forum, "a done deal"]. The pact was signed [@daily, credibility 3; @courier].\n'
        ),
    )
    records = json.loads(to_json(statements(analysis, {"n": "topics/pact/"})))
    attribution, assertion = records
    assert attribution["kind"] == "attribution"
    cited = attribution["citations"][0]
    assert {k: cited[k] for k in ("role", "credibility", "credibility_given", "reliability")} == {
        "role": "attributed",
        "credibility": 6,
        "credibility_given": False,
        "reliability": "E",
    }
    assert attribution["strength"]["verified"] is True
    assert (
        attribution["strength"]["corroborated"] is None and attribution["strength"]["weak"] is None
    )
    assert assertion["kind"] == "assertion"
    assert [
        (c["role"], c["credibility"], c["credibility_given"]) for c in assertion["citations"]
    ] == [("supporting", 3, True), ("supporting", 2, False)]
    assert assertion["strength"] == {
        "sources": 2,
        "supporting_sources": 2,
        "independent_sources": 2,
        "best_grade": "B",
        "verified": None,
        "corroborated": True,
        "weak": False,
    }
