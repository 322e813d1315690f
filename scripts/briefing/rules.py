"""Every rule the checks apply: its id, default severity, whether briefing.yml may change
it, and the hint that says what to do. The one table: findings take their severity and
default hint from it, and the README's rule reference is held to it by a test."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    finds: str
    """What the rule reports, in a few words (the README's rule reference)."""
    hint: str = ""
    """What to do about it; a finding may give a more specific hint of its own."""

    @property
    def configurable(self) -> bool:
        """Warnings may be raised to errors or turned off under `checks:`; errors stay errors,
        because a briefing with them cannot be built honestly."""
        return self.severity is Severity.WARNING


_E, _W = Severity.ERROR, Severity.WARNING

_TABLE = (
    Rule(
        "uncited",
        _E,
        "a sentence of prose has no citation",
        "add a citation such as [@source-id] before the final full stop",
    ),
    Rule(
        "unknown-key",
        _E,
        "a citation names a source that has no record",
        "check the key against the file names in briefs/sources/",
    ),
    Rule(
        "bad-key",
        _E,
        "a citation key is not a valid source id",
        "ids are lowercase letters, digits and hyphens: the file stem of briefs/sources/ID.md",
    ),
    Rule(
        "quote-not-found",
        _E,
        "quoted words are not in the cited source's archived text",
        "quote the archived text exactly (only spacing, quote marks and dashes may differ)",
    ),
    Rule(
        "archive-changed",
        _E,
        "a source's archived text no longer has the fingerprint its record pins",
        "re-import it with `briefing new source ID --from …` or re-pin it deliberately "
        "with `briefing pin ID`",
    ),
    Rule("citation-syntax", _E, "a citation is malformed, or in a form that is not read"),
    Rule("missing-field", _E, "a required front-matter field is missing"),
    Rule("unknown-field", _E, "a front-matter field is not part of the format"),
    Rule("invalid-field", _E, "a front-matter field has a value it cannot take"),
    Rule(
        "front-matter",
        _E,
        "a file has no front-matter, or it is not a mapping",
        "start the file with a `---` line, the fields, then another `---` line",
    ),
    Rule("yaml", _E, "front-matter or briefing.yml does not parse as YAML"),
    Rule("encoding", _E, "a file is not UTF-8", "save the file as UTF-8"),
    Rule(
        "binary-file",
        _E,
        "a binary file sits where Markdown is expected",
        "remove it from briefs/ or replace it with a Markdown file",
    ),
    Rule("bad-id", _E, "a file name is not a valid id"),
    Rule("unknown-topic", _E, "a topic id is not declared in briefing.yml"),
    Rule("duplicate-id", _E, "a topic id is declared twice", "give each topic an id of its own"),
    Rule(
        "missing-briefing",
        _E,
        "briefing.yml is missing",
        "create it with title, marking and topics (see README)",
    ),
    Rule(
        "unknown-fact",
        _E,
        "a source states a fact not declared in briefing.yml",
        "declare it under facts: in briefing.yml",
    ),
    Rule("invalid-fact", _E, "a fact value is not of its declared type"),
    Rule(
        "assessment-confidence",
        _E,
        "an assessment block does not give a confidence level",
        'write !!! assessment "Low confidence" (or Moderate, High)',
    ),
    Rule(
        "raw-html",
        _E,
        "a raw HTML block in a note would escape the checks",
        "write it in Markdown; inline tags inside a sentence are allowed",
    ),
    Rule("uncited-source", _W, "a source is never cited", "cite it in a note, or remove it"),
    Rule(
        "unexpected-file",
        _W,
        "a file in briefs/ that is not read",
        "move it out of briefs/, or make it a `.md` record if it is one",
    ),
    Rule(
        "scaffold-text",
        _W,
        "text a `briefing new` starting file left in place",
        "replace it with your own text before publishing",
    ),
    Rule(
        "disputed-fact",
        _W,
        "sources state values of a fact that cannot both be true",
        "not an error: the disagreement is shown to readers",
    ),
    Rule(
        "weak-sourcing",
        _W,
        "an assertion rests only on sources graded E or F",
        "corroborate it with a better source, or attribute it: name the source [-@id] or quote it",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _TABLE}
CONFIGURABLE = tuple(rule.id for rule in _TABLE if rule.configurable)
