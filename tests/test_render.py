"""Rendering: the generated Markdown of the fixture briefing, compared with golden files.

Refresh the goldens after an intended change with `pytest --update-goldens`, then
review the diff.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from briefing.output.annotate import heading_levels, nested_levels, note_markdown
from briefing.output.markup import md_escape
from briefing.output.render import render_site
from briefing.output.urls import _relpath
from briefing.pipeline import analyse_dir
from conftest import FIXTURE, ROOT, Briefs

GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    analysis = analyse_dir(FIXTURE / "briefs")
    assert analysis.errors == []
    return render_site(analysis, ROOT / "templates")


@pytest.mark.parametrize("page", ["topics/plans.md", "sources/fishers-2023.md"])
def test_page_matches_golden(site, page: str, update_goldens: bool) -> None:  # type: ignore[no-untyped-def]
    rendered = next(p.expanded() for p in site.pages if p.path == page)
    golden = GOLDEN / ("harbour-" + page.replace("/", "-"))
    if update_goldens:
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_pages_and_nav_follow_briefing_yml(site) -> None:  # type: ignore[no-untyped-def]
    assert [p.path for p in site.pages] == [
        "index.md",
        "whats-new.md",
        "topics/plans.md",
        "topics/objections.md",
        "sources/index.md",
        "sources/fishers-2023.md",
        "sources/port-authority-2023.md",
        "disputed-facts.md",
        "sourcing.md",
        "timeline.md",
        "changes.md",
    ]
    assert [(n.title, n.path) for n in site.nav] == [
        ("Home", "index.md"),
        ("What's new", "whats-new.md"),
        ("The dredging plans", "topics/plans.md"),
        ("Objections", "topics/objections.md"),
        ("Sources", "sources/index.md"),
        ("Disputed facts", "disputed-facts.md"),
        ("Sourcing", "sourcing.md"),
        ("Timeline", "timeline.md"),
        ("Changes", "changes.md"),
    ]


def test_citations_are_numbered_per_page_in_order_of_first_use(site) -> None:  # type: ignore[no-untyped-def]
    plans = next(p.expanded() for p in site.pages if p.path == "topics/plans.md")
    assert plans.index(">[1]</a>") < plans.index(">[2]</a>")
    assert plans.index('href="../../sources/port-authority-2023/"') < plans.index(
        'href="../../sources/fishers-2023/"'
    )


def test_text_from_briefs_is_escaped_for_markdown_and_html() -> None:
    assert md_escape("<script>alert(1)</script> *x* [a](b)") == (
        "&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\* \\[a\\](b)"
    )


def test_rendering_twice_gives_the_same_bytes(site) -> None:  # type: ignore[no-untyped-def]
    again = render_site(analyse_dir(FIXTURE / "briefs"), ROOT / "templates")
    assert again == site


def test_nothing_is_written_into_briefs_or_docs(tmp_path: Path) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in FIXTURE.rglob("*"))
    render_site(analyse_dir(FIXTURE / "briefs"), ROOT / "templates")
    assert sorted((p, p.stat().st_mtime_ns) for p in FIXTURE.rglob("*")) == before


def test_quoted_citation_links_to_its_highlighted_passage(site) -> None:  # type: ignore[no-untyped-def]
    objections = next(p.expanded() for p in site.pages if p.path == "topics/objections.md")
    source = next(p.expanded() for p in site.pages if p.path == "sources/fishers-2023.md")
    assert 'href="../../sources/fishers-2023/#quote-1"' in objections
    assert '<mark class="quoted" id="quote-1">will bury the spawning grounds</mark>' in source


_SEGMENT = st.sampled_from(["topics", "sources", "a", "b", "index.md", "x.md", "pact"])


@given(st.lists(_SEGMENT, max_size=4), st.lists(_SEGMENT, max_size=4))
def test_relative_paths_agree_with_posixpath(target: list[str], folder: list[str]) -> None:
    """The generator's own relpath (no file-system calls) answers as posixpath.relpath."""
    assert _relpath("/".join(target), "/".join(folder)) == posixpath.relpath(
        "/".join(target) or ".", "/".join(folder) or "."
    )


# --- a note's headings nest right under the note's own heading ---------------------------


def test_heading_levels_map_a_notes_distinct_levels_to_the_levels_under_its_heading() -> None:
    assert heading_levels([3, 3, 3], note_level=2) == {3: 3}
    assert heading_levels([5, 3, 5], note_level=2) == {3: 3, 5: 4}
    assert heading_levels([1, 2, 4], note_level=3) == {1: 4, 2: 5, 4: 6}
    assert heading_levels([1, 2, 3, 4, 5], note_level=2) == {1: 3, 2: 4, 3: 5, 4: 6, 5: 6}
    assert heading_levels([], note_level=2) == {}


NOTE_WITH_HEADINGS = """\
### A question

The pact is "a genuine alliance" [@src-a, "a genuine alliance"].

##### A detail ######

It says so [@src-a].

A setext heading
spread over two lines
=====================

It says so again [@src-a].

!!! assessment "Low confidence"
    ### Inside a box

    It may be so [@src-a].

> ### Quoted

- ### In a list
"""


def _headings(markdown: str) -> list[str]:
    return [
        line.strip(" >-") for line in markdown.splitlines() if line.strip(" >-").startswith("#")
    ]


def test_note_headings_nest_under_the_note_whatever_levels_the_analyst_wrote(
    briefs: Briefs,
) -> None:
    briefs.note("n", NOTE_WITH_HEADINGS)
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == []
    [note] = analysis.notes
    on_topic_page = note_markdown(note, lambda group: "[cite]")
    # Levels 3, 5 and 1 become 4, 5 and 3 (heading_levels), and the first, right under the
    # note's h2, moves up to h3 (nested_levels).
    assert _headings(on_topic_page) == [
        "### A question",
        "#### A detail ######",
        "### A setext heading spread over two lines",
        "#### Inside a box",
        "#### Quoted",
        "#### In a list",
    ]
    assert "=====" not in on_topic_page
    assert _headings(note_markdown(note, lambda group: "[cite]", note_level=3))[:3] == [
        "#### A question",
        "##### A detail ######",
        "#### A setext heading spread over two lines",
    ]


def test_nested_levels_never_go_more_than_one_level_below_the_heading_before() -> None:
    assert nested_levels([3, 5, 5, 3], note_level=2) == [3, 4, 4, 3]
    assert nested_levels([5, 3], note_level=2) == [3, 3]
    assert nested_levels([1, 2, 3], note_level=3) == [4, 5, 6]
    assert nested_levels([2, 4, 6, 6, 4, 2], note_level=2) == [3, 4, 5, 5, 4, 3]


def test_cited_by_lists_show_statements_as_read_not_as_written() -> None:
    """`**Who:** Both sources … ([the box](#x))` is listed as "Who: Both sources … (the box)"."""
    from briefing.output.render import render_site

    analysis = analyse_dir(ROOT / "briefs")
    site = render_site(analysis, ROOT / "templates")
    page = next(p for p in site.pages if p.path == "sources/doctorow-2024.md")
    cited_by = next(f for f in page.fragments if 'class="cited-by"' in f)
    assert "**" not in cited_by and "](" not in cited_by
    assert "Who: Both sources name it after the two leaders" in cited_by


def test_cited_by_names_each_citing_note_once_over_its_statements() -> None:
    """A note citing a source several times is one entry, linked to its heading, holding a
    link to each of its statements that cites the source, in the order they stand."""
    analysis = analyse_dir(ROOT / "briefs")
    site = render_site(analysis, ROOT / "templates")
    page = next(p for p in site.pages if p.path == "sources/doctorow-2024.md")
    cited_by = next(f for f in page.fragments if 'class="cited-by"' in f)
    citing = analysis.cited_by["doctorow-2024"]
    notes = list(dict.fromkeys(s.note_slug for s in citing))
    assert len(notes) < len(citing)  # the seed has a note citing it more than once
    headings = re.findall(r'<li><a href="[^"#]*#([^"]+)">[^<]*›[^<]*</a>\n<ul>', cited_by)
    assert headings == notes
    anchors = re.findall(r'<li><a href="[^"#]*#([^"]+)">“', cited_by)
    assert anchors == [s.anchor for s in sorted(citing, key=lambda s: notes.index(s.note_slug))]


@given(st.text(alphabet=st.sampled_from(list("ab .,\n\t`[]()<>*_\\&;#x!é"))))
@example("Fish &amp; chips, &#x61; and &eacute;")
@example("A `code` [link](x) <b>tag</b> **strong** _em_ \\*")
def test_reading_text_of_plain_words_only_tidies_spaces(text: str) -> None:
    """The short way for a sentence without markup reads it as the whole way does."""
    from briefing.output.markup import _without_markup, reading_text

    assert reading_text(text) == _without_markup(text)
