"""Disputed facts and weak sourcing: shown to readers, warned to analysts."""

from __future__ import annotations

from ..analysis.model import Analysis
from ..findings import Finding, excerpt, finding


def judgment_findings(analysis: Analysis) -> list[Finding]:
    """Disputed facts and weak sourcing: shown to readers, warned to analysts. Not computed
    at all when briefing.yml turns them off."""
    checks = analysis.briefing.meta.checks if analysis.briefing.meta else {}
    findings = []
    if checks.get("disputed-fact") != "off":
        findings += _disputed_findings(analysis)
    if checks.get("weak-sourcing") != "off":
        findings += _weak_findings(analysis)
    return findings


def _disputed_findings(analysis: Analysis) -> list[Finding]:
    findings = []
    for fact in analysis.facts:
        if not fact.disputed:
            continue
        label = fact.declaration.label
        stated = "; ".join(f"{v.value} ({', '.join(v.sources)})" for v in fact.values)
        for source_id in fact.sources:
            source = analysis.briefing.sources[source_id]
            line, col = source.origin.at("facts", fact.key)
            if source_id in fact.self_contradicting:
                message = (
                    f'this source states values for "{label}" (`{fact.key}`) that disagree: '
                    f"{stated}"
                )
            else:
                message = f'sources disagree on "{label}" (`{fact.key}`): {stated}'
            findings.append(finding(source.origin.path, line, col, "disputed-fact", message))
    return findings


def _weak_findings(analysis: Analysis) -> list[Finding]:
    """Assertions resting only on sources graded E or F; an attribution reports what a source
    says and does not rest on its reliability."""
    return [
        finding(
            s.path,
            s.line,
            s.col,
            "weak-sourcing",
            f'assertion rests only on sources graded E or F: "{excerpt(s.text)}"',
        )
        for s in analysis.statements
        if s.citations and analysis.strength(s).weak
    ]
