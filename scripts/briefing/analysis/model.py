"""The analysis every output reads: notes as statements, each with its resolved citations,
the facts compared, and the findings of every check.

Built once by `pipeline.analyse`; site, PDF, exports and search read only this. A citation
is carried by one object from resolution to the reader: `CitedGroup` (a `[...]` group:
where it stands in the note body and in the file) holding its `Citation`s (each: the source,
where the item stands, the locator and quotes, the passage its first quote was found at in
the archived text, its role and credibility). No output parses a note or matches a quote
again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from ..findings import Finding
from ..prose.passages import Passage
from ..prose.statements import NoteProse, Sentence
from ..read.models import Briefing, Note, Source
from .facts import FactComparison
from .sourcing import (
    ASSERTION,
    ATTRIBUTED,
    ATTRIBUTION,
    DEFAULT_CREDIBILITY,
    SUPPORTING,
    Strength,
    Summary,
    strength_of,
    summarise,
)


@dataclass(frozen=True, kw_only=True)
class Citation:
    """One cited source within a statement: one item of a citation group, resolved."""

    source_id: str
    source: Source = field(repr=False, compare=False)
    """The source the key names (a key that names none gives no Citation)."""
    line: int
    col: int
    """File line and column (1-based) of the item's `@`, as findings give it: on the line of
    its group's `[`, as far from it as the `@` is into the group."""
    prefix: str = ""
    """Words before the key (`see` in `[see @a]`)."""
    locator: str
    quote: str | None
    """The first quoted span, where a link to the source lands."""
    verified: bool | None
    """Whether every quoted span was found in the archived text (None: no quote)."""
    quotes: tuple[str, ...] = ()
    """Every quoted span of the citation, each verified."""
    quote_only: bool = False
    """The locator is the quote alone (else it also says where: `para. 3, "…"`)."""
    translation: str | None = None
    """The analyst's translation of the quoted original (`trans. "…"`), not verified."""
    group: int = 0
    """Which citation group (`[...]`) of the statement it stands in, from 0."""
    role: str = SUPPORTING
    """`attributed` (the statement reports what this source says) or `supporting` (the
    source supports a claim about the subject): see sourcing.role_of."""
    credibility: int = DEFAULT_CREDIBILITY
    """The information's credibility, 1 (confirmed by other sources) to 6 (truth cannot be
    judged): as given, else 2 for a supporting citation with an independent source beside it
    in its group, else 6."""
    credibility_given: bool = False
    """Whether the analyst gave the credibility (`credibility N`) or it is the default."""
    passage: Passage | None = None
    """Where the first quote stands in the source's archived text (its anchor, `quote-3`, and
    offsets), found once as resolution verified it: what a link to the source lands on. A
    citation whose quotes are not all found has the passage another citation of the same
    words found, if any."""

    @property
    def attributed(self) -> bool:
        return self.role == ATTRIBUTED

    @property
    def reliability(self) -> str:
        """The source's grade, A-F: with `credibility`, the citation's two-part grade."""
        return self.source.meta.reliability


@dataclass(frozen=True)
class CitedGroup:
    """One citation group (`[...]`) of a note, resolved: where it stands and what it cites."""

    start: int
    end: int
    """Offsets into the note body: `note.body[start:end]` is the group, `[` to `]`."""
    line: int
    col: int
    """File line and column (1-based) of its `[`."""
    citations: tuple[Citation, ...]
    """Its items that name a source, resolved, in their order."""
    written: str = ""
    """The group as the analyst wrote it."""


@dataclass(frozen=True)
class Statement:
    note_slug: str
    anchor: str
    text: str
    plain: str
    kind: str
    path: str
    line: int
    col: int
    groups: tuple[CitedGroup, ...]
    """Its citation groups, resolved, in order (Citation.group indexes them)."""
    sentence: Sentence = field(repr=False)
    offset: int = 0
    """Offset of its first character into the note body (where its anchor goes)."""

    @cached_property
    def citations(self) -> tuple[Citation, ...]:
        """Every citation of the statement, group by group."""
        return tuple(c for group in self.groups for c in group.citations)

    @property
    def source_ids(self) -> list[str]:
        return list(dict.fromkeys(c.source_id for c in self.citations))

    @property
    def is_attribution(self) -> bool:
        """It reports what its sources say: every citation is attributed."""
        return bool(self.citations) and all(c.attributed for c in self.citations)

    @property
    def claim(self) -> str:
        """`attribution` or `assertion` (its supporting citations are what it rests on)."""
        return ATTRIBUTION if self.is_attribution else ASSERTION


@dataclass(frozen=True)
class AnalysedNote:
    note: Note
    prose: NoteProse
    statements: tuple[Statement, ...]
    loose: tuple[CitedGroup, ...] = ()
    """Citation groups outside any statement (a list item that is only `[@a]`): shown as
    markers like the others, but nothing is checked of them (an unknown key is left out, a
    quote is not verified: its citation links to the passage the same words have, if any)."""

    @property
    def groups(self) -> list[CitedGroup]:
        """Every citation group of the note, in the order of the body."""
        found = [g for s in self.statements for g in s.groups] + list(self.loose)
        return sorted(found, key=lambda g: g.start)


_KEPT_STRENGTHS: tuple[tuple[Source, ...], dict[str, tuple[Statement, Strength]]] = ((), {})
"""The sources and the statements' strengths of the last analysis (Indexes.strengths)."""


def _same_objects(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


class Indexes:
    """Lookups over the analysed notes, each computed on first use and once: the checks and
    every output share them, since an analysis and its copy with findings hold one."""

    def __init__(self, briefing: Briefing, notes: tuple[AnalysedNote, ...]) -> None:
        self.briefing, self.notes = briefing, notes

    def _statements(self) -> Iterator[Statement]:
        for note in self.notes:
            yield from note.statements

    @cached_property
    def strengths(self) -> dict[str, Strength]:
        """Sourcing strength of every statement, by anchor. A statement equal to one of the
        last analysis in this process, over the very same sources, keeps its strength (the
        live preview analyses again after every edit)."""
        global _KEPT_STRENGTHS
        sources = self.briefing.sources
        same = _same_objects(_KEPT_STRENGTHS[0], tuple(sources.values()))
        before = _KEPT_STRENGTHS[1] if same else {}
        kept: dict[str, tuple[Statement, Strength]] = {}
        for s in self._statements():
            last = before.get(s.anchor)
            strength = last[1] if last and last[0] == s else strength_of(s.citations, sources)
            kept[s.anchor] = (s, strength)
        _KEPT_STRENGTHS = (tuple(sources.values()), kept)
        return {anchor: strength for anchor, (_, strength) in kept.items()}

    @cached_property
    def passages(self) -> dict[str, list[Passage]]:
        """Each source's quoted passages, as its citations carry them, in order of citation."""
        found: dict[str, dict[str, Passage]] = {}
        for statement in self._statements():
            for c in statement.citations:
                if c.passage is not None:
                    found.setdefault(c.source_id, {}).setdefault(c.passage.anchor, c.passage)
        return {sid: list(passages.values()) for sid, passages in found.items()}

    @cached_property
    def notes_by_topic(self) -> dict[str, list[AnalysedNote]]:
        by_topic: dict[str, list[AnalysedNote]] = {}
        for note in self.notes:
            by_topic.setdefault(note.note.meta.topic, []).append(note)
        return by_topic

    @cached_property
    def cited_by(self) -> dict[str, list[Statement]]:
        """Statements citing each source, in briefing order."""
        result: dict[str, list[Statement]] = {sid: [] for sid in self.briefing.sources}
        for statement in self._statements():
            for source_id in statement.source_ids:
                result.setdefault(source_id, []).append(statement)
        return result


@dataclass(frozen=True)
class Analysis:
    briefing: Briefing
    notes: tuple[AnalysedNote, ...]
    findings: tuple[Finding, ...]
    facts: tuple[FactComparison, ...] = ()
    indexes: Indexes | None = field(default=None, repr=False, compare=False)
    """Made with the analysis; its copies (`dataclasses.replace`) share it."""

    def __post_init__(self) -> None:
        if self.indexes is None:
            object.__setattr__(self, "indexes", Indexes(self.briefing, self.notes))

    @property
    def _index(self) -> Indexes:
        assert self.indexes is not None  # __post_init__ made it
        return self.indexes

    def strength(self, statement: Statement) -> Strength:
        return self._index.strengths[statement.anchor]

    def passages_of(self, source_id: str) -> list[Passage]:
        """The source's quoted passages, as its citations carry them, in order of citation."""
        return self._index.passages.get(source_id, [])

    def topic_summary(self, topic_id: str) -> Summary:
        return summarise(self.strength(s) for n in self.notes_for(topic_id) for s in n.statements)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def statements(self) -> Iterator[Statement]:
        for note in self.notes:
            yield from note.statements

    def notes_for(self, topic_id: str) -> list[AnalysedNote]:
        return self._index.notes_by_topic.get(topic_id, [])

    @property
    def cited_by(self) -> dict[str, list[Statement]]:
        """Statements citing each source, in briefing order."""
        return self._index.cited_by
