"""The placeholder text of `briefing new`'s starting files, and the check that none of it is
published by accident: it would pass every other check."""

from __future__ import annotations

from ..findings import Finding, finding
from ..read.models import Briefing

SOURCE_BODY = "Paste the source's text here, verbatim: quoted citations are checked against it."
SOURCE_NOTE = "Not yet graded; replace with one line on how far to trust it and why."
NOTE_SENTENCE = "Write what the source reports here"
NOTE_AUTHOR = "Your Name"


def scaffold_findings(briefing: Briefing) -> list[Finding]:
    """Placeholder text of the starting files, still in place: it would pass every other check
    and be published."""
    findings = []
    for source in briefing.sources.values():
        findings += _in_body(source.body, SOURCE_BODY, source.origin.path, source.origin.body_line)
        if source.meta.note == SOURCE_NOTE:
            line, col = source.origin.at("note")
            findings.append(
                finding(
                    source.origin.path,
                    line,
                    col,
                    "scaffold-text",
                    "the starting file's placeholder note is still here",
                    "write one line on how far to trust the source and why",
                )
            )
    for note in briefing.notes:
        findings += _in_body(note.body, NOTE_SENTENCE, note.origin.path, note.origin.body_line)
        if note.meta.author == NOTE_AUTHOR:
            line, col = note.origin.at("author")
            findings.append(
                finding(
                    note.origin.path,
                    line,
                    col,
                    "scaffold-text",
                    f'the starting file\'s placeholder author "{NOTE_AUTHOR}" is still here',
                    "write who wrote the note",
                )
            )
    return findings


def _in_body(body: str, placeholder: str, path: str, first_line: int) -> list[Finding]:
    at = body.find(placeholder)
    if at < 0:
        return []
    line = body.count("\n", 0, at)
    col = at - (body.rfind("\n", 0, at) + 1) + 1
    return [
        finding(
            path,
            first_line + line,
            col,
            "scaffold-text",
            f'the starting file\'s placeholder text is still here: "{placeholder}"',
        )
    ]
