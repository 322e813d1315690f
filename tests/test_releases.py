"""Releases on the site and in the PDF: the What's new page, the marks on topic pages and
the PDF's "Changes since <previous release>", from real temporary git repositories tagged
by `briefing release`, built by the real `briefing build` (MkDocs, then WeasyPrint)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefing.adapters.revisions import release_changes
from briefing.analysis.diff import Release, Releases, compare, follow
from briefing.output.annotate import release_mark
from briefing.output.markup import reading_text
from briefing.output.print_document import Stamp, print_document
from briefing.output.render import render_site
from briefing.pipeline import analyse_dir
from conftest import BRIEFING_YML, FIXTURE, ROOT, Briefs
from test_build import _broken_links
from test_pdf import _destination_pages, _internal_links, flat, pdftotext

TEMPLATES = ROOT / "templates"

CHANGED_OLD = "Works are to last about six months [@port-authority-2023]."
CHANGED_NEW = "Works are to last about eight months, the authority now says [@port-authority-2023]."
ADDED = "The dredged silt will be dumped at sea [@port-authority-2023]."
REMOVED = "- The authority's notice does not mention the objection [@port-authority-2023].\n"


def _git(top: Path, *args: str, when: str = "2024-06-20T10:00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ana Lyst",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "Ana Lyst",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    return subprocess.run(
        ["git", "-C", str(top), *args], check=True, capture_output=True, text=True, env=env
    ).stdout


def _release(top: Path, name: str, when: str) -> None:
    """`briefing release NAME`, as an editor runs it (the tag's date is `when`)."""
    env = {
        **os.environ,
        "GIT_COMMITTER_NAME": "Ana Lyst",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "release", name],
        cwd=top,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _project(target: Path) -> Path:
    """A copy of the fixture briefing (mkdocs.yml, briefs/, docs/) committed in a git repository."""
    shutil.copytree(FIXTURE, target)
    config = target / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../templates", str(TEMPLATES)))
    _git(target, "init", "-q", "-b", "main")
    _git(target, "add", ".")
    _git(target, "commit", "-q", "-m", "First draft")
    return target


def _second_release_edits(project: Path) -> None:
    """One statement reworded and one added in the plans, one removed from the objections."""
    _edit(project / "briefs/notes/plans.md", CHANGED_OLD, CHANGED_NEW + "\n" + ADDED)
    _edit(project / "briefs/notes/objections.md", REMOVED, "")


def _build(project: Path, site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "build", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@dataclass
class Built:
    project: Path
    site: Path

    def page(self, path: str) -> str:
        return (self.site / path / "index.html").read_text(encoding="utf-8")

    def home(self) -> str:
        return (self.site / "index.html").read_text(encoding="utf-8")

    def pdf(self) -> list[str]:
        return pdftotext(next(self.site.glob("*.pdf")))


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture briefing released as v1, edited (one statement reworded, one added, one
    removed), committed and released as v2, then built with `briefing build`."""
    return released_twice(tmp_path_factory.mktemp("released") / "harbour")


def released_twice(folder: Path) -> Built:
    """The fixture briefing in `folder`, released as v1, edited, released as v2, built."""
    project = _project(folder)
    _release(project, "v1", "2024-06-20T12:00:00")
    _second_release_edits(project)
    _git(project, "commit", "-qam", "Second draft", when="2024-07-01T10:00:00")
    _release(project, "v2", "2024-07-01T12:00:00")
    site = project.parent / "site"
    _build(project, site)
    return Built(project, site)


def _article(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


def _items(html: str, section: str) -> list[str]:
    """The list items under one heading of the What's new page, as their text."""
    after = html[html.index(f'id="{section}"') :]
    block = after[after.index("<ul") : after.index("</ul>")]
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in block.split("<li>")[1:]]


EXCLUDE = r'(?: data-search-exclude(?:="")?)?'
"""The attribute that keeps anchors and marks out of search: bare as written, `=""` once
sanitised (annotate.SEARCH_EXCLUDE)."""


def _marks(html: str) -> dict[str, str]:
    """Statement anchor → the mark's words, for every marked statement of a page."""
    return {
        anchor: f"{word}{hidden}"
        for anchor, word, hidden in re.findall(
            rf'<span class="statement" id="([^"]+)"{EXCLUDE}></span>'
            rf'<span class="release-mark [^"]+"{EXCLUDE}>([^<]*)'
            r'<span class="visually-hidden">([^<]*)</span></span>',
            html,
        )
    }


def _statement_at(html: str, anchor: str) -> str:
    """The words after a statement's anchor, up to its citation."""
    after = re.split(rf'<span class="statement" id="{anchor}"{EXCLUDE}></span>', html, maxsplit=1)[
        1
    ]
    after = re.sub(r'^<span class="release-mark.*?</span></span>', "", after)
    return after[: after.index('<sup class="cite"')]


# --- the What's new page ----------------------------------------------------------------------


def test_whats_new_lists_exactly_what_the_latest_release_changed_against_the_previous(
    released: Built,
) -> None:
    page = _article(released.page("whats-new"))
    assert re.search(r'<h2 id="latest-release">Release v2, 2024-07-01', page)
    assert "Since v1 (2024-06-20): 1 statement added, 1 changed, 1 removed." in page
    assert re.findall(r'<h3 id="([^"]+)"', page) == [
        "statements-added",
        "statements-changed",
        "statements-removed",
    ]
    assert _items(page, "statements-added") == [
        "The dredging plans › What is planned: “The dredged silt will be dumped at sea.”"
    ]
    assert _items(page, "statements-changed") == [
        (
            "The dredging plans › What is planned: Works are to last about six months. "
            "eight months, the authority now says."
        )
    ]
    assert (
        "Works are to last about <del>six months.</del> "
        "<ins>eight months, the authority now says.</ins>"
    ) in page
    assert _items(page, "statements-removed") == [
        "Objections › The fishers' case: “The authority's notice does not mention the objection.”"
    ]
    assert _items(page, "earlier-releases") == ["v1, 2024-06-20: the first release."]


def test_whats_new_links_each_statement_to_where_it_stands_and_every_link_resolves(
    released: Built,
) -> None:
    page = _article(released.page("whats-new"))
    links = re.findall(r'<a href="\.\./topics/([a-z-]+)/#([a-z0-9-]+)">', page)
    assert links == [("plans", "plans-3"), ("plans", "plans-2")]
    plans = released.page("topics/plans")
    assert _statement_at(plans, "plans-3").startswith("The dredged silt will be dumped at sea")
    assert _statement_at(plans, "plans-2").startswith("Works are to last about eight months")
    removed = page[page.index('id="statements-removed"') :]
    removed = removed[removed.index("<ul") : removed.index("</ul>")]
    assert "<a " not in removed, "a removed statement has nowhere to link to"
    assert _broken_links(released.site) == []


def test_the_nav_lists_whats_new_right_after_home(released: Built) -> None:
    nav = re.findall(r'<a href="([^"#]+)" class="md-nav__link', released.page("sources"))
    assert nav[:3] == ["..", "../whats-new/", "../topics/plans/"], nav


# --- marks on topic pages ---------------------------------------------------------------------


def test_topic_pages_mark_the_statements_the_release_added_or_changed_and_no_others(
    released: Built,
) -> None:
    assert _marks(released.page("topics/plans")) == {
        "plans-2": "changed in v2:",
        "plans-3": "new in v2:",
    }
    assert _marks(released.page("topics/objections")) == {}
    assert _marks(released.home()) == {}
    assert "release-mark" not in released.page("sources/port-authority-2023")


def test_the_marks_are_described_in_how_to_read() -> None:
    text = (ROOT / "docs" / "how-to-read.md").read_text(encoding="utf-8")
    section = text[text.index("## New and changed statements") :]
    assert "What's new" in section and "new" in section and "changed" in section


def test_search_reads_a_marked_statement_without_its_mark(released: Built) -> None:
    index = (released.site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "The dredged silt will be dumped at sea" in index
    assert "new in v2" not in index and "changed in v2" not in index
    assert release_mark("added", "v2").startswith(
        '<span class="release-mark release-added" data-search-exclude>'
    )


# --- the PDF ----------------------------------------------------------------------------------


def test_pdf_has_a_changes_section_after_the_contents_and_listed_in_them(released: Built) -> None:
    pages = [flat(page) for page in released.pdf()]
    contents = next(i for i, page in enumerate(pages) if page.startswith("TEST ONLY Contents"))
    assert re.search(
        r"Contents Changes since v1 \. .* 3 How to read this document", pages[contents]
    )
    section = pages[contents + 1]
    assert "Changes since v1" in section
    assert (
        "What release v2 of 2024-07-01 changed since release v1 of 2024-06-20: 1 statement "
        "added, 1 changed, 1 removed."
    ) in section
    assert (
        "Statements added (1) • The dredging plans › What is planned (p. 6): “The dredged silt "
        "will be dumped at sea.”"
    ) in section
    assert (
        "Statements changed (1) • The dredging plans › What is planned (p. 6): Works are to "
        "last about six months. eight months, the authority now says."
    ) in section
    assert (
        "Statements removed (1) • Objections › The fishers' case: “The authority's notice does not "
        "mention the objection.”"
    ) in section
    assert "How to read this document" in pages[contents + 2]
    reader = PdfReader(next(released.site.glob("*.pdf")))
    destinations = _destination_pages(reader)
    links = [name for _, name in _internal_links(reader)]
    assert {"plans-2", "plans-3", "release-changes"} <= set(links)
    assert [name for name in links if name not in destinations] == []


# --- without releases, and before the second -------------------------------------------------


def test_without_a_release_the_page_says_so_and_nothing_is_marked(tmp_path: Path) -> None:
    project = _project(tmp_path / "harbour")
    _second_release_edits(project)
    _git(project, "commit", "-qam", "Second draft")
    site = tmp_path / "site"
    _build(project, site)
    built = Built(project, site)
    page = _article(built.page("whats-new"))
    assert "No release has been made yet: <code>briefing release</code> makes one." in page
    assert "release-mark" not in built.page("topics/plans") + built.home()
    assert not any("Changes since" in page for page in built.pdf())


def test_outside_a_git_checkout_there_are_no_releases(tmp_path: Path) -> None:
    project = tmp_path / "harbour"
    shutil.copytree(FIXTURE, project)
    assert release_changes(project / "briefs", analyse_dir(project / "briefs")) is None


def test_one_release_is_the_first_and_marks_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path / "harbour")
    _release(project, "briefing-2024-06-20", "2024-06-20T12:00:00")
    releases = release_changes(project / "briefs", analyse_dir(project / "briefs"))
    assert releases is not None
    assert (releases.latest.tag, releases.previous, releases.diff, releases.marked()) == (
        "briefing-2024-06-20",
        None,
        None,
        {},
    )
    site = render_site(analyse_dir(project / "briefs"), TEMPLATES, releases=releases)
    page = next(p.expanded() for p in site.pages if p.path == "whats-new.md")
    assert "## Release briefing-2024-06-20, 2024-06-20" in page
    assert "The first release of this briefing" in page
    assert "release-mark" not in "".join(p.expanded() for p in site.pages)


def test_earlier_releases_come_newest_first_by_history_each_with_its_summary(
    tmp_path: Path,
) -> None:
    project = _project(tmp_path / "harbour")
    _release(project, "v9", "2024-06-20T12:00:00")  # names do not order releases: history does
    _second_release_edits(project)
    _git(project, "commit", "-qam", "Second draft", when="2024-07-01T10:00:00")
    _release(project, "briefing-2024-07-01", "2024-07-01T12:00:00")
    _edit(
        project / "briefs/notes/plans.md",
        ADDED,
        ADDED + "\nIt will take three ships [@port-authority-2023].",
    )
    _git(project, "commit", "-qam", "Third draft", when="2024-08-01T10:00:00")
    _release(project, "v10", "2024-08-01T12:00:00")
    releases = release_changes(project / "briefs", analyse_dir(project / "briefs"))
    assert releases is not None
    assert [(r.tag, r.date, r.summary) for r in releases.releases] == [
        ("v10", "2024-08-01", "1 statement added"),
        ("briefing-2024-07-01", "2024-07-01", "1 statement added, 1 changed, 1 removed"),
        ("v9", "2024-06-20", None),
    ]
    assert releases.marked() == {"plans-4": "added"}


def test_marks_and_links_follow_a_statement_that_moved_after_the_release(
    released: Built, tmp_path: Path
) -> None:
    """Work done since the latest release shifts statement anchors (`plans-3` becomes
    `plans-4` when a sentence comes before it): the marks and links follow the statements."""
    project = tmp_path / "harbour"
    shutil.copytree(released.project, project)
    _edit(
        project / "briefs/notes/plans.md",
        "The authority will dredge",
        "The plan was announced in May [@port-authority-2023]. The authority will dredge",
    )
    analysis = analyse_dir(project / "briefs")
    releases = release_changes(project / "briefs", analysis)
    assert releases is not None and releases.marked() == {"plans-3": "changed", "plans-4": "added"}
    site = render_site(analysis, TEMPLATES, releases=releases)
    whats_new = next(p.expanded() for p in site.pages if p.path == "whats-new.md")
    assert re.findall(r'href="\.\./topics/plans/#([a-z0-9-]+)"', whats_new) == [
        "plans-4",
        "plans-3",
    ]
    plans = next(p.expanded() for p in site.pages if p.path == "topics/plans.md")
    assert _statement_at(plans, "plans-4").startswith("The dredged silt")
    assert set(_marks(plans)) == {"plans-3", "plans-4"}


# --- the render core, without git -------------------------------------------------------------


HOSTILE = (
    'The *pact* <b>is</b> "a genuine alliance" &amp; &lt;script&gt; more '
    '[@src-a, "a genuine alliance"].\n'
)


def test_text_from_briefs_is_escaped_on_the_whats_new_page(briefs: Briefs) -> None:
    briefs.note("one", "The pact was signed [@src-a].\n")
    old = analyse_dir(briefs.root)
    briefs.note("one", "The pact was signed [@src-a].\n" + HOSTILE)
    briefs.note("two", "A <i>second</i> & last note [@src-a].\n", topic="reactions")
    new = analyse_dir(briefs.root)
    assert new.errors == []
    releases = Releases(
        (
            Release("v<2>", "abc1234", "2024-07-01", "2 statements added"),
            Release("v1", "abc0000", "2024-06-20"),
        ),
        compare(old, new),
        follow(new, new),
    )
    site = render_site(new, TEMPLATES, releases=releases)
    page = next(p for p in site.pages if p.path == "whats-new.md")
    html = page.expanded()
    assert "## Release v&lt;2&gt;, 2024-07-01" in html
    # As readers read the sentence (its Markdown and inline HTML left out), as text.
    assert "“The pact is &quot;a genuine alliance&quot; &amp; &lt;script&gt; more.”" in html
    assert "<b>is</b>" not in html and "<i>" not in html and "<script>" not in html
    topic = next(p.expanded() for p in site.pages if p.path == "topics/pact.md")
    assert '<span class="visually-hidden"> in v&lt;2&gt;:</span>' in topic


def test_whats_new_lists_every_kind_of_change_each_linked_where_it_stands(briefs: Briefs) -> None:
    """Sources regraded and added, a dispute opened, an assessment's confidence, a statement
    moved to another topic and one re-cited, a note added: each listed under its heading,
    and each link on an anchor that the page it names has."""
    from test_diff import FACTS, ONE, TWO, _source

    briefs.write("briefing.yml", BRIEFING_YML + FACTS)
    briefs.write(
        "sources/src-a.md", _source("a", "C", "Ann", "facts:\n  signing-date: 2024-06-19\n")
    )
    briefs.write("sources/src-b.md", _source("b", "B", "Bob"))
    briefs.note("one", ONE)
    briefs.note("two", TWO, topic="reactions")
    old = analyse_dir(briefs.root)
    briefs.note(
        "one",
        ONE.replace("Observers in Seoul called it a setback [@src-b].\n", "").replace(
            "published [@src-a]", "published [@src-a; @src-b]"
        ),
    )
    briefs.note(
        "two",
        TWO.replace(
            "public [@src-b].", "public [@src-b].\nObservers in Seoul called it a setback [@src-b]."
        ).replace("Low confidence", "Moderate confidence"),
        topic="reactions",
    )
    briefs.write(
        "sources/src-b.md", _source("b", "D", "Bob", "facts:\n  signing-date: 2016-02-19\n")
    )
    briefs.write("sources/src-c.md", _source("c", "A", "Cy"))
    briefs.note("three", "A third source agrees [@src-c].\n")
    new = analyse_dir(briefs.root)
    assert new.errors == []
    releases = Releases(
        (Release("v2", "abc1234", "2024-07-01", "…"), Release("v1", "abc0000", "2024-06-20")),
        compare(old, new),
        follow(new, new),
    )
    site = render_site(new, TEMPLATES, releases=releases)
    pages = {p.path: p.expanded() for p in site.pages}
    page = pages["whats-new.md"]
    assert re.findall(r"^### (.+?) \{", page, re.MULTILINE) == [
        "Statements added (1)",
        "Statements moved to another topic (1)",
        "Citations changed (1)",
        "Notes (1)",
        "Sources (2)",
        "Disputed facts (1)",
        "Assessments (1)",
    ]
    assert (
        '<a href="../topics/reactions/#two-2">The pact → Reactions › Note two</a>: '
        "“Observers in Seoul called it a setback.”"
    ) in page
    assert "“The text has not been published.” (citations added Bob 2024)" in page
    assert 'Added: <a href="../topics/pact/#three">Note three</a> (The pact)' in page
    assert 'Regraded: <a href="../sources/src-b/">Bob 2024</a> (reliability B → D)' in page
    assert 'Added: <a href="../sources/src-c/">Cy 2024</a> (reliability A)' in page
    assert (
        'Sources now disagree on <a href="../disputed-facts/#signing-date">Date of signing</a>: '
        "19 February 2016 (Bob 2024); 19 June 2024 (Ann 2024)"
    ) in page
    assert (
        '<a href="../topics/reactions/#two">Note two</a>: Low → Moderate confidence: '
        "“Tokyo is unlikely to respond soon.”"
    ) in page
    links = re.findall(r'href="\.\./([a-z/-]+)/#([a-z0-9-]+)"', page)
    assert len(links) == 6  # and two to source pages, without an anchor
    for target, anchor in links:
        held = pages[f"{target}.md"]
        assert f'id="{anchor}"' in held or f"{{: #{anchor} }}" in held, (target, anchor)
    # The PDF's section lists the same changes, as short lines.
    document = print_document(new, TEMPLATES, Stamp("abc1234", "2024-07-01"), releases=releases)
    section = flat(
        re.sub(
            r"<[^>]+>",
            " ",
            document.html.split('id="release-changes"', 1)[1].split("</section>", 1)[0],
        )
    )
    for line in (
        "Statements moved to another topic (1)",
        "Regraded: Bob 2024 (reliability B → D)",
        "Added: Cy 2024 (reliability A)",
        "Added: Note three",
        (
            "Sources now disagree on Date of signing: 19 February 2016 (Bob 2024); "
            "19 June 2024 (Ann 2024)"
        ),
        "Note two: Low → Moderate confidence",
        "“The text has not been published.” (citations added Bob 2024)",
    ):
        assert line in section, line


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("**Who:** Both sources name it.", "Who: Both sources name it."),
        (
            "Talk of it ([open questions](topics/open-questions.md#ukraine)).",
            "Talk of it (open questions).",
        ),
        ("The *pact* <b>is</b> `signed` and ***sealed***.", "The pact is signed and sealed."),
        (
            "A snake_case_name, 2 * 3 * 4, an \\*escaped\\* star and &#64;user.",
            "A snake_case_name, 2 * 3 * 4, an *escaped* star and @user.",
        ),
    ],
)
def test_changed_statements_are_listed_as_readers_read_them(written: str, read: str) -> None:
    assert reading_text(written) == read
