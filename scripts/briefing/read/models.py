"""The data model of a briefing (BRIEFS.md), validated once at the edge by pydantic."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WrapValidator,
)

from ..rules import CONFIGURABLE, RULES
from .dates import DateError, describe, parse_date, parse_full_date, sort_key

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

RELIABILITY_LABELS = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
SOURCE_TYPES = ("primary", "reporting", "analysis", "commentary", "unknown")
CONFIDENCE_LEVELS = ("low", "moderate", "high")
CREDIBILITY_LABELS = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
"""The Admiralty scale's second part: the credibility of one piece of information (1-6),
given per citation (`[@a, credibility 3]`); a source has only its reliability (A-F)."""


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError("not a valid id: use lowercase letters, digits and single hyphens")
    return value


def check_date(value: str) -> str:
    """An EDTF date (`2024`, `2024-06-20`, `202X-02-17`, `XXXX`, `2024?` …): see dates.py."""
    try:
        parse_date(value)
    except DateError as exc:
        raise ValueError(exc.reason) from None
    return value


def _check_full_date(value: str) -> str:
    try:
        parse_full_date(value)
    except DateError as exc:
        raise ValueError(exc.reason) from None
    return value


def _as_text(value: object) -> object:
    """YAML reads `2024` as a number; dates and years are text here."""
    return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def _as_list(value: object) -> object:
    return [value] if isinstance(value, str) else value


class OrganisationName(str):
    """An author's name kept whole, an organisation's (`author: {literal: Financial Times}`):
    never split into family and given names (exports.csl_name, SourceMeta.label)."""


def _author_name(value: object, handler: Callable[[object], str]) -> str:
    """One author: a person's name as text (`Gilbert Doctorow`, `Kim, Jong Un`), or
    `{literal: NAME}` for a name to keep whole (an organisation)."""
    if isinstance(value, dict):
        if set(value) != {"literal"}:
            raise ValueError(
                "write a name as text, or {literal: NAME} to keep a name whole (an organisation)"
            )
        return OrganisationName(handler(value["literal"]))
    return handler(value)


def _as_authors(value: object) -> object:
    return [value] if isinstance(value, str | dict) else value


def family_name(name: str) -> str:
    """A person's family name: before the comma of `Family, Given`; else the last word, with
    the lowercase words right before it (`von der Leyen`, `de Gaulle`) while a given name is
    left; an organisation's whole name (OrganisationName)."""
    return split_name(name)[0]


def split_name(name: str) -> tuple[str, str]:
    """(family, given) of a person's name, as `family_name` reads it; ("name", "") for an
    organisation's name or a name of one word."""
    if isinstance(name, OrganisationName):
        return str(name), ""
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip():
            return " ".join(family.split()), " ".join(given.split())
    words = name.split()
    start = len(words) - 1
    while start > 1 and words[start - 1].islower():
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


def _as_values(value: object) -> object:
    """A fact's values: one value or a list of them, each plain or with the source's words."""
    value = _as_text(value)
    return [value] if isinstance(value, str | dict) else value


def _as_fact_value(value: object) -> object:
    value = _as_text(value)
    return {"value": value} if isinstance(value, str) else value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, BeforeValidator(_as_text), Field(min_length=1)]
EdtfDate = Annotated[str, BeforeValidator(_as_text), AfterValidator(check_date)]
FullDate = Annotated[str, BeforeValidator(_as_text), AfterValidator(_check_full_date)]


def _off_is_not_false(value: object) -> object:
    """YAML 1.1 reads a bare `off` as false."""
    return "off" if value is False else value


CheckLevel = Annotated[Literal["error", "warning", "off"], BeforeValidator(_off_is_not_false)]


def _check_rule(value: str) -> str:
    """`checks:` may set the warnings; errors stay errors."""
    rule = RULES.get(value)
    settable = ", ".join(CONFIGURABLE)
    if rule is None:
        raise ValueError(f"not a rule id; rules briefing.yml may set: {settable}")
    if not rule.configurable:
        raise ValueError(
            f"an error rule, which stays an error; rules briefing.yml may set: {settable}"
        )
    return value


RuleId = Annotated[str, AfterValidator(_check_rule)]


LABEL_LIMIT = 40
"""The longest a source's label may be when it is cut from the title."""


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary to at most `limit` characters, "…" included."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:–— ") + "…"


def known_year(value: str) -> int | None:
    """The year of an EDTF date when it is fully known: every digit given, no `?` or `~`,
    and one year only (`2024`, `2024-06-20`, `2024-06/2024-07`); else None."""
    try:
        d = parse_date(value)
    except DateError:
        return None
    if d.uncertain or d.approximate or d.lower is None or d.upper is None:
        return None
    return d.lower.year if d.lower.year == d.upper.year else None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Topic(_Strict):
    id: Id
    title: Text


class FactDeclaration(_Strict):
    label: Text
    type: Literal["date", "text"] = "text"
    topic: Id | None = None


class BriefingMeta(_Strict):
    """briefing.yml."""

    title: Text
    subtitle: str = ""
    marking: Text
    language: str = "en"
    summary_topic: Id | None = None
    topics: list[Topic] = Field(min_length=1)
    facts: dict[Id, FactDeclaration] = Field(default_factory=dict)
    checks: dict[RuleId, CheckLevel] = Field(default_factory=dict)
    """Severity of the warning rules: raised to `error`, kept as `warning`, or `off`."""


class FactValue(_Strict):
    """One value a source states for a fact. With `quote`, the source's own words for it,
    verified against the archived text; without, it is the briefing's reading of the source."""

    value: Text
    quote: Annotated[str, Field(min_length=1)] | None = None


DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")


def _check_digest(value: str) -> str:
    if not DIGEST_RE.match(value):
        raise ValueError(
            "a SHA-256 digest is 64 hexadecimal digits (0-9, a-f): write it with `briefing pin ID`"
        )
    return value


class ArchivedCopy(_Strict):
    """`archived:` of a source record: the fingerprint of its archived text (the body, as the
    loader reads it: UTF-8, BOM dropped, LF line endings) and the day the text was retrieved.
    `briefing check` fails (`archive-changed`) when the body no longer has this digest."""

    sha256: Annotated[str, BeforeValidator(_as_text), AfterValidator(_check_digest)]
    retrieved: FullDate


class SourceMeta(_Strict):
    """The front-matter of a source record."""

    title: Text
    title_short: Annotated[str, Field(min_length=1)] | None = Field(
        default=None, alias="title-short"
    )
    """CSL-JSON's `title-short`: the short name lists of sources show (`label`)."""
    issued: EdtfDate
    type: Literal["primary", "reporting", "analysis", "commentary", "unknown"]
    reliability: Literal["A", "B", "C", "D", "E", "F"]
    author: Annotated[
        list[Annotated[Text, WrapValidator(_author_name)]], BeforeValidator(_as_authors)
    ] = Field(default_factory=list)
    """Names as text (split into family and given names: `split_name`), or `{literal: NAME}`
    for an organisation's (an OrganisationName)."""
    publisher: str = ""
    url: str = ""
    accessed: FullDate | None = None
    archived: ArchivedCopy | None = None
    language: str = ""
    facts: dict[
        str,
        Annotated[
            list[Annotated[FactValue, BeforeValidator(_as_fact_value)]], BeforeValidator(_as_values)
        ],
    ] = Field(default_factory=dict)
    note: str = ""

    @property
    def issued_words(self) -> str:
        """The publication date as readers see it: "20 June 2024", "undated"."""
        return describe(parse_date(self.issued))

    @property
    def label(self) -> str:
        """The source's short name, wherever sources are listed (boxes, reference lists,
        tooltips, footnotes): its `title-short`; else the first author's family name
        (`family_name`: the last word of the name, `von der Leyen`, the part before a comma;
        the whole name of an organisation, written `{literal: …}` or the publisher) and the
        year; else the publisher and the year; else the title cut to its first words. The year
        only when it is fully known (not `202X`, `2024?`, `XXXX`)."""
        if self.title_short:
            return self.title_short
        year = known_year(self.issued)
        if self.author:
            first = self.author[0]
            name = first if first == self.publisher else family_name(first)
        else:
            name = self.publisher
        if name:
            return f"{name} {year}" if year else name
        return shorten(self.title, LABEL_LIMIT)


class NoteMeta(_Strict):
    """The front-matter of an analyst note."""

    title: Text
    topic: Id
    author: Text
    order: int | None = None


@dataclass(frozen=True)
class Origin:
    """Where a record came from: its file, and the line of each front-matter field."""

    path: str
    body_line: int
    fields: dict[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict)

    def at(self, *path: str | int) -> tuple[int, int]:
        for end in range(len(path), 0, -1):
            found = self.fields.get(tuple(path[:end]))
            if found:
                return found
        return (1, 1)


@dataclass(frozen=True)
class Source:
    id: str
    meta: SourceMeta
    body: str
    origin: Origin


def source_labels(sources: Mapping[str, Source]) -> dict[str, str]:
    """Every source's label (`SourceMeta.label`), told apart where two author-date labels
    read the same: "Doctorow 2024a", "Doctorow 2024b", in order of date, then id. A
    `title-short` the record sets is kept as written."""
    labels = {sid: source.meta.label for sid, source in sources.items()}
    dated: dict[str, list[str]] = {}
    for sid, source in sources.items():
        if not source.meta.title_short and known_year(source.meta.issued) is not None:
            dated.setdefault(labels[sid], []).append(sid)
    for label, ids in dated.items():
        if len(ids) < 2:
            continue
        ids.sort(key=lambda sid: (sort_key(parse_date(sources[sid].meta.issued)), sid))
        for index, sid in enumerate(ids):
            labels[sid] = label + _letters(index)
    return labels


def _letters(index: int) -> str:
    """a, b, … z, aa, ab, …: the suffixes that tell same-year works of an author apart."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


@dataclass(frozen=True)
class Note:
    slug: str
    meta: NoteMeta
    body: str
    origin: Origin


@dataclass(frozen=True)
class Briefing:
    """Everything in briefs/, validated; records that failed validation are left out.

    `meta` is None when briefing.yml is missing or invalid: the notes and sources
    are still checked, so one run reports every problem.
    """

    meta: BriefingMeta | None
    origin: Origin
    sources: dict[str, Source]
    notes: list[Note]
    invalid_sources: frozenset[str] = frozenset()
    """Ids of source records that exist but failed validation: citing them is not an
    unknown key (the record's own finding says what to fix)."""
