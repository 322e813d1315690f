"""`briefing new`: starting files for a source record or a note, and the check that none
of their placeholder text is published by accident."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .findings import Finding, finding
from .models import ID_RE, Briefing

SOURCE_BODY = "Paste the source's text here, verbatim: quoted citations are checked against it."
SOURCE_NOTE = "Not yet graded; replace with one line on how far to trust it and why."
NOTE_SENTENCE = "Write what the source reports here"
NOTE_AUTHOR = "Your Name"


class ScaffoldError(Exception):
    """A request that cannot be carried out; the message says why and what to do."""


def _quoted(value: str) -> str:
    """A YAML scalar for any text (quoted when YAML would read it otherwise)."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip().removesuffix("\n...")


def _target(folder: Path, name: str, what: str) -> Path:
    if not ID_RE.match(name):
        raise ScaffoldError(f"`{name}` is not a valid {what} id: use lowercase letters, digits and hyphens")
    path = folder / f"{name}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: not overwriting it")
    return path


def new_source(briefs: Path, source_id: str, title: str, url: str = "",
               today: dt.date | None = None) -> Path:
    path = _target(briefs / "sources", source_id, "source")
    accessed = (today or dt.date.today()).isoformat()
    lines = [
        "---",
        f"title: {_quoted(title)}",
        ("issued:                     # when it was published, as the source gives it: "
        "YYYY, YYYY-MM or YYYY-MM-DD"),
        "type: unknown               # primary, reporting, analysis, commentary or unknown",
        "reliability: F              # A (completely reliable) ... E (unreliable), F (cannot be judged)",
        "# author: A. Writer         # a name or a list of names",
        "# publisher: The Outlet",
    ]
    if url:
        lines += [f"url: {_quoted(url)}", f"accessed: {accessed}"]
    lines += [
        f"note: {SOURCE_NOTE}",
        "---",
        SOURCE_BODY,
        "",
    ]
    return _write(path, lines)


def new_note(briefs: Path, slug: str, topic: str, author: str = "", title: str = "") -> Path:
    from .load import load_briefing  # the check imports this module; loading needs it only here

    briefing, _ = load_briefing(briefs)
    if briefing.meta is None:
        raise ScaffoldError(f"{briefs}/briefing.yml is missing or invalid: run `briefing check`")
    topics = [t.id for t in briefing.meta.topics]
    if topic not in topics:
        raise ScaffoldError(f"unknown topic `{topic}`; topics: {', '.join(topics)}")
    path = _target(briefs / "notes", slug, "note")
    source = next(iter(sorted(briefing.sources)), "source-id")
    lines = [
        "---",
        f"title: {_quoted(title or slug.replace('-', ' ').capitalize())}",
        f"topic: {topic}",
        f"author: {_quoted(author or NOTE_AUTHOR)}",
        "# order: 1                  # position within the topic",
        "---",
        "<!-- Every sentence needs a citation, e.g. [@id] or [@id, \"exact words\"]. -->",
        "",
        f"{NOTE_SENTENCE} [@{source}].",
        "",
    ]
    return _write(path, lines)


def _write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    return path


def scaffold_findings(briefing: Briefing) -> list[Finding]:
    """Placeholder text of the starting files, still in place: it would pass every other check
    and be published."""
    findings = []
    for source in briefing.sources.values():
        findings += _in_body(source.body, SOURCE_BODY, source.origin.path, source.origin.body_line)
        if source.meta.note == SOURCE_NOTE:
            line, col = source.origin.at("note")
            findings.append(finding(source.origin.path, line, col, "scaffold-text",
                                    "the starting file's placeholder note is still here",
                                    "write one line on how far to trust the source and why"))
    for note in briefing.notes:
        findings += _in_body(note.body, NOTE_SENTENCE, note.origin.path, note.origin.body_line)
        if note.meta.author == NOTE_AUTHOR:
            line, col = note.origin.at("author")
            findings.append(finding(note.origin.path, line, col, "scaffold-text",
                                    f'the starting file\'s placeholder author "{NOTE_AUTHOR}" is still here',
                                    "write who wrote the note"))
    return findings


def _in_body(body: str, placeholder: str, path: str, first_line: int) -> list[Finding]:
    at = body.find(placeholder)
    if at < 0:
        return []
    line = body.count("\n", 0, at)
    col = at - (body.rfind("\n", 0, at) + 1) + 1
    return [finding(path, first_line + line, col, "scaffold-text",
                    f'the starting file\'s placeholder text is still here: "{placeholder}"')]
