"""One carrier for a citation: the analysis gives each citation group its place in the note
body and in the file, and each citation its source, position, passage and grade; the site,
the PDF and the exports read only that, and parse or match nothing again."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import briefing.analysis.facts
import briefing.analysis.resolve
import briefing.analysis.sourcing
import briefing.prose.citations
import briefing.prose.quotes
import briefing.prose.statements
from briefing.analysis.model import Analysis, CitedGroup, Statement
from briefing.output.annotate import Numbering, citation_marker, note_markdown
from briefing.output.print_document import Footnotes, Stamp, print_document
from briefing.output.render import render_site
from briefing.pipeline import analyse_dir
from briefing.read.gitinfo import History
from conftest import FIXTURE, ROOT, Briefs

PACKAGE = ROOT / "scripts" / "briefing"
TEMPLATES = ROOT / "templates"

NOTE = (
    'It is "a genuine alliance" [@src-a, "a genuine alliance"]. It was\n'
    'agreed [see @src-a, "so said the writer"; @src-a, "a genuine alliance"].\n'
    "\n"
    "- Listed, as the writer put it [@src-a, para. 1, credibility 3].\n"
)


def _analysed(briefs: Briefs, body: str = NOTE) -> tuple[Analysis, list[Statement], Path]:
    path = briefs.note("n", body)
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == [], [f.message for f in analysis.errors]
    return analysis, list(analysis.statements), path


def test_each_group_carries_its_body_span_and_file_position(briefs: Briefs) -> None:
    analysis, statements, path = _analysed(briefs)
    [note] = analysis.notes
    lines = path.read_text(encoding="utf-8").split("\n")
    groups = [g for s in statements for g in s.groups]
    assert [g.written for g in groups] == [
        '[@src-a, "a genuine alliance"]',
        '[see @src-a, "so said the writer"; @src-a, "a genuine alliance"]',
        "[@src-a, para. 1, credibility 3]",
    ]
    for group in groups:
        assert note.note.body[group.start : group.end] == group.written
        assert lines[group.line - 1][group.col - 1 :].startswith(group.written)
    # Each citation: where its `@` is in the file (as findings give it).
    for statement in statements:
        for citation in statement.citations:
            assert lines[citation.line - 1][citation.col - 1 :].startswith("@src-a")
        # Where its anchor goes: the statement's first character, in the body.
        assert note.note.body[statement.offset :].startswith(statement.text)


def test_citations_are_the_groups_citations_in_order(briefs: Briefs) -> None:
    analysis, statements, _ = _analysed(briefs)
    for statement in statements:
        assert statement.citations == tuple(c for g in statement.groups for c in g.citations)
        for citation in statement.citations:
            assert citation in statement.groups[citation.group].citations
    second = statements[1].citations
    assert [(c.prefix, c.quote) for c in second] == [
        ("see", "so said the writer"),
        ("", "a genuine alliance"),
    ]
    assert all(c.source is analysis.briefing.sources["src-a"] for c in second)
    listed = statements[2].citations[0]
    assert (listed.locator, listed.credibility, listed.credibility_given) == ("para. 1", 3, True)
    assert listed.reliability == "C" and listed.passage is None


def test_each_quote_is_found_once_and_its_passage_carried_by_every_citation_of_it(
    briefs: Briefs,
) -> None:
    analysis, statements, _ = _analysed(briefs)
    body = analysis.briefing.sources["src-a"].body
    first, (writer, again), _ = (s.citations for s in statements)
    alliance = first[0].passage
    assert alliance is not None and writer.passage is not None
    assert (alliance.anchor, body[alliance.start : alliance.end]) == (
        "quote-1",
        "a genuine alliance",
    )
    assert (writer.passage.anchor, body[writer.passage.start : writer.passage.end]) == (
        "quote-2",
        "so said the writer",
    )
    assert again.passage == alliance  # the same words: the same passage, the same anchor
    assert analysis.passages_of("src-a") == [alliance, writer.passage]
    # The marker links to it.
    html = citation_marker(statements[0].groups[0], Numbering("topics/pact.md", {}))
    assert 'sources/src-a/#quote-1"' in html


def test_quote_matching_happens_in_resolution_only() -> None:
    """The dependency points from the analysis to the prose, never back; no output module
    imports the parser, the sentence splitter or the quote matcher."""

    def imported(path: Path) -> set[str]:
        module = path.relative_to(PACKAGE).with_suffix("").parts
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = list(module[: len(module) - node.level])
                found.add(".".join(base + (node.module or "").split(".")))
        return found

    assert not {m for m in imported(PACKAGE / "prose" / "passages.py") if "analysis" in m}
    for path in (PACKAGE / "output").glob("*.py"):
        assert not imported(path) & {
            "prose.citations",
            "prose.quotes",
            "prose.statements",
            "prose.sentences",
        }, path.name


def _refuse(name: str) -> Callable[..., object]:
    def refused(*args: object, **kwargs: object) -> object:
        raise AssertionError(f"{name} called after the analysis")

    return refused


def test_outputs_parse_and_match_nothing_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the analysis built, the parser, the sentence reader and the quote matcher are
    switched off: the site, its data and the print document still come out the same."""
    analysis = analyse_dir(FIXTURE / "briefs")
    site = render_site(analysis, TEMPLATES, History())
    document = print_document(analysis, TEMPLATES, _stamp())
    for module, names in (
        (briefing.prose.citations, ["parse_citations"]),
        (briefing.prose.statements, ["parse_citations", "analyse_prose", "split_sentences"]),
        (briefing.prose.quotes, ["normalise", "find_quote", "locate_quote", "contains_quote"]),
        (briefing.analysis.resolve, ["analyse_prose", "normalise", "locate_quote"]),
        (briefing.analysis.sourcing, ["normalise"]),
        (briefing.analysis.facts, ["normalise"]),
    ):
        for name in names:
            monkeypatch.setattr(module, name, _refuse(name))
    again = render_site(analysis, TEMPLATES, History())
    assert [p.expanded() for p in again.pages] == [p.expanded() for p in site.pages]
    assert again.data == site.data
    assert print_document(analysis, TEMPLATES, _stamp()).html == document.html


def _stamp() -> Stamp:
    return Stamp("abc1234", "2024-07-01")


def test_tooltip_data_names_each_source_once_and_markers_refer_to_it(briefs: Briefs) -> None:
    analysis, _, _ = _analysed(briefs)
    page = next(p for p in render_site(analysis, TEMPLATES).pages if p.path == "topics/pact.md")
    data = json.loads(page.tooltips)
    assert data == {
        "sources": {
            "1": {
                "label": "A source",
                "details": "June 2024 · reporting",
                "reliability": "C",
                "reliability_words": "fairly reliable",
            }
        },
        "credibility": {"3": "possibly true"},
        "default": {"6": "truth cannot be judged, not graded by the analysts"},
    }
    links = re.findall(r'<sup class="cite" data-search-exclude>(.*?)</sup>', page.expanded())
    markers = [re.findall(r"<a ([^>]*)>", sup) for sup in links]
    assert [len(m) for m in markers] == [1, 2, 1]
    first = markers[0][0]
    assert 'data-ref="1" data-credibility="6" data-default="" data-quote="a genuine alliance"' in (
        first
    )
    assert "title=" not in first  # what the page says of its source is in its data, once
    assert 'data-ref="1" data-credibility="3" data-at="para. 1"' in markers[2][0]
    assert page.cited == ("src-a",)


def test_groups_outside_statements_still_render_and_unknown_keys_are_left_out(
    briefs: Briefs,
) -> None:
    """A list item that is only a citation is no statement: nothing is checked of it (as
    before), and it shows as a marker; a key that names no source shows nothing."""
    analysis, _, _ = _analysed(
        briefs,
        'A claim [@src-a, "a genuine alliance"].\n\n- [@src-a, "a genuine alliance"]\n- [@nope]\n',
    )
    [note] = analysis.notes
    assert [g.written for g in note.loose] == ['[@src-a, "a genuine alliance"]', "[@nope]"]
    listed, unknown = note.loose
    assert listed.citations[0].passage == note.statements[0].citations[0].passage
    assert listed.citations[0].verified is None and unknown.citations == ()
    assert [g.written for g in note.groups] == [
        '[@src-a, "a genuine alliance"]',
        '[@src-a, "a genuine alliance"]',
        "[@nope]",
    ]
    cited: list[str] = []

    def cite(group: CitedGroup) -> str:
        cited.append(group.written)
        return f"<{len(cited)}>"

    body = note_markdown(note, cite)
    assert cited == [g.written for g in note.groups] and "<3>" in body
    assert Footnotes(1).cite(unknown) == ""


def test_a_page_citing_an_unknown_key_still_renders(briefs: Briefs) -> None:
    """`unknown-key` is an error, so no build gets this far; the renderer alone does not fail."""
    briefs.note("n", "A claim [@src-a; @nope]. Another [@nope].\n")
    analysis = analyse_dir(briefs.root)
    assert [f.rule for f in analysis.errors] == ["unknown-key", "unknown-key"]
    page = next(p for p in render_site(analysis, TEMPLATES).pages if p.path == "topics/pact.md")
    assert page.expanded().count('<sup class="cite" ') == 1
