"""A pinned archive: the fingerprint of a source's archived text.

`archived: {sha256: <hex>, retrieved: YYYY-MM-DD}` in a source record is the SHA-256 of its
body exactly as the loader reads it (UTF-8, a BOM dropped, CRLF and CR turned into LF:
load.decode_text), written by the import (`briefing new source ID --from …`) or by
`briefing pin ID`. `briefing check` reports `archive-changed` when the body no longer has
it: the text quotes were verified against has been edited since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from pathlib import Path

from ..findings import Finding, finding
from ..read.models import ID_RE, Briefing, SourceMeta

SHOWN_DIGITS = 12
"""How many hex digits of a digest messages show."""


def digest(body: str) -> str:
    """The SHA-256 of an archived text, as its UTF-8 bytes, in lowercase hex."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def archived_line(sha256: str, retrieved: str) -> str:
    """The front-matter line that pins an archived text (the digest quoted where YAML would
    read it as a number: all digits, or `0b` and binary digits)."""
    plain = not (sha256.isdigit() or re.fullmatch(r"0b[01]+", sha256))
    return f"archived: {{sha256: {sha256 if plain else repr(sha256)}, retrieved: {retrieved}}}"


def archive_findings(briefing: Briefing) -> list[Finding]:
    """An archived text that no longer has the fingerprint its record pins: an error at the
    `archived:` line. Records without one are not reported (`briefing pin ID` adds one)."""
    findings = []
    for source_id, source in briefing.sources.items():
        pinned = source.meta.archived
        if pinned is None:
            continue
        found = digest(source.body)
        if found == pinned.sha256:
            continue
        line, col = source.origin.at("archived")
        findings.append(
            finding(
                source.origin.path,
                line,
                col,
                "archive-changed",
                f"the archived text of `{source_id}` changed after it was pinned (retrieved "
                f"{pinned.retrieved}): expected sha256 {pinned.sha256[:SHOWN_DIGITS]}…, found "
                f"{found[:SHOWN_DIGITS]}…",
                f"re-import it with `briefing new source {source_id} --from …` or re-pin it "
                f"deliberately with `briefing pin {source_id}`",
            )
        )
    return findings


class PinError(Exception):
    """A record that cannot be pinned; the message says why."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


_ARCHIVED_KEY = re.compile(r"archived[ \t]*:")
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
_FENCES = ("---", "...")


def pin(briefs: Path, source_id: str, today: dt.date | None = None) -> tuple[Path, str, bool]:
    """Write the fingerprint of a source's archived text into its record: the `archived:`
    line (and the lines of a block mapping under it) is replaced, or added before the closing
    `---`; every other byte of the file stays as it was. `retrieved` is kept when the record
    has one, else it is the record's `accessed`, else today. Refuses an invalid record.
    Returns the file, the digest, and whether the file changed."""
    from ..read.load import _parse_record, display_path

    if not ID_RE.match(source_id):
        raise PinError(
            f"`{source_id}` is not a valid source id: use lowercase letters, digits and hyphens"
        )
    path = briefs / "sources" / f"{source_id}.md"
    if not path.is_file():
        raise PinError(f"{path} not found: no source `{source_id}`")
    shown = display_path(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PinError(f"{shown} is not UTF-8: run `briefing check`") from None
    lines = _LINES.findall(text)
    first = lines[0].lstrip("\ufeff").rstrip("\r\n").rstrip() if lines else ""
    close = next(
        (i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in _FENCES), None
    )
    if first != "---" or close is None:
        raise PinError(f"{shown} has no front-matter: run `briefing check`")
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    start = next((i for i in range(1, close) if _ARCHIVED_KEY.match(lines[i])), None)
    end = start + 1 if start is not None else close
    if start is not None:
        while end < close and lines[end][:1] in (" ", "\t") and lines[end].strip():
            end += 1
    at = start if start is not None else close

    def with_line(line: str) -> str:
        return "".join(lines[:at]) + line + newline + "".join(lines[end:])

    placeholder = with_line(archived_line("f" * 64, "2000-01-01"))
    record, problems = _parse_record(placeholder.encode("utf-8"), shown, SourceMeta)
    if record is None:
        raise PinError(f"{shown} is not a valid source record: fix it first", problems)
    meta, body, _ = record
    current, _ = _parse_record(data, shown, SourceMeta)  # its `archived:` may be what is wrong
    old = current[0] if current else None
    retrieved = (
        (old.archived.retrieved if old and old.archived else None)
        or meta.accessed
        or (today or dt.date.today()).isoformat()
    )
    sha = digest(body)
    if old and old.archived and old.archived.sha256 == sha and old.archived.retrieved == retrieved:
        return path, sha, False
    _write_atomically(path, with_line(archived_line(sha, retrieved)).encode("utf-8"))
    return path, sha, True


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
