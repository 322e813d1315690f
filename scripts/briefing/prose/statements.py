"""Statements: every sentence of a note's prose, with its file position and citations.

Notes are parsed with markdown-it-py, which keeps the line range of every
block; each prose block (paragraph, list item, table cell, block quote,
admonition body) is split into sentences with exact offsets, then mapped back
to the note body, once: each sentence and each citation group gets its body offset and
its body line and column, which resolution (analysis/resolve.py) turns into file positions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

from .citations import CitationGroup, CitationSyntaxError, parse_citations
from .sentences import split_sentences

_OPAQUE = re.compile(
    r"(`+)[\s\S]*?\1"  # code spans
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # link destinations
    r"|<[^<>\n]+>"  # HTML tags and autolinks
)
_HAS_WORD = re.compile(r"\w")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?…])")
_ROW_LABEL = re.compile(r"^(\*\*|__)[^*_]+\1$")
_LABEL_CONTAINERS = {"heading_open", "admonition_title_open", "th_open"}
_KIND_OF = {
    "td_open": "table cell",
    "list_item_open": "list item",
    "blockquote_open": "block quote",
    "admonition_open": "admonition",
}


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The block parser for notes: CommonMark plus tables and `!!!` admonitions. Inline
    parsing is off: only each inline token's source text is read."""
    return MarkdownIt("commonmark").enable("table").use(admon_plugin).disable("inline")


@dataclass(frozen=True)
class Admonition:
    kind: str
    title: str
    line: int


@dataclass(frozen=True)
class ProseBlock:
    """The inline Markdown of one block, and where each of its lines starts in the body."""

    text: str
    kind: str
    line_starts: tuple[tuple[int, int, int], ...]
    """(offset in text, body line (0-based), column in that line (0-based)) per text line."""
    body_lines: tuple[int, ...] = ()
    """Where each line of the note body starts, as an offset into the body."""

    def body_offset(self, offset: int) -> int:
        """The offset into the note body of an offset into `text`."""
        line, col = self.locate(offset)
        return self.body_lines[line] + col

    def locate(self, offset: int) -> tuple[int, int]:
        """Body line (0-based) and column (0-based) of an offset into `text`."""
        chosen = self.line_starts[0]
        for start in self.line_starts:
            if start[0] > offset:
                break
            chosen = start
        text_start, line, col = chosen
        return line, col + offset - text_start


@dataclass(frozen=True)
class PlacedGroup:
    """One citation group as parsed, and where it stands in the note body."""

    group: CitationGroup
    """The group as parsed (its offsets are into its block's text)."""
    start: int
    end: int
    """Offsets into the note body: `body[start:end]` is the group, `[` to `]`."""
    line: int
    col: int
    """Body line and column (0-based) of its `[`."""


@dataclass(frozen=True)
class Sentence:
    """One statement: its Markdown source and its place in the note body."""

    text: str
    kind: str
    start: tuple[int, int]
    """Body line and column (0-based) of its first character."""
    groups: tuple[PlacedGroup, ...]
    """Its citation groups, each with its place in the body."""
    plain: str
    """The sentence without its citation groups, white space collapsed."""
    malformed: bool = False
    """A citation in it could not be read: its syntax error is the finding, not "uncited"."""
    offset: int = 0
    """Offset of its first character into the note body."""

    @property
    def citations(self) -> tuple[CitationGroup, ...]:
        """Its citation groups as parsed."""
        return tuple(placed.group for placed in self.groups)

    @property
    def is_statement(self) -> bool:
        return bool(_HAS_WORD.search(self.plain))


@dataclass(frozen=True)
class NoteProse:
    sentences: tuple[Sentence, ...]
    syntax_errors: tuple[tuple[tuple[int, int], CitationSyntaxError], ...]
    admonitions: tuple[Admonition, ...]
    headings: tuple[tuple[int, int], ...]
    """(body line, level) of every heading, for shifting them under the note title."""
    html_blocks: tuple[int, ...] = ()
    """Body lines (0-based) where a raw HTML block starts: its text would escape the checks."""


def strip_citations(text: str, spans: Iterable[tuple[int, int]] | None = None) -> str:
    """The text without its citation groups (at `spans`, or found by parsing), white space
    collapsed."""
    if spans is None:
        spans = [(g.start, g.end) for g in parse_citations(text).groups]
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    return _SPACE_BEFORE_PUNCTUATION.sub(_punctuation, " ".join("".join(pieces).split()))


def _punctuation(match: re.Match[str]) -> str:
    return match.group(1)


@lru_cache(maxsize=16384)
def analyse_prose(body: str) -> NoteProse:
    """Find every sentence of prose in a note body.

    Cached by content: `mkdocs serve` rebuilds on every save, and only the notes
    that changed are parsed again. A body another process parsed (parallel.py) is taken as
    it gave it."""
    made = _parsed_elsewhere.pop(body, None)
    return made if made is not None else parse_body(body)


_parsed_elsewhere: dict[str, NoteProse] = {}
"""Parses made in another process (parallel.analyse_many), until analyse_prose asks for them."""


def give_parsed(parsed: Iterable[tuple[str, NoteProse]]) -> None:
    """Hand analyse_prose parses made elsewhere, (body, parse) pairs."""
    _parsed_elsewhere.update(parsed)


def forget_parsed() -> None:
    """Drop parses given and not asked for (a body analyse_prose had cached already)."""
    _parsed_elsewhere.clear()


def parse_body(body: str) -> NoteProse:
    """analyse_prose without its cache: the parse itself."""
    lines = body.split("\n")
    tokens = markdown_parser().parse(body)
    sentences: list[Sentence] = []
    errors: list[tuple[tuple[int, int], CitationSyntaxError]] = []
    for block in _prose_blocks(tokens, lines, _line_offsets(lines)):
        parsed = parse_citations(block.text)
        errors += [(block.locate(e.offset), e) for e in parsed.errors]
        sentences += _sentences(block, parsed.groups, [e.offset for e in parsed.errors])
    html_blocks = tuple(
        t.map[0] for t in tokens if t.type == "html_block" and t.map and not _is_comment(t.content)
    )
    return NoteProse(
        tuple(sentences),
        tuple(errors),
        tuple(_admonitions(tokens)),
        tuple(_headings(tokens)),
        html_blocks,
    )


def _sentences(
    block: ProseBlock, groups: tuple[CitationGroup, ...], error_offsets: list[int]
) -> Iterator[Sentence]:
    spans = [(g.start, g.end) for g in groups]
    opaque = spans + [m.span() for m in _OPAQUE.finditer(block.text)]
    for span in split_sentences(block.text, opaque=opaque, attachable=spans):
        inside = tuple(g for g in groups if span.start <= g.start and g.end <= span.end)
        text = block.text[span.start : span.end]
        yield Sentence(
            text=text,
            kind=block.kind,
            start=block.locate(span.start),
            groups=tuple(
                PlacedGroup(
                    g, block.body_offset(g.start), block.body_offset(g.end), *block.locate(g.start)
                )
                for g in inside
            ),
            plain=strip_citations(
                text, [(g.start - span.start, g.end - span.start) for g in inside]
            ),
            malformed=any(span.start <= at < span.end for at in error_offsets),
            offset=block.body_offset(span.start),
        )


def _line_offsets(lines: list[str]) -> tuple[int, ...]:
    """Where each line starts in the body the lines were split from."""
    offsets, total = [], 0
    for line in lines:
        offsets.append(total)
        total += len(line) + 1
    return tuple(offsets)


def _prose_blocks(
    tokens: list[Token], lines: list[str], body_lines: tuple[int, ...]
) -> Iterator[ProseBlock]:
    stack: list[str] = []
    cursor: dict[int, int] = {}
    row_line = 0
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.type)
            if token.type == "tr_open" and token.map:
                row_line = token.map[0]
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline" and not _is_label(token, stack):
            first = token.map[0] if token.map else row_line
            yield ProseBlock(
                token.content,
                _kind(stack),
                _line_starts(token.content, first, lines, cursor),
                body_lines,
            )


def _is_label(token: Token, stack: list[str]) -> bool:
    """Headings, admonition titles, table headers and wholly bold table cells label, not state."""
    parent = stack[-1] if stack else ""
    if parent in _LABEL_CONTAINERS:
        return True
    return parent == "td_open" and bool(_ROW_LABEL.match(token.content.strip()))


def _is_comment(html: str) -> bool:
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->") and "-->" not in text[4:-3]


def _kind(stack: list[str]) -> str:
    for opened in reversed(stack):
        if opened in _KIND_OF:
            return _KIND_OF[opened]
    return "paragraph"


def _line_starts(
    content: str, first: int, lines: list[str], cursor: dict[int, int]
) -> tuple[tuple[int, int, int], ...]:
    """Find each line of an inline's content in the body's lines, left to right."""
    starts = []
    offset = 0
    for index, piece in enumerate(content.split("\n")):
        line = min(first + index, len(lines) - 1)
        source = lines[line]
        found = source.find(piece, cursor.get(line, 0)) if piece else -1
        col = found if found >= 0 else len(source) - len(source.lstrip())
        cursor[line] = col + len(piece)
        starts.append((offset, line, col))
        offset += len(piece) + 1
    return tuple(starts)


def _admonitions(tokens: list[Token]) -> Iterator[Admonition]:
    for token in tokens:
        if token.type == "admonition_open":
            line = token.map[0] if token.map else 0
            yield Admonition(str(token.meta.get("tag", "")), token.content.strip(), line)


def _headings(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """ATX (`### Title`) and setext (`Title` over `===` or `---`) headings alike."""
    for token in tokens:
        if token.type == "heading_open" and token.map:
            yield token.map[0], int(token.tag[1])
