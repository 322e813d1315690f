"""Notes into statements with resolved citations: each key found among the sources, each
quoted span verified in the archived text (the first one's passage found as it is), each
citation's role and credibility, each group's place in the note body and in the file.

What goes wrong on the way (an unknown key, quoted words not in the source) is reported
here, where it is found; the rules over the resolved whole are in checks/.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace

from ..findings import Finding, excerpt, finding
from ..prose.citations import CitationItem
from ..prose.passages import PassageIndex
from ..prose.quotes import contains_quote, locate_quote, normalise, normalised_source
from ..prose.statements import NoteProse, PlacedGroup, Sentence, analyse_prose
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


def resolve_notes(briefing: Briefing) -> tuple[tuple[AnalysedNote, ...], list[Finding]]:
    """Every note in reading order (topic, `order`, title), with what resolution found.

    Each quote is normalised and matched once: the first quote of a citation whose quotes
    are all found anchors its passage (in order of citation, `quote-1`, `quote-2`, … per
    source); every citation of the same words then carries that passage."""
    texts = {sid: normalised_source(source.body) for sid, source in briefing.sources.items()}
    passages = PassageIndex()
    checked, findings = [], []
    for note in _ordered(briefing):
        found, problems = _check_note(note, briefing, texts, passages)
        checked.append(found)
        findings += problems
    return tuple(_analysed(note, briefing, passages) for note in checked), findings


def _ordered(briefing: Briefing) -> list[Note]:
    topics = [t.id for t in briefing.meta.topics] if briefing.meta else []

    def key(note: Note) -> tuple[int, int, str, str]:
        topic = topics.index(note.meta.topic) if note.meta.topic in topics else len(topics)
        order = note.meta.order if note.meta.order is not None else 10**9
        return topic, order, note.meta.title.casefold(), note.slug

    return sorted(briefing.notes, key=key)


def _check_note(
    note: Note, briefing: Briefing, texts: dict[str, str], passages: PassageIndex
) -> tuple[_Note, list[Finding]]:
    prose = analyse_prose(note.body)
    path, first = note.origin.path, note.origin.body_line
    findings: list[Finding] = []
    sentences, loose = [], []
    for sentence in prose.sentences:
        if not sentence.is_statement:
            loose += [_loose(placed, briefing, first) for placed in sentence.groups]
            continue
        groups = []
        for placed in sentence.groups:
            group, problems = _check_group(placed, briefing, texts, passages, path, first)
            groups.append(group)
            findings += problems
        sentences.append((sentence, tuple(groups)))
    return _Note(note, prose, tuple(sentences), tuple(loose)), findings


def _check_group(
    placed: PlacedGroup,
    briefing: Briefing,
    texts: dict[str, str],
    passages: PassageIndex,
    path: str,
    first: int,
) -> tuple[_Group, list[Finding]]:
    """The group's items whose keys name a source, each quote verified (and the first one's
    passage found); and what is wrong with the others."""
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
            passages.add(item.key, needle, span)
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


def _analysed(checked: _Note, briefing: Briefing, passages: PassageIndex) -> AnalysedNote:
    note = checked.note
    statements: list[Statement] = []
    for sentence, groups in checked.sentences:
        citations = _with_roles(
            [_citation(i, index, passages) for index, g in enumerate(groups) for i in g.items],
            [i.item for g in groups for i in g.items],
            sentence,
            briefing,
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


def _citation(checked: _Item, group: int, passages: PassageIndex) -> Citation:
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
        passage=passages.get(item.key, checked.needle) if checked.needle else None,
    )


def _unchecked(checked: _Item, passages: PassageIndex) -> Citation:
    """A citation outside any statement: its credibility as given, else the default."""
    given = checked.item.credibility
    return replace(
        _citation(checked, 0, passages),
        credibility=given or DEFAULT_CREDIBILITY,
        credibility_given=given is not None,
    )


def _with_roles(
    citations: list[Citation], items: list[CitationItem], sentence: Sentence, briefing: Briefing
) -> tuple[Citation, ...]:
    """Each citation's role (sourcing.role_of) and credibility: as given, else 2 (probably
    true) for a supporting citation beside an independent supporting source in its group,
    else 6 (truth cannot be judged). `items` are the citations' items, as parsed."""
    if not citations:
        return ()
    language = briefing.meta.language if briefing.meta else "en"
    assigned = roles(items, sentence.plain, language)
    backed = [False] * len(citations)
    by_group: dict[int, list[int]] = {}
    for at, (citation, role) in enumerate(zip(citations, assigned, strict=True)):
        if role == SUPPORTING:
            by_group.setdefault(citation.group, []).append(at)
    for members in by_group.values():
        sources = [citations[at].source for at in members]
        for at, has_other in zip(members, corroborating(sources), strict=True):
            backed[at] = has_other
    result = []
    for citation, item, role, corroborated in zip(citations, items, assigned, backed, strict=True):
        default = CORROBORATED_CREDIBILITY if corroborated else DEFAULT_CREDIBILITY
        result.append(
            replace(
                citation,
                role=role,
                credibility=item.credibility or default,
                credibility_given=item.credibility is not None,
            )
        )
    return tuple(result)


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
