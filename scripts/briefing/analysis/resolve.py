"""Notes into statements with resolved citations: each key found among the sources, each
quoted span verified in the archived text (the first one's passage found as it is), each
citation's role and credibility, each group's place in the note body and in the file.

What goes wrong on the way (an unknown key, quoted words not in the source) is reported
here, where it is found; the rules over the resolved whole are in checks/.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..findings import Finding, excerpt, finding
from ..prose.citations import CitationItem
from ..prose.parallel import analyse_many
from ..prose.passages import Passage, PassageIndex
from ..prose.quotes import contains_quote, locate_quote, normalise, normalised_source
from ..prose.statements import NoteProse, PlacedGroup, Sentence, analyse_prose, forget_parsed
from ..read.models import ID_RE, Briefing, Note, Source
from .model import AnalysedNote, Citation, CitedGroup, Statement
from .sourcing import (
    CORROBORATED_CREDIBILITY,
    DEFAULT_CREDIBILITY,
    SUPPORTING,
    corroborating,
    roles,
)


@dataclass(frozen=True)
class _Item:
    """A citation item whose key names a source, checked: a Citation once every note is
    read, when the passage of each quote is known."""

    item: CitationItem
    source: Source
    line: int
    col: int
    verified: bool | None
    needle: str
    """The first quote, normalised ("" without one): what its passage is found by."""


@dataclass(frozen=True)
class _Group:
    placed: PlacedGroup
    line: int
    col: int
    items: tuple[_Item, ...]


@dataclass(frozen=True)
class _Note:
    note: Note
    prose: NoteProse
    sentences: tuple[tuple[Sentence, tuple[_Group, ...]], ...]
    """Each statement's sentence and its groups, checked."""
    loose: tuple[_Group, ...]
    found: tuple[tuple[str, str, tuple[int, int]], ...]
    """Each verified first quote's passage (source id, normalised quote, span), in order of
    citation: what the passage index is given, note after note."""
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class _Sources:
    """The sources every note is checked against. Resolving again with the very same source
    objects (read/load.py reuses those of unchanged files) gives the very same instance."""

    sources: tuple[Source, ...]
    invalid: frozenset[str]
    texts: dict[str, str]
    """Each source's text as quotes are matched in it (quotes.normalised_source)."""

    def same(self, briefing: Briefing) -> bool:
        current = briefing.sources.values()
        return (
            self.invalid == briefing.invalid_sources
            and len(self.sources) == len(current)
            and all(a is b for a, b in zip(self.sources, current, strict=True))
        )


@dataclass
class _Kept:
    """What the last resolution computed, kept for the next one in the same process (the
    live preview resolves again after every edit): each note's check while neither the note
    nor the sources change, each analysed note while its check and the passages it cites
    stay the same. What a resolution does not use is dropped."""

    sources: _Sources | None = None
    checked: dict[str, tuple[Note, _Note]] = field(default_factory=dict)
    analysed: dict[str, tuple[_Note, str, tuple[Passage | None, ...], AnalysedNote]] = field(
        default_factory=dict
    )


_KEPT = _Kept()


def resolve_notes(briefing: Briefing) -> tuple[tuple[AnalysedNote, ...], list[Finding]]:
    """Every note in reading order (topic, `order`, title), with what resolution found.

    Each quote is normalised and matched once: the first quote of a citation whose quotes
    are all found anchors its passage (in order of citation, `quote-1`, `quote-2`, … per
    source); every citation of the same words then carries that passage."""
    sources = _sources(briefing)
    passages = PassageIndex()
    checked: list[_Note] = []
    findings: list[Finding] = []
    kept: dict[str, tuple[Note, _Note]] = {}
    ordered = _ordered(briefing)
    analyse_many([n.body for n in ordered if _kept_check(n, sources) is None])
    for note in ordered:
        found = _checked(note, briefing, sources)
        kept[note.origin.path] = (note, found)
        for source_id, needle, span in found.found:
            passages.add(source_id, needle, span)
        checked.append(found)
        findings += found.findings
    forget_parsed()
    language = briefing.meta.language if briefing.meta else "en"
    analysed = _analysed_notes(checked, language, passages)
    _KEPT.sources, _KEPT.checked = sources, kept
    return analysed, findings


def _analysed_notes(
    checked: list[_Note], language: str, passages: PassageIndex
) -> tuple[AnalysedNote, ...]:
    """Each checked note analysed, as the last resolution analysed it when its check, the
    language and the passages its citations link to are the same."""
    analysed, made = [], {}
    for found in checked:
        used = _passages_used(found, passages)
        path = found.note.origin.path
        before = _KEPT.analysed.get(path)
        if before and before[0] is found and before[1] == language and before[2] == used:
            result = before[3]
        else:
            result = _analysed(found, language, passages)
        made[path] = (found, language, used, result)
        analysed.append(result)
    _KEPT.analysed = made
    return tuple(analysed)


def _sources(briefing: Briefing) -> _Sources:
    if _KEPT.sources is not None and _KEPT.sources.same(briefing):
        return _KEPT.sources
    texts = {sid: normalised_source(source.body) for sid, source in briefing.sources.items()}
    return _Sources(tuple(briefing.sources.values()), briefing.invalid_sources, texts)


def _kept_check(note: Note, sources: _Sources) -> _Note | None:
    """The note's check as the last resolution made it, if neither the note nor the sources
    changed since."""
    before = _KEPT.checked.get(note.origin.path)
    if before and before[0] is note and _KEPT.sources is sources:
        return before[1]
    return None


def _checked(note: Note, briefing: Briefing, sources: _Sources) -> _Note:
    """The note's check: kept (_kept_check), or made now."""
    kept = _kept_check(note, sources)
    return kept if kept is not None else _check_note(note, briefing, sources.texts)


def _passages_used(checked: _Note, passages: PassageIndex) -> tuple[Passage | None, ...]:
    """The passages the note's citations link to: what else its analysis depends on."""
    groups = [g for _, gs in checked.sentences for g in gs] + list(checked.loose)
    return tuple(passages.get(i.item.key, i.needle) for g in groups for i in g.items if i.needle)


def _ordered(briefing: Briefing) -> list[Note]:
    topics = [t.id for t in briefing.meta.topics] if briefing.meta else []

    def key(note: Note) -> tuple[int, int, str, str]:
        topic = topics.index(note.meta.topic) if note.meta.topic in topics else len(topics)
        order = note.meta.order if note.meta.order is not None else 10**9
        return topic, order, note.meta.title.casefold(), note.slug

    return sorted(briefing.notes, key=key)


def _check_note(note: Note, briefing: Briefing, texts: dict[str, str]) -> _Note:
    prose = analyse_prose(note.body)
    path, first = note.origin.path, note.origin.body_line
    findings: list[Finding] = []
    found: list[tuple[str, str, tuple[int, int]]] = []
    sentences, loose = [], []
    for sentence in prose.sentences:
        if not sentence.is_statement:
            loose += [_loose(placed, briefing, first) for placed in sentence.groups]
            continue
        groups = []
        for placed in sentence.groups:
            group, problems = _check_group(placed, briefing, texts, found, path, first)
            groups.append(group)
            findings += problems
        sentences.append((sentence, tuple(groups)))
    return _Note(note, prose, tuple(sentences), tuple(loose), tuple(found), tuple(findings))


def _check_group(
    placed: PlacedGroup,
    briefing: Briefing,
    texts: dict[str, str],
    found: list[tuple[str, str, tuple[int, int]]],
    path: str,
    first: int,
) -> tuple[_Group, list[Finding]]:
    """The group's items whose keys name a source, each quote verified (and the first one's
    passage added to `found`); and what is wrong with the others."""
    items, findings = [], []
    line = first + placed.line
    for item in placed.group.items:
        col = placed.col + 1 + (item.offset - placed.group.start)
        if item.key in briefing.invalid_sources:
            continue  # the record's own finding says what to fix
        problem = _key_problem(item, briefing.sources, briefing.invalid_sources, path, line, col)
        if problem:
            findings.append(problem)
            continue
        source = briefing.sources[item.key]
        needle = normalise(item.quote) if item.quote is not None else ""
        span = locate_quote(source.body, needle, texts[item.key]) if needle else None
        missing = [
            finding(
                path,
                line,
                col,
                "quote-not-found",
                f'quoted words not found in `{item.key}`: "{excerpt(quote)}"',
            )
            for at, quote in enumerate(item.quotes)
            if (span is None if at == 0 else not contains_quote(texts[item.key], quote))
        ]
        findings += missing
        verified = not missing if item.quotes else None
        if verified and span is not None:
            found.append((item.key, needle, span))
        items.append(_Item(item, source, line, col, verified, needle))
    return _Group(placed, line, placed.col + 1, tuple(items)), findings


def _loose(placed: PlacedGroup, briefing: Briefing, first: int) -> _Group:
    """A group outside any statement: its items that name a source, unchecked."""
    line = first + placed.line
    items = tuple(
        _Item(
            item,
            briefing.sources[item.key],
            line,
            placed.col + 1 + (item.offset - placed.group.start),
            None,
            normalise(item.quote) if item.quote is not None else "",
        )
        for item in placed.group.items
        if item.key in briefing.sources
    )
    return _Group(placed, line, placed.col + 1, items)


def _analysed(checked: _Note, language: str, passages: PassageIndex) -> AnalysedNote:
    note = checked.note
    statements: list[Statement] = []
    for sentence, groups in checked.sentences:
        citations = _with_roles(
            [(index, i) for index, g in enumerate(groups) for i in g.items],
            sentence,
            language,
            passages,
        )
        cited = tuple(
            _cited(g, note, tuple(c for c in citations if c.group == index))
            for index, g in enumerate(groups)
        )
        statements.append(
            Statement(
                note.slug,
                f"{note.slug}-{len(statements) + 1}",
                sentence.text,
                sentence.plain,
                sentence.kind,
                note.origin.path,
                note.origin.body_line + sentence.start[0],
                sentence.start[1] + 1,
                cited,
                sentence,
                offset=sentence.offset,
            )
        )
    loose = tuple(
        _cited(g, note, tuple(_unchecked(i, passages) for i in g.items)) for g in checked.loose
    )
    return AnalysedNote(note, checked.prose, tuple(statements), loose)


def _cited(group: _Group, note: Note, citations: tuple[Citation, ...]) -> CitedGroup:
    placed = group.placed
    written = note.body[placed.start : placed.end]
    return CitedGroup(placed.start, placed.end, group.line, group.col, citations, written)


def _citation(
    checked: _Item,
    group: int,
    passages: PassageIndex,
    role: str = SUPPORTING,
    credibility: int = DEFAULT_CREDIBILITY,
    credibility_given: bool = False,
) -> Citation:
    item = checked.item
    return Citation(
        source_id=item.key,
        source=checked.source,
        line=checked.line,
        col=checked.col,
        prefix=item.prefix,
        locator=item.locator,
        quote=item.quote,
        verified=checked.verified,
        quotes=item.quotes,
        quote_only=item.quote_only,
        translation=item.translation,
        group=group,
        role=role,
        credibility=credibility,
        credibility_given=credibility_given,
        passage=passages.get(item.key, checked.needle) if checked.needle else None,
    )


def _unchecked(checked: _Item, passages: PassageIndex) -> Citation:
    """A citation outside any statement: its credibility as given, else the default."""
    given = checked.item.credibility
    return _citation(
        checked,
        0,
        passages,
        credibility=given or DEFAULT_CREDIBILITY,
        credibility_given=given is not None,
    )


def _with_roles(
    items: list[tuple[int, _Item]], sentence: Sentence, language: str, passages: PassageIndex
) -> tuple[Citation, ...]:
    """The sentence's citations (its checked items, each with the index of its group), each
    with its role (sourcing.role_of) and credibility: as given, else 2 (probably true) for a
    supporting citation beside an independent supporting source in its group, else 6 (truth
    cannot be judged)."""
    if not items:
        return ()
    assigned = roles([checked.item for _, checked in items], sentence.plain, language)
    backed = [False] * len(items)
    by_group: dict[int, list[int]] = {}
    for at, ((group, _), role) in enumerate(zip(items, assigned, strict=True)):
        if role == SUPPORTING:
            by_group.setdefault(group, []).append(at)
    for members in by_group.values():
        sources = [items[at][1].source for at in members]
        for at, has_other in zip(members, corroborating(sources), strict=True):
            backed[at] = has_other
    return tuple(
        _citation(
            checked,
            group,
            passages,
            role,
            checked.item.credibility
            or (CORROBORATED_CREDIBILITY if corroborated else DEFAULT_CREDIBILITY),
            checked.item.credibility is not None,
        )
        for (group, checked), role, corroborated in zip(items, assigned, backed, strict=True)
    )


def _key_problem(
    item: CitationItem,
    sources: dict[str, Source],
    invalid: frozenset[str],
    path: str,
    line: int,
    col: int,
) -> Finding | None:
    if not ID_RE.match(item.key):
        return finding(path, line, col, "bad-key", f"`@{item.key}` is not a source id")
    if item.key not in sources:
        close = difflib.get_close_matches(item.key, [*sources, *invalid], n=1)
        hint = (
            f"did you mean `@{close[0]}`?"
            if close
            else f"no file briefs/sources/{item.key}.md: check the key, or add the record with "
            f"`briefing new source {item.key} --title …`"
        )
        return finding(path, line, col, "unknown-key", f"unknown source `@{item.key}`", hint)
    return None
