"""Facts that sources state, compared across sources: agreement, disagreement, self-contradiction.

Dates are EDTF values compared by what they allow (`2024-06` agrees with `2024-06-19`,
`202X-02-17` disagrees with `2016-02-19`, `XXXX` with nothing); text is compared ignoring
case, spacing, quote marks and dash forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from ..prose.quotes import normalise
from ..read.dates import DateError, Edtf, agree, describe, parse_date, sort_key
from ..read.models import Briefing, FactDeclaration, FactValue


def text_key(value: str) -> str:
    return normalise(value).casefold()


def values_agree(kind: str, a: str, b: str) -> bool:
    if kind == "date":
        return agree(parse_date(a), parse_date(b))
    return text_key(a) == text_key(b)


def value_words(kind: str, value: str) -> str:
    """A value as readers see it: dates in words ("17 February, year not given (202–)")."""
    return describe(parse_date(value)) if kind == "date" else value


def is_date(value: str) -> bool:
    try:
        parse_date(value)
    except DateError:
        return False
    return True


@dataclass(frozen=True)
class StatedBy:
    """One source stating one value: in its own words (`quote`), or as the briefing reads it."""

    source_id: str
    quote: str | None


@dataclass(frozen=True)
class StatedValue:
    value: str
    stated_by: tuple[StatedBy, ...]
    """The sources stating this value, in id order."""

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(s.source_id for s in self.stated_by)

    @property
    def date(self) -> Edtf | None:
        return parse_date(self.value) if is_date(self.value) else None


@dataclass(frozen=True)
class FactComparison:
    key: str
    declaration: FactDeclaration
    values: tuple[StatedValue, ...]
    disputed: bool
    self_contradicting: tuple[str, ...]
    """Sources that state two values for this fact that cannot both be true."""

    @property
    def sources(self) -> list[str]:
        return sorted({sid for value in self.values for sid in value.sources})


def _order(kind: str, value: str) -> tuple[object, ...]:
    return (sort_key(parse_date(value)),) if kind == "date" else (text_key(value),)


def _group(kind: str, stated: Sequence[tuple[str, FactValue]]) -> tuple[StatedValue, ...]:
    """Group (source, value) pairs by value; equal means the same after normalisation."""
    groups: dict[str, tuple[str, list[StatedBy]]] = {}
    for source_id, fact in stated:
        key = fact.value if kind == "date" else text_key(fact.value)
        _, stated_by = groups.setdefault(key, (fact.value, []))
        if all(s.source_id != source_id for s in stated_by):
            stated_by.append(StatedBy(source_id, fact.quote))
    ordered = sorted(groups.values(), key=lambda g: (_order(kind, g[0]), g[0]))
    return tuple(
        StatedValue(shown, tuple(sorted(stated_by, key=lambda s: s.source_id)))
        for shown, stated_by in ordered
    )


def _conflicts(kind: str, values: Sequence[str]) -> bool:
    return any(not values_agree(kind, a, b) for a, b in combinations(values, 2))


def compare_fact(
    key: str, declaration: FactDeclaration, stated: Sequence[tuple[str, FactValue]]
) -> FactComparison:
    """Compare what each source states for one fact; `stated` is (source id, value) pairs."""
    kind = declaration.type
    per_source: dict[str, list[str]] = {}
    for source_id, fact in stated:
        per_source.setdefault(source_id, []).append(fact.value)
    contradicting = tuple(sorted(sid for sid, vals in per_source.items() if _conflicts(kind, vals)))
    values = _group(kind, stated)
    disputed = _conflicts(kind, [v.value for v in values])
    return FactComparison(key, declaration, values, disputed, contradicting)


def compare_facts(briefing: Briefing) -> list[FactComparison]:
    """Every fact declared in briefing.yml, in declaration order, with what sources state
    (date values that are not dates are left out: `briefing check` reports them)."""
    if briefing.meta is None:
        return []
    result = []
    for key, declaration in briefing.meta.facts.items():
        stated = [
            (sid, fact)
            for sid, source in sorted(briefing.sources.items())
            for fact in source.meta.facts.get(key, [])
            if declaration.type != "date" or is_date(fact.value)
        ]
        result.append(compare_fact(key, declaration, stated))
    return result
