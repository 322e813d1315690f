"""Sourcing strength: what each statement rests on, and how well.

A statement either reports what a source says (an *attribution*) or says something about
the subject that rests on its sources (an *assertion*). Each citation item is *attributed*
(the sentence reports what this source says) or *supporting* (the source supports a claim
about the subject); a statement is an attribution when every one of its citations is
attributed. An attribution is as good as its quotes, verified against the archived text;
an assertion is as good as the sources it rests on: corroborated when one citation group
holds two or more independent sources, weak when every one is graded E or F.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..prose.citations import CitationItem
from ..prose.quotes import normalise
from ..read.models import Source

ATTRIBUTED = "attributed"
SUPPORTING = "supporting"
ATTRIBUTION = "attribution"
ASSERTION = "assertion"

DEFAULT_CREDIBILITY = 6
"""Truth cannot be judged: what a citation's information is graded when nothing says more."""
CORROBORATED_CREDIBILITY = 2
"""Probably true: another independent source in the same citation group says the same."""

ABSENCE_PATTERNS = (
    re.compile(r"\b(?:neither|none of)\b", re.IGNORECASE),
    re.compile(r"\bno (?:other )?sources?\b", re.IGNORECASE),
    re.compile(
        r"\b(?:does|do|did)(?: not|n't) (?:say|mention|give|state|name|quote|report|cite)\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:say|mention|give|state|name|quote|report|cite|contain)s? "
        r"(?:no|none|nothing)\b",
        re.IGNORECASE,
    ),
)
"""What a statement about absence in what sources say reads like, in English ("neither
source gives a date", "none of them", "no other source", "the post does not name the
author", "it cites no source", "the corpus contains none"): every citation of such a
statement is attributed, so it is never counted as corroborated."""
_ABSENCE = re.compile("|".join(f"(?:{p.pattern})" for p in ABSENCE_PATTERNS))
"""The patterns as one expression, searched in the lowercased text: one search per statement."""
_QUOTED_SPAN = re.compile(r'"([^"]+)"')

WEAK_GRADES = frozenset("EF")
_GRADE_ORDER = "ABCDEF"


def independent(a: Source, b: Source) -> bool:
    """Different author and different outlet (an unknown outlet is not taken as shared)."""
    shared_author = bool(
        {x.casefold() for x in a.meta.author} & {x.casefold() for x in b.meta.author}
    )
    pa, pb = a.meta.publisher.casefold().strip(), b.meta.publisher.casefold().strip()
    return not shared_author and not (pa and pa == pb)


def independent_count(sources: Sequence[Source]) -> int:
    """The size of a set of mutually independent sources, picked best grade first."""
    chosen: list[Source] = []
    for source in sorted(sources, key=lambda s: (_GRADE_ORDER.index(s.meta.reliability), s.id)):
        if all(independent(source, other) for other in chosen):
            chosen.append(source)
    return len(chosen)


def is_absence(plain: str, language: str, *, normalised: bool = False) -> bool:
    """A statement about what sources do not say (English briefings only: the patterns are
    English). `normalised`: `plain` has been through quotes.normalise already."""
    if language.split("-")[0].casefold() != "en":
        return False
    return _ABSENCE.search((plain if normalised else normalise(plain)).lower()) is not None


def quoted_spans(plain: str, *, normalised: bool = False) -> tuple[str, ...]:
    """The words the statement itself sets in double quotation marks (straight or curly)."""
    text = plain if normalised else normalise(plain)
    return tuple(span.strip() for span in _QUOTED_SPAN.findall(text) if span.strip())


def roles(items: Sequence[CitationItem], plain: str, language: str) -> list[str]:
    """The role of each citation item of one statement whose text (without citations) is
    `plain`: see role_of."""
    text = normalise(plain)
    absence = is_absence(text, language, normalised=True)
    spans = quoted_spans(text, normalised=True) if '"' in text else ()
    return [role_of(item, spans, absence) for item in items]


def role_of(item: CitationItem, spans: Sequence[str], absence: bool) -> str:
    """Attributed when the sentence names the source itself (`[-@a]`, Pandoc's author-suppressed
    form), quotes the citation's quoted words or their translation (or part of them) in its
    own text, or is about absence in what sources say; else supporting."""
    if absence or item.suppress_author:
        return ATTRIBUTED
    words_quoted = (*item.quotes, item.translation) if item.translation else item.quotes
    for quote in words_quoted:
        words = normalise(quote)
        if words and any(words in span or span in words for span in spans):
            return ATTRIBUTED
    return SUPPORTING


def corroborating(sources: Sequence[Source]) -> list[bool]:
    """For each source of one citation group, whether another source of the group is
    independent of it (they say the same thing, in the same place of the sentence)."""
    return [
        any(other.id != source.id and independent(source, other) for other in sources)
        for source in sources
    ]


class Cited(Protocol):
    """What the measure reads of a resolved citation (analyse.Citation)."""

    @property
    def source_id(self) -> str: ...
    @property
    def group(self) -> int: ...
    @property
    def role(self) -> str: ...
    @property
    def verified(self) -> bool | None: ...


@dataclass(frozen=True)
class Strength:
    """How one statement is sourced."""

    kind: str
    """`attribution` or `assertion`."""
    sources: int
    """Distinct sources cited."""
    supporting: int
    """Distinct sources supporting a claim about the subject (none for an attribution)."""
    independent: int
    """Mutually independent sources among the supporting ones."""
    best_grade: str | None
    """The best reliability grade among the supporting sources."""
    verified: bool = False
    """An attribution whose every attributed citation carries a quote verified against the
    archived text."""
    corroborated: bool = False
    """An assertion with one citation group holding two or more independent supporting
    sources."""
    weak: bool = False
    """An assertion whose every supporting source is graded E (unreliable) or F (cannot be
    judged)."""

    @property
    def attribution(self) -> bool:
        return self.kind == ATTRIBUTION


def strength_of(citations: Sequence[Cited], sources: Mapping[str, Source]) -> Strength:
    """The measure of one statement from its resolved citations."""
    cited = [c for c in citations if c.source_id in sources]
    supporting = [c for c in cited if c.role == SUPPORTING]
    distinct = list(dict.fromkeys(c.source_id for c in cited))
    backing = [sources[sid] for sid in dict.fromkeys(c.source_id for c in supporting)]
    best = min((s.meta.reliability for s in backing), key=_GRADE_ORDER.index, default=None)
    if cited and not supporting:
        verified = all(c.verified is True for c in cited)
        return Strength(ATTRIBUTION, len(distinct), 0, 0, None, verified=verified)
    groups: dict[int, list[Source]] = {}
    for c in supporting:
        members = groups.setdefault(c.group, [])
        if all(m.id != c.source_id for m in members):
            members.append(sources[c.source_id])
    corroborated = any(any(corroborating(members)) for members in groups.values())
    weak = bool(backing) and all(s.meta.reliability in WEAK_GRADES for s in backing)
    return Strength(
        ASSERTION,
        len(distinct),
        len(backing),
        independent_count(backing),
        best,
        corroborated=corroborated,
        weak=weak,
    )


@dataclass(frozen=True)
class Summary:
    """The measure over many statements (a topic, a source, the briefing)."""

    statements: int
    attributions: int = 0
    verified: int = 0
    assertions: int = 0
    corroborated: int = 0
    weak: int = 0

    @staticmethod
    def _share(count: int, total: int) -> str:
        return f"{round(100 * count / total)}%" if total else "0%"

    def share(self, count: int) -> str:
        """`count` as a share of all statements."""
        return self._share(count, self.statements)

    @property
    def verified_share(self) -> str:
        """Verified attributions, as a share of attributions."""
        return self._share(self.verified, self.attributions)

    @property
    def corroborated_share(self) -> str:
        """Corroborated assertions, as a share of assertions."""
        return self._share(self.corroborated, self.assertions)

    @property
    def weak_share(self) -> str:
        """Weak assertions, as a share of assertions."""
        return self._share(self.weak, self.assertions)


def summarise(strengths: Iterable[Strength]) -> Summary:
    items = list(strengths)
    attributions = [s for s in items if s.attribution]
    assertions = [s for s in items if not s.attribution]
    return Summary(
        len(items),
        len(attributions),
        sum(s.verified for s in attributions),
        len(assertions),
        sum(s.corroborated for s in assertions),
        sum(s.weak for s in assertions),
    )
