"""Quote verification: do these words appear in the source's archived text?

Only differences of white space, straight/curly quotes and dash forms are
ignored (BRIEFS.md); case and every other character must match.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


@lru_cache(maxsize=4096)
def normalised_source(body: str) -> str:
    """`normalise` for archived texts, cached by content across rebuilds."""
    return normalise(body)


def contains_quote(haystack_normalised: str, quote: str) -> bool:
    """Whether `quote` occurs in a text already passed through `normalise`."""
    needle = normalise(quote)
    return bool(needle) and needle in haystack_normalised


_WORD = re.compile(r"\S+")


def find_quote(text: str, quote: str, normalised: str | None = None) -> tuple[int, int] | None:
    """Where `quote` is in `text` (start, end offsets), matched as `contains_quote` matches.

    `normalised` may pass `normalise(text)` when the caller has it already.
    """
    haystack = normalise(text) if normalised is None else normalised
    needle = normalise(quote)
    found = haystack.find(needle) if needle else -1
    if found < 0:
        return None
    start, last = _raw_offsets(text, [found, found + len(needle) - 1])
    return start, last + 1


def _raw_offsets(text: str, targets: list[int]) -> list[int]:
    """Map offsets in `normalise(text)` back to `text` (targets ascending, never on a space).

    Folding quotes and dashes keeps every character's place, so only the collapsed
    white space has to be walked over.
    """
    result: list[int] = []
    pending = iter(targets)
    target = next(pending, None)
    position = 0
    for word in _WORD.finditer(text):
        length = word.end() - word.start()
        while target is not None and target < position + length:
            result.append(word.start() + target - position)
            target = next(pending, None)
        if target is None:
            break
        position += length + 1
    return result
