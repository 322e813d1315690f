"""Quote verification: do these words appear in the source's archived text?

Only differences of white space, straight/curly quotes and dash forms are
ignored (BRIEFS.md); case and every other character must match.
"""

from __future__ import annotations

import re

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\ufe58": "-", "\ufe63": "-", "\uff0d": "-",
})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold quotes and dashes to ASCII and runs of white space to one space."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def contains_quote(haystack_normalised: str, quote: str) -> bool:
    """Whether `quote` occurs in a text already passed through `normalise`."""
    needle = normalise(quote)
    return bool(needle) and needle in haystack_normalised
