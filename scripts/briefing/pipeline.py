"""Briefs to one analysis: read (read/), resolve (analysis/), check (checks/), once.

This is the one analysis every output reads (site, PDF, exports, `briefing check`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .analysis.facts import compare_facts
from .analysis.model import Analysis
from .analysis.resolve import resolve_notes
from .checks import run_checks, with_checks
from .findings import Finding, sort_findings
from .read.load import load_briefing
from .read.models import Briefing


def analyse_dir(briefs_dir: Path) -> Analysis:
    """Load and analyse briefs/ in one go."""
    briefing, findings = load_briefing(briefs_dir)
    return analyse(briefing, findings)


def analyse(briefing: Briefing, load_findings: list[Finding]) -> Analysis:
    """The analysis of a loaded briefing, with every finding at its configured severity.

    The checks read the resolved analysis; the one returned is its copy with their findings,
    sharing its indexes (model.Indexes), so nothing is computed twice."""
    notes, resolution = resolve_notes(briefing)
    resolved = Analysis(briefing, notes, (), tuple(compare_facts(briefing)))
    findings = [*load_findings, *resolution, *run_checks(resolved)]
    checks = briefing.meta.checks if briefing.meta else {}
    return replace(resolved, findings=tuple(sort_findings(with_checks(findings, checks))))
