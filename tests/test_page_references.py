"""WeasyPrint's page references found through an index (adapters/page_references.py) come out
as WeasyPrint's own code makes them: the same pages, every anchor at the same place, the
same page numbers printed; and the index holds what WeasyPrint would have scanned for."""

from __future__ import annotations

import pytest
from weasyprint import CSS, HTML
from weasyprint.css.targets import TargetCollector

from briefing.adapters import page_references
from briefing.adapters.pdf import Stamp
from briefing.output.print_document import print_document
from briefing.pipeline import analyse_dir
from conftest import FIXTURE, ROOT

Pages = list[tuple[list[tuple[str, tuple[float, float]]], str]]


def _pages(html: str, css: str) -> Pages:
    """Each page's anchors and positions, and its text (where the page numbers show)."""
    document = HTML(string=html).render(stylesheets=[CSS(string=css)])
    return [
        (sorted(page.anchors.items()), "".join(_texts(page._page_box))) for page in document.pages
    ]


def _texts(box: object) -> list[str]:
    text = getattr(box, "text", None)
    children = getattr(box, "children", ())
    return [text] if isinstance(text, str) else [t for child in children for t in _texts(child)]


def _both_ways(monkeypatch: pytest.MonkeyPatch, html: str, css: str) -> tuple[Pages, Pages]:
    assert TargetCollector.cache_target_page_counters is page_references.cache_target_page_counters
    ours = _pages(html, css)
    with monkeypatch.context() as patch:
        patch.setattr(TargetCollector, "cache_target_page_counters", page_references.ORIGINAL)
        theirs = _pages(html, css)
    return ours, theirs


def _contents_first(sections: int) -> tuple[str, str]:
    """A contents with a page number for each of `sections` sections that follow it, and
    sections that refer back and forward to each other's pages; the contents' heading names
    the last section's page in its own style sheet (an anchor WeasyPrint knows by name: an
    `attr()` reference is known to it by no name)."""
    contents = "".join(
        f'<li><a class="toc" href="#s{i}">Section {i}</a></li>' for i in range(sections)
    )
    body = "".join(
        f'<h2 id="s{i}">Section {i}</h2>'
        + "<p>Words of the section that fill some of the page. " * (1 + i % 4)
        + f'See <a class="ref" href="#s{(i * 7) % sections}">another section</a>.</p>'
        for i in range(sections)
    )
    css = (
        "@page { size: A6; margin: 10mm }"
        "a.toc::after { content: leader('. ') target-counter(attr(href url), page) }"
        "a.ref::after { content: ' (p. ' target-counter(attr(href url), page) ')' }"
    )
    last = f"#s{sections - 1}"
    css += f"h1::after {{ content: ' (to p. ' target-counter(url({last}), page) ')' }}"
    return f"<html><body><h1>Contents</h1><ul>{contents}</ul>{body}</body></html>", css


def test_page_numbers_of_a_contents_and_cross_references_come_out_as_weasyprints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ours, theirs = _both_ways(monkeypatch, *_contents_first(60))
    assert len(theirs) > 10
    assert ours == theirs
    assert any("Section 59. " in text for _, text in ours)
    assert f"Contents (to p. {len(ours)})" in ours[0][1]


def test_the_briefings_print_document_comes_out_as_weasyprints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    analysis = analyse_dir(FIXTURE / "briefs")
    document = print_document(analysis, ROOT / "templates", Stamp("abc1234", "2024-07-01"), "a4")
    ours, theirs = _both_ways(monkeypatch, document.html, document.css)
    assert ours == theirs


def test_the_index_holds_every_content_lookup_that_refers_to_an_anchor() -> None:
    html, css = _contents_first(5)
    collectors: list[TargetCollector] = []
    original_init = TargetCollector.__init__

    def remembered(collector: TargetCollector) -> None:
        original_init(collector)
        collectors.append(collector)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TargetCollector, "__init__", remembered)
        HTML(string=html).render(stylesheets=[CSS(string=css)])
    (collector,) = collectors
    index = page_references.referring(collector)
    expected = {
        anchor: [
            (lookup, missing)
            for (_, token), lookup in collector.counter_lookup_items.items()
            if token == "content"
            for name, missing in lookup.missing_target_counters.items()
            if name == anchor
        ]
        for anchor in index
    }
    assert index == expected
    assert len(index["s4"]) == 1  # the heading's, by name
    assert sum(len(lookups) for lookups in index.values()) == 11  # and 5 contents lines, 5 refs


def test_another_weasyprint_keeps_its_own_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TargetCollector, "cache_target_page_counters", page_references.ORIGINAL)
    monkeypatch.setattr(page_references.weasyprint, "__version__", "71.0")
    page_references.install()
    assert TargetCollector.cache_target_page_counters is page_references.ORIGINAL
