"""Parse Pandoc bracket citations such as ``[see @key, p. 4; @other]``."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass

_CLOSING_QUOTE = {'"': '"', "“": "”"}
_DETECT = re.compile(r"\[[^\[\]]*?(?<=[\s\-\[;])@")
_STRUCTURE = re.compile(r"[\[\];\"“]")
_KEY_OR_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<=[\s\-\[;])@")
_SECOND_KEY_OR_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<=[\s\-,])@(?=[^\s,;\]])")
_KEY = re.compile(r"[^\s,;\]]*")
_QUOTED = re.compile(r"\"([^\"]*)\"|“([^”]*)”")
_IN_TEXT = re.compile(
    r"(?<![\w.\\@/:&#>-])-?@(\{[^{}\s]*\}|[\w][\w:.#$%&+?<>~/-]*)(\s*\[[^\[\]@]*\])?"
)
"""Pandoc's in-text citation, `@key says` or `@key [p. 33] says`, outside any bracket; not
after a word, `/`, `:` or `>` (addresses, URLs, an inline tag's content such as CSS)."""
_SPACE = re.compile(r"\s*")
_BACKTICKS = re.compile(r"`+")


@dataclass(frozen=True)
class CitationItem:
    """One ``@key`` reference inside a citation group."""

    key: str
    offset: int
    prefix: str = ""
    locator: str = ""
    quotes: tuple[str, ...] = ()
    """Every double-quoted span in the item: each is a claim that those words are in the
    source, wherever it stands (`[@a, "x"]`, `[@a, para. 3, "x"]`); a translation is not
    one of them."""
    suppress_author: bool = False
    credibility: int | None = None
    """The information's credibility, 1 (confirmed) to 6 (cannot be judged), when the item
    gives it as a suffix term, `[@a, "x", credibility 2]`; the term is not in `locator`."""
    translation: str | None = None
    """The analyst's translation of the quoted original, given as a suffix term
    `trans. "…"` (`[@a, "원문", trans. "the original"]`): not verified against the source,
    not in `quotes`, and the term is not in `locator`."""

    @property
    def quote(self) -> str | None:
        """The first quoted span: the passage a link to the source lands on."""
        return self.quotes[0] if self.quotes else None

    @property
    def quote_only(self) -> bool:
        """The locator is one quote and nothing else, so the quote says all it says."""
        return len(self.quotes) == 1 and _QUOTED.fullmatch(self.locator) is not None

    def to_markdown(self) -> str:
        """Serialise this item as Pandoc citation syntax."""
        head = f"{self.prefix} " if self.prefix else ""
        dash = "-" if self.suppress_author else ""
        terms = [self.locator] if self.locator else []
        if self.translation is not None:
            mark = '"' not in self.translation
            terms.append(f"{TRANSLATION_TERM} {_open(mark)}{self.translation}{_close(mark)}")
        terms += [f"credibility {self.credibility}"] if self.credibility is not None else []
        tail = f", {', '.join(terms)}" if terms else ""
        key = self.key if _KEY.fullmatch(self.key) and "{" not in self.key else f"{{{self.key}}}"
        return f"{head}{dash}@{key}{tail}"


TRANSLATION_TERM = "trans."
"""The suffix term that gives a quote's translation: `[@a, "원문", trans. "the original"]`."""


def _open(straight: bool) -> str:
    return '"' if straight else "“"


def _close(straight: bool) -> str:
    return '"' if straight else "”"


@dataclass(frozen=True)
class CitationGroup:
    """A bracketed group of citation items, ``text[start:end]``."""

    start: int
    end: int
    items: tuple[CitationItem, ...]

    def to_markdown(self) -> str:
        """Serialise the group; parsing the result gives an equivalent group."""
        return "[" + "; ".join(item.to_markdown() for item in self.items) + "]"


@dataclass(frozen=True)
class CitationSyntaxError:
    """A malformed citation, with a message saying how to fix it."""

    offset: int
    message: str


@dataclass(frozen=True)
class ParsedCitations:
    """All citation groups and syntax errors found in a text."""

    groups: tuple[CitationGroup, ...]
    errors: tuple[CitationSyntaxError, ...]


_Span = tuple[int, int]
_Outcome = CitationGroup | list[CitationSyntaxError] | None


def parse_citations(text: str) -> ParsedCitations:
    """Find every Pandoc bracket citation in ``text``; never raises."""
    groups: list[CitationGroup] = []
    errors: list[CitationSyntaxError] = []
    code = _code_spans(text)
    scanner = _GroupScanner(text)
    pos = 0
    while (match := _DETECT.search(text, pos)) is not None:
        start = match.start()
        pos = start + 1
        if _is_escaped(text, start) or _inside(code, start):
            continue
        outcome = _parse_group(text, start, scanner)
        if isinstance(outcome, CitationGroup):
            groups.append(outcome)
            pos = outcome.end
        elif outcome:
            errors.extend(outcome)
    if "@" in text:
        errors += _in_text_errors(text, code + [(g.start, g.end) for g in groups], errors)
    return ParsedCitations(tuple(groups), tuple(sorted(errors, key=lambda e: e.offset)))


def _in_text_errors(
    text: str, skipped: list[_Span], known: list[CitationSyntaxError]
) -> list[CitationSyntaxError]:
    """Pandoc's in-text form is refused, naming the bracketed form to write instead: read as
    plain text, the sentence would be reported uncited without saying why."""
    spans = sorted(skipped)
    reported = {e.offset for e in known}
    errors = []
    for match in _IN_TEXT.finditer(text):
        at = match.start() + (1 if match.group().startswith("-") else 0)
        if _is_escaped(text, match.start()) or _inside(spans, at) or at in reported:
            continue
        if text.rfind("[", 0, at) > text.rfind("]", 0, at):
            continue  # inside brackets: a citation group, a link's text, or a malformed group
        key = match.group(1)
        locator = (match.group(2) or "").strip()[1:-1].strip()
        bracketed = f"[@{key}, {locator}]" if locator else f"[@{key}]"
        errors.append(
            CitationSyntaxError(
                at,
                (
                    f"in-text citation `{match.group().lstrip('-').strip()}` is not read here: "
                    f"write it in brackets after the words it supports, `{bracketed}` "
                    "(for a literal @, write &#64;)"
                ),
            )
        )
    return errors


def _parse_group(text: str, start: int, scanner: _GroupScanner) -> _Outcome:
    """Parse the bracket at ``start``; None when it is not a citation."""
    scanned = scanner.scan(start)
    if isinstance(scanned, CitationSyntaxError):
        return [scanned]
    end, spans = scanned
    if text.startswith("(", end):
        return None
    keyed = [_find_key(text, s, e) for s, e in spans]
    if all(at is None for at in keyed):
        return None
    items: list[CitationItem] = []
    errors: list[CitationSyntaxError] = []
    for index, ((s, e), at) in enumerate(zip(spans, keyed, strict=True)):
        if at is None:
            errors.append(_keyless_item_error(text, s, e, first=index == 0))
            continue
        parsed = _parse_item(text, s, e, at)
        if isinstance(parsed, CitationItem):
            items.append(parsed)
        else:
            errors.extend(parsed)
    return errors or CitationGroup(start, end, tuple(items))


class _GroupScanner:
    """Finds each group's closing bracket and ';'-separated items, skipping quotes.

    A scan outside quotes at a given offset always continues the same way, so
    offsets from failed scans are remembered: rescanning from later brackets
    then stops early and the whole parse stays linear.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._failed: dict[int, int | None] = {}
        self._closers: dict[str, tuple[int, int]] = {}

    def scan(self, start: int) -> tuple[int, list[_Span]] | CitationSyntaxError:
        """(end, item spans) of the group opened at ``start``, or why it fails."""
        text = self._text
        spans: list[_Span] = []
        visited: list[int] = []
        item_start = pos = start + 1
        swallowed: int | None = None
        culprit: int | None = None
        while pos not in self._failed:
            visited.append(pos)
            match = _STRUCTURE.search(text, pos)
            char, at = (match.group(), match.start()) if match else ("[", len(text))
            if char in _CLOSING_QUOTE:
                close = self._find(_CLOSING_QUOTE[char], at + 1)
                if close < 0:
                    culprit = at
                    break
                if swallowed is None and "]" in text[at + 1 : close]:
                    swallowed = at
                pos = close + 1
            elif char == ";":
                spans.append((item_start, at))
                item_start = pos = at + 1
            elif char == "]":
                spans.append((item_start, at))
                return at + 1, spans
            else:
                break
        else:
            culprit = self._failed[pos]
        self._failed.update(dict.fromkeys(visited, culprit))
        return self._error(start, swallowed, culprit)

    def _find(self, closer: str, pos: int) -> int:
        """``str.find`` that reuses its last answer when it still holds."""
        searched_from, found = self._closers.get(closer, (-1, -1))
        if searched_from < 0 or pos < searched_from or 0 <= found < pos:
            found = self._text.find(closer, pos)
            self._closers[closer] = (pos, found)
        return found

    def _error(self, start: int, swallowed: int | None, culprit: int | None) -> CitationSyntaxError:
        if culprit is None:
            return CitationSyntaxError(
                start, "citation has no closing ']': add ']' after its last key or locator"
            )
        return _unterminated_quote_error(self._text, culprit if swallowed is None else swallowed)


def _unterminated_quote_error(text: str, at: int) -> CitationSyntaxError:
    closing = _CLOSING_QUOTE.get(text[at], '"')
    return CitationSyntaxError(at, f"unterminated quote in citation: add the closing {closing}")


def _find_key(text: str, start: int, end: int) -> int | None:
    """Offset of the first unquoted '@' that starts a key in ``text[start:end]``."""
    for match in _KEY_OR_QUOTED.finditer(text, start, end):
        if match.group() == "@":
            return match.start()
    return None


def _parse_item(
    text: str, start: int, end: int, at: int
) -> CitationItem | list[CitationSyntaxError]:
    """Parse one item whose key '@' is at ``at``."""
    suppress = _is_suppressed(text, start, at)
    prefix = text[start : at - 1 if suppress else at].strip()
    braced = _braced_key(text, at, end)
    if isinstance(braced, CitationSyntaxError):
        return [braced]
    if braced is not None:
        key, key_stop = braced
    else:
        key_end = _KEY.match(text, at + 1, end)
        key_stop = key_end.end() if key_end else at + 1
        key = text[at + 1 : key_stop]
    locator_start = _locator_start(text, key_stop, end)
    raw_locator = text[locator_start:end]
    locator = raw_locator.strip()
    errors = _item_errors(text, at, key, locator_start, end)
    value: int | None = None
    if "credibility" in locator.casefold():
        offset = locator_start + len(raw_locator) - len(raw_locator.lstrip())
        read = _credibility(locator, offset, key)
        if isinstance(read, list):
            errors += read
        else:
            locator, value = read
    translation: str | None = None
    if not errors and _TRANSLATION_TERM.search(locator):
        offset = locator_start + len(raw_locator) - len(raw_locator.lstrip())
        taken = _translation(locator, offset, key)
        if isinstance(taken, list):
            errors += taken
        else:
            locator, translation = taken
    if errors:
        return errors
    quotes = _quotes_of(prefix) + _quotes_of(locator)
    if translation is not None and not quotes:
        return [
            CitationSyntaxError(
                at,
                (
                    f"a translation needs the original words it translates: quote them before it, "
                    f'[@{key}, "the source\'s own words", {TRANSLATION_TERM} "their translation"]'
                ),
            )
        ]
    return CitationItem(key, at, prefix, locator, quotes, suppress, value, translation)


_TRANSLATION_TERM = re.compile(r"(?:^|,)\s*trans\.", re.IGNORECASE)
_TRANSLATION = re.compile(r"trans\.\s*(?:\"([^\"]*)\"|“([^”]*)”)", re.IGNORECASE)


def _translation(
    locator: str, offset: int, key: str
) -> tuple[str, str | None] | list[CitationSyntaxError]:
    """The locator without its `trans. "…"` term (a comma-separated term outside quotes, kept
    by Pandoc as suffix text) and the translation; or why the term cannot be read."""
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group()), locator)
    pieces, start = [], 0
    for piece in masked.split(","):
        pieces.append((start + len(piece) - len(piece.lstrip()), start + len(piece)))
        start += len(piece) + 1
    terms = [(s, e) for s, e in pieces if masked[s:e].casefold().startswith(TRANSLATION_TERM)]
    if not terms:
        return locator, None
    (at, stop), *again = terms
    term = locator[at:stop].rstrip()
    read = _TRANSLATION.fullmatch(term)
    errors = []
    if read is None:
        errors.append(
            CitationSyntaxError(
                offset + at,
                (
                    f"a translation is the term {TRANSLATION_TERM} and the translation in double "
                    f'quotes, after the original words: found "{term}"; write e.g. '
                    f'[@{key}, "the source\'s own words", {TRANSLATION_TERM} "their translation"]'
                ),
            )
        )
    if again:
        errors.append(
            CitationSyntaxError(
                offset + again[0][0],
                (f"a translation is given twice for @{key}: give one, after the quoted original"),
            )
        )
    if errors or read is None:
        return errors
    if at > 0:  # drop the term with the comma before it, else with the comma after it
        rest = locator[: locator.rindex(",", 0, at)] + locator[stop:]
    else:
        rest = locator[stop + 1 :]
    text = read.group(1) if read.group(1) is not None else read.group(2)
    return rest.strip(), text


_CREDIBILITY_TERM = re.compile(r"credibility\b", re.IGNORECASE)
_CREDIBILITY_VALUE = re.compile(r"[1-6]")


def _credibility(
    locator: str, offset: int, key: str
) -> tuple[str, int | None] | list[CitationSyntaxError]:
    """The locator without its `credibility N` term (a comma-separated term outside quotes:
    Pandoc keeps it as suffix text), and N; or why the term cannot be read. `offset` is where
    the locator starts in the text."""
    masked = _QUOTED.sub(lambda m: "\0" * len(m.group()), locator)
    pieces, start = [], 0
    for piece in masked.split(","):
        pieces.append((start + len(piece) - len(piece.lstrip()), start + len(piece)))
        start += len(piece) + 1
    terms = [(s, e) for s, e in pieces if _CREDIBILITY_TERM.match(masked, s)]
    if not terms:
        return locator, None
    errors = []
    (at, stop), *again = terms
    term = locator[at:stop].strip()
    value = term[len("credibility") :].strip()
    if not _CREDIBILITY_VALUE.fullmatch(value):
        errors.append(
            CitationSyntaxError(
                offset + at,
                (
                    "the information's credibility is a number from 1 (confirmed by other sources) "
                    f'to 6 (truth cannot be judged): found "{term}"; '
                    f"write e.g. [@{key}, credibility 3]"
                ),
            )
        )
    if again:
        errors.append(
            CitationSyntaxError(
                offset + again[0][0],
                (
                    f"credibility is given twice for @{key}: give it once, "
                    f"e.g. [@{key}, credibility 3]"
                ),
            )
        )
    if errors:
        return errors
    if at > 0:  # drop the term with the comma before it, else with the comma after it
        rest = locator[: locator.rindex(",", 0, at)] + locator[stop:]
    else:
        rest = locator[stop + 1 :]
    return rest.strip(), int(value)


def _braced_key(text: str, at: int, end: int) -> tuple[str, int] | CitationSyntaxError | None:
    """Pandoc's `@{key}` (braces delimit a key): the key and where it stops, or None."""
    if not text.startswith("{", at + 1):
        return None
    close = text.find("}", at + 2, end)
    if close < 0:
        return CitationSyntaxError(at, "braced citation key has no closing '}': write @{source-id}")
    return text[at + 2 : close], close + 1


def _is_suppressed(text: str, start: int, at: int) -> bool:
    """True for '-@key' where the '-' starts the item or follows whitespace."""
    dash = at - 1
    if dash < start or text[dash] != "-":
        return False
    return dash == start or text[dash - 1].isspace()


def _locator_start(text: str, key_stop: int, end: int) -> int:
    """Offset where the locator text begins (after the comma, if any)."""
    after = _skip_space(text, key_stop, end)
    return after + 1 if after < end and text[after] == "," else key_stop


def _quotes_of(text: str) -> tuple[str, ...]:
    if '"' not in text and "“" not in text:
        return ()
    return tuple(
        m.group(1) if m.group(1) is not None else m.group(2) for m in _QUOTED.finditer(text)
    )


def _item_errors(
    text: str, at: int, key: str, locator_start: int, end: int
) -> list[CitationSyntaxError]:
    """Problems with an item whose key starts at ``at``."""
    errors = [] if key else [_empty_key_error(at)]
    for match in _SECOND_KEY_OR_QUOTED.finditer(text, locator_start, end):
        if match.group() == "@":
            errors.append(_second_key_error(text, match.start(), key, end))
        elif len(match.group()) == 2:
            errors.append(_empty_quote_error(match.start()))
    return errors


def _empty_key_error(at: int) -> CitationSyntaxError:
    message = "citation key is empty after '@': write the source key, e.g. [@source-id]"
    return CitationSyntaxError(at, message)


def _second_key_error(text: str, at: int, key: str, end: int) -> CitationSyntaxError:
    second = _KEY.match(text, at + 1, end)
    name = second.group() if second else ""
    message = f"citation item has a second key @{name} after @{key}: separate citations with ';'"
    return CitationSyntaxError(at, message)


def _empty_quote_error(at: int) -> CitationSyntaxError:
    message = "quoted locator is empty: put the source's exact words between the quotes"
    return CitationSyntaxError(at, message)


def _keyless_item_error(text: str, start: int, end: int, *, first: bool) -> CitationSyntaxError:
    """Error for an item that has no '@key'."""
    content = text[start:end].strip()
    if not content:
        offset = end if first else start - 1
        return CitationSyntaxError(offset, "empty citation item: remove the extra ';'")
    offset = _skip_space(text, start, end)
    snippet = content if len(content) <= 40 else content[:37] + "..."
    return CitationSyntaxError(
        offset,
        f"citation item '{snippet}' has no @key: start it with @key, "
        "or attach it to the previous key with ',' instead of ';'",
    )


def _skip_space(text: str, pos: int, end: int) -> int:
    """Offset of the first non-whitespace character in ``text[pos:end]``, or ``end``."""
    match = _SPACE.match(text, pos, end)
    return match.end() if match else pos


def _is_escaped(text: str, pos: int) -> bool:
    """True when the character at ``pos`` follows an odd run of backslashes."""
    run = 0
    while pos - run - 1 >= 0 and text[pos - run - 1] == "\\":
        run += 1
    return run % 2 == 1


def _code_spans(text: str) -> list[_Span]:
    """Markdown code spans: a backtick run closed by the next run of equal length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}
    for index, (s, e) in enumerate(runs):
        by_length.setdefault(e - s, []).append(index)
    spans: list[_Span] = []
    index = 0
    while index < len(runs):
        s, e = runs[index]
        same = by_length[e - s]
        following = bisect_right(same, index)
        if following < len(same):
            closer = same[following]
            spans.append((s, runs[closer][1]))
            index = closer + 1
        else:
            index += 1
    return spans


def _inside(spans: list[_Span], pos: int) -> bool:
    """True when ``pos`` lies within one of the sorted, disjoint ``spans``."""
    index = bisect_right(spans, (pos, sys.maxsize)) - 1
    return index >= 0 and spans[index][0] <= pos < spans[index][1]
