"""Both engines, end to end: `briefing build --engine mkdocs|zensical` of the real briefing and of
the fixture briefing (tests/fixtures/harbour), real builds. Each engine's site has the same
pages: every statement cites, tooltip data, highlighted passages, the PDF and open data, a
search index without citation markers, nothing loaded from another host; two builds are
byte-identical; a briefing with errors builds nothing and leaves the site as it was."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.analysis.model import Analysis
from briefing.output.markup import reading_text
from briefing.output.urls import pdf_filename
from briefing.pipeline import analyse_dir
from conftest import FIXTURE, ROOT

ENGINES = ("mkdocs", "zensical")
PROJECTS = ("seed", "harbour")


def build(project: Path, site: Path, engine: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.adapters.cli",
            "build",
            "--engine",
            engine,
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


def harbour_copy(target: Path) -> Path:
    """The fixture briefing copied, its templates path made absolute (conftest.harbour)."""
    shutil.copytree(FIXTURE, target)
    config = target / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../templates", str(ROOT / "templates")))
    return target


class Built:
    def __init__(self, project: Path, site: Path, engine: str) -> None:
        self.project, self.site, self.engine = project, site, engine
        self.analysis: Analysis = analyse_dir(project / "briefs")

    def page(self, path: str) -> str:
        """A page by its path without suffix (`topics/pact`), with or without directory URLs."""
        for candidate in (f"{path}.html", f"{path}/index.html"):
            if (self.site / candidate).is_file():
                return (self.site / candidate).read_text(encoding="utf-8")
        if path == "index":
            return (self.site / "index.html").read_text(encoding="utf-8")
        raise AssertionError(f"no page {path} in {self.site}")

    def search_entries(self) -> list[tuple[str, str]]:
        """Every entry of the search index, (location, title and text): MkDocs'
        search/search_index.json (`docs`), or Zensical's search.json (`items`)."""
        if self.engine == "zensical":
            index = json.loads((self.site / "search.json").read_text(encoding="utf-8"))
            entries = index["items"]
        else:
            path = self.site / "search" / "search_index.json"
            entries = json.loads(path.read_text(encoding="utf-8"))["docs"]
        return [(entry["location"], f"{entry['title']}\n{entry['text']}") for entry in entries]

    def search_texts(self) -> list[str]:
        return [text for _, text in self.search_entries()]


@pytest.fixture(scope="module", params=[(p, e) for p in PROJECTS for e in ENGINES], ids=str)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    name, engine = request.param
    root = tmp_path_factory.mktemp(f"{name}-{engine}")
    project = ROOT if name == "seed" else harbour_copy(root / "harbour")
    site = root / "site"
    result = build(project, site, engine)
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(project, site, engine)


def _topic_page(built: Built, topic: str) -> str:
    meta = built.analysis.briefing.meta
    assert meta is not None
    return built.page("index" if topic == meta.summary_topic else f"topics/{topic}")


MARKER = re.compile(
    r'<sup class="cite"(?: data-search-exclude="")?>'
    r'<a href="(?:\.\./)*sources/[a-z0-9-]+(?:/|\.html)(?:#quote-\d+)?"'
)


def test_every_statement_of_every_topic_links_a_source(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    for topic in meta.topics:
        html = _topic_page(built, topic.id)
        statements = [s for n in built.analysis.notes_for(topic.id) for s in n.statements]
        chunks = html.split('<span class="statement" id="')[1:]
        assert [c.split('"', 1)[0] for c in chunks] == [s.anchor for s in statements], topic.id
        for chunk in chunks:
            assert MARKER.search(chunk), chunk[:200]


def test_topic_pages_carry_their_tooltip_data(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    for topic in meta.topics:
        html = _topic_page(built, topic.id)
        data = re.search(
            r'<script type="application/json" id="briefing-sources">(.*?)</script>', html, re.S
        )
        assert data, topic.id
        sources = json.loads(data.group(1))["sources"]
        refs = set(re.findall(r'data-ref="(\d+)"', html))
        assert refs and refs <= set(sources), topic.id


def test_source_pages_highlight_every_cited_passage(built: Built) -> None:
    linked: dict[str, set[str]] = {}
    for page in built.site.rglob("*.html"):
        for source, anchor in re.findall(
            r'href="(?:\.\./)*sources/([a-z0-9-]+)(?:/|\.html)#(quote-\d+)"',
            page.read_text("utf-8"),
        ):
            linked.setdefault(source, set()).add(anchor)
    assert linked
    for source, anchors in linked.items():
        html = built.page(f"sources/{source}")
        # A passage cited again is an anchor inside its highlight (passages.py).
        marks = set(
            re.findall(r'<(?:mark class="quoted"|span class="quote-anchor") id="(quote-\d+)"', html)
        )
        assert '<mark class="quoted"' in html, source
        assert anchors <= marks, (source, sorted(anchors - marks))


def test_the_pdf_and_the_open_data_are_there(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    pdf = built.site / pdf_filename(meta.title)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.name in built.page("index")  # every page's Download PDF link
    statements = json.loads((built.site / "statements.json").read_text(encoding="utf-8"))
    assert statements
    assert json.loads((built.site / "bibliography.json").read_text(encoding="utf-8"))


def test_search_has_every_statement_as_read_and_no_citation_marker(built: Built) -> None:
    texts = built.search_texts()
    text = "\n".join(texts)
    missing = [s.plain for s in built.analysis.statements if reading_text(s.plain) not in text]
    assert missing == []
    assert "<sup" not in text and 'class="statement"' not in text
    assert "source reliability" not in text  # a grade badge's words for screen readers
    assert not re.search(r"\[\d+\]", text)
    source = min(built.analysis.briefing.sources.values(), key=lambda s: s.id)
    assert any(source.meta.title in t for t in texts)


def test_search_finds_a_statement_where_it_stands_not_in_cited_by_lists(built: Built) -> None:
    on_source_pages = "\n".join(
        text for location, text in built.search_entries() if location.startswith("sources/")
    )
    bodies = "\n".join(source.body for source in built.analysis.briefing.sources.values())
    # A statement whose words stand in a source's archived text ("14 m") is found there.
    cited = [s for s in built.analysis.statements if reading_text(s.plain) not in bodies]
    assert len(cited) > len(list(built.analysis.statements)) / 2
    assert [s.plain for s in cited if reading_text(s.plain) in on_source_pages] == []


OFF_SITE = r"[\"']?(?:https?:)?//"
LOADS = re.compile(
    rf"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc={OFF_SITE}"
    rf"|<link\b(?![^>]*\brel=[\"']?canonical\b)[^>]*\bhref={OFF_SITE}",
    re.IGNORECASE,
)
IMPORTS = re.compile(rf"@import\s+(?:url\()?{OFF_SITE}|url\({OFF_SITE}", re.IGNORECASE)


def test_no_page_loads_anything_from_another_host(built: Built) -> None:
    offending = [
        str(p.relative_to(built.site))
        for pattern, suffix in ((LOADS, "html"), (IMPORTS, "css"))
        for p in built.site.rglob(f"*.{suffix}")
        if pattern.search(p.read_text("utf-8"))
    ]
    assert not offending


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_second_build_is_byte_identical(built: Built, tmp_path: Path) -> None:
    """Built again from clean, into another folder: the same tree, byte for byte."""
    again = tmp_path / "site"
    result = build(built.project, again, built.engine)
    assert result.returncode == 0, result.stderr
    one, two = _tree(built.site), _tree(again)
    assert sorted(one) == sorted(two)
    assert [path for path in one if one[path] != two[path]] == []


def test_errors_stop_a_zensical_build_and_leave_the_site_as_it_was(tmp_path: Path) -> None:
    project = harbour_copy(tmp_path / "harbour")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    note = next((project / "briefs" / "notes").glob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\nA sentence that cites nothing.\n")
    result = build(project, site, "zensical")
    assert result.returncode == 1
    assert "error[uncited]" in result.stderr
    assert f"briefing: build failed; {site.resolve()} is unchanged" in result.stderr
    assert _tree(site) == {"index.html": b"the previous site"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert not (project / "build").exists()


def test_zensical_search_reads_a_marked_statement_without_its_mark(tmp_path: Path) -> None:
    """Release marks ("new in v2:") stay on the page and out of Zensical's index too."""
    from test_releases import released_twice

    released = released_twice(tmp_path / "harbour")
    site = tmp_path / "zensical-site"
    result = build(released.project, site, "zensical")
    assert result.returncode == 0, result.stdout + result.stderr
    index = (site / "search.json").read_text(encoding="utf-8")
    assert "The dredged silt will be dumped at sea" in index
    assert "new in v2" not in index and "changed in v2" not in index
    page = (site / "topics" / "plans" / "index.html").read_text(encoding="utf-8")
    assert page.count('class="release-mark') == 2
