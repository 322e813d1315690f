"""End to end: real `mkdocs build --strict` of the real briefs and of a second briefing."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefing.output.markup import reading_text
from briefing.pipeline import analyse_dir
from conftest import ROOT


def _build(project: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.adapters.cli",
            "build",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


def _statement_chunks(html: str) -> list[str]:
    """The HTML from each statement's anchor to the next one."""
    return html.split('<span class="statement" id="')[1:]


def _assert_every_statement_cites(page: Path, expected: int) -> None:
    chunks = _statement_chunks(page.read_text(encoding="utf-8"))
    assert len(chunks) == expected, page
    for chunk in chunks:
        # sources/id/ with directory URLs (the fixture), sources/id.html without (mkdocs.yml: offline)
        assert re.search(
            r'<sup class="cite" data-search-exclude=""><a href="(\.\./)*sources/[a-z0-9-]+'
            r'(/|\.html)(#quote-\d+)?"',
            chunk,
        ), chunk[:200]


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("real") / "site"
    result = _build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


def test_real_briefing_builds_every_page_type(real_site: Path) -> None:
    analysis = analyse_dir(ROOT / "briefs")
    meta = analysis.briefing.meta
    assert meta is not None
    assert (real_site / "index.html").is_file()
    assert (real_site / "sources" / "index.html").is_file()
    for topic in meta.topics:
        if topic.id != meta.summary_topic:
            assert (real_site / "topics" / f"{topic.id}.html").is_file()
    for source_id in analysis.briefing.sources:
        assert (real_site / "sources" / f"{source_id}.html").is_file()
    assert (real_site / "how-to-read.html").is_file()


def test_every_statement_of_the_real_briefing_links_to_a_source(real_site: Path) -> None:
    analysis = analyse_dir(ROOT / "briefs")
    meta = analysis.briefing.meta
    assert meta is not None
    for topic in meta.topics:
        page = real_site / (
            "index.html" if topic.id == meta.summary_topic else f"topics/{topic.id}.html"
        )
        expected = sum(len(n.statements) for n in analysis.notes_for(topic.id))
        _assert_every_statement_cites(page, expected)


def _broken_links(site: Path) -> list[str]:
    """Relative links in the site's pages whose file or #anchor does not exist."""
    ids: dict[Path, set[str]] = {}
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts and p.name != "404.html"]
    for page in pages:
        ids[page.resolve()] = set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))
    broken = []
    for page in pages:
        for link in re.findall(r'<a [^>]*href="([^"#:]*)(?:#([^"]*))?"', page.read_text("utf-8")):
            target_path, anchor = link
            target = (page.parent / target_path).resolve() if target_path else page.resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists() or (
                anchor and target.suffix == ".html" and anchor not in ids.get(target, set())
            ):
                broken.append(f"{page.relative_to(site)} → {target_path}#{anchor}")
    return broken


def test_every_link_between_pages_resolves_to_its_page_and_anchor(
    real_site: Path, harbour: Path, tmp_path: Path
) -> None:
    """The generator writes citation, passage and cited-by links as HTML itself (MkDocs does
    not check them): with and without directory URLs, each lands on its target."""
    assert _broken_links(real_site) == []
    result = _build(harbour, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert _broken_links(tmp_path / "site") == []
    assert 'href="../../sources/fishers-2023/#quote-1"' in (
        tmp_path / "site" / "topics" / "objections" / "index.html"
    ).read_text("utf-8")


class _Headings(HTMLParser):
    """The levels of the headings inside <article> elements (Material's page content, the
    PDF's notes), or in the whole document."""

    def __init__(self, inside: str | None = "article") -> None:
        super().__init__()
        self.inside, self.depth, self.levels = inside, 0, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.inside:
            self.depth += 1
        elif re.fullmatch(r"h[1-6]", tag) and (self.depth or self.inside is None):
            self.levels.append(int(tag[1]))

    def handle_endtag(self, tag: str) -> None:
        if tag == self.inside:
            self.depth -= 1


def heading_skips(html: str, inside: str | None = "article") -> list[tuple[int, int]]:
    """(level, next level) wherever a heading goes more than one level below the one before
    it (the first one counts from h0: a page starts with its h1)."""
    parser = _Headings(inside)
    parser.feed(html)
    levels = [0, *parser.levels]
    return [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]


NOTE_HEADINGS = """
### A question, as the open-questions notes write them

The authority plans it [@port-authority-2023].

##### A detail two levels further down

It says so [@port-authority-2023].

### Another question

It says so again [@port-authority-2023].
"""


def test_no_heading_level_is_skipped_inside_any_page_generated_or_written(
    real_site: Path, harbour: Path, tmp_path: Path
) -> None:
    """What the HTML checker (axe's heading-order) flags: every page of this briefing and of
    the fixture, with `###` and `#####` headings in a topic note (an h2) and in a key point
    (an h3 on the home page), generated or hand-written in docs/."""
    for note in ("plans.md", "overview.md"):
        path = harbour / "briefs" / "notes" / note
        path.write_text(path.read_text(encoding="utf-8") + NOTE_HEADINGS, encoding="utf-8")
    result = _build(harbour, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h4[^>]*>A question, as the open-questions notes write them", home)
    assert re.search(r"<h5[^>]*>A detail two levels further down", home)
    plans = (tmp_path / "site" / "topics" / "plans" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<h3[^>]*>A question, as the open-questions notes write them", plans)
    skips = {}
    pages = 0
    for site in (real_site, tmp_path / "site"):
        for page in sorted(site.rglob("*.html")):
            html = page.read_text(encoding="utf-8")
            if "<article" not in html:
                continue
            pages += 1
            if found := heading_skips(html):
                skips[str(page)] = found
    assert pages > 20
    assert (real_site / "how-to-read.html").is_file() and (
        tmp_path / "site" / "about" / "index.html"
    ).is_file()
    assert skips == {}


def test_no_heading_level_is_skipped_in_the_pdfs_document(harbour: Path) -> None:
    """The same over the print document (the HTML WeasyPrint lays out): chapters are h1,
    notes h2, the notes' own headings from h3."""
    from briefing.output.print_document import Stamp, print_document

    path = harbour / "briefs" / "notes" / "plans.md"
    path.write_text(path.read_text(encoding="utf-8") + NOTE_HEADINGS, encoding="utf-8")
    for briefs in (harbour / "briefs", ROOT / "briefs"):
        analysis = analyse_dir(briefs)
        assert analysis.errors == []
        html = print_document(analysis, ROOT / "templates", Stamp("abc1234", "2024-07-01")).html
        assert heading_skips(html, inside=None) == [], briefs
    assert re.search(
        r'<h3 id="[^"]*">A question, as the open-questions',
        print_document(
            analyse_dir(harbour / "briefs"), ROOT / "templates", Stamp("abc1234", "2024-07-01")
        ).html,
    )


def test_heading_skips_finds_a_skipped_level() -> None:
    assert heading_skips("<article><h1>a</h1><h2>b</h2><h5>c</h5></article><h6>x</h6>") == [(2, 5)]
    assert heading_skips("<h1>a</h1><h3>b</h3>", inside=None) == [(1, 3)]


def test_search_index_has_every_statement_as_read_without_citation_markers(real_site: Path) -> None:
    """Search results read "…the price.", not "…the price1D.": markers stay on the page only."""
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = "\n".join(doc["text"] for doc in index["docs"])
    missing = [
        s.plain
        for s in analyse_dir(ROOT / "briefs").statements
        if reading_text(s.plain) not in text
    ]
    assert missing == []
    assert "<sup" not in text and 'class="statement"' not in text
    # Kept out of the index by the attribute Material's search honours (annotate.SEARCH_EXCLUDE).
    assert '<sup class="cite" data-search-exclude=""><a href=' in (
        real_site / "topics" / "pact.html"
    ).read_text("utf-8")


def test_marking_is_on_every_page(real_site: Path) -> None:
    meta = analyse_dir(ROOT / "briefs").briefing.meta
    assert meta is not None
    for page in real_site.rglob("*.html"):
        if page.name != "404.html":
            assert f'aria-label="Marking">{meta.marking}</div>' in page.read_text(
                encoding="utf-8"
            ), page


def test_second_briefing_builds_with_its_own_subject(harbour: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = _build(harbour, site)
    assert result.returncode == 0, result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Harbour Dredging in Port Elling" in home
    assert "TEST ONLY" in home
    assert "Russia" not in home
    _assert_every_statement_cites(site / "topics" / "plans" / "index.html", 5)
    source = (site / "sources" / "fishers-2023" / "index.html").read_text(encoding="utf-8")
    assert source.count('href="../../topics/') >= 3  # cited by: links back to the statements
    assert (site / "about" / "index.html").is_file()


def test_nav_lists_the_sources_index_not_each_source(harbour: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert _build(harbour, site).returncode == 0
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "sources/fishers-2023/" not in about
    assert 'href="../sources/"' in about


@pytest.mark.parametrize(
    "planted, rule",
    [
        ("An uncited sentence.\n", "uncited"),
        ("Cites a ghost [@ghost-source].\n", "unknown-key"),
        ('A misquote [@fishers-2023, "will save the spawning grounds"].\n', "quote-not-found"),
    ],
)
def test_planted_error_fails_the_build_and_keeps_the_old_site(
    harbour: Path, tmp_path: Path, planted: str, rule: str
) -> None:
    site = tmp_path / "site"
    assert _build(harbour, site).returncode == 0
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    note = harbour / "briefs" / "notes" / "objections.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n" + planted, encoding="utf-8")
    lines = note.read_text(encoding="utf-8").count("\n")

    result = _build(harbour, site)
    assert result.returncode != 0
    assert f"briefs/notes/objections.md:{lines}:" in result.stderr
    assert f"[{rule}]" in result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not any(p.name.startswith(".site-") for p in tmp_path.iterdir())


def test_build_writes_only_its_output_and_never_touches_briefs_or_docs(harbour: Path) -> None:
    def snapshot() -> dict[Path, bytes]:
        return {
            p.relative_to(harbour): p.read_bytes()
            for p in harbour.rglob("*")
            if p.is_file() and "site" not in p.relative_to(harbour).parts
        }

    before = snapshot()
    result = _build(harbour, harbour / "site")
    assert result.returncode == 0, result.stderr
    assert snapshot() == before
    assert sorted(p.name for p in harbour.iterdir()) == ["briefs", "docs", "mkdocs.yml", "site"]


def test_plugin_makes_serve_watch_briefs_and_templates(harbour: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(str(harbour / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert str((harbour / "briefs").resolve()) in config.watch
    assert str((ROOT / "templates").resolve()) in config.watch


# --- the seed briefing's facts, as the sources state them ---------------------------------

COMPILATION = "North Korea says Kim and Putin’s defense pact permits all available means"


def test_seed_check_reports_the_compilations_two_signing_dates() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "check", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    disputes = [f for f in json.loads(result.stdout) if f["rule"] == "disputed-fact"]
    dates = [f for f in disputes if "`signing-date`" in f["message"]]
    assert [(f["path"], f["severity"]) for f in dates] == [
        ("briefs/sources/unattributed-compilation.md", "warning")
    ]
    assert (
        "2016-02-19 (unattributed-compilation); 202X-02-17 (unattributed-compilation)"
        in dates[0]["message"]
    )


def test_seed_disputed_facts_page_shows_the_signing_date_disputed_with_both_dates(
    real_site: Path,
) -> None:
    page = (real_site / "disputed-facts.html").read_text(encoding="utf-8")
    section = page.split('id="signing-date"')[1].split("<h2")[0]
    assert "Disputed." in section
    assert "<strong>19 February 2016</strong>" in section
    assert "<strong>17 February, year not given (202–)</strong>" in section
    assert "in its words “was signed on February 17, 202”" in section
    assert "disagrees with itself" in section


def test_seed_fact_values_show_the_sources_words_or_say_they_are_the_briefings_reading(
    real_site: Path,
) -> None:
    page = (real_site / "disputed-facts.html").read_text(encoding="utf-8")
    place = page.split('id="signing-place"')[1].split("<h2")[0]
    doctorow = place.split("<strong>Pyongyang")[1].split("</li>")[0]
    assert "as the briefing reads it (the source's words are not quoted)" in doctorow
    assert "in its words “during Kim Jong Un’s visit to Moscow”" in place


def test_seed_timeline_lists_both_signing_dates_as_disputed(real_site: Path) -> None:
    page = (real_site / "timeline.html").read_text(encoding="utf-8")
    items = re.findall(r"<li>(.*?)</li>", page, re.DOTALL)
    dated = [i for i in items if "Date of signing" in i]
    assert [re.sub(r"<[^>]+>", "", i).split(":")[0] for i in dated] == [
        "19 February 2016",
        "17 February, year not given (202–)",
    ]
    assert all('class="disputed-flag"' in i for i in dated)


def test_no_page_gives_the_undated_compilation_a_year(real_site: Path) -> None:
    """Wherever the title is followed by its date (reference lists, tooltip data, the
    bibliography), it says undated."""
    seen = 0
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for match in re.finditer(re.escape(COMPILATION), html):
            after = re.sub(r"<[^>]+>", "", html[match.end() : match.end() + 300])
            dated = re.match(r"[^,·<\n]*?attacked\s*[,·]\s*([^,.·]+)", after)
            if dated:
                seen += 1
                assert dated.group(1).strip() == "undated", (page, after[:120])
    assert seen >= 10
    row = re.search(
        r"<tr>\s*<td><a href=\"unattributed-compilation.html\">.*?</tr>",
        (real_site / "sources" / "index.html").read_text(encoding="utf-8"),
        re.DOTALL,
    )
    assert row and "<td>undated</td>" in row.group()
    source = (real_site / "sources" / "unattributed-compilation.html").read_text(encoding="utf-8")
    assert re.search(r"<td>Issued</td>\s*<td>undated</td>", source)
    bibliography = json.loads((real_site / "bibliography.json").read_text(encoding="utf-8"))
    compilation = next(item for item in bibliography if item["id"] == "unattributed-compilation")
    assert compilation["issued"] == {"literal": "undated"}


def test_no_page_shows_an_entity_escaped_twice(real_site: Path) -> None:
    """Note titles with apostrophes ("Doctorow's account") read as written in the page and
    in the table of contents, not as `&#x27;`."""
    doubled = [
        page.name
        for page in real_site.rglob("*.html")
        if re.search(r"&amp;#x?[0-9a-f]+;", page.read_text(encoding="utf-8"))
    ]
    assert doubled == []
    assert "Doctorow's account, relaying the FT" in (real_site / "topics" / "pact.html").read_text(
        encoding="utf-8"
    )
