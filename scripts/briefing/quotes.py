"""Quote verification: do these words appear in the source's archived text?

Only differences of white space, straight/curly quotes and dash forms are
ignored (BRIEFS.md); case and every other character must match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
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
    starts = _word_starts(text)
    return _raw_offset(starts, found), _raw_offset(starts, found + len(needle) - 1) + 1


@lru_cache(maxsize=4096)
def _word_starts(text: str) -> tuple[list[int], list[int]]:
    """Where each word starts in `normalise(text)` and in `text`.

    Folding quotes and dashes keeps every character's place, so only the collapsed
    white space moves offsets: within a word they map one to one."""
    normalised, raw, position = [], [], 0
    for word in _WORD.finditer(text):
        normalised.append(position)
        raw.append(word.start())
        position += word.end() - word.start() + 1
    return normalised, raw


def _raw_offset(starts: tuple[list[int], list[int]], offset: int) -> int:
    """An offset into `normalise(text)` (never on a space) as an offset into `text`."""
    normalised, raw = starts
    word = bisect_right(normalised, offset) - 1
    return raw[word] + offset - normalised[word]
