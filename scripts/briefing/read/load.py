"""Load briefs/ into a validated Briefing, collecting every problem on the way."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..findings import Finding, finding
from .models import ID_RE, Briefing, BriefingMeta, Note, NoteMeta, Origin, Source, SourceMeta
from .paths import file_key
from .yamldoc import LocatedDoc, YamlProblem, read_yaml

M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", Note, Source)

MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_BRIEFING_YML_BYTES = 1024 * 1024
_FENCE = "---"


def display_path(path: Path) -> str:
    """A path as findings show it: relative to the working directory when inside it."""
    return _shown(os.getcwd(), os.fspath(path))


@lru_cache(maxsize=1 << 14)
def _shown(cwd: str, path: str) -> str:
    """Every pass of the live preview shows the same paths again."""
    rel = os.path.relpath(path, cwd)
    return Path(rel if not rel.startswith("..") else path).as_posix()


def read_text(path: Path, shown: str) -> tuple[str | None, list[Finding]]:
    """Read a file as UTF-8 (a BOM and CRLF line endings are accepted and dropped)."""
    return decode_text(path.read_bytes(), shown)


def decode_text(data: bytes, shown: str) -> tuple[str | None, list[Finding]]:
    """Decode a file's bytes as UTF-8, or say where they are not."""
    if b"\x00" in data[:8192]:
        return None, [
            finding(
                shown,
                1,
                1,
                "binary-file",
                "this is a binary file, not UTF-8 text",
                "remove it from briefs/ or replace it with a Markdown file",
            )
        ]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            finding(
                shown,
                line,
                col,
                "encoding",
                f"file is not UTF-8 (byte 0x{data[exc.start]:02x} cannot be decoded)",
                "save the file as UTF-8",
            )
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front-matter from the body: (front-matter, body, body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (_FENCE, "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def validation_findings(
    exc: ValidationError, doc: LocatedDoc, shown: str, allowed: Sequence[str]
) -> list[Finding]:
    """Turn pydantic's errors into findings at the line of the field concerned, each
    quoting the value found."""
    findings = []
    for err in exc.errors():
        loc = tuple(part for part in err["loc"] if part != "[key]")
        name = ".".join(str(part) for part in loc)
        line, col = doc.position(loc)
        if err["type"] == "missing":
            findings.append(
                finding(
                    shown,
                    line,
                    col,
                    "missing-field",
                    f"missing required field `{name}`",
                    f"add `{name}: …`",
                )
            )
        elif err["type"] == "extra_forbidden":
            allowed = (
                {"facts": _FACT_VALUE_FIELDS, "archived": _ARCHIVED_FIELDS}.get(
                    str(loc[0]), allowed
                )
                if len(loc) > 1
                else allowed
            )
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(allowed)
            findings.append(
                finding(shown, line, col, "unknown-field", f"unknown field `{name}`", hint)
            )
        else:
            findings.append(
                finding(
                    shown,
                    line,
                    col,
                    "invalid-field",
                    f"`{name}`: found {found(err['input'])}; {_advice(err)}",
                )
            )
    return findings


_FACT_VALUE_FIELDS = ("value", "quote")
"""The fields of one fact value written as a mapping (`{value: …, quote: …}`)."""
_ARCHIVED_FIELDS = ("sha256", "retrieved")
"""The fields of a source's `archived:` fingerprint."""


def found(value: object, limit: int = 60) -> str:
    """The value an analyst wrote, as a message quotes it."""
    if value is None:
        return "nothing (the field is empty)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = " ".join(str(value).split())
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f'"{text}"' if isinstance(value, str) else text


_ADVICE = {
    "string_type": "write text",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "int_from_float": "write a whole number",
    "list_type": "write a list",
    "dict_type": "write a mapping of `name: value` lines",
    "too_short": "it must not be empty",
}


def _advice(err: Any) -> str:
    """What to write instead, from pydantic's error type (our validators say it themselves)."""
    if err["input"] is None:
        return "fill it in"
    if err["type"] == "literal_error":
        choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        return "use one of " + ", ".join(choices)
    if err["type"] == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return _ADVICE.get(err["type"], str(err["msg"]))


def validate(model: type[M], doc: LocatedDoc, shown: str) -> tuple[M | None, list[Finding]]:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        line, col = doc.start
        return None, [
            finding(
                shown,
                line,
                col,
                "front-matter",
                f"expected a mapping of fields (`name: value`), found {kind}",
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, validation_findings(
            exc, doc, shown, [field.alias or name for name, field in model.model_fields.items()]
        )


_RECORDS: dict[tuple[str, str, str], tuple[bytes, Any]] = {}
"""Parsed records by file and content digest: `mkdocs serve` re-reads only what changed."""


def _read_record(path: Path, model: type[M]) -> tuple[tuple[M, str, Origin] | None, list[Finding]]:
    shown = display_path(path)
    data = path.read_bytes()
    key = (file_key(path), shown, model.__name__)
    digest = hashlib.sha256(data).digest()
    cached = _RECORDS.get(key)
    if cached and cached[0] == digest:
        return cached[1]  # type: ignore[no-any-return]
    result = _parse_record(data, shown, model)
    _RECORDS[key] = (digest, result)
    return result


_MADE: dict[tuple[str, str], tuple[object, Any]] = {}
"""The Note or Source made of each file's cached record: an unchanged file gives the very
object it gave before, so the analysis can keep what it computed from it (resolve.py)."""


def _made(path: Path, record: tuple[Any, str, Origin], kind: type[R]) -> R:
    key = (file_key(path), kind.__name__)
    made = _MADE.get(key)
    if made is not None and made[0] is record:
        return made[1]  # type: ignore[no-any-return]
    meta, body, origin = record
    result = kind(path.stem, meta, body, origin)
    _MADE[key] = (record, result)
    return result


def _parse_record(
    data: bytes, shown: str, model: type[M]
) -> tuple[tuple[M, str, Origin] | None, list[Finding]]:
    text, problems = decode_text(data, shown)
    if text is None:
        return None, problems
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            finding(
                shown,
                1,
                1,
                "front-matter",
                "missing front-matter",
                "start the file with a `---` line, the fields, then another `---` line",
            )
        ]
    front, body, body_line = parts
    try:
        doc = read_yaml(front, first_line=2, max_bytes=MAX_FRONT_MATTER_BYTES)
    except YamlProblem as exc:
        return None, [finding(shown, exc.line, exc.col, "yaml", exc.message)]
    doc.start = (1, 1)
    meta, problems = validate(model, doc, shown)
    if meta is None:
        return None, problems
    return (meta, body, Origin(shown, body_line, doc.positions)), []


def _load_meta(path: Path) -> tuple[BriefingMeta | None, Origin, list[Finding]]:
    shown = display_path(path)
    origin = Origin(shown, 1)
    if not path.is_file():
        return (
            None,
            origin,
            [
                finding(
                    shown,
                    1,
                    1,
                    "missing-briefing",
                    "briefing.yml not found",
                    "create it with title, marking and topics (see README)",
                )
            ],
        )
    text, problems = read_text(path, shown)
    if text is None:
        return None, origin, problems
    try:
        doc = read_yaml(text, max_bytes=MAX_BRIEFING_YML_BYTES)
    except YamlProblem as exc:
        return None, origin, [finding(shown, exc.line, exc.col, "yaml", exc.message)]
    meta, problems = validate(BriefingMeta, doc, shown)
    return meta, Origin(shown, 1, doc.positions), problems


def _check_stem(path: Path, what: str) -> list[Finding]:
    if ID_RE.match(path.stem):
        return []
    suggestion = "-".join(
        "".join(c if c.isascii() and c.isalnum() else " " for c in path.stem.lower()).split()
    )
    return [
        finding(
            display_path(path),
            1,
            1,
            "bad-id",
            f"file name `{path.name}` is not a valid {what} id: use lowercase ASCII letters, "
            "digits and hyphens",
            f"rename it to `{suggestion or 'an-id'}.md`",
        )
    ]


def _markdown_files(folder: Path) -> tuple[list[Path], list[Finding]]:
    if not folder.is_dir():
        return [], []
    found, findings = [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_file() and path.suffix == ".md":
            found.append(path)
        else:
            findings.append(
                finding(
                    display_path(path),
                    1,
                    1,
                    "unexpected-file",
                    "ignored: only `<id>.md` files belong here",
                )
            )
    return found, findings


def load_sources(folder: Path) -> tuple[dict[str, Source], frozenset[str], list[Finding]]:
    """The valid source records by id, the ids of those that failed validation, and why."""
    paths, findings = _markdown_files(folder)
    sources: dict[str, Source] = {}
    invalid = set()
    for path in paths:
        problems = _check_stem(path, "source")
        record, more = _read_record(path, SourceMeta)
        findings += problems + more
        if record and not problems:
            sources[path.stem] = _made(path, record, Source)
        elif not problems:
            invalid.add(path.stem)
    return sources, frozenset(invalid), findings


def load_notes(folder: Path) -> tuple[list[Note], list[Finding]]:
    paths, findings = _markdown_files(folder)
    notes = []
    for path in paths:
        problems = _check_stem(path, "note")
        record, more = _read_record(path, NoteMeta)
        findings += problems + more
        if record and not problems:
            notes.append(_made(path, record, Note))
    return notes, findings


def _check_topics(meta: BriefingMeta, origin: Origin) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for index, topic in enumerate(meta.topics):
        line, col = origin.at("topics", index)
        if topic.id in seen:
            findings.append(
                finding(
                    origin.path,
                    line,
                    col,
                    "duplicate-id",
                    f"topic id `{topic.id}` is used twice (first on line {seen[topic.id]})",
                )
            )
        seen.setdefault(topic.id, line)
    ids = [t.id for t in meta.topics]
    if meta.summary_topic and meta.summary_topic not in ids:
        line, col = origin.at("summary_topic")
        findings.append(_unknown_topic(origin.path, line, col, meta.summary_topic, ids))
    for key, fact in meta.facts.items():
        if fact.topic and fact.topic not in ids:
            line, col = origin.at("facts", key, "topic")
            findings.append(_unknown_topic(origin.path, line, col, fact.topic, ids))
    return findings


def _unknown_topic(path: str, line: int, col: int, topic: str, ids: Sequence[str]) -> Finding:
    close = difflib.get_close_matches(topic, ids, n=1)
    hint = f"did you mean `{close[0]}`?" if close else "topics: " + ", ".join(ids)
    return finding(path, line, col, "unknown-topic", f"unknown topic `{topic}`", hint)


def load_briefing(briefs_dir: Path) -> tuple[Briefing, list[Finding]]:
    """Read and validate everything under `briefs_dir`; never raises on bad content."""
    meta, origin, findings = _load_meta(briefs_dir / "briefing.yml")
    if meta is not None:
        findings += _check_topics(meta, origin)
    sources, invalid_sources, problems = load_sources(briefs_dir / "sources")
    findings += problems
    notes, problems = load_notes(briefs_dir / "notes")
    findings += problems
    findings += _stray_files(briefs_dir)
    if meta is not None:
        findings += _check_note_topics(notes, meta)
    return Briefing(meta, origin, sources, notes, invalid_sources), findings


def _stray_files(briefs_dir: Path) -> list[Finding]:
    expected = {"briefing.yml", "sources", "notes"}
    return [
        finding(
            display_path(path),
            1,
            1,
            "unexpected-file",
            "ignored: briefs/ holds briefing.yml, sources/ and notes/",
        )
        for path in sorted(briefs_dir.iterdir())
        if path.name not in expected and not path.name.startswith(".")
    ]


def _check_note_topics(notes: list[Note], meta: BriefingMeta) -> list[Finding]:
    ids = [t.id for t in meta.topics]
    findings = []
    for note in notes:
        if note.meta.topic not in ids:
            line, col = note.origin.at("topic")
            findings.append(_unknown_topic(note.origin.path, line, col, note.meta.topic, ids))
    return findings
