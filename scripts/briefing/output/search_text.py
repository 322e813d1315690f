"""A page as a search index reads it: the HTML without the elements that carry
`data-search-exclude` (annotate.SEARCH_EXCLUDE), nor the statements' empty anchors.

Material's search plugin skips those elements itself, but only after its HTML parser has
read every tag in them: on a topic page of 1,000 notes, the citation markers are most of the
tags, and the cited-by lists most of a source page's. Handed the page without them, the
plugin writes the same index (tests/test_search_text.py holds it to that) from a fraction of
the tags. The elements are found by their tags alone: a generated page is sanitised HTML
(sanitize.py), so its tags are balanced and neither its text nor its attribute values hold a
`<` (nh3 writes `&lt;`); an element's end is the end tag of its name that balances the start
tags of that name inside it.
"""

from __future__ import annotations

import re
from functools import cache

from .annotate import SEARCH_EXCLUDE

_TAG = re.compile(r"""<(/?)([A-Za-z][\w:-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
"""A start or end tag, a `>` inside a quoted attribute value included."""

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
"""Elements without an end tag: they open nothing to close."""


_ANCHOR = re.compile(r'<span class="statement" id="[^"<>]*"></span>')
"""A statement's anchor as a generated page has it (annotate.note_markdown, sanitised): an
empty element, which adds nothing to an index."""


def without_search_excluded(html: str) -> str:
    """`html` without each element whose start tag carries SEARCH_EXCLUDE, its content
    included, and without the statements' empty anchors. Where the HTML does not balance, an
    excluded element is left where it is: the search plugin then skips it as before, only
    more slowly."""
    return _ANCHOR.sub("", _without_excluded(html))


def _without_excluded(html: str) -> str:
    pieces: list[str] = []
    cursor = 0
    position = html.find(SEARCH_EXCLUDE)
    while position != -1:
        span = _excluded_element(html, position)
        if span is None or span[0] < cursor:
            position = html.find(SEARCH_EXCLUDE, position + len(SEARCH_EXCLUDE))
            continue
        pieces.append(html[cursor : span[0]])
        cursor = span[1]
        position = html.find(SEARCH_EXCLUDE, cursor)
    if not pieces:
        return html
    pieces.append(html[cursor:])
    return "".join(pieces)


def _excluded_element(html: str, position: int) -> tuple[int, int] | None:
    """Where the element runs (start, end) whose start tag holds `position`, if that is an
    attribute of a start tag and its end tag is found."""
    start = html.rfind("<", 0, position)
    opening = _TAG.match(html, start) if start != -1 else None
    if opening is None or opening.group(1) or opening.end() <= position:
        return None
    name = opening.group(2).lower()
    if name in VOID:
        return None
    depth = 1
    for tag in _named(name).finditer(html, opening.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return start, tag.end()
    return None


@cache
def _named(name: str) -> re.Pattern[str]:
    """A start or end tag of one element name."""
    return re.compile(rf"<(/?){re.escape(name)}(?=[\s/>])[^>]*>", re.IGNORECASE)
