"""HTML the generator writes itself, kept out of the Markdown parser.

Citation markers, statement anchors, the "cited by" lists and the archived texts
are HTML from the start. A page's Markdown carries a placeholder for each; the
site adapter swaps the HTML in after Markdown has run. Markdown then reads only
what analysts and templates wrote (most of a large site's Markdown time went on
re-parsing the generator's own markup), and that HTML reaches the page exactly
as written.

Placeholders are made of private-use characters that no Markdown syntax gives a
meaning to. The same characters in text from briefs/ are written as character
references (`escape_sentinels`), so no brief can forge a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

_INLINE, _BLOCK, _END = "\ue000", "\ue001", "\ue002"
_DIGIT_BASE = 0xE010
_TO_DIGITS = str.maketrans({chr(_DIGIT_BASE + d): str(d) for d in range(10)})
_FROM_DIGITS = str.maketrans({str(d): chr(_DIGIT_BASE + d) for d in range(10)})
SENTINEL = re.compile("[\ue000-\ue01f]")
"""The characters placeholders are made of."""
_NUMBER = f"([{chr(_DIGIT_BASE)}-{chr(_DIGIT_BASE + 9)}]+)"
_IN_HTML = re.compile(
    f"<p>{_BLOCK}{_NUMBER}{_END}</p>|{_BLOCK}{_NUMBER}{_END}|{_INLINE}{_NUMBER}{_END}"
)


def escape_sentinels(text: str) -> str:
    """Text from briefs/ with the placeholder characters written as character references."""
    if not SENTINEL.search(text):
        return text
    return SENTINEL.sub(lambda m: f"&#x{ord(m.group()):X};", text)


@dataclass
class Fragments:
    """The HTML pieces of one page, in the order their placeholders were made."""

    items: list[str] = field(default_factory=list)

    def _add(self, html: str, kind: str) -> str:
        self.items.append(html)
        return kind + str(len(self.items) - 1).translate(_FROM_DIGITS) + _END

    def inline(self, html: str) -> str:
        """A placeholder for HTML inside a line of text."""
        return self._add(html, _INLINE)

    def block(self, html: str) -> str:
        """A placeholder for a block of HTML; it must stand alone as a paragraph."""
        return self._add(html, _BLOCK)


def fill(html: str, fragments: Sequence[str]) -> str:
    """Markdown's output with every placeholder replaced by its HTML (a block's paragraph
    wrapper dropped). Inserted HTML is not searched again."""
    if not fragments:
        return html

    def swap(match: re.Match[str]) -> str:
        digits = next(g for g in match.groups() if g is not None)
        return fragments[int(digits.translate(_TO_DIGITS))]

    return _IN_HTML.sub(swap, html)


_MARKERS = re.compile(
    r'<sup class="cite">.*?</sup>|<span class="statement" id="[^"]*"></span>'
    r'|<span class="release-mark [^"]*">[^<]*<span class="visually-hidden">[^<]*'
    r"</span></span>"
)


def without_markers(html: str) -> str:
    """A page's HTML without citation markers, statement anchors and release marks
    (render.release_mark): what the search index gets, so that a result reads as the
    statement ("…the price."), not "…the price1D." or "new in v2: …"."""
    return _MARKERS.sub("", html)
