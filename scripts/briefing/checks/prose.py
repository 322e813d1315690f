"""Rules over the prose of notes: citations that cannot be read, sentences without one,
assessments without a confidence level, raw HTML that would escape the check."""

from __future__ import annotations

import re

from ..analysis.model import AnalysedNote
from ..findings import Finding, excerpt, finding

_CONFIDENCE_TITLE = re.compile(r"^(low|moderate|high) confidence$", re.IGNORECASE)


def prose_findings(notes: tuple[AnalysedNote, ...]) -> list[Finding]:
    findings: list[Finding] = []
    for analysed in notes:
        prose, origin = analysed.prose, analysed.note.origin
        path, first = origin.path, origin.body_line
        findings += [
            finding(path, first + line, col + 1, "citation-syntax", problem.message)
            for (line, col), problem in prose.syntax_errors
        ]
        findings += _admonition_findings(analysed, path, first)
        findings += [
            finding(
                path,
                first + line,
                1,
                "raw-html",
                "raw HTML block: its text would be shown without being checked",
            )
            for line in prose.html_blocks
        ]
        findings += _uncited(analysed)
    return findings


def _uncited(analysed: AnalysedNote) -> list[Finding]:
    """A statement with no citation (one whose citation cannot be read has its syntax error)."""
    return [
        finding(s.path, s.line, s.col, "uncited", f'sentence has no citation: "{excerpt(s.text)}"')
        for s in analysed.statements
        if not s.sentence.citations and not s.sentence.malformed
    ]


def _admonition_findings(analysed: AnalysedNote, path: str, first: int) -> list[Finding]:
    findings = []
    for block in analysed.prose.admonitions:
        if block.kind == "assessment" and not _CONFIDENCE_TITLE.match(block.title.strip('"')):
            findings.append(
                finding(
                    path,
                    first + block.line,
                    1,
                    "assessment-confidence",
                    f'assessment title must give a confidence level, found "{block.title}"',
                )
            )
    return findings
