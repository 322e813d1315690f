"""Facts that sources state, compared across sources: agreement, disagreement, self-contradiction.

Dates are compared with their precision (`2024-06` agrees with `2024-06-19` as far
as it goes); text is compared ignoring case, spacing, quote marks and dash forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from .models import PARTIAL_DATE_RE, Briefing, FactDeclaration
from .quotes import normalise

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def date_parts(value: str) -> tuple[int, ...]:
    """`2024-06` → (2024, 6)."""
    return tuple(int(part) for part in value.split("-"))


def dates_agree(a: str, b: str) -> bool:
    """Two partial dates agree when they are equal as far as the less precise one goes."""
    left, right = date_parts(a), date_parts(b)
    common = min(len(left), len(right))
    return left[:common] == right[:common]


def text_key(value: str) -> str:
    return normalise(value).casefold()


def values_agree(kind: str, a: str, b: str) -> bool:
    return dates_agree(a, b) if kind == "date" else text_key(a) == text_key(b)


def date_label(value: str) -> str:
    """`2024-06-19` → `19 June 2024`; `2024-06` → `June 2024`; `2024` → `2024`."""
    parts = date_parts(value)
    if len(parts) == 1:
        return str(parts[0])
    month = MONTHS[parts[1] - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{parts[2]} {month} {parts[0]}"


@dataclass(frozen=True)
class StatedValue:
    value: str
    sources: tuple[str, ...]
    """Ids of the sources stating this value, in id order."""


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


def _group(kind: str, stated: Sequence[tuple[str, str]]) -> tuple[StatedValue, ...]:
    """Group (source, value) pairs by value; equal means the same after normalisation."""
    groups: dict[str, tuple[str, list[str]]] = {}
    for source_id, value in stated:
        key = value if kind == "date" else text_key(value)
        _, sources = groups.setdefault(key, (value, []))
        if source_id not in sources:
            sources.append(source_id)
    ordered = sorted(groups.values(), key=lambda g: (date_parts(g[0]) if kind == "date" else (), g[0]))
    return tuple(StatedValue(shown, tuple(sorted(sources))) for shown, sources in ordered)


def _conflicts(kind: str, values: Sequence[str]) -> bool:
    return any(not values_agree(kind, a, b) for a, b in combinations(values, 2))


def compare_fact(key: str, declaration: FactDeclaration,
                 stated: Sequence[tuple[str, str]]) -> FactComparison:
    """Compare what each source states for one fact; `stated` is (source id, value) pairs."""
    kind = declaration.type
    per_source: dict[str, list[str]] = {}
    for source_id, value in stated:
        per_source.setdefault(source_id, []).append(value)
    contradicting = tuple(sorted(sid for sid, vals in per_source.items() if _conflicts(kind, vals)))
    values = _group(kind, stated)
    disputed = _conflicts(kind, [v.value for v in values])
    return FactComparison(key, declaration, values, disputed, contradicting)


def compare_facts(briefing: Briefing) -> list[FactComparison]:
    """Every fact declared in briefing.yml, in declaration order, with what sources state."""
    if briefing.meta is None:
        return []
    result = []
    for key, declaration in briefing.meta.facts.items():
        stated = [(sid, value) for sid, source in sorted(briefing.sources.items())
                  for value in source.meta.facts.get(key, [])
                  if declaration.type != "date" or PARTIAL_DATE_RE.match(value)]
        result.append(compare_fact(key, declaration, stated))
    return result
