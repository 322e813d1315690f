"""WeasyPrint's page references (`target-counter(…, page)`) updated through an index.

When it lays a page out, WeasyPrint 70.0 tells its target collector the page of each anchor
on it (`TargetCollector.cache_target_page_counters`). When an anchor's page is new, the
collector looks for the boxes whose content refers to that anchor (a contents line, a
"(p. 7)" after a link) by scanning every box that has a page-based counter in its content:
one scan of the document an anchor, quadratic in the document, since the contents and the
bibliography refer to every note. Here the boxes referring to an anchor are found in a dict,
made once when the collector has finished collecting (the boxes and what they miss are fixed
from then on); what is done with each box is WeasyPrint's, in the same order.

As with footnote_layout.py, only the pinned WeasyPrint is changed (this is internal code);
tests/test_page_references.py lays documents out both ways and compares them.
"""

from __future__ import annotations

import copy
from typing import Any

import weasyprint
from weasyprint.css.targets import TargetCollector

from .footnote_layout import PINNED

ORIGINAL = TargetCollector.cache_target_page_counters
"""WeasyPrint's own method: the reference the tests compare against."""

_Referring = dict[str, list[tuple[Any, list[str]]]]
"""For each anchor, the counter lookups (`CounterLookupItem`) of the boxes whose content
refers to it, in the collector's order, each with the counters it misses from the anchor."""


def referring(collector: Any) -> _Referring:
    """The index of `collector`'s content lookups by the anchor they refer to, made on first
    use (and again should the collector have gained lookups since, which WeasyPrint 70.0
    never does once it has stopped collecting)."""
    lookups = collector.counter_lookup_items
    made = collector.__dict__.get("_briefing_referring")
    if made is not None and made[0] == len(lookups):
        known: _Referring = made[1]
        return known
    index: _Referring = {}
    for (_, css_token), lookup in lookups.items():
        if css_token != "content":
            continue
        for anchor, missing in lookup.missing_target_counters.items():
            index.setdefault(anchor, []).append((lookup, missing))
    collector.__dict__["_briefing_referring"] = (len(lookups), index)
    return index


def cache_target_page_counters(
    collector: Any,
    anchor_name: str,
    page_counter_values: dict[str, list[int]],
    page_maker_index: int,
    page_maker: list[Any],
) -> None:
    """`TargetCollector.cache_target_page_counters`: remember the anchor's page, and when it
    changed, mark the boxes that refer to it for another layout (their page is not laid
    out yet: pending) or lay their content out again and mark their page as changed."""
    if collector.collecting:
        return
    target = collector.target_lookup_items.get(anchor_name)
    if not target or target.state != "up-to-date":
        return
    target.page_maker_index = page_maker_index
    if target.cached_page_counter_values == page_counter_values:
        return
    target.cached_page_counter_values = copy.deepcopy(page_counter_values)
    for lookup, missing in referring(collector).get(anchor_name, ()):
        if lookup.page_maker_index is None or lookup.page_maker_index >= len(page_maker):
            lookup.pending = True
        elif any(page_counter_values.get(name) is not None for name in missing):
            page_maker[lookup.page_maker_index][-1]["content_changed"] = True
            lookup.parse_again(lookup.cached_page_counter_values)


def install() -> None:
    """Use `cache_target_page_counters` in WeasyPrint's layout, if this is the pinned
    WeasyPrint."""
    if weasyprint.__version__ == PINNED:
        TargetCollector.cache_target_page_counters = cache_target_page_counters
