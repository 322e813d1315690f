"""Quote verification: do these words appear in the source's archived text?

Only differences of white space, straight/curly quotes and dash forms are
ignored (BRIEFS.md); case and every other character must match. Chinese and Japanese
are written without spaces between words, so white space between two of their
characters (a line broken inside a sentence) is no space at all; Korean separates its
words with spaces, which count as they do in English.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\ufe58": "-",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)
_SPACE = re.compile(r"\s+")
_UNSPACED = (
    "\u3000-\u303f\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f"
)
"""Scripts written without spaces between words: CJK punctuation, kana, Han ideographs,
full-width forms (not Hangul, whose words are spaced)."""
_UNSPACED_GAP = re.compile(f"(?<=[{_UNSPACED}]) (?=[{_UNSPACED}])")
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")


def normalise(text: str) -> str:
    """Fold quotes and dashes to ASCII and runs of white space to one space, or to none
    between two characters of a script written without spaces (Chinese, Japanese)."""
    folded = _SPACE.sub(" ", text.translate(_QUOTES)).strip()
    return folded if folded.isascii() else _UNSPACED_GAP.sub("", folded)


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
    return locate_quote(text, normalise(quote), haystack)


def locate_quote(text: str, needle: str, haystack: str) -> tuple[int, int] | None:
    """`find_quote` for a quote already normalised (`needle`) in a text whose normalised form
    is `haystack`: where it is in `text` (start, end offsets), or None when it is not there.
    Resolution verifies a citation's first quote and finds its passage with one call."""
    found = haystack.find(needle) if needle else -1
    if found < 0:
        return None
    starts = _word_starts(text)
    return _raw_offset(starts, found), _raw_offset(starts, found + len(needle) - 1) + 1


@lru_cache(maxsize=4096)
def _word_starts(text: str) -> tuple[list[int], list[int]]:
    """Where each word starts in `normalise(text)` and in `text`.

    Folding quotes and dashes keeps every character's place, so only the collapsed
    white space moves offsets: within a word they map one to one. Two words of a script
    written without spaces are joined with nothing between them, as `normalise` joins them."""
    folded = text.translate(_QUOTES)
    normalised: list[int] = []
    raw: list[int] = []
    position, previous = 0, ""
    for word in _WORD.finditer(folded):
        if normalised and not (
            _UNSPACED_CHAR.match(previous) and _UNSPACED_CHAR.match(folded, word.start())
        ):
            position += 1
        normalised.append(position)
        raw.append(word.start())
        position += word.end() - word.start()
        previous = folded[word.end() - 1]
    return normalised, raw


def _raw_offset(starts: tuple[list[int], list[int]], offset: int) -> int:
    """An offset into `normalise(text)` (never on a space) as an offset into `text`."""
    normalised, raw = starts
    word = bisect_right(normalised, offset) - 1
    return raw[word] + offset - normalised[word]
