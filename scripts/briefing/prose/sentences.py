"""Split one block of inline Markdown into sentences."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

_CANDIDATE = re.compile(r"([.!?…]+)(?:[”’\"')\]*_]|</[A-Za-z][A-Za-z0-9]*\s*>)*")
_SPACE = re.compile(r"\s*")
_OPENERS = re.compile(r"(?:[\"“‘'(\[*_]|<[A-Za-z][^<>]*>\s*)*")
_ACRONYM = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_LEADING_MARKUP = "\"“‘'([*_"
_QUOTE_OPENERS = "\"“‘'(["
_WORD_WINDOW = 48

_CAPITALISED_ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Sen", "Rep", "St",
    "Gov", "Capt", "Maj", "Sgt", "Adm", "Rev", "Hon",
    "Art", "Arts", "No", "Nos", "Inc", "Ltd", "Co", "Corp",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
})  # fmt: skip
_LOWERCASE_ABBREVIATIONS = frozenset({
    "vs", "v", "cf", "al", "approx", "ca", "viz",
    "para", "paras", "p", "pp", "vol", "vols", "ch", "sec", "fig", "figs",
})  # fmt: skip
_ABBREVIATIONS = (
    _CAPITALISED_ABBREVIATIONS
    | _LOWERCASE_ABBREVIATIONS
    | {word.capitalize() for word in _LOWERCASE_ABBREVIATIONS}
)
_NUMBERED_ABBREVIATIONS = frozenset({"no", "nos", "art", "arts"})


@dataclass(frozen=True)
class Sentence:
    """``text[start:end]`` is one sentence; it starts and ends on non-whitespace."""

    start: int
    end: int


class _Spans:
    """Spans that answer "does any span overlap [lo, hi)?" in O(log n)."""

    def __init__(self, spans: Sequence[tuple[int, int]], size: int) -> None:
        clean = sorted(span for span in (_clamp(s, size) for s in spans) if span[1] > span[0])
        self._starts = [start for start, _ in clean]
        self._max_end = list(accumulate((end for _, end in clean), max))

    def overlaps(self, lo: int, hi: int) -> bool:
        count = bisect_left(self._starts, hi)
        return count > 0 and self._max_end[count - 1] > lo


def split_sentences(
    text: str,
    *,
    opaque: Sequence[tuple[int, int]] = (),
    attachable: Sequence[tuple[int, int]] = (),
) -> list[Sentence]:
    """Split ``text`` into sentences, never inside ``opaque`` spans.

    ``attachable`` spans (citation groups) that follow a sentence end with only
    whitespace between belong to the preceding sentence.
    """
    first = _skip_space(text, 0)
    if first == len(text):
        return []
    blocked = _Spans([*opaque, *attachable], len(text))
    attach = _attach_map(text, attachable)
    sentences: list[Sentence] = []
    start = first
    for match in _CANDIDATE.finditer(text, first):
        cut = _cut(text, match, start, blocked, attach) if match.start() >= start else None
        if cut is not None:
            sentences.append(Sentence(start, cut[0]))
            start = cut[1]
    sentences.append(Sentence(start, len(text.rstrip())))
    return sentences


def _cut(
    text: str, match: re.Match[str], start: int, blocked: _Spans, attach: dict[int, int]
) -> tuple[int, int] | None:
    """(end of this sentence, start of the next) if ``match`` ends a sentence."""
    end, following = _extend(text, match.end(), attach)
    terminator = match.start()
    if following == end or following >= len(text):
        return None
    if blocked.overlaps(terminator, terminator + 1) or blocked.overlaps(end, following):
        return None
    if not _starts_sentence(text, following):
        return None
    if not _terminates(text, terminator, match.group(1), following):
        return None
    return end, following


def _extend(text: str, end: int, attach: dict[int, int]) -> tuple[int, int]:
    """Move ``end`` past attachable spans; return it and the next non-space offset."""
    following = _skip_space(text, end)
    while following in attach:
        end = attach[following]
        following = _skip_space(text, end)
    return end, following


def _starts_sentence(text: str, pos: int) -> bool:
    """True when a new sentence can begin at ``pos``."""
    openers = _OPENERS.match(text, pos)
    head = openers.end() if openers else pos
    if head >= len(text):
        return False
    char = text[head]
    if char.isdigit() or char == "`":
        return True
    if char == "@":
        return head + 1 < len(text) and (text[head + 1].isalnum() or text[head + 1] == "_")
    return char.isalpha() and not char.islower()


def _terminates(text: str, pos: int, run: str, following: int) -> bool:
    """True when the punctuation ``run`` at ``pos`` ends a sentence."""
    if "!" in run or "?" in run:
        return True
    if "…" in run or len(run) > 1:
        return not _is_leading_ellipsis(text, pos)
    return not _is_abbreviation(text, pos, following)


def _is_leading_ellipsis(text: str, pos: int) -> bool:
    """True for an ellipsis opening the text or a quotation (`“ …co-operation`)."""
    before = pos
    while before > 0 and text[before - 1].isspace():
        before -= 1
    return before == 0 or text[before - 1] in _QUOTE_OPENERS


def _is_abbreviation(text: str, pos: int, following: int) -> bool:
    """True when the period at ``pos`` closes an abbreviation or initial."""
    word = _word_before(text, pos)
    if not word:
        return False
    if _ACRONYM.fullmatch(word) or word in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():
        return word != "I" or _previous_word_capitalised(text, pos)
    return word.lower() in _NUMBERED_ABBREVIATIONS and text[following].isdigit()


def _word_before(text: str, pos: int) -> str:
    """The whitespace-delimited word ending at ``pos``, without leading markup."""
    chunk = text[max(0, pos - _WORD_WINDOW) : pos]
    if not chunk or chunk[-1].isspace():
        return ""
    return chunk.split()[-1].lstrip(_LEADING_MARKUP)


def _previous_word_capitalised(text: str, pos: int) -> bool:
    """True when the word before the one ending at ``pos`` starts with a capital."""
    chunk = text[max(0, pos - _WORD_WINDOW) : pos].split()
    if len(chunk) < 2:
        return False
    previous = chunk[-2].lstrip(_LEADING_MARKUP)
    return bool(previous) and previous[0].isupper()


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _clamp(span: tuple[int, int], size: int) -> tuple[int, int]:
    start, end = span
    if 0 <= start <= size and 0 <= end <= size:
        return span
    return max(0, min(start, size)), max(0, min(end, size))


def _attach_map(text: str, spans: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Map each attachable span's start to its furthest end, both trimmed of spaces."""
    result: dict[int, int] = {}
    for span in spans:
        start, end = _clamp(span, len(text))
        start = _skip_space(text, start)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            result[start] = max(end, result.get(start, end))
    return result
