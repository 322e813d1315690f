"""The checks stage: every rule over the loaded and analysed briefing, reporting findings
at the severity the rules table (rules.py) and `checks:` in briefing.yml give them.

Reading (read/) reports what is wrong with a file as read: YAML, fields, ids, topics.
Resolution (analysis/resolve.py) reports keys that name no source and quoted words not
found. Everything else is here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..analysis.model import Analysis
from ..findings import Finding
from ..rules import Severity
from .archive import archive_findings
from .judgment import judgment_findings
from .prose import prose_findings
from .scaffold import scaffold_findings
from .sources import source_findings


def run_checks(analysis: Analysis) -> list[Finding]:
    """The findings of every check over `analysis` (before `checks:` is applied)."""
    return [
        *prose_findings(analysis.notes),
        *source_findings(analysis),
        *judgment_findings(analysis),
        *scaffold_findings(analysis.briefing),
        *archive_findings(analysis.briefing),
    ]


def with_checks(findings: list[Finding], checks: Mapping[str, str]) -> list[Finding]:
    """Each finding at the severity `checks:` in briefing.yml gives its rule (off: dropped)."""
    result = []
    for item in findings:
        level = checks.get(item.rule)
        if level == "off":
            continue
        result.append(replace(item, severity=Severity(level)) if level else item)
    return result
