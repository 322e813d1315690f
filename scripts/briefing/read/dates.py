"""Dates as historians and archivists write them: the Extended Date/Time Format (EDTF).

A source's `issued` date and `type: date` fact values are written in EDTF (Library of
Congress; ISO 8601-2), so that what a source leaves open is said exactly instead of
guessed: `XXXX` (undated), `202X` (some year of the 2020s), `2024?` (uncertain),
`2024~` (approximate), `2024-06/2024-07` (an interval). The plain forms `2024`,
`2024-06` and `2024-06-20` are EDTF too, so values written before stay valid.

Read here: a four-digit year 0001-9999 with an optional month and day, any digit of which
may be `X` (unspecified, EDTF levels 1 and 2); one qualifier `?`, `~` or `%` after a whole
date; intervals `A/B`, where `..` is an open end and an empty side an unknown one.
Refused, with a message saying what to write: seasons, times, signed or five-digit years,
qualifiers on single components, sets.

The parser is this module's own, not the `edtf` package (5.0.2): that one refuses `20X4` and
the specification's own `1984-1X`, accepts `2023-02-29`, fails computing the bounds of `XXXX`
and `2024/..`, takes about 3 ms a value, and its grammar warns (an error under `-W error`)
on import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import product
from typing import Literal, TypedDict

Precision = Literal["year", "month", "day"]
Bound = Literal["open", "unknown"]
"""An interval's side without a date: `..` (open: it goes on) or empty (unknown)."""

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
HOW = (
    "write 2024, 2024-06, 2024-06-20, or EDTF for what is not known: XXXX (undated), "
    "202X (a decade), 2024? (uncertain), 2024~ (approximate)"
)

_DATE_RE = re.compile(
    r"(?P<year>[0-9X]{4})(?:-(?P<month>[0-9X]{2})(?:-(?P<day>[0-9X]{2}))?)?"
    r"(?P<qualifier>[?~%])?"
)
_UNPADDED_RE = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")
_RANK: dict[Precision, int] = {"year": 0, "month": 1, "day": 2}


class DateError(ValueError):
    """A value that is not a date read here; the message quotes it and says how to write one.

    A ValueError, so that a pydantic validator raising it reports it as a validation error.
    """

    def __init__(self, value: str, problem: str, advice: str = HOW) -> None:
        super().__init__(f'found "{value}": {problem}; {advice}')
        self.value = value
        self.reason = f"{problem}; {advice}"
        """The message without the value, for callers that quote the value themselves."""


@dataclass(frozen=True)
class WrittenDate:
    """One date as written; digits stay text so that `X` (unspecified) survives."""

    year: str
    month: str | None = None
    day: str | None = None
    uncertain: bool = False
    approximate: bool = False

    @property
    def precision(self) -> Precision:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def digits(self) -> str:
        """The digits written, `X` included, without hyphens."""
        return self.year + (self.month or "") + (self.day or "")

    @property
    def mask(self) -> str:
        """YYYYMMDD with `X` for every digit not given, so that `2024` and `2024-XX-XX` match
        the same days."""
        return self.year + (self.month or "XX") + (self.day or "XX")

    @property
    def unspecified(self) -> bool:
        return "X" in self.digits

    @property
    def unknown(self) -> bool:
        """No digit given at all (`XXXX`, `XXXX-XX`): it can be any day."""
        return set(self.digits) == {"X"}


@dataclass(frozen=True)
class Edtf:
    """One parsed value; build it with `parse_date`, which fills the derived fields.

    `lower`/`upper` are the earliest and latest day the value can mean, None where that is
    open or not known (an open interval end, a year written `XXXX`). A single date has
    `start is end`. `precision` is that of the first date written (the start of an
    interval, else its end); unspecified digits do not change it (`20XX` is a year).
    """

    text: str
    start: WrittenDate | Bound
    end: WrittenDate | Bound
    interval: bool
    lower: date | None
    upper: date | None
    precision: Precision
    uncertain: bool
    approximate: bool
    unknown: bool
    unspecified: bool

    def __str__(self) -> str:
        return self.text


CslDate = TypedDict(
    "CslDate", {"date-parts": list[list[int]], "circa": bool, "literal": str}, total=False
)


@lru_cache(maxsize=8192)
def parse_date(text: str) -> Edtf:
    """Read one EDTF value; raise DateError naming the value and how to write it.
    Cached: every citation's tooltip and reference shows its source's date in words.

    Takes text only: YAML reads `2024` as a number and `2024-06-20` as a date, and the caller
    converts (`str(value)`, `value.isoformat()`) so that this module sees what was written.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"parse_date takes text, not {type(text).__name__} {text!r}: "
            "convert numbers and dates read from YAML to str first"
        )
    value = text.strip()
    if not value:
        raise DateError(value, "no date given")
    if "/" in value:
        return _interval(value)
    written = _written(value, value)
    return _edtf(value, written, written, interval=False)


def is_full_date(d: Edtf) -> bool:
    """One day, every digit given, without qualifier: what an `accessed` date must be."""
    return (
        not d.interval
        and d.precision == "day"
        and not d.unspecified
        and not d.uncertain
        and not d.approximate
    )


def parse_full_date(text: str) -> date:
    """Read a date that must be one known day (`accessed`); DateError for anything else."""
    d = parse_date(text)
    if d.lower is None or not is_full_date(d):
        raise DateError(d.text, "not one full day", "write the day as YYYY-MM-DD, e.g. 2024-06-20")
    return d.lower


def agree(a: Edtf, b: Edtf) -> bool:
    """True when the two could mean the same day: the sets of days they allow meet.

    So `2024-06` agrees with `2024-06-19` (the partial date contains it), `202X-02-17` with
    `2024-02-17` but not `2016-02-19`, and `20X4` not with `2015`: unspecified digits are
    matched digit by digit, not only by bounds. `XXXX` agrees with everything. An interval
    is every day from its earliest start to its latest end; an open or unknown end is
    unbounded, since nothing excludes any day beyond it. `?` and `~` do not widen a value:
    they qualify the source's confidence, and EDTF gives them no width (the `edtf` package's
    one-year padding is its own setting), so `2024~` compares like `2024`.
    """
    if a.unknown or b.unknown:
        return True
    if not a.interval and not b.interval:
        merged = _merge(_single(a).mask, _single(b).mask)
        return merged is not None and _first(merged) is not None
    if a.interval and b.interval:
        return _before(a.lower, b.upper) and _before(b.lower, a.upper)
    one, span = (a, b) if b.interval else (b, a)
    return _first(_single(one).mask, lo=span.lower, hi=span.upper) is not None


def describe(d: Edtf) -> str:
    """The value in English words for readers: `2024-06-20` → "20 June 2024"."""
    if d.unknown:
        return "undated"
    if not d.interval:
        return _words(_single(d))
    return _span_words(d.start, d.end)


def sort_key(d: Edtf) -> tuple[int, int, int, int, str]:
    """Timeline order: by earliest possible day, then the coarser (wider) value first, so a
    month comes before the days in it; values with no known bound (`XXXX`) last."""
    if d.lower is None and d.upper is None:
        return (1, 0, 0, 0, d.text)
    lower, upper = d.lower or date.min, d.upper or date.max
    return (0, lower.toordinal(), _RANK[d.precision], -upper.toordinal(), d.text)


def csl_date(d: Edtf) -> CslDate:
    """The CSL-JSON date object (schema 1.0) for a bibliography.

    `date-parts` for every date CSL can hold (an interval as two), `circa` for `?`, `~`, `%`
    (CSL has only the one flag), and `literal` (our words) for what `date-parts` cannot
    say: unspecified digits, `XXXX`, an open or unknown end.
    """
    sides = [_side(d.start), _side(d.end)] if d.interval else [_side(d.start)]
    dates = [side for side in sides if side is not None]
    if d.unspecified or len(dates) < len(sides):
        return {"literal": describe(d)}
    result: CslDate = {"date-parts": [[int(part) for part in _parts(w)] for w in dates]}
    if d.uncertain or d.approximate:
        result["circa"] = True
    return result


# Parsing


def _interval(value: str) -> Edtf:
    left, _, right = value.partition("/")
    if "/" in right:
        raise _not_a_date(value, value)
    start, end = _end(left, value), _end(right, value)
    if not isinstance(start, WrittenDate) and not isinstance(end, WrittenDate):
        raise DateError(
            value,
            "an interval needs a date on at least one side",
            "write XXXX for a date not known at all",
        )
    if isinstance(start, WrittenDate) and isinstance(end, WrittenDate):
        first, last = _first(start.mask), _first(end.mask, descending=True)
        if first is not None and last is not None and first > last:
            raise DateError(
                value,
                "the interval ends before it starts",
                "write the earlier date first, e.g. 2024-06/2024-07",
            )
    return _edtf(value, start, end, interval=True)


def _end(part: str, whole: str) -> WrittenDate | Bound:
    if part == "..":
        return "open"
    if part == "":
        return "unknown"
    return _written(part, whole)


def _written(part: str, whole: str) -> WrittenDate:
    match = _DATE_RE.fullmatch(part)
    if match is None:
        raise _not_a_date(part, whole)
    year, month, day, qualifier = match.group("year", "month", "day", "qualifier")
    _check_numbers(whole, year, month, day)
    written = WrittenDate(
        year, month, day, uncertain=qualifier in ("?", "%"), approximate=qualifier in ("~", "%")
    )
    if _first(written.mask) is None:
        raise DateError(
            whole,
            f"no calendar day has the digits {part}",
            "check them, or write X for each digit not known",
        )
    return written


def _not_a_date(part: str, whole: str) -> DateError:
    """The likeliest mistake behind a value that is not EDTF, said with its repair."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.*", part):
        return DateError(whole, "a time is not part of a date here", f"write the day: {part[:10]}")
    unpadded = _UNPADDED_RE.fullmatch(part)
    if unpadded:
        padded = "-".join(f"{int(n):02d}" if i else n for i, n in enumerate(unpadded.groups()) if n)
        return DateError(whole, "months and days take two digits", f"write {padded}")
    if "x" in part and _DATE_RE.fullmatch(part.upper()):
        return DateError(whole, "an unspecified digit is a capital X", f"write {part.upper()}")
    bare = re.sub("[?~%]", "", part)
    if bare != part and _DATE_RE.fullmatch(bare):
        marks = set(part) & set("?~%")
        qualifier = marks.pop() if len(marks) == 1 else "%"
        return DateError(
            whole,
            "a qualifier ?, ~ or % goes once, after the whole date",
            f"write {bare}{qualifier}",
        )
    if re.fullmatch(r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", part):
        return DateError(
            whole,
            "a date is written year first, then month and day",
            "write YYYY-MM-DD, e.g. 2024-06-20 for 20 June 2024",
        )
    if re.fullmatch(r"[-+Y]?\d+(-.*)?", part):
        return DateError(whole, "a year takes four digits, 0001 to 9999", HOW)
    return DateError(whole, "not a date")


def _check_numbers(whole: str, year: str, month: str | None, day: str | None) -> None:
    """Refuse a year 0000, a month or day out of range, a day the month has not."""
    if year == "0000":
        raise DateError(whole, "there is no year 0000 here (years run 0001 to 9999)")
    if month and "X" not in month and not 1 <= int(month) <= 12:
        season = (
            "; EDTF seasons, 21 to 41, are not read here: write the months"
            if 21 <= int(month) <= 41
            else ""
        )
        raise DateError(whole, f"there is no month {month} (months are 01 to 12{season})")
    if day and "X" not in day and not 1 <= int(day) <= 31:
        raise DateError(whole, f"there is no day {day} (days are 01 to 31)")
    if month and day and "X" not in year + month + day:
        last = _month_length(int(year), int(month))
        if int(day) > last:
            name = f"{MONTHS[int(month) - 1]} {int(year)}"
            raise DateError(
                whole,
                f"there is no {int(day)} {name}: {name} has {last} days",
                f"write a day that exists, e.g. {year}-{month}-{last:02d}",
            )


def _edtf(
    text: str, start: WrittenDate | Bound, end: WrittenDate | Bound, *, interval: bool
) -> Edtf:
    dates = [side for side in (_side(start), _side(end)) if side is not None]
    return Edtf(
        text=text,
        start=start,
        end=end,
        interval=interval,
        lower=_bound(start),
        upper=_bound(end, descending=True),
        precision=dates[0].precision,
        uncertain=any(w.uncertain for w in dates),
        approximate=any(w.approximate for w in dates),
        unknown=all(w.unknown for w in dates),
        unspecified=any(w.unspecified for w in dates),
    )


def _side(side: WrittenDate | Bound) -> WrittenDate | None:
    return side if isinstance(side, WrittenDate) else None


def _single(d: Edtf) -> WrittenDate:
    if not isinstance(d.start, WrittenDate):
        raise TypeError(f"{d.text} is an interval, not one date")
    return d.start


# Days a pattern can stand for


def _bound(side: WrittenDate | Bound, descending: bool = False) -> date | None:
    """Earliest (or latest) day of a side; None when open, unknown, or the year is all X."""
    if not isinstance(side, WrittenDate) or side.year == "XXXX":
        return None
    return _first(side.mask, descending=descending)


def _numbers(mask: str, descending: bool = False) -> Iterator[int]:
    """The numbers a run of digits and X can stand for, in order."""
    every = "9876543210" if descending else "0123456789"
    for digits in product(*(every if c == "X" else c for c in mask)):
        yield int("".join(digits))


def _days(mask: str, lo: date | None, hi: date | None, descending: bool) -> Iterator[date]:
    """The calendar days a YYYYMMDD mask stands for, within lo..hi, in order."""
    for year in _years(mask[:4], lo, hi, descending):
        for month in _numbers(mask[4:6], descending):
            if not 1 <= month <= 12:
                continue
            last = _month_length(year, month)
            for day in _numbers(mask[6:], descending):
                if 1 <= day <= last:
                    found = date(year, month, day)
                    if _before(lo, found) and _before(found, hi):
                        yield found


def _years(mask: str, lo: date | None, hi: date | None, descending: bool) -> Iterator[int]:
    """The years 1-9999 a mask allows within lo..hi, in order: counted through the span when
    it is short, else through the mask's own values."""
    first, last = (lo.year if lo else 1), (hi.year if hi else 9999)
    if last - first < 100:
        span = range(last, first - 1, -1) if descending else range(first, last + 1)
        return (year for year in span if _fits(f"{year:04d}", mask))
    return (year for year in _numbers(mask, descending) if first <= year <= last)


def _fits(digits: str, mask: str) -> bool:
    return all(m in ("X", c) for m, c in zip(mask, digits, strict=True))


def _month_length(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar (as `datetime.date` counts)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _first(
    mask: str, lo: date | None = None, hi: date | None = None, descending: bool = False
) -> date | None:
    return next(_days(mask, lo, hi, descending), None)


def _before(a: date | None, b: date | None) -> bool:
    """a <= b, where None is an unbounded side."""
    return a is None or b is None or a <= b


def _merge(a: str, b: str) -> str | None:
    """The mask both masks allow, or None where a digit given in both differs."""
    merged = []
    for x, y in zip(a, b, strict=True):
        if x != "X" and y != "X" and x != y:
            return None
        merged.append(y if x == "X" else x)
    return "".join(merged)


# Words


def _parts(w: WrittenDate) -> list[str]:
    return [part for part in (w.year, w.month, w.day) if part]


def _plain(w: WrittenDate) -> bool:
    return not (w.unspecified or w.uncertain or w.approximate)


def _words(w: WrittenDate) -> str:
    """One date in words, with its qualifier: "about 2024", "June 2024 (uncertain)"."""
    words = "undated" if w.unknown else _digits_words(w)
    if w.approximate:
        words = f"about {words}"
    return f"{words} (uncertain)" if w.uncertain else words


def _digits_words(w: WrittenDate) -> str:
    """What is given in natural order, then what is not: "June, year and day not given"."""
    month_known = w.month is not None and "X" not in w.month
    day_known = w.day is not None and "X" not in w.day
    given, partly, missing, after = [], [], [], []
    if day_known and month_known and w.day:
        given.append(str(int(w.day)))
    if month_known and w.month:
        given.append(MONTHS[int(w.month) - 1])
    if "X" not in w.year:
        given.append(str(int(w.year)))
    elif w.year == "XXXX":
        missing.append("year")
    else:
        partly.append(f"year not given ({_year_hint(w.year)})")
    for name, digits, every, say in (("month", w.month, 12, _month_name), ("day", w.day, 31, str)):
        if digits and "X" in digits:
            values = [n for n in _numbers(digits) if 1 <= n <= every]
            if len(values) == every:
                missing.append(name)
            else:
                names = [say(n) for n in values]
                partly.append(f"{name} not given ({_alternatives(names, values)})")
    if w.day and day_known and not month_known:
        after.append(f"day {int(w.day)}")
    if missing:
        partly.append(f"{' and '.join(missing)} not given")
    return ", ".join(part for part in (" ".join(given), *partly, *after) if part)


def _month_name(n: int) -> str:
    return MONTHS[n - 1]


def _year_hint(year: str) -> str:
    """`202X` → "202–" (the digits known, then a dash); a year with X inside as written."""
    known = year.rstrip("X")
    return f"{known}–" if "X" not in known else year


def _alternatives(names: list[str], values: list[int]) -> str:
    """The values a partly given month or day can be: "October–December", "5, 15 or 25"."""
    if len(values) > 2 and values[-1] - values[0] == len(values) - 1:
        return f"{names[0]}–{names[-1]}"
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]


def _span_words(start_side: WrittenDate | Bound, end_side: WrittenDate | Bound) -> str:
    """An interval in words: "June–July 2024", "2024 to about 2026", "from 2024"; a side
    written `XXXX` is said like an unknown one."""
    start, end = _side(start_side), _side(end_side)
    if end is None or end.unknown:
        if start is None or start.unknown:
            return "undated"
        ending = "" if end_side == "open" else ", end not known"
        return f"from {_words(start)}{ending}"
    if start is None or start.unknown:
        starting = "" if start_side == "open" else ", start not known"
        return f"until {_words(end)}{starting}"
    if start == end:
        return _words(start)
    if _plain(start) and _plain(end) and start.precision == end.precision:
        return _compact(start, end)
    return f"{_words(start)} to {_words(end)}"


def _compact(start: WrittenDate, end: WrittenDate) -> str:
    """Two plain dates of one precision, sharing what they can: "19–20 June 2024"."""
    same_year = start.year == end.year
    if start.precision == "year":
        return f"{int(start.year)}–{int(end.year)}"
    if start.precision == "month" and same_year and start.month and end.month:
        return f"{MONTHS[int(start.month) - 1]}–{MONTHS[int(end.month) - 1]} {int(end.year)}"
    if same_year and start.month == end.month and start.day and end.day:
        return f"{int(start.day)}–{_words(end)}"
    if same_year and start.day and start.month:
        return f"{int(start.day)} {MONTHS[int(start.month) - 1]} to {_words(end)}"
    return f"{_words(start)} to {_words(end)}"
