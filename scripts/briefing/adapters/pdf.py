"""The PDF adapter: the print document of an analysed briefing, written by WeasyPrint.

Nothing is fetched while rendering: the fetcher handed to WeasyPrint refuses
every URL and records each attempt, and fonts come from the system through
fontconfig (Debian's font packages), never from the network.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import SubElement, fromstring, tostring

import pydyf
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.pdf.metadata import NS
from weasyprint.urls import URLFetcher

from ..analysis.diff import Releases
from ..analysis.model import Analysis
from ..output.print_document import Stamp, print_document
from ..read.gitinfo import read_history
from . import footnote_layout, page_references

log = logging.getLogger("briefing.pdf")


class RefusingFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that fetches nothing and remembers what was asked for."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.requests: list[str] = []

    def fetch(self, url: str, headers: object = None) -> object:
        self.requests.append(url)
        raise ValueError(f"the PDF renderer fetches nothing, refused: {url[:200]}")


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    footnotes: int
    passes: int = 1
    """Layouts it took to put every footnote on the page of its call."""
    misplaced: tuple[str, ...] = ()
    """Footnotes still not on the page of their call after the last pass (none, so far)."""
    refused: tuple[str, ...] = field(default=())
    """URLs the renderer asked for and was refused (none, for sanitised briefs)."""


REVISIONS = 10
"""Changes listed in the PDF's revision history; the site's Changes page has them all."""

MAX_PASSES = 4
"""Layouts tried before giving up on a footnote that WeasyPrint keeps deferring."""

PDF_VARIANT = "pdf/ua-1"
"""WeasyPrint's PDF/UA-1 variant: a tagged PDF (structure tree, /MarkInfo /Marked) with
XMP metadata that identifies it as PDF/UA-1 (`pdfuaid:part`). `_accessible` adds what
WeasyPrint leaves out: the XMP's dc:language and the viewer preference that shows the
title rather than the file name. Nothing checks it against the standard here (no veraPDF):
README, "briefing pdf"."""


def read_stamp(briefs_dir: Path, today: dt.date | None = None) -> Stamp:
    """The commit the briefing is built from (the same history the site reads), marked
    when the tree has uncommitted changes."""
    history = read_history(briefs_dir)
    if history.head is None:
        return Stamp("version unknown", (today or dt.date.today()).isoformat())
    mark = " + uncommitted changes" if history.dirty else ""
    return Stamp(f"{history.head.short}{mark}", history.head.date, history.commits[:REVISIONS])


def write_pdf(
    analysis: Analysis,
    templates_dir: Path,
    target: Path,
    *,
    paper: str = "a4",
    stamp: Stamp | None = None,
    releases: Releases | None = None,
    workers: int | None = None,
) -> PdfResult:
    """Render the briefing to `target`. The analysis must have no errors. With `releases`
    (revisions.release_changes), the document lists what the latest release changed.

    A template with part marks is laid out a part at a time, by `workers` processes (the
    machine's processors by default): pdf_parts.py. One without is laid out whole."""
    from .pdf_parts import split_parts, write_parts  # pdf_parts builds on this module

    assert not analysis.errors, "the PDF is written only from a briefing without errors"
    briefs_dir = Path(analysis.briefing.origin.path).resolve().parent
    document = print_document(
        analysis, templates_dir, stamp or read_stamp(briefs_dir), paper, releases=releases
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    parts = split_parts(document.html)
    if parts is not None:
        result = write_parts(parts, document.css, target, workers)
    else:
        result = _write_whole(document.html, document.css, target)
    for name in result.misplaced:
        log.warning("briefing: footnote %s is not on the page of its call", name)
    for url in result.refused:
        log.warning("briefing: the PDF renderer asked for %s and was refused", url)
    return PdfResult(
        target, result.pages, document.footnotes, result.passes, result.misplaced, result.refused
    )


@dataclass(frozen=True)
class Placed:
    """A document laid out with every footnote on the page of its call, if it could be."""

    document: Document
    passes: int
    misplaced: tuple[str, ...]
    refused: tuple[str, ...]


def lay_out(html: str, css: str) -> Placed:
    """Lay `html` out, and again with a page break before each call whose footnote
    WeasyPrint moved to a later page, until none is (MAX_PASSES at most)."""
    fetcher = RefusingFetcher()
    breaks: list[str] = []
    for passes in range(1, MAX_PASSES + 1):  # noqa: B007 (the count is reported below)
        stylesheets = [CSS(string=css + _page_breaks_before(breaks), url_fetcher=fetcher)]
        rendered = HTML(string=html, url_fetcher=fetcher).render(stylesheets=stylesheets)
        misplaced = misplaced_footnotes(rendered)
        if not misplaced:
            break
        breaks += misplaced
    return Placed(rendered, passes, tuple(misplaced), tuple(fetcher.requests))


def pdf_bytes(document: Document) -> bytes:
    """The tagged PDF/UA-1 file of a laid-out document."""
    data = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=_accessible)
    assert data is not None
    return bytes(data)


@dataclass(frozen=True)
class Written:
    """What writing the file took, laid out whole or in parts (pdf_parts.py)."""

    pages: int
    passes: int
    misplaced: tuple[str, ...]
    refused: tuple[str, ...]


def _write_whole(html: str, css: str, target: Path) -> Written:
    placed = lay_out(html, css)
    target.write_bytes(pdf_bytes(placed.document))
    return Written(len(placed.document.pages), placed.passes, placed.misplaced, placed.refused)


def _with_alternatives(
    build_box_tree: Callable[..., Iterator[Any]],
) -> Callable[..., Iterator[Any]]:
    """WeasyPrint's structure-tree builder, giving a grade badge (`span.grade`) its `title`
    as /Alt: a screen reader reads "source reliability C: fairly reliable; information
    credibility 3: possibly true" rather than "C3"; and a footnote (`span.footnote`) the
    role Note, with its id as the /ID PDF/UA asks of a Note. WeasyPrint 70.0 gives /Alt to
    images only and tags a span as Span; tests/test_pdf.py checks both."""

    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        element = box.element
        classes = (element.get("class") or "").split() if element is not None else []
        span = box.element_tag == "span"
        alt = element.get("title") if span and "grade" in classes else None
        note = element.get("id") if span and "footnote" in classes else None
        for struct in build_box_tree(box, parent, *args):
            if struct.get("S") == "/Span":
                if alt and "Alt" not in struct:
                    struct["Alt"] = pydyf.String(alt)
                if note:
                    struct["S"] = "/Note"
                    struct["ID"] = pydyf.String(note)
            yield struct

    # The mark that the builder is wrapped already; a function's type has no such attribute.
    build.wrapped = build_box_tree  # type: ignore[attr-defined]
    return build


if not hasattr(weasyprint_tags._build_box_tree, "wrapped"):
    weasyprint_tags._build_box_tree = _with_alternatives(weasyprint_tags._build_box_tree)
footnote_layout.install()
page_references.install()


def _accessible(document: Document, pdf: pydyf.PDF) -> None:
    """WeasyPrint's finisher: the document's language in the XMP metadata (PDF/UA wants
    it there as well as in the catalogue's /Lang), and /DisplayDocTitle, which PDF/UA
    requires: a viewer's title bar shows the briefing's title."""
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    lang = document.metadata.lang
    for obj in pdf.objects:
        if not (isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata"):
            continue
        packet = b"".join(
            part if isinstance(part, bytes) else str(part).encode() for part in obj.stream
        )
        start, end = packet.index(b"<rdf:RDF"), packet.index(b"</rdf:RDF>") + len(b"</rdf:RDF>")
        rdf = fromstring(packet[start:end])
        if lang:
            rdf_ns, dc = NS["rdf"], NS["dc"]
            description = SubElement(rdf, f"{{{rdf_ns}}}Description", {f"{{{rdf_ns}}}about": ""})
            bag = SubElement(SubElement(description, f"{{{dc}}}language"), f"{{{rdf_ns}}}Bag")
            SubElement(bag, f"{{{rdf_ns}}}li").text = lang
        obj.stream = [
            packet[:start]
            + tostring(rdf, encoding="utf-8").split(b"?>", 1)[-1].lstrip()
            + packet[end:]
        ]


def misplaced_footnotes(rendered: Document) -> list[str]:
    """Footnotes that are not on the page of their call (or not on any page).

    WeasyPrint defers a footnote to the next page when that lets a following line fit
    (a paragraph's second line kept with its first for `orphans`, say), even with
    `footnote-policy: line`.
    """
    page_of = {name: index for index, page in enumerate(rendered.pages) for name in page.anchors}
    return [
        target
        for index, page in enumerate(rendered.pages)
        for kind, target, *_ in page.links
        if kind == "internal" and target.startswith("fn_") and page_of.get(target) != index
    ]


def _page_breaks_before(footnotes: list[str]) -> str:
    """Start a new page at the paragraph, list item or table row of each footnote's call:
    it was at the foot of its page anyway, and the call and footnote then move together."""
    return "".join(
        f'\n:is(p, li, tr):has(a.fn-call[href="#{name}"]) {{ break-before: page; }}'
        for name in footnotes
    )
