"""WeasyPrint's footnote layout, linear in the document's size: two changes to the pinned
WeasyPrint's internal code.

**The footnotes still to place, a set.** WeasyPrint 70.0 keeps every footnote of the document
not yet placed in a list (`LayoutContext.footnotes`) and asks of every box of every line
whether its footnote is in that list: a scan of all the document's footnotes for each box,
quadratic in the document. `PendingFootnotes` answers the question in one lookup.

**The footnote area, each footnote laid out once a page.** WeasyPrint 70.0
(`LayoutContext._update_footnote_area`) lays the page's whole footnote area out again each
time a footnote call is placed, to learn how much room the footnotes take: a page with k
footnotes lays out k(k+1)/2 footnotes. On the 100-note briefing of the benchmark
(82 pages, 992 footnotes) that was half of the layout. Here the area's height is the sum of
its footnotes' heights, each footnote laid out alone once and remembered; WeasyPrint still
lays the final area out whole when it finishes the page, so what is drawn is its own.

The sum is exact only when the footnotes stack without collapsing margins into each other
or into the area: no bottom margins, an area with a top border or padding (print.css draws a
rule), no `min-height` or `max-height`, not in columns. Any other page goes through WeasyPrint's own
function, as does any other WeasyPrint version than the one pinned (it is internal code).
tests/test_footnote_layout.py lays documents out both ways and compares every anchor's
position.

**Footnotes kept on the page of their call.** When a line overflows the page and orphans or
widows forbid breaking before it, WeasyPrint 70.0 (`block._linebox_layout`) moves the page's
last footnotes to the next page to make room for the line, though their calls stay on this
page; outside columns only. Here it breaks the paragraph as orphans and widows allow, as it
does on a page without footnotes: the footnote rule wins over the room for one more line.
Without this, a briefing of 300 notes needed a second full layout to put the moved footnotes
back (pdf.py, `misplaced_footnotes`); the check still runs after every layout.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from math import inf
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes, build
from weasyprint.layout import LayoutContext, block
from weasyprint.layout import page as page_layout
from weasyprint.layout.block import block_level_layout

PINNED = "70.0"
"""The WeasyPrint whose `LayoutContext` this changes (constraints.txt pins it)."""

ORIGINAL = LayoutContext._update_footnote_area
"""WeasyPrint's own function: the fallback, and the reference the tests compare against."""

ORIGINAL_BLOCK_LEVEL_LAYOUT = page_layout.block_level_layout
"""WeasyPrint's block layout as make_page calls it, the last time for the footnote area."""

ORIGINAL_INIT = LayoutContext.__init__
"""WeasyPrint's LayoutContext constructor, which starts `footnotes` as a list."""


_ABSENT = object()


class PendingFootnotes:
    """The footnotes not placed yet, in the order they were added, with a membership test
    and a removal that take one lookup (WeasyPrint's list took a scan). It offers what
    WeasyPrint 70.0 asks of `LayoutContext.footnotes`: truth, `in`, `append`, `remove` and
    `copy`. A footnote box is identified by itself: boxes compare by identity."""

    def __init__(self, footnotes: Iterable[Any] = ()) -> None:
        self._boxes: dict[int, Any] = {id(box): box for box in footnotes}

    def __len__(self) -> int:
        return len(self._boxes)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._boxes.values())

    def __contains__(self, box: object) -> bool:
        return self._boxes.get(id(box), _ABSENT) is box

    def append(self, box: Any) -> None:
        self._boxes[id(box)] = box

    def remove(self, box: Any) -> None:
        if box not in self:
            raise ValueError("not a pending footnote")
        del self._boxes[id(box)]

    def copy(self) -> PendingFootnotes:
        return PendingFootnotes(self)


def _init_with_pending_set(context: Any, *args: Any, **kwargs: Any) -> None:
    ORIGINAL_INIT(context, *args, **kwargs)
    context.footnotes = PendingFootnotes()


@dataclass(frozen=True)
class LaidFootnote:
    """A footnote laid out alone in a page's footnote area."""

    footnote: Any
    """The footnote's box, kept so that its id (the cache's key) is not reused."""
    laid: Any
    """Its laid-out box."""
    x: float
    y: float
    """Where the area was when it was laid out."""
    height: float
    """The height it takes in the area: its top margin and border box; infinite when it has a
    bottom margin, which would collapse with the next footnote's top margin."""


_Cache = dict[tuple[int, float], LaidFootnote]


def _alone(context: Any, footnote: Any) -> Any:
    """The page's footnote area laid out with `footnote` as its only child."""
    area = context.current_footnote_area
    children = area.children
    area.children = [footnote]
    try:
        laid = build.create_anonymous_boxes(area.deepcopy())
        return block_level_layout(context, laid, -inf, None, area.page)[0]
    finally:
        area.children = children


def _stacks(area: Any) -> bool:
    """Whether footnotes in `area` stack by plain addition (see the module's docstring)."""
    return bool(
        area.max_height == inf
        and not area.min_height
        and (area.border_top_width or area.padding_top)
        and not area.border_bottom_width
        and not area.padding_bottom
    )


def _cache(context: Any) -> _Cache:
    cache: _Cache = context.__dict__.setdefault("_briefing_footnote_heights", {})
    return cache


def _laid_alone(context: Any, footnote: Any) -> LaidFootnote:
    cache = _cache(context)
    key = (id(footnote), context.current_footnote_area.page.width)
    entry = cache.get(key)
    if entry is None or entry.footnote is not footnote:
        area = _alone(context, footnote)
        child = area.children[-1]
        height = inf if child.margin_bottom or len(area.children) > 1 else child.margin_height()
        entry = LaidFootnote(footnote, child, area.position_x, area.position_y, height)
        cache[key] = entry
    return entry


def update_footnote_area(context: Any) -> bool:
    """`LayoutContext._update_footnote_area`, the height summed from each footnote's own.
    Returns whether the footnotes overflow the area, as WeasyPrint's does (never, for an
    area without `max-height`)."""
    area = context.current_footnote_area
    footnotes = context.current_page_footnotes
    if not footnotes or context.in_column or not _stacks(area):
        return bool(ORIGINAL(context))
    heights = [_laid_alone(context, footnote).height for footnote in footnotes]
    if inf in heights:
        return bool(ORIGINAL(context))
    if area.height != "auto":
        context.page_bottom += area.margin_height()
    area.children = footnotes
    area.height = sum(heights)
    context.page_bottom -= area.margin_height()
    return False


def _stacked(context: Any, area: Any) -> list[LaidFootnote] | None:
    """The page's footnotes as laid out alone, when `area` (the copy of the page's area
    that make_page lays out) holds them and they stack by addition; else None."""
    footnotes = context.current_footnote_area.children
    if context.in_column or not _stacks(area) or len(area.children) != len(footnotes):
        return None
    cache, entries = _cache(context), []
    for footnote in footnotes:
        entry = cache.get((id(footnote), area.page.width))
        if entry is None or entry.footnote is not footnote or entry.height == inf:
            return None
        entries.append(entry)
    return entries


def footnote_area_layout(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
    """`block_level_layout` as make_page calls it. For the page's footnote area, when its
    footnotes stack: the area laid out empty, then each footnote's own layout (laid out alone
    already, to learn its height) copied in below the ones before it, instead of laying all
    of them out once more."""
    stacked = _stacked(context, box) if isinstance(box, boxes.FootnoteAreaBox) else None
    if stacked is None:
        return ORIGINAL_BLOCK_LEVEL_LAYOUT(context, box, *args, **kwargs)
    empty = box.copy()
    empty.children = []
    area, *rest = ORIGINAL_BLOCK_LEVEL_LAYOUT(context, empty, *args, **kwargs)
    top = 0.0
    for entry in stacked:
        child = entry.laid.deepcopy()
        child.translate(area.position_x - entry.x, area.position_y - entry.y + top)
        area.children.append(child)
        top += entry.height
    area.height = top
    return (area, *rest)


class FootnotesStayWithCalls:
    """`LayoutContext.in_column`, which reads as true in `block._linebox_layout` alone.

    That function reads it once, to decide whether an overflowing line may take the room of
    the page's footnotes (never in columns); everywhere else the attribute keeps its own
    value. A data descriptor on the class, so that WeasyPrint's `context.in_column = ...`
    lands here; the caller is recognised by its code object, so only the pinned version's
    function is matched."""

    LINEBOX_LAYOUT = block._linebox_layout.__code__

    def __get__(self, context: Any, owner: type | None = None) -> Any:
        if context is None:
            return self
        value = context.__dict__.get("_in_column", False)
        return value or sys._getframe(1).f_code is self.LINEBOX_LAYOUT

    def __set__(self, context: Any, value: bool) -> None:
        context.__dict__["_in_column"] = value


def install() -> None:
    """Use `PendingFootnotes`, `update_footnote_area` and `FootnotesStayWithCalls` in
    WeasyPrint's layout, if this is the pinned WeasyPrint."""
    if weasyprint.__version__ == PINNED:
        LayoutContext.__init__ = _init_with_pending_set
        LayoutContext._update_footnote_area = update_footnote_area
        LayoutContext.in_column = FootnotesStayWithCalls()
        page_layout.block_level_layout = footnote_area_layout
