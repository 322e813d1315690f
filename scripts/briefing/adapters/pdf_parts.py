"""The PDF laid out in parts, side by side in separate processes, and joined with pikepdf.

Why: WeasyPrint's layout of a footnoted document grows faster than its length (1,000
notes took 14.5 times as long as 100 in one document) and keeps one processor busy. The
print template marks where a part may start (`PART_MARK`: a chapter starts on a new page
anyway); laid out apart, each part costs what a short document costs, and the parts share
the machine's processors.

No part knows the others, so what spans them is added when they are joined:

- the page number ("Page 12 of 80", the `PAGE_NUMBER_BOX` margin box) is left out of the
  parts, laid out afterwards on empty pages of the same size (the frame) and drawn over
  each page as an artifact;
- a link to another part is written as a `LINK_SCHEME` address and turned back into a
  link to the named destination once every part's destinations are in one name tree;
- a page number in the text (contents, "Cited in … (p. 12)"): a link marked
  `data-page-ref` is given `data-page="12"`, which print.css shows in place of
  `target-counter()` (a part's own page counter starts at 1). A part with such links is
  laid out once the parts its numbers depend on are; one whose own length moves them (the
  contents) is laid out first with stand-in numbers, to learn that length;
- the structure tree, the bookmarks and the document's metadata are joined in order.
"""

from __future__ import annotations

import io
import multiprocessing
import re
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, Pdf, String

from ..prose.parallel import processors
from .pdf import Written, lay_out, pdf_bytes

PART_MARK = "<!-- briefing:part -->"
LINK_SCHEME = "briefing-part:"
PAGE_NUMBER_BOX = "bottom-right"
STAND_IN = "888"
"""The page number a part is first laid out with, before the real one is known: three
figures, as wide as most briefings' numbers."""
FRAME_CHUNK = 100
"""Pages of the frame laid out by one process."""
FRAME_NAME = "/BriefingFrame"
"""The frame's name among a page's resources (WeasyPrint's own names are short)."""
MAX_ROUNDS = 4
"""Rounds of layout before the page numbers are taken as they are: a part whose length
changes with its numbers moves the numbers of the parts after it (never seen so far)."""

_MARGIN_BOXES = tuple(
    f"{side}-{place}"
    for side, places in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for place in places
)
_ID = re.compile(r'\sid="([^"]+)"')
_LINK = re.compile(r'<a\s(?:[^>"]|"[^"]*")*>')
"""A link's start tag, whole: a quoted attribute value may hold a ">" (nh3 leaves it)."""
_HREF = re.compile(r'\shref="#([^"]+)"')
_BODY = re.compile(r"<body\b[^>]*>")
_FIRST_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_LANG = re.compile(r'<html\b[^>]*\slang="([^"]*)"')


@dataclass(frozen=True)
class Part:
    body: str
    """This part's HTML, between the body's start and end tags of the whole document."""
    ids: frozenset[str]
    outside: frozenset[str]
    """Targets of links to other parts."""
    numbered: frozenset[str]
    """Targets of the links whose page number the part prints (`data-page-ref`)."""
    opening: str | None
    """The id of the part's first element: on the part's first page, wherever it breaks."""


@dataclass(frozen=True)
class Parts:
    head: str
    """The document up to and with the body's start tag."""
    tail: str
    parts: tuple[Part, ...]

    def html(self, index: int, pages: dict[str, int] | None = None) -> str:
        """Part `index` as a document of its own, its page references numbered from `pages`
        (stand-ins without)."""
        part = self.parts[index]
        body = _LINK.sub(lambda match: _relinked(match, part, pages), part.body)
        return self.head + body + self.tail

    def owner(self) -> dict[str, int]:
        return {name: index for index, part in enumerate(self.parts) for name in part.ids}


def split_parts(html: str) -> Parts | None:
    """The document cut at its part marks; None when it has none (laid out whole)."""
    body = _BODY.search(html)
    end = html.rfind("</body>")
    if body is None or end < 0 or PART_MARK not in html[body.end() : end]:
        return None
    pieces = [piece for piece in html[body.end() : end].split(PART_MARK) if piece.strip()]
    parts = []
    for piece in pieces:
        ids = frozenset(_ID.findall(piece))
        links = [
            (href.group(1), "data-page-ref" in tag.group(0))
            for tag in _LINK.finditer(piece)
            if (href := _HREF.search(tag.group(0)))
        ]
        first = _FIRST_TAG.search(piece)
        opening = _ID.search(first.group(0)) if first else None
        parts.append(
            Part(
                piece,
                ids,
                frozenset(name for name, _ in links if name not in ids),
                frozenset(name for name, numbered in links if numbered),
                opening.group(1) if opening else None,
            )
        )
    return Parts(html[: body.end()], html[end:], tuple(parts))


def _relinked(match: re.Match[str], part: Part, pages: dict[str, int] | None) -> str:
    tag, href = match.group(0), _HREF.search(match.group(0))
    if href is None:
        return tag
    name = href.group(1)
    if name in part.outside:
        tag = tag.replace(f'href="#{name}"', f'href="{LINK_SCHEME}{name}"')
    if name in part.numbered:
        number = str(pages[name] + 1) if pages and name in pages else STAND_IN
        tag = tag.replace(" data-page-ref", f' data-page="{number}" data-page-ref', 1)
    return tag


# --- laying parts out, in worker processes --------------------------------------------


@dataclass(frozen=True)
class Job:
    index: int
    html: str
    css: str
    write: bool
    """False for a part laid out only to learn its length (stand-in page numbers)."""
    tagged: bool = True
    """False for the frame, whose pages are only drawn over the tagged ones, as artifacts."""


@dataclass(frozen=True)
class LaidOut:
    index: int
    pages: int
    anchors: dict[str, int]
    """Each anchor's page, counted from the part's first page (0)."""
    passes: int
    misplaced: tuple[str, ...]
    refused: tuple[str, ...]
    pdf: bytes = b""


def lay_out_part(job: Job) -> LaidOut:
    """Run in a worker process: one part laid out (and written, unless a draft)."""
    placed = lay_out(job.html, job.css)
    anchors: dict[str, int] = {}
    for number, page in enumerate(placed.document.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    if not job.write:
        data = b""
    elif job.tagged:
        data = pdf_bytes(placed.document)
    else:
        data = placed.document.write_pdf() or b""
    return LaidOut(
        job.index,
        len(placed.document.pages),
        anchors,
        placed.passes,
        placed.misplaced,
        placed.refused,
        data,
    )


def write_parts(parts: Parts, css: str, target: Path, workers: int | None = None) -> Written:
    """Lay every part out (`workers` processes), number the pages and join them at `target`."""
    jobs = max(1, min(workers or processors(), len(parts.parts)))
    with _executor(jobs) as executor:
        run = _runner(executor)
        final = _lay_out_all(parts, css + _without_page_number(), run)
        ordered = [final[index] for index in range(len(parts.parts))]
        frames = _frames(parts, css, sum(laid.pages for laid in ordered), run)
    target.write_bytes(join([laid.pdf for laid in ordered], frames))
    return Written(
        sum(laid.pages for laid in ordered),
        max(laid.passes for laid in ordered),
        tuple(name for laid in ordered for name in laid.misplaced),
        tuple(url for laid in ordered for url in laid.refused),
    )


Runner = Callable[[list[Job]], Iterator[LaidOut]]


def _executor(workers: int) -> AbstractContextManager[Executor | None]:
    """Worker processes; none for one worker (the parts laid out here, one after another)."""
    if workers == 1:
        return nullcontext()
    # spawn, not fork: a fork would copy a process that has loaded Pango and its threads.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def _runner(executor: Executor | None) -> Runner:
    """Lay jobs out, the longest first so that no process is left with a long one at the end."""

    def run(jobs: list[Job]) -> Iterator[LaidOut]:
        ordered = sorted(jobs, key=lambda job: -len(job.html))
        return (executor.map if executor else map)(lay_out_part, ordered)

    return run


def _lay_out_all(parts: Parts, css: str, run: Runner) -> dict[int, LaidOut]:
    """Every part laid out for good, each page reference numbered. Round one lays out the
    parts without numbers and drafts of those whose own length moves their numbers; each
    later round, the numbered parts whose numbers the lengths laid out so far decide, and
    again any whose numbers a final length has moved."""
    owner = parts.owner()
    final: dict[int, LaidOut] = {}
    drafts: dict[int, LaidOut] = {}
    used: dict[int, dict[str, int]] = {}
    pending = set(range(len(parts.parts)))
    for round_ in range(MAX_ROUNDS):
        jobs = []
        known = _pages(parts, final, drafts)
        for index in sorted(pending):
            part = parts.parts[index]
            if not part.numbered:
                jobs.append(Job(index, parts.html(index), css, True))
            elif not (part.numbered & owner.keys()) - known.keys():
                used[index] = {name: known[name] for name in part.numbered if name in known}
                jobs.append(Job(index, parts.html(index, known), css, True))
            elif round_ == 0 and _needs_own_length(index, part, owner):
                jobs.append(Job(index, parts.html(index), css, False))
        for laid in run(jobs):
            (final if laid.pdf else drafts)[laid.index] = laid
        known = _pages(parts, final, drafts)
        for index, numbers in list(used.items()):
            if index in final and numbers != {n: known[n] for n in numbers if n in known}:
                del final[index], used[index]  # a length differed from its draft's
        pending = {index for index in range(len(parts.parts)) if index not in final}
        if not pending:
            return final
    known = _pages(parts, final, drafts)
    for laid in run([Job(index, parts.html(index, known), css, True) for index in pending]):
        final[laid.index] = laid  # numbered as last computed (MAX_ROUNDS rounds)
    return final


def _needs_own_length(index: int, part: Part, owner: dict[str, int]) -> bool:
    """Whether the page numbers `part` prints depend on its own length: one of them is in
    this part or a later one (the contents, before the chapters it numbers)."""
    return any(owner.get(name, index) >= index for name in part.numbered)


def _pages(parts: Parts, final: dict[int, LaidOut], drafts: dict[int, LaidOut]) -> dict[str, int]:
    """Each anchor's page in the whole document (from 0), as far as the lengths laid out
    so far tell (a part's final layout, else its draft): up to the first part not laid
    out yet, and that part's opening anchor, on its first page."""
    pages: dict[str, int] = {}
    first = 0
    for index, part in enumerate(parts.parts):
        laid = final.get(index) or drafts.get(index)
        if laid is None:
            if part.opening:
                pages.setdefault(part.opening, first)
            break
        for name, page in laid.anchors.items():
            pages.setdefault(name, first + page)
        first += laid.pages
    return pages


# --- the frame: page numbers laid out on empty pages -----------------------------------


def _without_page_number() -> str:
    return f"\n@page {{ @{PAGE_NUMBER_BOX} {{ content: none; }} }}\n"


def _frames(parts: Parts, css: str, total: int, run: Runner) -> list[bytes]:
    """Empty pages with nothing but the page number ("Page 3 of 80"), a chunk of pages
    a job, in page order."""
    lang = _LANG.search(parts.head)
    html_start = f'<html lang="{lang.group(1) if lang else ""}"><body>'
    others = "".join(
        f"@{box} {{ content: none; }}" for box in _MARGIN_BOXES if box != PAGE_NUMBER_BOX
    )
    frame_css = re.sub(r"counter\(\s*pages\s*\)", f'"{total}"', css) + (
        f"\n@page {{ {others} }}\nbody {{ margin: 0; }}\ndiv + div {{ break-before: page; }}\n"
    )
    jobs = []
    for index, first in enumerate(range(0, total, FRAME_CHUNK)):
        count = min(FRAME_CHUNK, total - first)
        start = f"@page:first {{ counter-reset: page {first + 1}; }}\n"
        html = html_start + "<div></div>" * count + "</body></html>"
        jobs.append(Job(index, html, frame_css + start, write=True, tagged=False))
    laid = {frame.index: frame.pdf for frame in run(jobs)}
    return [laid[index] for index in range(len(jobs))]


# --- joining the parts ------------------------------------------------------------------


def join(parts: list[bytes], frames: list[bytes]) -> bytes:
    """One PDF of the parts' pages, in order, each with its frame page drawn over it: one
    structure tree, name tree of destinations and outline, and the first part's metadata."""
    out = Pdf.new()
    sources = [Pdf.open(io.BytesIO(data)) for data in parts]
    starts = []
    for source in sources:
        starts.append(len(out.pages))
        with warnings.catch_warnings():  # the destinations are joined below
            warnings.simplefilter("ignore", pikepdf.exceptions.PageCopyWarning)
            out.pages.extend(source.pages)
    _join_structure(out, sources, starts)
    _join_destinations(out, sources)
    _join_outlines(out, sources, starts)
    _copy_metadata(out, sources[0])
    frame_pdfs = [Pdf.open(io.BytesIO(data)) for data in frames]
    frame_pages = [page for frame_pdf in frame_pdfs for page in frame_pdf.pages]
    assert len(frame_pages) == len(out.pages), (len(frame_pages), len(out.pages))
    for page, frame in zip(out.pages, frame_pages, strict=True):
        _draw_over(out, page, frame)
    buffer = io.BytesIO()
    out.save(
        buffer,
        min_version=sources[0].pdf_version,
        deterministic_id=True,
        # The structure tree is many small objects: in streams, as WeasyPrint writes them.
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return buffer.getvalue()


def _join_structure(out: Pdf, sources: list[Pdf], starts: list[int]) -> None:
    """One /Document element holding each part's elements in order; each part's parent-tree
    keys (one a page, one a link) moved past the keys of the parts before it."""
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(
        Dictionary(Type=Name.StructElem, S=Name.Document, K=Array(), P=root)
    )
    nums: list[object] = []
    base = 0
    for source, start in zip(sources, starts, strict=True):
        tree = out.copy_foreign(source.Root.StructTreeRoot)
        for element in tree.K[0].K:
            element.P = document
            document.K.append(element)
        pairs = list(tree.ParentTree.Nums)
        for key, value in zip(pairs[::2], pairs[1::2], strict=True):
            nums.extend([int(key) + base, value])
        for page in out.pages[start : start + len(source.pages)]:
            page.obj.StructParents = int(page.obj.StructParents) + base
            for annotation in page.obj.get("/Annots") or []:
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + base
        base += max((int(key) for key in pairs[::2]), default=-1) + 1
    root.K = Array([document])
    root.ParentTree = out.make_indirect(Dictionary(Nums=Array(nums)))
    root.ParentTreeNextKey = base
    out.Root.StructTreeRoot = root


def _join_destinations(out: Pdf, sources: list[Pdf]) -> None:
    """Every part's named destinations in one name tree, and each link to another part
    (a `LINK_SCHEME` address) made a link to its destination."""
    tree = pikepdf.NameTree.new(out)
    for source in sources:
        names = source.Root.get("/Names")
        if names is None or "/Dests" not in names:
            continue
        for name, destination in pikepdf.NameTree(names.Dests).items():
            if name not in tree:
                tree[name] = _copied(out, source, destination)
    out.Root.Names = Dictionary(Dests=tree.obj)
    for page in out.pages:
        for annotation in page.obj.get("/Annots") or []:
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(LINK_SCHEME):
                name = uri[len(LINK_SCHEME) :]
                del annotation.A
                annotation.Dest = String(name)
                annotation.Contents = String(name)


def _join_outlines(out: Pdf, sources: list[Pdf], starts: list[int]) -> None:
    with out.open_outline() as outline:
        for source, start in zip(sources, starts, strict=True):
            numbers = {page.obj.objgen: number for number, page in enumerate(source.pages)}
            with source.open_outline() as part_outline:
                for item in part_outline.root:
                    outline.root.append(_outline_item(item, numbers, start))


def _outline_item(
    item: OutlineItem, numbers: dict[tuple[int, int], int], start: int
) -> OutlineItem:
    assert isinstance(item.destination, Array), "WeasyPrint's bookmarks name a page"
    page, _, left, top, *_ = item.destination
    copy = OutlineItem(
        str(item.title),
        start + numbers[page.objgen],
        "XYZ",
        left=float(left),
        top=float(top),
    )
    copy.children.extend(_outline_item(child, numbers, start) for child in item.children)
    return copy


def _copy_metadata(out: Pdf, first: Pdf) -> None:
    """The catalogue entries WeasyPrint and pdf.py's finisher give a PDF/UA-1 file."""
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in first.Root:
            out.Root[key] = _copied(out, first, first.Root[key])
    if "/Info" in first.trailer:
        out.trailer.Info = _copied(out, first, first.trailer.Info)


def _copied(out: Pdf, source: Pdf, obj: pikepdf.Object) -> pikepdf.Object:
    """`obj` of `source` copied into `out` (pikepdf copies indirect objects only)."""
    return out.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _draw_over(out: Pdf, page: pikepdf.Page, frame: pikepdf.Page) -> None:
    """Draw the frame page over `page` as an artifact (not part of the reading order)."""
    form = out.copy_foreign(frame.as_form_xobject())
    # WeasyPrint's pages share one resource dictionary: each page gets its own, and its frame.
    resources = _own(page.obj.get("/Resources"))
    resources.XObject = _own(resources.get("/XObject"))
    resources.XObject[FRAME_NAME] = form
    page.obj.Resources = resources
    page.contents_add(pikepdf.Stream(out, b"q\n"), prepend=True)
    drawn = b"\nQ\nq /Artifact BMC " + FRAME_NAME.encode() + b" Do EMC Q\n"
    page.contents_add(pikepdf.Stream(out, drawn))


def _own(shared: pikepdf.Object | None) -> Dictionary:
    """A dictionary of its own with the entries of `shared` (a resource dictionary)."""
    return Dictionary({key: shared[key] for key in shared.keys()} if shared is not None else {})
