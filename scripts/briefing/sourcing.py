"""Sourcing strength: how many sources support a statement, whether they are independent,
and how good the best of them is."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .models import Source

WEAK_GRADES = frozenset("EF")
_GRADE_ORDER = "ABCDEF"


def independent(a: Source, b: Source) -> bool:
    """Different author and different outlet (an unknown outlet is not taken as shared)."""
    shared_author = bool({x.casefold() for x in a.meta.author} & {x.casefold() for x in b.meta.author})
    pa, pb = a.meta.publisher.casefold().strip(), b.meta.publisher.casefold().strip()
    return not shared_author and not (pa and pa == pb)


def independent_count(sources: Sequence[Source]) -> int:
    """The size of a set of mutually independent sources, picked best grade first."""
    chosen: list[Source] = []
    for source in sorted(sources, key=lambda s: (_GRADE_ORDER.index(s.meta.reliability), s.id)):
        if all(independent(source, other) for other in chosen):
            chosen.append(source)
    return len(chosen)


@dataclass(frozen=True)
class Strength:
    sources: int
    independent: int
    best_grade: str | None

    @property
    def corroborated(self) -> bool:
        return self.independent >= 2

    @property
    def weak(self) -> bool:
        """Resting only on sources graded E (unreliable) or F (cannot be judged)."""
        return self.best_grade is None or self.best_grade in WEAK_GRADES


def strength_of(sources: Sequence[Source]) -> Strength:
    best = min((s.meta.reliability for s in sources), key=_GRADE_ORDER.index, default=None)
    return Strength(len(sources), independent_count(sources), best)


@dataclass(frozen=True)
class Summary:
    statements: int
    corroborated: int
    weak: int

    def share(self, count: int) -> str:
        return f"{round(100 * count / self.statements)}%" if self.statements else "0%"

    @property
    def corroborated_share(self) -> str:
        return self.share(self.corroborated)

    @property
    def weak_share(self) -> str:
        return self.share(self.weak)


def summarise(strengths: Iterable[Strength]) -> Summary:
    items = list(strengths)
    return Summary(len(items), sum(s.corroborated for s in items), sum(s.weak for s in items))
