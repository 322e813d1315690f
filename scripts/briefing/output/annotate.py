"""A note's Markdown as readers get it, the same on the site and on paper: citation markers
with their grade and tooltip data, statement anchors, headings nested under the note's own,
release marks, and a changed statement's words.

Read from the analysis alone (analysis/model.py): the body spans and passages resolution
found, never the parse again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

from ..analysis.diff import (
    ADDED,
    StatementChange,
    word_diff,
)
from ..analysis.model import AnalysedNote, Citation, CitedGroup, Statement
from ..analysis.sourcing import DEFAULT_CREDIBILITY
from ..read.models import (
    CREDIBILITY_LABELS,
    RELIABILITY_LABELS,
    Source,
)
from .exports import ld_script
from .fragments import SENTINEL as _SENTINEL
from .fragments import escape_sentinels
from .markup import attr_text, reading_text
from .urls import (
    href,
    source_path,
)

SEARCH_EXCLUDE = "data-search-exclude"
"""The attribute on citation markers, release marks, source pages' cited-by lists and pages'
references lists that keeps them out of the search index, in every engine: Material's
search plugin skips an element that carries it, and Zensical drops it from search.json (and
the attribute from the page). A result then reads as the statement ("…the price."), not
"…the price1D." or "new in v2: …", and is found where it stands, not again on the page of
every source it cites. Statement anchors are empty, so they need none."""


@dataclass
class Numbering:
    """Citation numbers on one page: each source numbered at its first citation."""

    page: str
    sources: dict[str, Source]
    numbers: dict[str, int] = field(default_factory=dict)
    directory_urls: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    """Each source's label (models.source_labels); a source missing here has its own."""
    grades: set[tuple[str, int]] = field(default_factory=set)
    """The two-part grades the page's badges show (`grade_legend`)."""

    def label(self, source_id: str) -> str:
        return self.labels.get(source_id) or self.sources[source_id].meta.label

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def references(self) -> list[tuple[int, Source]]:
        return [(n, self.sources[sid]) for sid, n in self.numbers.items()]


@cache
def grade_badge(grade: str) -> str:
    label = RELIABILITY_LABELS[grade]
    return (
        f'<span class="grade grade-{grade.lower()}" title="Reliability {grade}: {label}">'
        f"{grade}</span>"
    )


def credibility_words(credibility: int, given: bool = True) -> str:
    """What a citation's credibility means, and why it is what it is when it is a default."""
    label = CREDIBILITY_LABELS[credibility]
    if given:
        return label
    if credibility == DEFAULT_CREDIBILITY:
        return f"{label}, not graded by the analysts"
    return f"{label}, as an independent source in the same citation says the same"


def grade_words(grade: str, credibility: int) -> str:
    """Both parts of a citation's grade, spelled out."""
    return (
        f"source reliability {grade}: {RELIABILITY_LABELS[grade]}; "
        f"information credibility {credibility}: {CREDIBILITY_LABELS[credibility]}"
    )


def grade_label_id(grade: str, credibility: int) -> str:
    """The id of the page's words for one two-part grade (`grade_legend`); upper case, which
    no heading's slug has."""
    return f"grade-{grade}{credibility}"


@cache
def citation_badge(grade: str, credibility: int = DEFAULT_CREDIBILITY) -> str:
    """A citation's two-part grade in Admiralty order, `C3`: the source's reliability (A-F) and
    the credibility of this piece of information (1-6). Screen readers get it spelled out, as
    an image named by the page's words for that grade (`grade_legend`: written once a page,
    not in every badge, where they were a third of a topic page). Sighted readers get the
    words from the marker's tooltip (briefing.js shows it on the badge too, and says why a
    default is what it is)."""
    return (
        f'<span class="grade grade-{grade.lower()} cite-grade" role="img" '
        f'aria-labelledby="{grade_label_id(grade, credibility)}">'
        f'{grade}<span class="grade-credibility">{credibility}</span></span>'
    )


def grade_legend(grades: Iterable[tuple[str, int]]) -> str:
    """The words of each two-part grade a page's badges show (`citation_badge`), once a page:
    hidden, and out of search, as each badge's accessible name; empty for a page without."""
    words = "".join(
        f'<span id="{grade_label_id(grade, credibility)}">'
        f"{html.escape(grade_words(grade, credibility))}</span>"
        for grade, credibility in sorted(set(grades))
    )
    return f'<div class="grade-legend" hidden {SEARCH_EXCLUDE}>{words}</div>' if words else ""


def _where(citation: Citation) -> str:
    """Where in the source, as the tooltip says it: the quoted words when the locator is the
    quote alone, else the locator; a translated quote's original and its translation."""
    where = f"\u201c{citation.quote}\u201d" if citation.quote_only else citation.locator
    if citation.translation is not None:  # the sentence gives the translation; here, the original
        original = f"original {where}" if citation.quote_only else where
        where = f"{original}, translated \u201c{citation.translation}\u201d"
    return attr_text(where)


def source_tip(source: Source, label: str) -> dict[str, object]:
    """What a citation's tooltip says of its source, once per page (briefing.js): its label
    (the heading, as the page's reference list names it), the full title when that says
    more, outlet, date and type, and its reliability."""
    meta = source.meta
    title = meta.title if meta.title != label else ""
    details = [p for p in (title, meta.publisher, meta.issued_words, meta.type) if p]
    return {
        "label": attr_text(label),
        "details": attr_text(" · ".join(details)),
        "reliability": meta.reliability,
        "reliability_words": RELIABILITY_LABELS[meta.reliability],
    }


def tooltip_data(numbering: Numbering, grades: Iterable[tuple[int, bool]]) -> str:
    """The page's tooltip data, JSON for a `<script type="application/json"
    id="briefing-sources">` element: each cited source under its number on the page, and the
    words for each credibility its markers give (`credibility`: as given; `default`: as the
    analysis reads it), which markers refer to (`citation_marker`)."""
    used = sorted(set(grades))
    return ld_script(
        {
            "sources": {
                str(number): source_tip(source, numbering.label(source.id))
                for number, source in numbering.references()
            },
            "credibility": {str(c): credibility_words(c) for c, given in used if given},
            "default": {str(c): credibility_words(c, False) for c, given in used if not given},
        }
    )


def citation_marker(group: CitedGroup, numbering: Numbering) -> str:
    """A citation group, as HTML: numbered links to the cited sources (at the quoted passage,
    for a quote), each with its two-part grade. Each link names its source by its number on
    the page and carries its credibility and locator or quote (`data-*`), for the tooltip
    briefing.js makes with the page's `tooltip_data`: what the page says of a source is
    said once, in that data and in the page's references, not again in every marker.
    Without script, the link leads to the source's page. A group none of whose keys names a
    source shows nothing."""
    if not group.citations:
        return ""
    links = []
    for citation in group.citations:
        number = numbering.number(citation.source_id)
        url = href(numbering.page, source_path(citation.source_id), numbering.directory_urls)
        if citation.passage:
            url += f"#{citation.passage.anchor}"
        data = f' data-ref="{number}" data-credibility="{citation.credibility}"'
        if not citation.credibility_given:
            data += ' data-default=""'
        where = _where(citation)
        if len(where) >= 2 and where[0] == "\u201c" and where[-1] == "\u201d":
            data += f' data-quote="{html.escape(where[1:-1])}"'
        elif where:
            data += f' data-at="{html.escape(where)}"'
        numbering.grades.add((citation.reliability, citation.credibility))
        links.append(
            f'<a href="{url}"{data}>[{number}]</a>'
            f"{citation_badge(citation.reliability, citation.credibility)}"
        )
    return f'<sup class="cite" {SEARCH_EXCLUDE}>' + ", ".join(links) + "</sup>"


CitationFormat = Callable[[CitedGroup, Numbering], str]
"""What turns a citation group into what the page shows, called as `citation_marker` is:
(group, numbering). The site always uses `citation_marker`; the benchmark (scripts/bench)
renders its plain-MkDocs floor with one that keeps each citation as written, to have the
same pages without what the briefing makes of a citation."""


def _line_offsets(body: str) -> list[int]:
    offsets, total = [], 0
    for line in body.split("\n"):
        offsets.append(total)
        total += len(line) + 1
    return offsets


NOTE_LEVEL = 2
"""The level of a note's own heading on a topic page and in the PDF (`## Note title`)."""
KEY_POINT_LEVEL = 3
"""The level of a key point's heading on the home page, under "Key points" (home.md.j2)."""

_ATX_HEADING = re.compile(r"^((?:[ \t>]|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*)(#{1,6})(?=[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^([ \t>]*)(=+|-+)[ \t]*$")
_LEADING = re.compile(r"^(?:[ \t>]|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*")


def _lead(line: str) -> int:
    """How long a line's lead is: indentation, block quote and list markers."""
    match = _LEADING.match(line)
    return match.end() if match else 0


def heading_levels(levels: Iterable[int], note_level: int = NOTE_LEVEL) -> dict[int, int]:
    """Where a note's own headings go: its distinct heading levels, in order, become the
    levels right under the note's heading, note_level + 1, note_level + 2, … (at most 6),
    whatever levels the analyst wrote: `###` and `#####` under an `h2` note become `h3`
    and `h4`, so that no level is skipped."""
    return {level: min(note_level + 1 + rank, 6) for rank, level in enumerate(sorted(set(levels)))}


def nested_levels(levels: Iterable[int], note_level: int = NOTE_LEVEL) -> list[int]:
    """The new level of each of a note's headings, in document order: `heading_levels`, and
    a heading that would still go more than one level below the heading before it (a note
    that opens with `#####` and goes on with `###`) moves up to the level right under it."""
    levels = list(levels)
    mapping = heading_levels(levels, note_level)
    nested, previous = [], note_level
    for level in levels:
        previous = min(mapping[level], previous + 1)
        nested.append(previous)
    return nested


def _heading_edits(
    body: str, starts: list[int], headings: Iterable[tuple[int, int]], note_level: int
) -> Iterator[tuple[int, int, str]]:
    """Edits that rewrite each heading at its new level, as an ATX heading (`### Title`):
    an ATX heading gets its run of `#` replaced, a setext one (`Title` over `===`) a run
    of `#` before its text, its lines joined and its underline removed."""
    headings = list(headings)
    levels = nested_levels((level for _, level in headings), note_level)
    lines = body.split("\n")
    for (line, _), level in zip(headings, levels, strict=True):
        marks = "#" * level
        atx = _ATX_HEADING.match(lines[line])
        if atx:
            yield starts[line] + atx.start(2), len(atx.group(2)), marks
            continue
        end = line + 1  # a setext heading's text runs to its underline, without blank lines
        while (
            end < len(lines)
            and lines[end].strip(" \t>")
            and not _SETEXT_UNDERLINE.match(lines[end])
        ):
            end += 1
        underline = _SETEXT_UNDERLINE.match(lines[end]) if end < len(lines) else None
        if not underline:
            continue
        yield starts[line] + _lead(lines[line]), 0, marks + " "
        for joined in range(line + 1, end):
            yield starts[joined] - 1, 1 + _lead(lines[joined]), " "
        yield starts[end] + underline.start(2), len(underline.group(2)), ""


def release_mark(change: str, tag: str) -> str:
    """The mark of a statement the latest release added or reworded: a small "new" or
    "changed" before it, which screen readers read as "new in <release>:"."""
    word = "new" if change == ADDED else "changed"
    return (
        f'<span class="release-mark release-{change}" {SEARCH_EXCLUDE}>{word}'
        f'<span class="visually-hidden"> in {html.escape(tag)}:</span></span>'
    )


def note_markdown(
    analysed: AnalysedNote,
    cite: Callable[[CitedGroup], str],
    inline: Callable[[str], str] = lambda html: html,
    note_level: int = NOTE_LEVEL,
    mark: Callable[[Statement], str] = lambda statement: "",
) -> str:
    """The note body with statement anchors, citation groups replaced by `cite(group)`,
    and headings nested right under the note's own heading, which is at `note_level`
    (nested_levels). Generated HTML goes through `inline` (a fragment placeholder on the
    site); `mark(statement)` is HTML put right after a statement's anchor (release_mark).
    Where each statement and group stands in the body is the analysis's (Statement.offset,
    CitedGroup.start and end)."""
    body = analysed.note.body
    edits: list[tuple[int, int, str]] = []
    for statement in analysed.statements:
        edits.append(
            (
                statement.offset,
                0,
                inline(
                    f'<span class="statement" id="{statement.anchor}"></span>' + mark(statement)
                ),
            )
        )
    for group in analysed.groups:
        begin = group.start
        while begin > 0 and body[begin - 1] == " ":
            begin -= 1
        edits.append((begin, group.end - begin, inline(cite(group))))
    edits += _heading_edits(body, _line_offsets(body), analysed.prose.headings, note_level)
    for match in _SENTINEL.finditer(body):
        edits.append((match.start(), 1, escape_sentinels(match.group())))
    return _apply(body, edits)


def _apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Apply (offset, length, replacement) edits in one pass. An edit that falls inside
    text another edit replaced is dropped."""
    pieces, cursor = [], 0
    for offset, length, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if offset < cursor:
            continue
        pieces += [text[cursor:offset], replacement]
        cursor = offset + length
    pieces.append(text[cursor:])
    return "".join(pieces)


def reading_words(change: StatementChange) -> tuple[tuple[str, str], ...]:
    """The word diff of a statement changed, as readers read its words (markup.reading_text:
    `**Who:**` is "Who:"); empty when its words, so read, did not change."""
    if not change.words or change.old is None or change.new is None:
        return ()
    old, new = reading_text(change.old.text), reading_text(change.new.text)
    return word_diff(old.split(), new.split()) if old != new else ()


def word_diff_html(words: Iterable[tuple[str, str]]) -> str:
    """diff.py's word diff as HTML: removed words in `<del>`, added ones in `<ins>`."""
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return (
        '<span class="word-diff">'
        + " ".join(tags[op].format(html.escape(text)) for op, text in words)
        + "</span>"
    )
