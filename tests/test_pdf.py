"""The PDF: built once per briefing, then read back with real tools (poppler's pdftotext,
pdffonts and pdfinfo, and pypdf), as a reader's viewer would."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination
from weasyprint import CSS, HTML

from briefing.adapters.pdf import (
    PdfResult,
    RefusingFetcher,
    _page_breaks_before,
    misplaced_footnotes,
    read_stamp,
    write_pdf,
)
from briefing.analysis.model import Analysis, Citation, CitedGroup
from briefing.analysis.sourcing import DEFAULT_CREDIBILITY
from briefing.output.print_document import (
    Footnotes,
    Stamp,
    bibliography_coverage,
    fact_reports,
    print_document,
)
from briefing.output.urls import pdf_filename
from briefing.pipeline import analyse_dir
from briefing.prose.citations import CitationItem
from briefing.read.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Source, source_labels
from conftest import FIXTURE, ROOT

TEMPLATES = ROOT / "templates"
STAMP = Stamp("abc1234 + uncommitted changes", "2024-07-01")


@dataclass
class Built:
    analysis: Analysis
    result: PdfResult
    reader: PdfReader
    pages: list[str]
    """pdftotext of each page."""

    @property
    def text(self) -> str:
        return flat("\n".join(self.pages))


def flat(text: str) -> str:
    return " ".join(text.split())


def pdftotext(path: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {
        key.strip(): value.strip()
        for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def build(briefs: Path, target: Path, stamp: Stamp | None = STAMP, paper: str = "a4") -> Built:
    analysis = analyse_dir(briefs)
    assert analysis.errors == []
    result = write_pdf(analysis, TEMPLATES, target, paper=paper, stamp=stamp)
    return Built(analysis, result, PdfReader(target), pdftotext(target))


def _real_briefs_are_clean() -> bool:
    briefs = ROOT / "briefs"
    return (briefs / "briefing.yml").is_file() and not analyse_dir(briefs).errors


@pytest.fixture(scope="module", params=["harbour", "real"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture briefing's PDF, and the real briefing's when `briefing check` passes."""
    folder = tmp_path_factory.mktemp(f"pdf-{request.param}")
    if request.param == "harbour":
        return build(FIXTURE / "briefs", folder / "harbour.pdf")
    if not _real_briefs_are_clean():
        pytest.skip("briefs/ is missing or has errors: no PDF of the real briefing")
    return build(ROOT / "briefs", folder / "real.pdf")


def _destination_pages(reader: PdfReader) -> dict[str, int]:
    return {
        str(name): reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }


def _internal_links(reader: PdfReader) -> list[tuple[int, str]]:
    """(page index, destination name) of every link to a place in the document."""
    links = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and isinstance(annotation.get("/Dest"), str):
                links.append((index, str(annotation["/Dest"])))
    return links


def _uris(reader: PdfReader) -> list[str]:
    uris = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


def _outline(reader: PdfReader) -> list[tuple[str, int, list[str]]]:
    """Top-level outline entries: (title, page index, titles of their children)."""
    entries: list[tuple[str, int, list[str]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            entries[-1][2].extend(child.title for child in item if isinstance(child, Destination))
        else:
            entries.append((item.title, reader.get_destination_page_number(item), []))
    return entries


# --- what the issue asks of the document -------------------------------------------------


def test_every_topic_title_and_every_cited_source_is_in_the_text(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    for topic in meta.topics:
        assert flat(topic.title) in built.text
    labels = source_labels(built.analysis.briefing.sources)
    for source_id, statements in built.analysis.cited_by.items():
        source = built.analysis.briefing.sources[source_id]
        assert flat(labels[source_id]) in built.text  # in its footnotes
        assert flat(source.meta.title) in built.text  # in the bibliography
        if statements:
            assert source_id in built.text


def test_every_font_is_embedded(built: Built) -> None:
    out = subprocess.run(
        ["pdffonts", str(built.result.path)], capture_output=True, text=True, check=True
    ).stdout
    rows = out.splitlines()[2:]
    assert rows, "no fonts at all: is the text selectable?"
    for row in rows:
        assert row.split()[-5] == "yes", row  # columns from the end: emb sub uni object ID


def test_outline_has_one_entry_per_topic_and_mirrors_the_contents(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    outline = _outline(built.reader)
    titles = [title for title, _, _ in outline]
    assert titles == [
        "How to read this document",
        *(t.title for t in meta.topics),
        "Disputed facts",
        "Revision history",
        "Bibliography",
    ]
    for topic in meta.topics:
        assert titles.count(topic.title) == 1
        children = next(c for title, _, c in outline if title == topic.title)
        assert children == [n.note.meta.title for n in built.analysis.notes_for(topic.id)]
    contents = flat(built.pages[1])
    for title, page, _ in outline:
        # Each chapter starts on the page its bookmark and its contents entry point at.
        assert flat(title) in flat(built.pages[page])
        assert re.search(re.escape(flat(title)) + r"[ .]*" + str(page + 1) + r"\b", contents), title


def test_footnote_calls_match_footnotes_on_the_same_page(built: Built) -> None:
    groups = sum(len(s.sentence.citations) for s in built.analysis.statements)
    destinations = _destination_pages(built.reader)
    footnotes = {name: page for name, page in destinations.items() if name.startswith("fn_")}
    calls = [(page, name) for page, name in _internal_links(built.reader) if name.startswith("fn_")]
    assert built.result.footnotes == groups
    assert built.result.misplaced == ()
    assert len(footnotes) == groups, "footnotes were dropped"
    assert len(calls) == groups and len({name for _, name in calls}) == groups
    for page, name in calls:
        assert footnotes[name] == page, f"footnote {name} is not on the page of its call"
    # The footnotes' text is there, numbered, at the foot of that page.
    for name, page in footnotes.items():
        number = name.rsplit("_", 1)[1]
        assert re.search(rf"^{number}\. \S", built.pages[page], re.MULTILINE), (name, page)


def test_footnotes_give_label_date_and_grade(built: Built) -> None:
    first = next(s for s in built.analysis.statements if s.citations)
    source_id = first.citations[0].source_id
    source = built.analysis.briefing.sources[source_id].meta
    label = source_labels(built.analysis.briefing.sources)[source_id]
    grade = source.reliability
    credibility = first.citations[0].credibility
    date = "" if label.endswith(source.issued_words) else f"{source.issued_words}, "
    expected = (
        f"{label}, {date}{grade}{credibility} "
        f"({RELIABILITY_LABELS[grade]}, {CREDIBILITY_LABELS[credibility]})"
    )
    assert flat(expected) in built.text


def _words(path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """pdftotext -bbox: each page's words, (text, x0, top, x1, bottom) from the top left."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages: list[list[tuple[str, float, float, float, float]]] = []
    for page in re.findall(r"<page .*?</page>", out, re.DOTALL):
        pages.append(
            [
                (html.unescape(text), float(x0), float(y0), float(x1), float(y1))
                for x0, y0, x1, y1, text in re.findall(
                    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                    r'yMax="([\d.]+)">(.*?)</word>',
                    page,
                )
            ]
        )
    return pages


def test_every_link_has_an_area_that_covers_its_text(built: Built) -> None:
    """Issue 19: footnote calls had zero-height link areas (`line-height: 0`), and a page
    reference broken over two lines left a zero-wide piece of link."""
    words = _words(built.result.path)
    calls = 0
    for index, page in enumerate(built.reader.pages):
        height = float(page.mediabox.top)
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            rect = [float(v) for v in annotation["/Rect"]]
            (x0, x1), (y0, y1) = (
                sorted(rect[0::2]),
                sorted(rect[1::2]),
            )  # PDF units, from the bottom
            target = str(annotation.get("/Dest", ""))
            assert x1 - x0 >= 2 and y1 - y0 >= 4, (index, target, (x0, y0, x1, y1))
            if target.startswith("fn_"):
                # The call's number is inside its link area.
                calls += 1
                number = target.rsplit("_", 1)[1]
                top, bottom = height - y1, height - y0
                assert any(
                    text.startswith(number)
                    and x0 <= (a + b) / 2 <= x1
                    and top <= (c + d) / 2 <= bottom
                    for text, a, c, b, d in words[index]
                ), (index, target)
    assert calls == built.result.footnotes


def _footnote_text(page: str) -> str:
    """The footnotes at the foot of a page: from the last line that starts one whose
    number is the page's first footnote's."""
    starts = [m for m in re.finditer(r"^(\d+)\. ", page, re.MULTILINE)]
    if not starts:
        return ""
    first = min(int(m.group(1)) for m in starts)
    start = [m for m in starts if int(m.group(1)) == first][-1]
    return flat(page[start.start() :])


def test_footnotes_give_the_locator_or_the_quoted_words(built: Built) -> None:
    footnotes = " ".join(_footnote_text(page) for page in built.pages)
    quoted = located = 0
    for statement in built.analysis.statements:
        for group in statement.sentence.citations:
            for item in group.items:
                if item.translation is not None:
                    continue
                if item.quote_only:
                    quoted += 1
                    assert flat(f"\u201c{item.quote}\u201d") in footnotes, item
                elif item.locator:
                    located += 1
                    assert flat(item.locator) in footnotes, item
    assert quoted + located


def test_internal_links_resolve(built: Built) -> None:
    destinations = _destination_pages(built.reader)
    links = _internal_links(built.reader)
    assert links
    assert all(name in destinations for _, name in links)
    meta = built.analysis.briefing.meta
    assert meta is not None
    linked = {name for _, name in links}
    assert {f"t_{t.id}" for t in meta.topics} <= linked  # contents
    cited = {sid for sid, statements in built.analysis.cited_by.items() if statements}
    assert {f"s_{sid}" for sid in cited} <= linked  # footnotes to the bibliography


def test_marking_in_the_header_and_page_x_of_y_on_every_page(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    total = len(built.pages)
    assert total == built.result.pages == len(built.reader.pages)
    for number, text in enumerate(built.pages, start=1):
        assert meta.marking.upper() in text, number
        assert f"Page {number} of {total}" in text, number


def test_metadata_is_set(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    info = pdfinfo(built.result.path)
    assert info["Title"] == meta.title
    authors = dict.fromkeys(n.note.meta.author for n in built.analysis.notes)
    assert info["Author"] == ", ".join(authors)
    assert info["Subject"] == (meta.subtitle or meta.title)
    assert info["JavaScript"] == "no"
    assert info["Page size"].endswith("(A4)")
    assert built.reader.trailer["/Root"]["/Lang"] == meta.language


def test_cover_shows_title_marking_date_and_version(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    cover = flat(built.pages[0])
    assert flat(meta.title) in cover
    assert meta.subtitle in cover
    assert meta.marking in cover
    assert "As of 2024-07-01" in cover
    assert "Version abc1234 + uncommitted changes" in cover


def test_legend_and_disputed_facts(built: Built) -> None:
    text = built.text
    for grade, label in RELIABILITY_LABELS.items():
        assert f"{grade} {label.capitalize()}" in text
    for figure, meaning in CREDIBILITY_LABELS.items():  # the grade's second part
        assert f"{figure} {meaning.capitalize()}" in text
    for level in ("High", "Moderate", "Low"):
        assert f"{level} confidence" in text
    meta = built.analysis.briefing.meta
    assert meta is not None
    pages = [flat(p) for p in built.pages]
    start = next(i for i, p in enumerate(pages) if p.startswith("Disputed facts"))
    end = next(i for i, p in enumerate(pages) if i > start and p.startswith("Bibliography"))
    chapter = " ".join(pages[start:end])  # the chapter may run over several pages
    for fact in meta.facts.values():
        assert fact.label in chapter


# --- the fixture in detail ---------------------------------------------------------------


@pytest.fixture(scope="module")
def harbour_pdf(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(FIXTURE / "briefs", tmp_path_factory.mktemp("harbour") / "harbour.pdf")


def test_fixture_disputes_and_bibliography(harbour_pdf: Built) -> None:
    text = harbour_pdf.text
    assert "Start of works DISPUTED" in text
    assert "2 October 2023" in text and "September 2023" in text
    assert "Planned depth DISPUTED" in text
    assert "https://example.org/port/dredging, accessed 2023-04-01" in text
    assert "https://example.org/port/dredging" in _uris(harbour_pdf.reader)
    # Each page reference is the page its chapter starts on (wherever the fonts put it),
    # and the chapters come in the briefing's order, each on a page of its own.
    cited = re.findall(
        r"Cited in Summary \(p\. (\d+)\), The dredging plans \(p\. (\d+)\), "
        r"Objections \(p\. (\d+)\)\.",
        text,
    )
    assert cited
    destinations = _destination_pages(harbour_pdf.reader)
    starts = [destinations[f"t_{t}"] + 1 for t in ("summary", "plans", "objections")]
    assert starts == sorted(set(starts))
    assert starts[-1] <= destinations["bibliography"]
    for numbers in cited:
        assert [int(n) for n in numbers] == starts
    for title, page in zip(("Summary", "The dredging plans", "Objections"), starts, strict=True):
        assert title in flat(harbour_pdf.pages[page - 1])


def test_fixture_page_count_follows_its_chapters(harbour_pdf: Built) -> None:
    """The cover, the contents, then each chapter from a new page and no page left blank:
    the count follows the content, not the fonts' metrics."""
    meta = harbour_pdf.analysis.briefing.meta
    assert meta is not None
    pages = harbour_pdf.result.pages
    assert pages == len(harbour_pdf.reader.pages) == len(harbour_pdf.pages)
    starts = [page for _, page, _ in _outline(harbour_pdf.reader)]
    assert starts[0] >= 2  # after the cover and the contents
    assert starts == sorted(set(starts))
    # The last chapter, the bibliography (two short entries for the fixture), is the last page.
    assert starts[-1] == pages - 1
    for number, page in enumerate(harbour_pdf.pages, start=1):
        body = flat(page).replace(meta.marking, "").replace(f"Page {number} of {pages}", "")
        assert body.strip(), f"page {number} is blank"
    assert harbour_pdf.result.refused == ()


def test_same_briefs_same_bytes(harbour_pdf: Built, tmp_path: Path) -> None:
    again = build(FIXTURE / "briefs", tmp_path / "again.pdf")
    assert again.result.path.read_bytes() == harbour_pdf.result.path.read_bytes()


def test_letter_paper(tmp_path: Path) -> None:
    built = build(FIXTURE / "briefs", tmp_path / "letter.pdf", paper="letter")
    assert pdfinfo(built.result.path)["Page size"].endswith("(letter)")


def test_korean_japanese_and_cyrillic_names_render(tmp_path: Path) -> None:
    briefs = tmp_path / "briefs"
    shutil.copytree(FIXTURE / "briefs", briefs)
    note = briefs / "notes" / "objections.md"
    names = "김정은 (Kim Jong Un), 岸田文雄 (Kishida Fumio) and Владимир Путин"
    note.write_text(
        note.read_text(encoding="utf-8") + f"\nHansen wrote to {names} [@fishers-2023].\n",
        encoding="utf-8",
    )
    built = build(briefs, tmp_path / "names.pdf")
    assert flat(f"Hansen wrote to {names}") in built.text
    fonts = subprocess.run(
        ["pdffonts", str(built.result.path)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in fonts
    # No glyph fell back to a blank box: every name's glyphs came from some embedded font.
    assert all(row.split()[-5] == "yes" for row in fonts.splitlines()[2:])


# --- nothing runs, nothing is fetched ----------------------------------------------------

HOSTILE_INLINE = (
    'Payload <img src="http://evil.example/img.png" onerror="alert(1)"> '
    '<link rel="stylesheet" href="http://evil.example/link.css"> '
    '<style>@import url("http://evil.example/import.css"); '
    "body { background: url(http://evil.example/bg.png) }</style> "
    '<iframe src="http://evil.example/frame"></iframe> <script>alert(2)</script> '
    '<object data="http://evil.example/object.svg"></object> '
    '<span style="background: url(http://evil.example/style.png)">styled</span> '
    '<a href="javascript:alert(3)">js</a> <a href="data:text/html,hi">data</a> '
    '<svg><image href="http://evil.example/svg.png"/></svg> '
    "![markdown image](http://evil.example/md.png) [link](javascript:alert(5)) "
    "and more [@fishers-2023].\n"
)


def test_hostile_briefs_run_and_fetch_nothing(tmp_path: Path) -> None:
    briefs = tmp_path / "briefs"
    shutil.copytree(FIXTURE / "briefs", briefs)
    note = briefs / "notes" / "objections.md"
    note.write_text(note.read_text(encoding="utf-8") + "\n" + HOSTILE_INLINE, encoding="utf-8")
    yml = briefs / "briefing.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace(
            "title: Objections", 'title: "<img src=http://evil.example/title.png>Objections"'
        ),
        encoding="utf-8",
    )
    source = briefs / "sources" / "port-authority-2023.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            "url: https://example.org/port/dredging", 'url: "javascript:alert(4)"'
        ),
        encoding="utf-8",
    )

    built = build(briefs, tmp_path / "hostile.pdf")
    assert built.result.refused == ()
    assert "Payload" in built.text and "styled" in built.text
    assert "<img src=http://evil.example/title.png>Objections" in built.text  # shown, as text
    assert "javascript:alert(4)" in built.text
    assert not any(
        re.match(r"(javascript|data|file):", uri) or "evil.example" in uri
        for uri in _uris(built.reader)
    )
    assert pdfinfo(built.result.path)["JavaScript"] == "no"
    raw = built.result.path.read_bytes()
    assert b"/JavaScript" not in raw and b"/JS" not in raw and b"/Launch" not in raw


def test_a_deferred_footnote_is_found_and_its_call_moved_to_a_new_page() -> None:
    html = (
        '<p>Intro</p><ul><li><p>Text<a class="fn-call" href="#fn_1_1">1</a></p></li></ul>'
        '<div style="break-before: page" id="fn_1_1">a footnote pushed to the next page</div>'
    )
    assert misplaced_footnotes(HTML(string=html).render()) == ["fn_1_1"]
    fixed = HTML(string=html).render(stylesheets=[CSS(string=_page_breaks_before(["fn_1_1"]))])
    links = [[target for _, target, *_ in page.links] for page in fixed.pages]
    assert links == [[], ["fn_1_1"], []]


def test_the_fetcher_refuses_and_records_every_request() -> None:
    fetcher = RefusingFetcher()
    HTML(
        string='<link rel="stylesheet" href="http://evil.example/a.css">'
        '<style>@import url("https://evil.example/b.css");</style>'
        '<p>x<img src="file:///etc/passwd"></p>',
        url_fetcher=fetcher,
    ).render()
    assert sorted(fetcher.requests) == [
        "file:///etc/passwd",
        "http://evil.example/a.css",
        "https://evil.example/b.css",
    ]


# --- the commands ------------------------------------------------------------------------


def _briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_pdf_command_writes_under_site_by_default(harbour: Path) -> None:
    result = _briefing("pdf", "--templates", str(TEMPLATES), cwd=harbour)
    assert result.returncode == 0, result.stderr
    target = harbour / "site" / "harbour-dredging-in-port-elling.pdf"
    assert f"PDF written to {target.relative_to(harbour)}" in result.stdout
    assert pdfinfo(target)["Pages"] == "9"


def test_pdf_command_refuses_briefs_with_errors(harbour: Path) -> None:
    note = harbour / "briefs" / "notes" / "objections.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nAn uncited sentence.\n", encoding="utf-8")
    result = _briefing("pdf", "--templates", str(TEMPLATES), "-o", "out.pdf", cwd=harbour)
    assert result.returncode == 1
    assert "briefs/notes/objections.md:" in result.stderr and "[uncited]" in result.stderr
    assert "no PDF written" in result.stderr
    assert not (harbour / "out.pdf").exists()


def test_build_puts_the_pdf_in_the_site_and_every_page_links_to_it(harbour: Path) -> None:
    result = _briefing("build", "-d", "site", cwd=harbour)
    assert result.returncode == 0, result.stderr
    site = harbour / "site"
    name = "harbour-dredging-in-port-elling.pdf"
    assert (site / name).is_file()
    assert pdfinfo(site / name)["Title"] == "Harbour Dredging in Port Elling"
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'<a href="([^"]+)" download>Download PDF</a>', html)
        assert len(hrefs) == 1, page
        assert (page.parent / hrefs[0]).resolve() == (site / name).resolve(), page


# --- the pure parts ----------------------------------------------------------------------


def test_pdf_filename() -> None:
    assert (
        pdf_filename("The Russia–DPRK Comprehensive Strategic Partnership Treaty")
        == "the-russia-dprk-comprehensive-strategic-partnership-treaty.pdf"
    )
    assert pdf_filename("Café: Ünïcode / ../../etc") == "cafe-unicode-etc.pdf"
    assert pdf_filename("김정은") == "briefing.pdf"
    assert len(pdf_filename("word " * 100)) <= 84


def _cited(sources: dict[str, Source], *items: CitationItem) -> CitedGroup:
    """A citation group written by hand, resolved as the analysis resolves one: each item's
    source, and its credibility as given, else the default."""
    citations = tuple(
        Citation(
            source_id=item.key,
            source=sources[item.key],
            line=1,
            col=1,
            prefix=item.prefix,
            locator=item.locator,
            quote=item.quote,
            verified=None,
            quotes=item.quotes,
            quote_only=item.quote_only,
            translation=item.translation,
            credibility=item.credibility or DEFAULT_CREDIBILITY,
            credibility_given=item.credibility is not None,
        )
        for item in items
    )
    return CitedGroup(0, 10, 1, 1, citations)


def test_footnote_names_the_source_by_its_label_and_does_not_repeat_a_year_it_ends_with() -> None:
    analysis = analyse_dir(FIXTURE / "briefs")
    sources = analysis.briefing.sources
    footnotes = Footnotes(1)
    group = _cited(sources, CitationItem("fishers-2023", 0), CitationItem("port-authority-2023", 0))
    html = footnotes.cite(group)
    # "Other 2023" (A. N. Other), dated May 2023: the month says more than the label.
    assert re.search(
        r'>Other 2023</a>, May 2023, <span class="grade grade-c" title="[^"]*">C6</span>', html
    )
    assert ">Port Elling Authority 2023</a>, 14 March 2023, " in html
    assert "Fishers fear" not in html  # the full title is the bibliography's

    yearly = analysis.briefing.sources["fishers-2023"]
    meta = yearly.meta.model_copy(update={"issued": "2023"})
    footnotes = Footnotes(1)
    assert '>Other 2023</a>, <span class="grade' in footnotes.cite(
        _cited({"fishers-2023": replace(yearly, meta=meta)}, CitationItem("fishers-2023", 0))
    )


def test_footnote_text_is_escaped() -> None:
    analysis = analyse_dir(FIXTURE / "briefs")
    footnotes = Footnotes(1)
    group = _cited(
        analysis.briefing.sources,
        CitationItem("fishers-2023", 0, prefix="see <b>*x*</b>", locator="p. <script>|"),
    )
    html = footnotes.cite(group)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and r"\|" in html and r"\*x\*" in html
    assert html.startswith(
        '<a class="fn-call" href="#fn_1_1">1</a><span class="footnote" id="fn_1_1">'
    )


def test_fact_reports_compare_values_as_the_site_does() -> None:
    analysis = analyse_dir(FIXTURE / "briefs")
    reports = {r.id: r for r in fact_reports(analysis)}
    assert reports["start-date"].status == "disputed"
    assert [v.values for v in reports["start-date"].statements] == [
        ("2 October 2023 (the briefing's reading; the source's words are not quoted)",),
        ("September 2023 (the briefing's reading; the source's words are not quoted)",),
    ]
    assert reports["depth"].status == "disputed"


def test_stamp_outside_git(tmp_path: Path) -> None:
    import datetime as dt

    stamp = read_stamp(tmp_path, today=dt.date(2024, 7, 1))
    assert stamp == Stamp("version unknown", "2024-07-01")


def test_stamp_in_git() -> None:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode != 0:
        pytest.skip("not a git checkout")
    stamp = read_stamp(ROOT / "tests")
    assert stamp.version.split(" ")[0] == head.stdout.strip()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", stamp.as_of)


def test_print_document_refuses_unknown_paper() -> None:
    with pytest.raises(ValueError, match="unknown paper"):
        print_document(analyse_dir(FIXTURE / "briefs"), TEMPLATES, STAMP, "a3")


# --- "How to read" promises what the bibliography has -------------------------------------


def _how_to_read_and_bibliography(briefs: Path) -> tuple[str, str]:
    """The text of the print document's "How to read" chapter and of its bibliography."""
    html = print_document(analyse_dir(briefs), TEMPLATES, STAMP).html

    def text(section: str) -> str:
        match = re.search(
            rf'<section class="chapter [a-z]+" id="{section}">(.*?)</section>', html, re.DOTALL
        )
        assert match, section
        return flat(re.sub(r"<[^>]+>", "", match.group(1)))

    return text("how-to-read"), text("bibliography")


def _harbour_briefs(
    tmp_path: Path, fishers_extra: str = "", authority_without_url: bool = False
) -> Path:
    briefs = tmp_path / "briefs"
    shutil.copytree(FIXTURE / "briefs", briefs)
    if fishers_extra:
        fishers = briefs / "sources" / "fishers-2023.md"
        fishers.write_text(
            fishers.read_text(encoding="utf-8").replace(
                "publisher: Elling Courier\n", f"publisher: Elling Courier\n{fishers_extra}"
            ),
            encoding="utf-8",
        )
    if authority_without_url:
        authority = briefs / "sources" / "port-authority-2023.md"
        text = authority.read_text(encoding="utf-8")
        text = text.replace("url: https://example.org/port/dredging\n", "").replace(
            "accessed: 2023-04-01\n", ""
        )
        authority.write_text(text, encoding="utf-8")
    return briefs


def test_how_to_read_promises_no_address_when_no_source_has_one(tmp_path: Path) -> None:
    briefs = _harbour_briefs(tmp_path, authority_without_url=True)
    assert bibliography_coverage(analyse_dir(briefs).briefing.sources.values()) == {
        "sources": 2,
        "addresses": 0,
        "accessed": 0,
    }
    how, bibliography = _how_to_read_and_bibliography(briefs)
    assert "address and the date it was consulted." not in how
    assert (
        "The bibliography lists every source in full: author, outlet, date and grade; no "
        "source has an address or a date it was consulted on record."
    ) in how
    assert bibliography.count("No address recorded.") == 2


def test_how_to_read_promises_address_and_date_consulted_when_every_source_has_them(
    tmp_path: Path,
) -> None:
    briefs = _harbour_briefs(
        tmp_path, "url: https://example.org/courier/fishers\naccessed: 2023-06-01\n"
    )
    how, bibliography = _how_to_read_and_bibliography(briefs)
    assert (
        "The bibliography lists every source in full, with its address and the date it "
        "was consulted."
    ) in how
    assert "No address" not in bibliography
    assert bibliography.count(", accessed ") == 2


def test_how_to_read_counts_the_addresses_and_dates_when_only_some_sources_have_them(
    tmp_path: Path,
) -> None:
    how, bibliography = _how_to_read_and_bibliography(FIXTURE / "briefs")
    assert (
        "with its address and the date it was consulted where they are on record: 1 of the "
        "2 sources has an address and 1 of the 2 has a date consulted."
    ) in how
    assert bibliography.count("No address recorded.") == 1
    briefs = _harbour_briefs(tmp_path, "url: https://example.org/courier/fishers\n")
    how, _ = _how_to_read_and_bibliography(briefs)
    assert (
        "where they are on record: every source has an address and 1 of the 2 has a date consulted."
        in how
    )


def test_links_between_notes_land_on_the_documents_own_sections() -> None:
    """Notes link to each other as site pages (`topics/pact.md#a-note`); in the PDF each
    link lands on the note's section or the topic's chapter, and no link is left dead."""
    analysis = analyse_dir(ROOT / "briefs")
    document = print_document(analysis, TEMPLATES, STAMP, "a4")
    hrefs = re.findall(r'href="([^"]*)"', document.html)
    ids = set(re.findall(r'\sid="([^"]+)"', document.html))
    internal = [h for h in hrefs if h.startswith("#")]
    assert "#n_pact-disagreements" in internal and "#n_what-this-briefing-rests-on" in internal
    assert [h for h in internal if h[1:] not in ids] == []
    assert [h for h in hrefs if ".md" in h] == []


def test_a_link_to_a_page_the_pdf_does_not_hold_becomes_its_text() -> None:
    from briefing.output.print_document import site_link_resolver

    resolve = site_link_resolver(analyse_dir(ROOT / "briefs"))
    assert resolve("../how-to-read.md") is None
    assert resolve("https://example.org/x.md") == "https://example.org/x.md"
    assert resolve("topics/open-questions.md") == "#t_open-questions"
    assert resolve("#seoul-what-was-said") == "#n_seoul-what-was-said"


def test_a_source_cited_again_straight_after_gets_the_short_form() -> None:
    """README, "briefing pdf": a source cited again in the next footnote (or again in the
    same one) is given short, the label, the grade's letter and figure and the locator;
    the date and the grade's words are the first citation's."""
    analysis = analyse_dir(FIXTURE / "briefs")
    sources = analysis.briefing.sources
    footnotes = Footnotes(1)
    source = '<a class="fn-source" href="#s_fishers-2023">Other 2023</a>, '
    grade = (
        '<span class="grade grade-c" title="source reliability C: fairly reliable; '
        'information credibility 6: truth cannot be judged">C6</span>'
    )
    full = footnotes.cite(_cited(sources, CitationItem("fishers-2023", 0, locator="p. 4")))
    assert f"{source}May 2023, {grade} (fairly reliable, truth cannot be judged), p. 4.<" in full
    again = footnotes.cite(
        _cited(
            sources,
            CitationItem("fishers-2023", 0, locator='"the words"', quotes=("the words",)),
            CitationItem("fishers-2023", 0, locator="p. 9"),
        )
    )
    assert f"{source}{grade}, \u201cthe words\u201d; {source}{grade}, p. 9.<" in again
    assert f"{source}{grade}.<" in footnotes.cite(_cited(sources, CitationItem("fishers-2023", 0)))
    # Another source between them: the full form again.
    footnotes.cite(_cited(sources, CitationItem("port-authority-2023", 0)))
    assert "May 2023" in footnotes.cite(_cited(sources, CitationItem("fishers-2023", 0)))


# --- accessibility (issue 19): tagged PDF/UA-1, read back with pikepdf --------------------
# Nothing here validates against PDF/UA (no veraPDF): README, "briefing pdf".


def _structure(path: Path) -> list[tuple[str, dict[str, str]]]:
    """Every structure element, depth first in document order: (role, /Alt and /ID)."""
    import pikepdf

    elements: list[tuple[str, dict[str, str]]] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            elements.append(
                (str(node.S), {key: str(node[key]) for key in ("/Alt", "/ID") if key in node})
            )
            walk(node.get("/K"))

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot.K)
    return elements


def test_pdf_is_tagged_and_identified_as_pdf_ua(built: Built) -> None:
    import pikepdf

    meta = built.analysis.briefing.meta
    assert meta is not None
    with pikepdf.open(built.result.path) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(root.Lang) == meta.language
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == meta.title
            assert xmp["dc:language"] == {meta.language}
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:creator"] == list(
                dict.fromkeys(n.note.meta.author for n in built.analysis.notes)
            )
        # Every page's text is marked content: tagged, or an artifact (the running heads).
        for number, page in enumerate(pdf.pages, start=1):
            assert "/StructParents" in page.obj, number
            depth = 0
            for _, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                depth += (name in ("BDC", "BMC")) - (name == "EMC")
                if name in ("Tj", "TJ", "'", '"', "Do"):
                    assert depth > 0, (number, name)
        # Every link annotation is in the structure tree.
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots") or []:
                if annotation.get("/Subtype") == "/Link":
                    assert "/StructParent" in annotation


def test_structure_tree_has_the_roles_a_reader_needs(built: Built) -> None:
    meta = built.analysis.briefing.meta
    assert meta is not None
    elements = _structure(built.result.path)
    roles = [role for role, _ in elements]
    assert roles[0] == "/Document"
    for role in (
        "/H1",
        "/H2",
        "/P",
        "/L",
        "/LI",
        "/Table",
        "/THead",
        "/TH",
        "/TD",
        "/Link",
        "/Note",
        "/Sect",
        "/Art",
    ):
        assert role in roles, role
    # Chapters (cover, contents, how to read, one per topic, three at the back) are H1s.
    assert roles.count("/H1") >= len(meta.topics) + 6
    # One Note per footnote, each with its footnote's id.
    notes = [attrs.get("/ID") for role, attrs in elements if role == "/Note"]
    assert len(notes) == built.result.footnotes == len(set(notes))
    assert all(note and note.startswith("fn_") for note in notes)
    # Grade badges have text alternatives that spell the grade out.
    alts = [attrs["/Alt"] for _, attrs in elements if "/Alt" in attrs]
    assert any(
        alt.startswith("source reliability ") and "information credibility" in alt for alt in alts
    )
    assert any(re.fullmatch(r"Reliability [A-F]: .+", alt) for alt in alts)
    # The marking is text in the structure (the cover's), not only the running heads.
    assert meta.marking.upper() in flat(built.pages[0]).upper()


def test_text_extraction_reads_a_page_in_order(built: Built) -> None:
    """pdftotext (which ignores the tags) reads a chapter's first page as it is meant to be
    read: the chapter, its first note, the note's text, then the footnotes in order."""
    meta = built.analysis.briefing.meta
    assert meta is not None
    topic = next(t for t in meta.topics if built.analysis.notes_for(t.id))
    note = built.analysis.notes_for(topic.id)[0]
    page = next(
        p for p in built.pages if flat(p).startswith(flat(topic.title)) or f"\n{topic.title}\n" in p
    )
    text = flat(page)
    chapter, title = text.index(flat(topic.title)), text.index(flat(note.note.meta.title))
    byline = text.index(f"By {note.note.meta.author}")
    numbers = [int(m.group(1)) for m in re.finditer(r"^(\d+)\. ", page, re.MULTILINE)]
    first = text.index(_footnote_text(page)[:20])
    assert chapter < title < byline < first
    assert numbers[-len(set(numbers)) :] == sorted(set(numbers))
