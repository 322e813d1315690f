"""WeasyPrint's footnote layout made linear (adapters/footnote_layout.py: the pending
footnotes a set, the footnote area summed from each footnote's own height) lays pages out
exactly as WeasyPrint's own code does: same pages, every anchor at the same place; and it
keeps footnotes on the page of their call where WeasyPrint's would move them on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from math import isclose
from typing import Any

import pytest
from weasyprint import CSS, HTML
from weasyprint.layout import LayoutContext
from weasyprint.layout import page as page_layout

from briefing.adapters import footnote_layout
from briefing.adapters.pdf import Stamp
from briefing.output.print_document import print_document
from briefing.pipeline import analyse_dir
from conftest import FIXTURE, ROOT

FUDGE = 1e-9
"""The relative error WeasyPrint's own overflow test allows (`LayoutContext.overflows`)."""

Placed = tuple[str, str, tuple[float, ...]]
"""A box (its class and text) or an anchor (its name) on a page, and where it is."""

Layout = list[list[Placed]]


def _layout(html: str, css: str) -> Layout:
    """Every page's anchors and every box drawn on it, with their positions and sizes."""
    document = HTML(string=html).render(stylesheets=[CSS(string=css)])
    return [
        [("anchor", name, tuple(place)) for name, place in sorted(page.anchors.items())]
        + list(_boxes(page._page_box))
        for page in document.pages
    ]


def _boxes(box: Any) -> Iterator[Placed]:
    numbers = (box.position_x, box.position_y, box.width, box.height)
    yield type(box).__name__, getattr(box, "text", ""), tuple(float(n) for n in numbers)
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _same(ours: Layout, theirs: Layout) -> bool:
    """The same pages with the same boxes and anchors, at the same places but for the order
    of floating-point additions."""
    return len(ours) == len(theirs) and all(
        len(a) == len(b)
        and all(
            x[:2] == y[:2]
            and all(isclose(m, n, rel_tol=FUDGE) for m, n in zip(x[2], y[2], strict=True))
            for x, y in zip(a, b, strict=True)
        )
        for a, b in zip(ours, theirs, strict=True)
    )


def _counting(calls: list[int]) -> Callable[[Any], bool]:
    weasyprints = footnote_layout.ORIGINAL

    def original(context: Any) -> bool:
        calls.append(1)
        return bool(weasyprints(context))

    return original


def _checked(mismatches: list[tuple[float, float]]) -> Callable[[Any], bool]:
    """Ours, then WeasyPrint's on the same state: the area's height and the page's bottom must
    come out the same, but for the order of floating-point additions."""
    weasyprints, ours = footnote_layout.ORIGINAL, footnote_layout.update_footnote_area

    def both(context: Any) -> bool:
        assert isinstance(context.footnotes, footnote_layout.PendingFootnotes)
        area = context.current_footnote_area
        before = (area.height, context.page_bottom, area.children)
        overflow = ours(context)
        after = (area.height, context.page_bottom)
        area.height, context.page_bottom, area.children = before
        same = weasyprints(context) == overflow and all(
            isclose(a, b, rel_tol=FUDGE)
            for a, b in zip(after, (area.height, context.page_bottom), strict=True)
        )
        if not same:
            mismatches.append((after[0], area.height))
        return overflow

    return both


def _both_ways(monkeypatch: pytest.MonkeyPatch, html: str, css: str) -> tuple[Layout, Layout, int]:
    """The layout with WeasyPrint's own code (a list of pending footnotes, its footnote area),
    with ours, and how often ours fell back; and ours must give every area the height
    WeasyPrint's gives it."""
    assert LayoutContext._update_footnote_area is footnote_layout.update_footnote_area
    with monkeypatch.context() as patch:
        patch.setattr(LayoutContext, "_update_footnote_area", footnote_layout.ORIGINAL)
        patch.setattr(LayoutContext, "__init__", footnote_layout.ORIGINAL_INIT)
        patch.setattr(
            page_layout, "block_level_layout", footnote_layout.ORIGINAL_BLOCK_LEVEL_LAYOUT
        )
        theirs = _layout(html, css)
    mismatches: list[tuple[float, float]] = []
    with monkeypatch.context() as patch:
        patch.setattr(LayoutContext, "_update_footnote_area", _checked(mismatches))
        _layout(html, css)
    assert mismatches == []
    calls: list[int] = []
    monkeypatch.setattr(footnote_layout, "ORIGINAL", _counting(calls))
    return theirs, _layout(html, css), len(calls)


def _footnoted(count: int, footnote_css: str = "", area_css: str = "") -> tuple[str, str]:
    """A page-filling text with `count` footnotes of one to four lines."""
    paragraphs = "".join(
        f"<p>Sentence {i} of the text, long enough to wrap once or twice on the page "
        f'and carry its call<span class="fn" id="fn{i}">Footnote {i}: '
        + "words of the footnote " * (1 + i % 4 * 6)
        + "</span>.</p>"
        for i in range(count)
    )
    css = (
        "@page { size: A5; margin: 15mm; "
        f"@footnote {{ border-top: 0.5pt solid; margin-top: 4mm; {area_css} }} }}"
        ".fn { float: footnote; footnote-policy: line; font-size: 8pt; margin-top: 0.6mm; "
        f"{footnote_css} }}"
    )
    return f"<html><body>{paragraphs}</body></html>", css


def test_a_footnote_dense_text_lays_out_as_weasyprint_lays_it_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    theirs, ours, fallbacks = _both_ways(monkeypatch, *_footnoted(60))
    assert len(theirs) > 3
    assert _same(ours, theirs)
    assert fallbacks == 0


def test_the_briefings_print_document_lays_out_as_weasyprint_lays_it_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analysis = analyse_dir(FIXTURE / "briefs")
    document = print_document(analysis, ROOT / "templates", Stamp("abc1234", "2024-07-01"), "a4")
    theirs, ours, fallbacks = _both_ways(monkeypatch, document.html, document.css)
    assert _same(ours, theirs)
    assert fallbacks == 0


def test_each_pages_footnote_area_is_made_of_its_footnotes_laid_out_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stacked: list[int] = []
    weasyprints = footnote_layout._stacked

    def counted(context: Any, area: Any) -> Any:
        entries = weasyprints(context, area)
        stacked.append(len(entries) if entries is not None else -1)
        return entries

    monkeypatch.setattr(footnote_layout, "_stacked", counted)
    pages = _layout(*_footnoted(60))
    assert len(stacked) == len(pages)
    assert all(count > 0 for count in stacked) and sum(stacked) == 60


@pytest.mark.parametrize(
    ("footnote_css", "area_css"),
    [
        ("margin-bottom: 1mm", ""),
        ("", "max-height: 20mm"),
        ("", "min-height: 60mm"),
        ("", "border-top: none"),
    ],
    ids=[
        "collapsing margins",
        "area with a maximum height",
        "area with a minimum height",
        "area without a rule",
    ],
)
def test_footnotes_that_do_not_stack_by_addition_go_through_weasyprints_function(
    monkeypatch: pytest.MonkeyPatch, footnote_css: str, area_css: str
) -> None:
    html, css = _footnoted(30, footnote_css, area_css)
    theirs, ours, fallbacks = _both_ways(monkeypatch, html, css)
    assert _same(ours, theirs)
    assert fallbacks > 0


def _long_paragraphs(count: int) -> tuple[str, str]:
    """Paragraphs of four to six lines, each with a footnote call in its first two lines
    (an anchor `c<i>` just before the footnote `f<i>`), orphans and widows 2."""
    paragraphs = "".join(
        f"<p>Sentence {i} of the text, long enough to wrap once or twice on the page and then "
        f'some more words<a id="c{i}"></a><span class="fn" id="f{i}">Footnote {i}: '
        + "words of the footnote " * (1 + i % 5 * 4)
        + "</span> "
        + "and the rest of it runs on over another line or two. " * (2 + i % 3)
        + "</p>"
        for i in range(count)
    )
    css = (
        "@page { size: A5; margin: 15mm; @footnote { border-top: 0.5pt solid; } }"
        "p { orphans: 2; widows: 2; }"
        ".fn { float: footnote; footnote-policy: line; font-size: 8pt; }"
    )
    return f"<html><body>{paragraphs}</body></html>", css


def _calls_without_their_footnote(html: str, css: str) -> tuple[list[str], int]:
    """The calls whose footnote is on another page, and the page count."""
    pages = HTML(string=html).render(stylesheets=[CSS(string=css)]).pages
    page_of = {name: index for index, page in enumerate(pages) for name in page.anchors}
    calls = [name for name in page_of if name.startswith("c")]
    return [c for c in calls if page_of.get(f"f{c[1:]}") != page_of[c]], len(pages)


def test_footnotes_stay_on_the_page_of_their_call_where_weasyprint_would_move_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A paragraph's second line overflows the page, and orphans and widows forbid breaking
    before it: WeasyPrint's own rule moves the page's last footnotes to the next page to make
    room for it; ours breaks the paragraph where orphans and widows allow."""
    html, css = _long_paragraphs(40)
    ours, our_pages = _calls_without_their_footnote(html, css)
    with monkeypatch.context() as patch:
        patch.delattr(LayoutContext, "in_column")
        theirs, their_pages = _calls_without_their_footnote(html, css)
    assert len(theirs) >= 4
    assert ours == []
    assert abs(our_pages - their_pages) <= 1


class _Context:
    in_column = footnote_layout.FootnotesStayWithCalls()


def test_in_column_keeps_its_value_outside_the_line_layout() -> None:
    context = _Context()
    context.in_column = False
    assert context.in_column is False
    context.in_column = True
    assert context.in_column is True
    assert isinstance(_Context.__dict__["in_column"], footnote_layout.FootnotesStayWithCalls)


def test_another_weasyprint_keeps_its_own_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", footnote_layout.ORIGINAL)
    monkeypatch.setattr(LayoutContext, "__init__", footnote_layout.ORIGINAL_INIT)
    monkeypatch.delattr(LayoutContext, "in_column")
    monkeypatch.setattr(footnote_layout.weasyprint, "__version__", "71.0")
    footnote_layout.install()
    assert LayoutContext._update_footnote_area is footnote_layout.ORIGINAL
    assert LayoutContext.__init__ is footnote_layout.ORIGINAL_INIT
    assert "in_column" not in LayoutContext.__dict__


class _Box:
    """A stand-in for a footnote box: boxes compare by identity."""


def test_pending_footnotes_answer_as_the_list_they_replace() -> None:
    a, b, c = _Box(), _Box(), _Box()
    pending = footnote_layout.PendingFootnotes()
    assert not pending and None not in pending
    for box in (a, b, c):
        pending.append(box)
    copy = pending.copy()
    pending.remove(b)
    assert list(pending) == [a, c] and len(pending) == 2
    assert b not in pending and a in pending and None not in pending
    assert list(copy) == [a, b, c]
    with pytest.raises(ValueError):
        pending.remove(b)
    with pytest.raises(ValueError):
        pending.remove(_Box())
