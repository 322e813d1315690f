"""Rules over the source records as the briefing uses them: a source no statement cites,
facts not declared in briefing.yml, dates that are not dates, quoted words of a fact that
are not in the archived text."""

from __future__ import annotations

import difflib

from ..analysis.model import Analysis
from ..findings import Finding, excerpt, finding
from ..prose.quotes import contains_quote, normalised_source
from ..read.dates import DateError, parse_date
from ..read.load import found
from ..read.models import FactValue, Source


def source_findings(analysis: Analysis) -> list[Finding]:
    briefing = analysis.briefing
    findings = []
    declared = briefing.meta.facts if briefing.meta else {}
    for source_id, source in briefing.sources.items():
        if not analysis.cited_by.get(source_id):
            findings.append(
                finding(
                    source.origin.path,
                    1,
                    1,
                    "uncited-source",
                    f"source `{source_id}` is never cited",
                )
            )
        if briefing.meta:
            findings += _fact_findings(source, declared)
    return findings


def _fact_findings(source: Source, declared: dict) -> list[Finding]:  # type: ignore[type-arg]
    findings = []
    for key, values in source.meta.facts.items():
        line, col = source.origin.at("facts", key)
        if key not in declared:
            close = difflib.get_close_matches(key, list(declared), n=1)
            hint = (
                f"did you mean `{close[0]}`?"
                if close
                else "declare it under facts: in briefing.yml"
            )
            findings.append(
                finding(
                    source.origin.path,
                    line,
                    col,
                    "unknown-fact",
                    f"fact `{key}` is not declared in briefing.yml",
                    hint,
                )
            )
            continue
        for index, fact in enumerate(values):
            findings += _fact_value_findings(source, key, index, fact, declared[key].type)
    return findings


def _fact_value_findings(
    source: Source, key: str, index: int, fact: FactValue, kind: str
) -> list[Finding]:
    """A date that is not one, and words that are not in the archived text."""
    path, findings = source.origin.path, []
    if kind == "date":
        try:
            parse_date(fact.value)
        except DateError as exc:
            line, col = source.origin.at("facts", key, index, "value")
            findings.append(
                finding(
                    path,
                    line,
                    col,
                    "invalid-fact",
                    f"fact `{key}`: found {found(fact.value)}; {exc.reason}",
                )
            )
    if fact.quote is not None and not contains_quote(normalised_source(source.body), fact.quote):
        line, col = source.origin.at("facts", key, index, "quote")
        findings.append(
            finding(
                path,
                line,
                col,
                "quote-not-found",
                f"fact `{key}`: quoted words not found in the archived text: "
                f'"{excerpt(fact.quote)}"',
            )
        )
    return findings
