"""What changed between two analysed briefings, at the level a reader cares about.

Statements added, removed, changed (matched to their old version, with a word-level diff),
moved between topics, citations added or dropped; sources added, removed or regraded;
disputed facts opened or settled; the confidence of assessments. Pure: `compare` takes two
`Analysis` objects (however they were read: `revisions.py` reads them from git), and the
formatters turn the result into text, Markdown or JSON.

The matching rule (README, "briefing diff"):

1. Notes are paired by slug; a note present on one side only is paired with one on the
   other side when git saw a rename (`renames`), else when their bodies are at least
   `NOTE_SIMILARITY` alike, word for word (as git's own rename detection, by content).
2. A statement is matched to an old one with exactly the same text (citations left out,
   white space collapsed): in the same (paired) note first, then anywhere in the briefing.
3. Within each pair of notes, the statements left are paired when they cite at least one
   source in common (or both cite none) and their words are at least `SIMILARITY` alike
   (difflib's ratio over white-space separated words); the best pairs first, those with
   exactly the same sources ahead.
4. Within each pair of notes, a statement left that stands where an old one left stood
   (between the same matched neighbours), cites exactly the same sources and is at least
   `IN_PLACE_SIMILARITY` alike took its place: one statement reworded.
5. Whatever is left is added or removed.
"""

from __future__ import annotations

import difflib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import AnalysedNote, Analysis, Statement

SIMILARITY = 0.5
"""Least word-similarity ratio for two statements of one note to be one statement changed."""
IN_PLACE_SIMILARITY = 0.25
"""Least ratio for a statement that took an old one's place, with the same sources, to be it
reworded (unrelated sentences share few words: a ratio under 0.1 is usual)."""
NOTE_SIMILARITY = 0.5
"""Least word-similarity ratio of two note bodies for one to be the other renamed."""
JSON_VERSION = 1

ADDED, REMOVED, CHANGED, MOVED, CITATIONS = "added", "removed", "changed", "moved", "citations"
RENAMED, REGRADED, OPENED, SETTLED, CONFIDENCE = (
    "renamed",
    "regraded",
    "opened",
    "settled",
    "confidence",
)
_STATEMENT_ORDER = (ADDED, CHANGED, MOVED, CITATIONS, REMOVED)


@dataclass(frozen=True)
class StatementRef:
    """One statement on one side: where it is and what it says."""

    note: str
    note_title: str
    topic: str
    topic_title: str
    file: str
    """The note's file, as `<briefs folder>/notes/<slug>.md`."""
    line: int
    anchor: str
    """Its anchor on the site (`<slug>-<n>`)."""
    text: str
    """The sentence without its citations, white space collapsed."""
    sources: tuple[str, ...]
    """The source ids it cites as written, in order of first citation."""


@dataclass(frozen=True)
class StatementChange:
    change: str
    """`added`, `removed`, `changed` (its words), `moved` (to another topic; its words may
    have changed too) or `citations` (same words, citations added or dropped)."""
    old: StatementRef | None
    new: StatementRef | None
    words: tuple[tuple[str, str], ...] = ()
    """The word-level diff, old to new: (`=`|`-`|`+`, words); empty when the words are the same."""
    similarity: float | None = None
    """The word-similarity ratio of a matched pair (1.0 for the same words)."""
    citations_added: tuple[str, ...] = ()
    citations_dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteChange:
    change: str
    """`added`, `removed`, `renamed` (another file name, followed) or `moved` (another topic)."""
    old: str | None
    """The old note's file (None: added)."""
    new: str | None
    title: str
    old_topic: str | None = None
    new_topic: str | None = None


@dataclass(frozen=True)
class SourceChange:
    change: str
    """`added`, `removed` or `regraded` (its reliability letter changed)."""
    id: str
    title: str
    old_reliability: str | None
    new_reliability: str | None


@dataclass(frozen=True)
class DisputeChange:
    change: str
    """`opened` (the sources now disagree on the fact) or `settled` (no longer)."""
    fact: str
    label: str
    values: tuple[tuple[str, tuple[str, ...]], ...]
    """The values stated while it was disputed, each with its sources."""


@dataclass(frozen=True)
class AssessmentChange:
    change: str
    """`confidence`: the n-th assessment of a note gives another confidence than the n-th of
    its old version."""
    note: str
    note_title: str
    file: str
    line: int
    old_confidence: str
    new_confidence: str
    text: str
    """Its first statement, for context ("" when it has none)."""


@dataclass(frozen=True)
class Side:
    """One of the two briefings compared."""

    label: str
    errors: int
    warnings: int
    notes: int
    statements: int
    sources: int


@dataclass(frozen=True)
class BriefingDiff:
    old: Side
    new: Side
    notes: tuple[NoteChange, ...] = ()
    statements: tuple[StatementChange, ...] = ()
    sources: tuple[SourceChange, ...] = ()
    disputes: tuple[DisputeChange, ...] = ()
    assessments: tuple[AssessmentChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.notes or self.statements or self.sources or self.disputes or self.assessments
        )

    def of(self, change: str) -> list[StatementChange]:
        return [s for s in self.statements if s.change == change]

    def counts(self) -> dict[str, dict[str, int]]:
        """How many of each kind, per section (only kinds that occur)."""
        result: dict[str, dict[str, int]] = {}
        for section in ("notes", "statements", "sources", "disputes", "assessments"):
            for item in getattr(self, section):
                result.setdefault(section, {}).setdefault(item.change, 0)
                result[section][item.change] += 1
        return result


@dataclass(frozen=True)
class Release:
    """A release of the briefing: a git tag (revisions.py finds them)."""

    tag: str
    commit: str
    """The short commit id it tags."""
    date: str
    """YYYY-MM-DD: the tag's date (the commit's, for a tag without a message)."""
    summary: str | None = None
    """`summary_line` of the changes since the release before it; None for the first
    release, and for one too old to be compared (revisions.COMPARED_RELEASES)."""


@dataclass(frozen=True)
class Releases:
    """The releases on the history of what is built, and what the latest one changed.

    `diff` compares the latest release with the one before it (None when there is only
    one); its statements are as they stood at the latest release, and `now` says where
    each stands in the briefing being built, which may have moved on since."""

    releases: tuple[Release, ...]
    """Newest first; never empty."""
    diff: BriefingDiff | None = None
    now: Mapping[str, str] = field(default_factory=dict)
    """The latest release's statement anchors → their anchors in the briefing built (a
    statement removed since has none)."""

    @property
    def latest(self) -> Release:
        return self.releases[0]

    @property
    def previous(self) -> Release | None:
        return self.releases[1] if len(self.releases) > 1 else None

    @property
    def earlier(self) -> tuple[Release, ...]:
        """The releases before the latest, newest first."""
        return self.releases[1:]

    def where(self, ref: StatementRef | None) -> str | None:
        """The anchor in the briefing built of a statement of the latest release."""
        return self.now.get(ref.anchor) if ref is not None else None

    def marked(self) -> dict[str, str]:
        """Anchor in the briefing built → `added` or `changed`: the statements the latest
        release added or reworded (topic pages mark them)."""
        if self.diff is None:
            return {}
        result = {}
        for change in self.diff.statements:
            if change.change in (ADDED, CHANGED):
                anchor = self.where(change.new)
                if anchor is not None:
                    result[anchor] = change.change
        return result


# -- comparing ---------------------------------------------------------------------------


@dataclass
class _Entry:
    ref: StatementRef
    statement: Statement
    index: int
    """Position within its note."""
    words: list[str] = field(default_factory=list)


def compare(
    old: Analysis,
    new: Analysis,
    *,
    renames: Mapping[str, str] | None = None,
    labels: tuple[str, str] = ("old", "new"),
    folder: str = "briefs",
) -> BriefingDiff:
    """What changed from `old` to `new`. `renames` maps old note slugs to new ones (git's
    rename detection); `labels` name the two sides; `folder` is how files are shown."""
    old_notes = {n.note.slug: n for n in old.notes}
    new_notes = {n.note.slug: n for n in new.notes}
    pairs = _pair_notes(old_notes, new_notes, renames or {})
    old_entries = _entries(old, folder)
    new_entries = _entries(new, folder)
    matches = _match(old_entries, new_entries, pairs)
    statements = _statement_changes(old_entries, new_entries, matches)
    return BriefingDiff(
        old=_side(old, labels[0]),
        new=_side(new, labels[1]),
        notes=tuple(_note_changes(old_notes, new_notes, pairs, folder)),
        statements=tuple(statements),
        sources=tuple(_source_changes(old, new)),
        disputes=tuple(_dispute_changes(old, new)),
        assessments=tuple(_assessment_changes(old_notes, new_notes, pairs, folder)),
    )


def follow(
    old: Analysis, new: Analysis, *, renames: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Where each statement of `old` stands in `new`, by the rule `compare` matches them
    with: old anchor → new anchor (`<slug>-<n>`: positions shift as statements come and
    go). A statement removed since is left out."""
    pairs = _pair_notes(
        {n.note.slug: n for n in old.notes}, {n.note.slug: n for n in new.notes}, renames or {}
    )
    old_entries, new_entries = _entries(old, ""), _entries(new, "")
    return {
        old_entries[o].ref.anchor: new_entries[n].ref.anchor
        for n, o in _match(old_entries, new_entries, pairs).items()
    }


def _side(analysis: Analysis, label: str) -> Side:
    errors = sum(1 for f in analysis.findings if f.is_error)
    return Side(
        label,
        errors,
        len(analysis.findings) - errors,
        len(analysis.notes),
        sum(len(n.statements) for n in analysis.notes),
        len(analysis.briefing.sources),
    )


def _note_file(folder: str, slug: str) -> str:
    return f"{folder.rstrip('/')}/notes/{slug}.md" if folder else f"notes/{slug}.md"


def _topic_title(analysis: Analysis, topic: str) -> str:
    meta = analysis.briefing.meta
    return next((t.title for t in meta.topics if t.id == topic), topic) if meta else topic


def _entries(analysis: Analysis, folder: str) -> list[_Entry]:
    entries = []
    for note in analysis.notes:
        topic = note.note.meta.topic
        topic_title = _topic_title(analysis, topic)
        for index, statement in enumerate(note.statements):
            text = " ".join(statement.plain.split())
            ref = StatementRef(
                note.note.slug,
                note.note.meta.title,
                topic,
                topic_title,
                _note_file(folder, note.note.slug),
                statement.line,
                statement.anchor,
                text,
                _cited(statement),
            )
            entries.append(_Entry(ref, statement, index, text.split()))
    return entries


def _cited(statement: Statement) -> tuple[str, ...]:
    """The keys the statement cites, as written (a source whose record does not load is
    still cited), in order of first citation."""
    keys = (item.key for group in statement.sentence.citations for item in group.items)
    return tuple(dict.fromkeys(keys))


def _words_ratio(a: Sequence[str], b: Sequence[str]) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _pair_notes(
    old: Mapping[str, AnalysedNote], new: Mapping[str, AnalysedNote], renames: Mapping[str, str]
) -> dict[str, str]:
    """Old note slug → new note slug: the same slug, git's renames, then by content."""
    pairs = {slug: slug for slug in old if slug in new}
    for before, after in renames.items():
        if before in old and after in new and before not in pairs and after not in pairs.values():
            pairs[before] = after
    gone = [slug for slug in old if slug not in pairs]
    taken = set(pairs.values())
    arrived = [slug for slug in new if slug not in taken]
    candidates = []
    for before in gone:
        words = old[before].note.body.split()
        for after in arrived:
            other = new[after].note.body.split()
            matcher = difflib.SequenceMatcher(None, words, other, autojunk=False)
            if (
                matcher.real_quick_ratio() >= NOTE_SIMILARITY
                and matcher.quick_ratio() >= NOTE_SIMILARITY
            ):
                ratio = matcher.ratio()
                if ratio >= NOTE_SIMILARITY:
                    candidates.append((-ratio, before, after))
    for _, before, after in sorted(candidates):
        if before not in pairs and after not in taken:
            pairs[before] = after
            taken.add(after)
    return pairs


def _match(old: list[_Entry], new: list[_Entry], pairs: Mapping[str, str]) -> dict[int, int]:
    """New entry position → old entry position, by the rule in the module's docstring."""
    matched: dict[int, int] = {}
    used: set[int] = set()
    by_text: dict[str, list[int]] = {}
    for at, entry in enumerate(old):
        by_text.setdefault(entry.ref.text, []).append(at)

    def exact(same_note: bool) -> None:
        for at, entry in enumerate(new):
            if at in matched:
                continue
            free = [o for o in by_text.get(entry.ref.text, []) if o not in used]
            if same_note:
                free = [o for o in free if pairs.get(old[o].ref.note) == entry.ref.note]
            else:  # anywhere: the same topic first
                free.sort(key=lambda o: old[o].ref.topic != entry.ref.topic)
            if free:
                matched[at] = free[0]
                used.add(free[0])

    exact(same_note=True)
    exact(same_note=False)

    old_by_note: dict[str, list[int]] = {}
    for at, entry in enumerate(old):
        old_by_note.setdefault(entry.ref.note, []).append(at)
    new_by_note: dict[str, list[int]] = {}
    for at, entry in enumerate(new):
        new_by_note.setdefault(entry.ref.note, []).append(at)
    for before, after in pairs.items():
        olds, news = old_by_note.get(before, []), new_by_note.get(after, [])
        gone = [o for o in olds if o not in used]
        came = [n for n in news if n not in matched]
        if not gone or not came:
            continue
        candidates = []
        for o in gone:
            for n in came:
                a, b = old[o], new[n]
                shared = set(a.ref.sources) & set(b.ref.sources)
                if not shared and (a.ref.sources or b.ref.sources):
                    continue
                ratio = _words_ratio(a.words, b.words)
                if ratio >= SIMILARITY:
                    same = set(a.ref.sources) == set(b.ref.sources)
                    candidates.append((not same, -ratio, abs(a.index - b.index), n, o))
        for *_, n, o in sorted(candidates):
            if n not in matched and o not in used:
                matched[n] = o
                used.add(o)
        _match_in_place(old, new, olds, news, matched, used)
    return matched


def _match_in_place(
    old: list[_Entry],
    new: list[_Entry],
    olds: list[int],
    news: list[int],
    matched: dict[int, int],
    used: set[int],
) -> None:
    """Statements that took each other's place: between the same matched neighbours in a
    pair of notes (`olds`, `news`: their statements), old and new statements still
    unmatched that cite exactly the same sources and are at least `IN_PLACE_SIMILARITY`
    alike, paired one for one in order."""
    in_old = set(olds)
    old_keys = [f"o{o}" for o in olds]
    new_keys = [f"x{n}" for n in news]
    old_at = {o: i for i, o in enumerate(olds)}
    for j, n in enumerate(news):
        o = matched.get(n)
        if o in in_old:
            old_keys[old_at[o]] = new_keys[j] = f"n{n}"
    blocks = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in blocks:
        if tag != "replace":
            continue
        gone = [o for o in olds[i1:i2] if o not in used]
        came = [n for n in news[j1:j2] if n not in matched]
        for n in came:
            sources = set(new[n].ref.sources)
            o = next(
                (
                    o
                    for o in gone
                    if o not in used
                    and set(old[o].ref.sources) == sources
                    and _words_ratio(old[o].words, new[n].words) >= IN_PLACE_SIMILARITY
                ),
                None,
            )
            if o is not None:
                matched[n] = o
                used.add(o)


def word_diff(old: Sequence[str], new: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """Old words to new: runs of kept (`=`), removed (`-`) and added (`+`) words."""
    result: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.append(("=", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            result.append(("-", " ".join(old[i1:i2])))
        if j2 > j1:
            result.append(("+", " ".join(new[j1:j2])))
    return tuple(result)


def _statement_changes(
    old: list[_Entry], new: list[_Entry], matches: Mapping[int, int]
) -> list[StatementChange]:
    changes: list[StatementChange] = []
    for at, entry in enumerate(new):
        if at not in matches:
            changes.append(StatementChange(ADDED, None, entry.ref))
            continue
        before = old[matches[at]]
        a, b = before.ref, entry.ref
        added = tuple(s for s in b.sources if s not in a.sources)
        dropped = tuple(s for s in a.sources if s not in b.sources)
        same_words = a.text == b.text
        if a.topic != b.topic:
            kind = MOVED
        elif not same_words:
            kind = CHANGED
        elif added or dropped:
            kind = CITATIONS
        else:
            continue
        words = () if same_words else word_diff(before.words, entry.words)
        ratio = 1.0 if same_words else round(_words_ratio(before.words, entry.words), 3)
        changes.append(StatementChange(kind, a, b, words, ratio, added, dropped))
    kept = set(matches.values())
    changes += [
        StatementChange(REMOVED, entry.ref, None) for at, entry in enumerate(old) if at not in kept
    ]
    return sorted(changes, key=lambda c: _STATEMENT_ORDER.index(c.change))  # stable: briefing order


def _note_changes(
    old: Mapping[str, AnalysedNote],
    new: Mapping[str, AnalysedNote],
    pairs: Mapping[str, str],
    folder: str,
) -> Iterable[NoteChange]:
    for after, note in new.items():
        if after not in pairs.values():
            yield NoteChange(
                ADDED,
                None,
                _note_file(folder, after),
                note.note.meta.title,
                None,
                note.note.meta.topic,
            )
    for before, after in pairs.items():
        a, b = old[before].note, new[after].note
        if before != after:
            yield NoteChange(
                RENAMED,
                _note_file(folder, before),
                _note_file(folder, after),
                b.meta.title,
                a.meta.topic,
                b.meta.topic,
            )
        elif a.meta.topic != b.meta.topic:
            yield NoteChange(
                MOVED,
                _note_file(folder, before),
                _note_file(folder, after),
                b.meta.title,
                a.meta.topic,
                b.meta.topic,
            )
    for before, note in old.items():
        if before not in pairs:
            yield NoteChange(
                REMOVED,
                _note_file(folder, before),
                None,
                note.note.meta.title,
                note.note.meta.topic,
                None,
            )


def _source_changes(old: Analysis, new: Analysis) -> Iterable[SourceChange]:
    before, after = old.briefing.sources, new.briefing.sources
    for sid in sorted(after):
        meta = after[sid].meta
        if sid not in before:
            yield SourceChange(ADDED, sid, meta.title, None, meta.reliability)
        elif before[sid].meta.reliability != meta.reliability:
            yield SourceChange(
                REGRADED, sid, meta.title, before[sid].meta.reliability, meta.reliability
            )
    for sid in sorted(set(before) - set(after)):
        meta = before[sid].meta
        yield SourceChange(REMOVED, sid, meta.title, meta.reliability, None)


def _dispute_changes(old: Analysis, new: Analysis) -> Iterable[DisputeChange]:
    was = {f.key: f for f in old.facts if f.disputed}
    now = {f.key: f for f in new.facts if f.disputed}
    for kind, side, other in ((OPENED, now, was), (SETTLED, was, now)):
        for key, fact in side.items():
            if key not in other:
                values = tuple((v.value, v.sources) for v in fact.values)
                yield DisputeChange(kind, key, fact.declaration.label, values)


_QUOTES = "\"'\u201c\u201d"


def _confidence(title: str) -> str:
    """`Moderate` for `"Moderate confidence"`; any other title as written."""
    text = " ".join(title.strip().strip(_QUOTES).split())
    level = re.fullmatch(r"(low|moderate|high) confidence", text, re.IGNORECASE)
    return level.group(1).capitalize() if level else text


def _assessments(note: AnalysedNote) -> list[tuple[int, str, str]]:
    """(file line, confidence, first statement) of each assessment block of a note."""
    blocks = [a for a in note.prose.admonitions if a.kind == "assessment"]
    result = []
    first = note.note.origin.body_line
    for at, block in enumerate(blocks):
        end = blocks[at + 1].line if at + 1 < len(blocks) else None
        inside = [
            s
            for s in note.statements
            if s.sentence.kind == "admonition"
            and s.sentence.start[0] > block.line
            and (end is None or s.sentence.start[0] < end)
        ]
        text = " ".join(inside[0].plain.split()) if inside else ""
        result.append((first + block.line, _confidence(block.title), text))
    return result


def _assessment_changes(
    old: Mapping[str, AnalysedNote],
    new: Mapping[str, AnalysedNote],
    pairs: Mapping[str, str],
    folder: str,
) -> Iterable[AssessmentChange]:
    old_slug = {after: before for before, after in pairs.items()}
    for slug, note in new.items():
        before = old_slug.get(slug)
        if before is None:
            continue
        for (_, was, _), (line, now, text) in zip(
            _assessments(old[before]), _assessments(note), strict=False
        ):
            if was != now:
                yield AssessmentChange(
                    CONFIDENCE,
                    slug,
                    note.note.meta.title,
                    _note_file(folder, slug),
                    line,
                    was,
                    now,
                    text,
                )


# -- formats ---------------------------------------------------------------------------------


def _ref_json(ref: StatementRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {
        "note": ref.note,
        "note_title": ref.note_title,
        "topic": ref.topic,
        "topic_title": ref.topic_title,
        "file": ref.file,
        "line": ref.line,
        "anchor": ref.anchor,
        "text": ref.text,
        "sources": list(ref.sources),
    }


def to_data(diff: BriefingDiff) -> dict[str, Any]:
    """The diff as plain data: the `--format json` document (README, "briefing diff")."""

    def side(s: Side) -> dict[str, Any]:
        return {
            "label": s.label,
            "errors": s.errors,
            "warnings": s.warnings,
            "notes": s.notes,
            "statements": s.statements,
            "sources": s.sources,
        }

    return {
        "version": JSON_VERSION,
        "old": side(diff.old),
        "new": side(diff.new),
        "counts": diff.counts(),
        "notes": [
            {
                "change": n.change,
                "old": n.old,
                "new": n.new,
                "title": n.title,
                "old_topic": n.old_topic,
                "new_topic": n.new_topic,
            }
            for n in diff.notes
        ],
        "statements": [
            {
                "change": s.change,
                "old": _ref_json(s.old),
                "new": _ref_json(s.new),
                "similarity": s.similarity,
                "diff": [list(w) for w in s.words],
                "citations_added": list(s.citations_added),
                "citations_dropped": list(s.citations_dropped),
            }
            for s in diff.statements
        ],
        "sources": [
            {
                "change": s.change,
                "id": s.id,
                "title": s.title,
                "old_reliability": s.old_reliability,
                "new_reliability": s.new_reliability,
            }
            for s in diff.sources
        ],
        "disputes": [
            {
                "change": d.change,
                "fact": d.fact,
                "label": d.label,
                "values": [{"value": v, "sources": list(ids)} for v, ids in d.values],
            }
            for d in diff.disputes
        ],
        "assessments": [
            {
                "change": a.change,
                "note": a.note,
                "note_title": a.note_title,
                "file": a.file,
                "line": a.line,
                "old_confidence": a.old_confidence,
                "new_confidence": a.new_confidence,
                "text": a.text,
            }
            for a in diff.assessments
        ],
    }


def to_json(diff: BriefingDiff) -> str:
    return json.dumps(to_data(diff), indent=2, ensure_ascii=False) + "\n"


_HEADINGS = {
    ADDED: "Statements added",
    CHANGED: "Statements changed",
    MOVED: "Statements moved",
    CITATIONS: "Citations changed",
    REMOVED: "Statements removed",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


_SUMMARY_LABELS = {CITATIONS: "with citations changed", CONFIDENCE: "with confidence changed"}


def summary_line(diff: BriefingDiff) -> str:
    """`3 statements added, 1 changed · 1 source regraded · 1 disputed fact opened`."""
    if diff.empty:
        return "no changes to notes, statements, sources, disputed facts or assessments"
    counts = diff.counts()
    parts = []
    for section, noun, kinds in (
        ("statements", "statement", (ADDED, CHANGED, MOVED, CITATIONS, REMOVED)),
        ("notes", "note", (ADDED, RENAMED, MOVED, REMOVED)),
        ("sources", "source", (ADDED, REGRADED, REMOVED)),
        ("disputes", "disputed fact", (OPENED, SETTLED)),
        ("assessments", "assessment", (CONFIDENCE,)),
    ):
        found = counts.get(section, {})
        words: list[str] = []
        for kind in kinds:
            if kind in found:
                label = _SUMMARY_LABELS.get(kind, kind)
                words.append(f"{_plural(found[kind], noun) if not words else found[kind]} {label}")
        if words:
            parts.append(", ".join(words))
    return " · ".join(parts)


def _side_text(side: Side) -> str:
    return (
        f"{_plural(side.notes, 'note')}, {_plural(side.statements, 'statement')}, "
        f"{_plural(side.sources, 'source')}; {_plural(side.errors, 'error')}, "
        f"{_plural(side.warnings, 'warning')}"
    )


def _words_text(words: Iterable[tuple[str, str]]) -> str:
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return " ".join(marks[op].format(text) for op, text in words)


def _where(ref: StatementRef) -> str:
    return f"{ref.file}:{ref.line}"


def _sources_text(ids: Iterable[str]) -> str:
    ids = list(ids)
    return " [" + "; ".join(f"@{i}" for i in ids) + "]" if ids else " [no citation]"


def _citations_text(change: StatementChange) -> str:
    parts = [f"+@{s}" for s in change.citations_added] + [
        f"-@{s}" for s in change.citations_dropped
    ]
    return "citations: " + " ".join(parts) if parts else ""


def format_text(diff: BriefingDiff) -> str:
    """For people at a terminal: one section per kind of change, files and lines to open."""
    lines = [
        f"briefing diff: {diff.old.label} -> {diff.new.label}",
        f"  old: {_side_text(diff.old)}",
        f"  new: {_side_text(diff.new)}",
        f"  {summary_line(diff)}",
    ]
    if diff.notes:
        lines += ["", f"Notes ({len(diff.notes)})"]
        for n in diff.notes:
            if n.change == RENAMED:
                topic = (
                    f" (topic {n.old_topic} -> {n.new_topic})" if n.old_topic != n.new_topic else ""
                )
                lines.append(f"  renamed  {n.old} -> {n.new}{topic}: {n.title}")
            elif n.change == MOVED:
                lines.append(
                    f"  moved    {n.new}: {n.title} (topic {n.old_topic} -> {n.new_topic})"
                )
            else:
                lines.append(f"  {n.change:<8} {n.new or n.old}: {n.title}")
    for kind in _STATEMENT_ORDER:
        items = diff.of(kind)
        if not items:
            continue
        lines += ["", f"{_HEADINGS[kind]} ({len(items)})"]
        for s in items:
            ref = s.new or s.old
            assert ref is not None
            where = _where(ref)
            if s.old and s.new and (s.old.file, s.old.line) != (s.new.file, s.new.line):
                where += f" (was {_where(s.old)})"
            topic = f"{ref.topic_title} › {ref.note_title}"
            if kind == MOVED:
                assert s.old is not None
                topic = f"{s.old.topic_title} -> {ref.topic_title} › {ref.note_title}"
            lines.append(f"  {where}  {topic}")
            if kind in (ADDED, REMOVED):
                lines.append(
                    f"    {'+' if kind == ADDED else '-'} {ref.text}{_sources_text(ref.sources)}"
                )
            else:
                lines.append(f"    {_words_text(s.words) if s.words else ref.text}")
            if _citations_text(s):
                lines.append(f"    {_citations_text(s)}")
    if diff.sources:
        lines += ["", f"Sources ({len(diff.sources)})"]
        for src in diff.sources:
            grade = (
                f"{src.old_reliability} -> {src.new_reliability}"
                if src.change == REGRADED
                else src.new_reliability or src.old_reliability
            )
            lines.append(f"  {src.change:<8} @{src.id} ({grade}): {src.title}")
    if diff.disputes:
        lines += ["", f"Disputed facts ({len(diff.disputes)})"]
        for d in diff.disputes:
            values = "; ".join(f"{v} ({', '.join('@' + i for i in ids)})" for v, ids in d.values)
            lines.append(f"  {d.change:<8} {d.label} ({d.fact}): {values}")
    if diff.assessments:
        lines += ["", f"Assessments ({len(diff.assessments)})"]
        for a in diff.assessments:
            lines.append(
                f"  {a.file}:{a.line}  {a.note_title}: {a.old_confidence} -> "
                f"{a.new_confidence} confidence"
            )
            if a.text:
                lines.append(f"    {a.text}")
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~])")


def _md(text: object) -> str:
    """Text that GitHub's Markdown shows as written."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))


def _words_md(words: Iterable[tuple[str, str]]) -> str:
    marks = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return " ".join(marks[op].format(_md(text)) for op, text in words)


def _sources_md(ids: Iterable[str]) -> str:
    ids = list(ids)
    return ", ".join(f"`{i}`" for i in ids) if ids else "no citation"


def format_markdown(diff: BriefingDiff, heading_level: int = 2) -> str:
    """For a pull-request comment or a job summary (GitHub-flavoured Markdown)."""
    h = "#" * heading_level
    lines = [
        f"{h} Briefing changes",
        "",
        f"From **{_md(diff.old.label)}** to **{_md(diff.new.label)}**: {_md(summary_line(diff))}.",
    ]
    for name, side in (("old", diff.old), ("new", diff.new)):
        if side.errors:
            lines += [
                "",
                (
                    f"> The {name} briefing has {_plural(side.errors, 'error')}: "
                    "what loads is compared (`briefing check` lists them)."
                ),
            ]
    sub = h + "#"
    if diff.notes:
        lines += ["", f"{sub} Notes", ""]
        for n in diff.notes:
            if n.change == RENAMED:
                lines.append(f"- renamed `{n.old}` → `{n.new}`: {_md(n.title)}")
            elif n.change == MOVED:
                lines.append(
                    f"- moved `{n.new}`: {_md(n.title)} (topic `{n.old_topic}` → `{n.new_topic}`)"
                )
            else:
                lines.append(f"- {n.change} `{n.new or n.old}`: {_md(n.title)}")
    for kind in _STATEMENT_ORDER:
        items = diff.of(kind)
        if not items:
            continue
        lines += ["", f"{sub} {_HEADINGS[kind]} ({len(items)})", ""]
        for s in items:
            ref = s.new or s.old
            assert ref is not None
            place = f"{_md(ref.topic_title)} › {_md(ref.note_title)}"
            if kind == MOVED:
                assert s.old is not None
                place = f"{_md(s.old.topic_title)} → {place}"
            if kind in (ADDED, REMOVED):
                body = f"{_md(ref.text)} ({_sources_md(ref.sources)})"
            else:
                body = _words_md(s.words) if s.words else _md(ref.text)
                cited = (
                    [f"added {_sources_md(s.citations_added)}"] if s.citations_added else []
                ) + ([f"dropped {_sources_md(s.citations_dropped)}"] if s.citations_dropped else [])
                if cited:
                    body += f" (citations: {'; '.join(cited)})"
            lines.append(f"- *{place}*, `{_where(ref)}`: {body}")
    if diff.sources:
        lines += ["", f"{sub} Sources", ""]
        for src in diff.sources:
            grade = (
                f"{src.old_reliability} → {src.new_reliability}"
                if src.change == REGRADED
                else src.new_reliability or src.old_reliability
            )
            lines.append(f"- {src.change} `{src.id}` ({grade}): {_md(src.title)}")
    if diff.disputes:
        lines += ["", f"{sub} Disputed facts", ""]
        for d in diff.disputes:
            values = "; ".join(f"{_md(v)} ({_sources_md(ids)})" for v, ids in d.values)
            lines.append(f"- {d.change}: {_md(d.label)}: {values}")
    if diff.assessments:
        lines += ["", f"{sub} Assessments", ""]
        for a in diff.assessments:
            context = f": {_md(a.text)}" if a.text else ""
            lines.append(
                f"- *{_md(a.note_title)}*, `{a.file}:{a.line}`: {a.old_confidence} → "
                f"{a.new_confidence} confidence{context}"
            )
    return "\n".join(lines) + "\n"


FORMATS = {"text": format_text, "markdown": format_markdown, "json": to_json}


def format_diff(diff: BriefingDiff, fmt: str) -> str:
    return FORMATS[fmt](diff)
