"""Analyse a loaded briefing: statements, resolved citations and every finding.

This is the one analysis every output reads (site, PDF, exports, `briefing check`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from ..adapters.scaffold import scaffold_findings
from ..checks.archive import archive_findings
from ..findings import Finding, finding, sort_findings
from ..prose.citations import CitationGroup, CitationItem
from ..prose.quotes import contains_quote, normalised_source
from ..prose.statements import NoteProse, Sentence, analyse_prose
from ..read.dates import DateError, parse_date
from ..read.load import found, load_briefing
from ..read.models import ID_RE, Briefing, FactValue, Note, Source
from ..rules import Severity
from .facts import FactComparison, compare_facts
from .sourcing import (
    ASSERTION,
    ATTRIBUTED,
    ATTRIBUTION,
    CORROBORATED_CREDIBILITY,
    DEFAULT_CREDIBILITY,
    SUPPORTING,
    Strength,
    Summary,
    corroborating,
    roles,
    strength_of,
    summarise,
)

_CONFIDENCE_TITLE = re.compile(r"^(low|moderate|high) confidence$", re.IGNORECASE)


@dataclass(frozen=True)
class Citation:
    """One cited source within a statement."""

    source_id: str
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
    item: CitationItem | None = field(default=None, repr=False, compare=False)
    """The citation item as parsed, where the renderer finds it in the note."""

    @property
    def attributed(self) -> bool:
        return self.role == ATTRIBUTED


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
    citations: tuple[Citation, ...]
    sentence: Sentence = field(repr=False)

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


@dataclass(frozen=True)
class Analysis:
    briefing: Briefing
    notes: tuple[AnalysedNote, ...]
    findings: tuple[Finding, ...]
    facts: tuple[FactComparison, ...] = ()

    def strength(self, statement: Statement) -> Strength:
        return self._strengths[statement.anchor]

    @cached_property
    def _strengths(self) -> dict[str, Strength]:
        """Sourcing strength of every statement, computed once."""
        sources = self.briefing.sources
        return {s.anchor: strength_of(s.citations, sources) for s in self.statements}

    def citations_of(self, group: CitationGroup) -> tuple[Citation, ...]:
        """The resolved citations of one parsed group, in its items' order (a group outside
        any statement, or whose keys do not resolve, has none)."""
        return self._by_group.get(id(group), ())

    @cached_property
    def _by_group(self) -> dict[int, tuple[Citation, ...]]:
        found: dict[int, tuple[Citation, ...]] = {}
        for statement in self.statements:
            for index, group in enumerate(statement.sentence.citations):
                found[id(group)] = tuple(c for c in statement.citations if c.group == index)
        return found

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
        return self._notes_by_topic.get(topic_id, [])

    @cached_property
    def _notes_by_topic(self) -> dict[str, list[AnalysedNote]]:
        by_topic: dict[str, list[AnalysedNote]] = {}
        for note in self.notes:
            by_topic.setdefault(note.note.meta.topic, []).append(note)
        return by_topic

    @cached_property
    def cited_by(self) -> dict[str, list[Statement]]:
        """Statements citing each source, in briefing order."""
        result: dict[str, list[Statement]] = {sid: [] for sid in self.briefing.sources}
        for statement in self.statements:
            for source_id in statement.source_ids:
                result.setdefault(source_id, []).append(statement)
        return result


def analyse_dir(briefs_dir: Path) -> Analysis:
    """Load and analyse briefs/ in one go."""
    briefing, findings = load_briefing(briefs_dir)
    return analyse(briefing, findings)


def analyse(briefing: Briefing, load_findings: list[Finding]) -> Analysis:
    findings = list(load_findings)
    texts = {sid: normalised_source(source.body) for sid, source in briefing.sources.items()}
    notes = []
    for note in _ordered(briefing):
        analysed, problems = _analyse_note(note, briefing, texts)
        notes.append(analysed)
        findings += problems
    facts = tuple(compare_facts(briefing))
    analysis = Analysis(briefing, tuple(notes), (), facts)
    findings += _source_findings(analysis)
    findings += _judgment_findings(analysis)
    findings += scaffold_findings(briefing)
    findings += archive_findings(briefing)
    checks = briefing.meta.checks if briefing.meta else {}
    return Analysis(
        briefing, tuple(notes), tuple(sort_findings(with_checks(findings, checks))), facts
    )


def with_checks(findings: list[Finding], checks: Mapping[str, str]) -> list[Finding]:
    """Each finding at the severity `checks:` in briefing.yml gives its rule (off: dropped)."""
    result = []
    for item in findings:
        level = checks.get(item.rule)
        if level == "off":
            continue
        result.append(replace(item, severity=Severity(level)) if level else item)
    return result


def _ordered(briefing: Briefing) -> list[Note]:
    topics = [t.id for t in briefing.meta.topics] if briefing.meta else []

    def key(note: Note) -> tuple[int, int, str, str]:
        topic = topics.index(note.meta.topic) if note.meta.topic in topics else len(topics)
        order = note.meta.order if note.meta.order is not None else 10**9
        return topic, order, note.meta.title.casefold(), note.slug

    return sorted(briefing.notes, key=key)


def _analyse_note(
    note: Note, briefing: Briefing, texts: dict[str, str]
) -> tuple[AnalysedNote, list[Finding]]:
    prose = analyse_prose(note.body)
    path, first = note.origin.path, note.origin.body_line
    findings = [
        finding(path, first + line, col + 1, "citation-syntax", problem.message)
        for (line, col), problem in prose.syntax_errors
    ]
    findings += _admonition_findings(prose, path, first)
    findings += [
        finding(
            path,
            first + line,
            1,
            "raw-html",
            "raw HTML block: its text would be shown without being checked",
        )
        for line in prose.html_blocks
    ]
    statements = []
    for sentence in prose.sentences:
        if not sentence.is_statement:
            continue
        line, col = first + sentence.start[0], sentence.start[1] + 1
        citations, problems = _resolve(sentence, briefing, texts, path, first)
        citations = _with_roles(citations, sentence, briefing)
        findings += problems
        if not sentence.citations and not sentence.malformed:
            findings.append(
                finding(
                    path,
                    line,
                    col,
                    "uncited",
                    f'sentence has no citation: "{_excerpt(sentence.text)}"',
                )
            )
        anchor = f"{note.slug}-{len(statements) + 1}"
        statements.append(
            Statement(
                note.slug,
                anchor,
                sentence.text,
                sentence.plain,
                sentence.kind,
                path,
                line,
                col,
                citations,
                sentence,
            )
        )
    return AnalysedNote(note, prose, tuple(statements)), findings


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _resolve(
    sentence: Sentence, briefing: Briefing, texts: dict[str, str], path: str, first: int
) -> tuple[tuple[Citation, ...], list[Finding]]:
    citations, findings = [], []
    spans = zip(sentence.citations, sentence.citation_spans, strict=True)
    for index, (group, (start, _end)) in enumerate(spans):
        for item in group.items:
            line = first + start[0]
            col = start[1] + 1 + (item.offset - group.start)
            if item.key in briefing.invalid_sources:
                continue  # the record's own finding says what to fix
            problem = _key_problem(
                item, briefing.sources, briefing.invalid_sources, path, line, col
            )
            if problem:
                findings.append(problem)
                continue
            missing = [
                finding(
                    path,
                    line,
                    col,
                    "quote-not-found",
                    f'quoted words not found in `{item.key}`: "{_excerpt(quote)}"',
                )
                for quote in item.quotes
                if not contains_quote(texts[item.key], quote)
            ]
            findings += missing
            verified = not missing if item.quotes else None
            citations.append(
                Citation(
                    item.key,
                    item.locator,
                    item.quote,
                    verified,
                    item.quotes,
                    item.quote_only,
                    item.translation,
                    group=index,
                    item=item,
                )
            )
    return tuple(citations), findings


def _with_roles(
    citations: tuple[Citation, ...], sentence: Sentence, briefing: Briefing
) -> tuple[Citation, ...]:
    """Each citation's role (sourcing.role_of) and credibility: as given, else 2 (probably
    true) for a supporting citation beside an independent supporting source in its group,
    else 6 (truth cannot be judged)."""
    if not citations:
        return citations
    language = briefing.meta.language if briefing.meta else "en"
    items = [c.item for c in citations if c.item is not None]
    found = iter(roles(items, sentence.plain, language))
    assigned = [next(found) if c.item is not None else SUPPORTING for c in citations]
    backed = [False] * len(citations)
    by_group: dict[int, list[int]] = {}
    for at, (citation, role) in enumerate(zip(citations, assigned, strict=True)):
        if role == SUPPORTING:
            by_group.setdefault(citation.group, []).append(at)
    for members in by_group.values():
        sources = [briefing.sources[citations[at].source_id] for at in members]
        for at, has_other in zip(members, corroborating(sources), strict=True):
            backed[at] = has_other
    result = []
    for citation, role, corroborated in zip(citations, assigned, backed, strict=True):
        given = citation.item.credibility if citation.item else None
        default = CORROBORATED_CREDIBILITY if corroborated else DEFAULT_CREDIBILITY
        result.append(
            replace(
                citation,
                role=role,
                credibility=given or default,
                credibility_given=given is not None,
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


def _admonition_findings(prose: NoteProse, path: str, first: int) -> list[Finding]:
    findings = []
    for block in prose.admonitions:
        if block.kind == "assessment" and not _CONFIDENCE_TITLE.match(block.title.strip('"')):
            findings.append(
                finding(
                    path,
                    first + block.line,
                    1,
                    "assessment-confidence",
                    f'assessment title must give a confidence level, found "{block.title}"',
                )
            )
    return findings


def _source_findings(analysis: Analysis) -> list[Finding]:
    briefing = analysis.briefing
    findings = []
    declared = briefing.meta.facts if briefing.meta else {}
    for source_id, source in briefing.sources.items():
        if not analysis.cited_by.get(source_id):
            findings.append(
                finding(
                    source.origin.path,
                    1,
                    1,
                    "uncited-source",
                    f"source `{source_id}` is never cited",
                )
            )
        if briefing.meta:
            findings += _fact_findings(source, declared)
    return findings


def _fact_findings(source: Source, declared: dict) -> list[Finding]:  # type: ignore[type-arg]
    findings = []
    for key, values in source.meta.facts.items():
        line, col = source.origin.at("facts", key)
        if key not in declared:
            close = difflib.get_close_matches(key, list(declared), n=1)
            hint = (
                f"did you mean `{close[0]}`?"
                if close
                else "declare it under facts: in briefing.yml"
            )
            findings.append(
                finding(
                    source.origin.path,
                    line,
                    col,
                    "unknown-fact",
                    f"fact `{key}` is not declared in briefing.yml",
                    hint,
                )
            )
            continue
        for index, fact in enumerate(values):
            findings += _fact_value_findings(source, key, index, fact, declared[key].type)
    return findings


def _fact_value_findings(
    source: Source, key: str, index: int, fact: FactValue, kind: str
) -> list[Finding]:
    """A date that is not one, and words that are not in the archived text."""
    path, findings = source.origin.path, []
    if kind == "date":
        try:
            parse_date(fact.value)
        except DateError as exc:
            line, col = source.origin.at("facts", key, index, "value")
            findings.append(
                finding(
                    path,
                    line,
                    col,
                    "invalid-fact",
                    f"fact `{key}`: found {found(fact.value)}; {exc.reason}",
                )
            )
    if fact.quote is not None and not contains_quote(normalised_source(source.body), fact.quote):
        line, col = source.origin.at("facts", key, index, "quote")
        findings.append(
            finding(
                path,
                line,
                col,
                "quote-not-found",
                f"fact `{key}`: quoted words not found in the archived text: "
                f'"{_excerpt(fact.quote)}"',
            )
        )
    return findings


def _judgment_findings(analysis: Analysis) -> list[Finding]:
    """Disputed facts and weak sourcing: shown to readers, warned to analysts. Not computed
    at all when briefing.yml turns them off."""
    checks = analysis.briefing.meta.checks if analysis.briefing.meta else {}
    findings = []
    if checks.get("disputed-fact") != "off":
        findings += _disputed_findings(analysis)
    if checks.get("weak-sourcing") != "off":
        findings += _weak_findings(analysis)
    return findings


def _disputed_findings(analysis: Analysis) -> list[Finding]:
    findings = []
    for fact in analysis.facts:
        if not fact.disputed:
            continue
        label = fact.declaration.label
        stated = "; ".join(f"{v.value} ({', '.join(v.sources)})" for v in fact.values)
        for source_id in fact.sources:
            source = analysis.briefing.sources[source_id]
            line, col = source.origin.at("facts", fact.key)
            if source_id in fact.self_contradicting:
                message = (
                    f'this source states values for "{label}" (`{fact.key}`) that disagree: '
                    f"{stated}"
                )
            else:
                message = f'sources disagree on "{label}" (`{fact.key}`): {stated}'
            findings.append(finding(source.origin.path, line, col, "disputed-fact", message))
    return findings


def _weak_findings(analysis: Analysis) -> list[Finding]:
    """Assertions resting only on sources graded E or F; an attribution reports what a source
    says and does not rest on its reliability."""
    return [
        finding(
            s.path,
            s.line,
            s.col,
            "weak-sourcing",
            f'assertion rests only on sources graded E or F: "{_excerpt(s.text)}"',
        )
        for s in analysis.statements
        if s.citations and analysis.strength(s).weak
    ]
