"""The README's reference is the code's: the rule table and every command's usage line.

`pytest tests/test_readme.py --update-goldens` rewrites the rule table from the code."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator

from briefing.adapters.cli import _parser
from briefing.rules import RULES
from conftest import ROOT

README = ROOT / "README.md"
_TABLE = re.compile(r"(<!-- rules: [^\n]*-->\n)(.*?)(<!-- /rules -->)", re.DOTALL)


def rules_table() -> str:
    rows = [
        "| rule | default | briefing.yml may set it | reports | hint |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES.values():
        settable = "yes" if rule.configurable else "no"
        hint = rule.hint.replace("|", "\\|") or "each message says what to write"
        rows.append(f"| `{rule.id}` | {rule.severity.value} | {settable} | {rule.finds} | {hint} |")
    return "\n".join(rows) + "\n"


def test_readme_rule_table_is_the_code_table(update_goldens: bool) -> None:
    text = README.read_text(encoding="utf-8")
    match = _TABLE.search(text)
    assert match, "README.md has no <!-- rules: … --> … <!-- /rules --> block"
    if update_goldens:
        README.write_text(
            text[: match.start(2)] + rules_table() + text[match.end(2) :], encoding="utf-8"
        )
    assert match.group(2) == rules_table()


def test_every_rule_a_finding_uses_is_in_the_table() -> None:
    used = set()
    for path in (ROOT / "scripts" / "briefing").rglob("*.py"):
        used |= set(
            re.findall(r'finding\([^()]*?"([a-z]+(?:-[a-z]+)*)",', path.read_text(encoding="utf-8"))
        )
    assert used and used <= set(RULES), used - set(RULES)


def _usage(name: str, parser: argparse.ArgumentParser) -> str:
    """A command's usage as the README writes it: options in order, choices as a|b."""
    parts = [f"briefing {name}"]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if not action.option_strings:
            name = action.metavar or action.dest.upper()
            parts.append(f"[{name}]" if action.nargs == "?" else name)
        elif action.nargs == 0:
            parts.append(f"[{action.option_strings[0]}]")
        else:
            value = action.metavar or (
                "|".join(action.choices) if action.choices else action.dest.upper()
            )
            option = f"{action.option_strings[0]} {value}"
            parts.append(option if action.required else f"[{option}]")
    return " ".join(parts)


def _commands(
    parser: argparse.ArgumentParser, prefix: str = ""
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = any(isinstance(a, argparse._SubParsersAction) for a in sub._actions)
                yield from (
                    _commands(sub, f"{prefix}{name} ") if nested else [(prefix + name, sub)]
                )


def test_readme_gives_every_command_its_real_usage() -> None:
    blocks = re.findall(r"```\n(briefing [^`]*?)```", README.read_text(encoding="utf-8"))
    documented = {line for block in blocks for line in block.splitlines()}
    expected = {_usage(name, sub) for name, sub in _commands(_parser())}
    assert len(expected) == 11
    assert expected <= documented, sorted(expected - documented)
    assert {line for line in documented if line.startswith("briefing ")} <= expected
