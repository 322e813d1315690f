"""Findings: every problem the checks report, and the ways to print them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from .rules import RULES, Severity


@dataclass(frozen=True, order=True)
class Finding:
    """One problem, pointing at a file, a line and a column (both 1-based)."""

    path: str
    line: int
    col: int
    rule: str
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def finding(
    path: str, line: int, col: int, rule: str, message: str, hint: str | None = None
) -> Finding:
    """A finding of `rule`, with the rule's default severity, and its hint unless a more
    specific one is given."""
    known = RULES[rule]
    return Finding(
        path, line, col, rule, message, known.severity, known.hint if hint is None else hint
    )


def excerpt(text: str, limit: int = 60) -> str:
    """Words an analyst wrote, on one line and cut short, as a message quotes them."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sort by file, then position, so output is stable and reads top to bottom."""
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.col, f.rule, f.message))


def format_text(finding: Finding) -> str:
    """Compiler style: `path:line:col: error[rule]: message (hint)`."""
    where = f"{finding.path}:{finding.line}:{finding.col}"
    text = f"{where}: {finding.severity.value}[{finding.rule}]: {finding.message}"
    return f"{text}\n    hint: {finding.hint}" if finding.hint else text


def _github_escape(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_github(finding: Finding) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the pull request."""
    level = "error" if finding.is_error else "warning"
    message = f"{finding.message} ({finding.hint})" if finding.hint else finding.message
    props = f"file={finding.path},line={finding.line},col={finding.col},title={finding.rule}"
    return f"::{level} {props}::{_github_escape(message)}"


def format_json(findings: Sequence[Finding]) -> str:
    records = [{**asdict(f), "severity": f.severity.value} for f in findings]
    return json.dumps(records, ensure_ascii=False, indent=2)


def summary(findings: Sequence[Finding]) -> str:
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if not findings:
        return "briefs are clean: no problems found"
    return f"{errors} error(s), {warnings} warning(s)"


def render_findings(findings: Sequence[Finding], fmt: str) -> str:
    """Everything `briefing check` prints for one run, in the chosen format."""
    if fmt == "json":
        return format_json(findings)
    if fmt == "github":
        return "\n".join(format_github(f) for f in findings)
    lines = [format_text(f) for f in findings]
    lines.append(summary(findings))
    return "\n".join(lines)
