"""WeasyPrint's footnote layout made linear (adapters/footnote_layout.py: the pending
footnotes a set, the footnote area summed from each footnote's own height) lays pages out
exactly as WeasyPrint's own code does: same pages, every anchor at the same place."""

from __future__ import annotations

from collections.abc import Callable
from math import isclose
from typing import Any

import pytest
from weasyprint import CSS, HTML
from weasyprint.layout import LayoutContext

from briefing.adapters import footnote_layout
from briefing.adapters.pdf import Stamp
from briefing.output.print_document import print_document
from briefing.pipeline import analyse_dir
from conftest import FIXTURE, ROOT

FUDGE = 1e-9
"""The relative error WeasyPrint's own overflow test allows (`LayoutContext.overflows`)."""

Layout = list[list[tuple[str, tuple[float, float]]]]


def _layout(html: str, css: str) -> Layout:
    document = HTML(string=html).render(stylesheets=[CSS(string=css)])
    return [sorted(page.anchors.items()) for page in document.pages]


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
    assert ours == theirs
    assert fallbacks == 0


def test_the_briefings_print_document_lays_out_as_weasyprint_lays_it_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analysis = analyse_dir(FIXTURE / "briefs")
    document = print_document(analysis, ROOT / "templates", Stamp("abc1234", "2024-07-01"), "a4")
    theirs, ours, fallbacks = _both_ways(monkeypatch, document.html, document.css)
    assert ours == theirs
    assert fallbacks == 0


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
    assert ours == theirs
    assert fallbacks > 0


def test_another_weasyprint_keeps_its_own_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", footnote_layout.ORIGINAL)
    monkeypatch.setattr(LayoutContext, "__init__", footnote_layout.ORIGINAL_INIT)
    monkeypatch.setattr(footnote_layout.weasyprint, "__version__", "71.0")
    footnote_layout.install()
    assert LayoutContext._update_footnote_area is footnote_layout.ORIGINAL
    assert LayoutContext.__init__ is footnote_layout.ORIGINAL_INIT


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
