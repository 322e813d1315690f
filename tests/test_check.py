"""`briefing check`: every finding in one run, compiler style, stable rule ids and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.adapters.cli import main
from briefing.pipeline import analyse_dir
from conftest import Briefs


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_clean_briefs_exit_zero(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    briefs.note("fine", "The pact was signed [@src-a].\n")
    code, out = _run(capsys)
    assert code == 0
    assert out.strip() == "briefs are clean: no problems found"


def test_uncited_sentence_is_reported_compiler_style(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    briefs.note("seoul", "Seoul protested [@src-a]. Seoul then warned Moscow.\n")
    code, out = _run(capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        'briefs/notes/seoul.md:6:27: error[uncited]: sentence has no citation: "Seoul then warned Moscow."'
    )


def test_every_problem_is_reported_in_one_run(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    briefs.note(
        "many",
        """\
        Uncited one.

        - Cites a ghost [@ghost].
        - Misquotes [@src-a, "a fragile alliance"].
        """,
    )
    briefs.write("sources/broken.md", "---\ntitle: T\n---\nText.\n")
    code, out = _run(capsys)
    assert code == 1
    lines = out.splitlines()
    assert "briefs/notes/many.md:6:1: error[uncited]" in lines[0]
    assert "briefs/notes/many.md:8:18: error[unknown-key]: unknown source `@ghost`" in out
    assert "briefs/notes/many.md:9:14: error[quote-not-found]" in out
    assert (
        "briefs/sources/broken.md:1:1: error[missing-field]: missing required field `issued`" in out
    )
    assert lines[-1].startswith("6 error(s)")


def test_quote_matches_despite_quote_marks_dashes_and_spacing(briefs: Briefs) -> None:
    briefs.note("quoted", 'It was called an alliance [@src-a, "“a genuine\n  alliance” — so"].\n')
    assert analyse_dir(briefs.root).findings == ()


def test_quote_differing_in_case_is_not_verified(briefs: Briefs) -> None:
    briefs.note("quoted", 'It was an alliance [@src-a, "A Genuine Alliance"].\n')
    assert [f.rule for f in analyse_dir(briefs.root).findings] == ["quote-not-found"]


def test_key_climbing_out_of_the_tree_is_a_bad_key(briefs: Briefs) -> None:
    briefs.note("climb", "It escapes [@../../etc/passwd].\n")
    findings = analyse_dir(briefs.root).errors
    assert [(f.line, f.col, f.rule) for f in findings] == [(6, 13, "bad-key")]


def test_assessment_needs_a_confidence_level(briefs: Briefs) -> None:
    briefs.note("judge", '!!! assessment "Probably"\n    It is likely [@src-a].\n')
    findings = analyse_dir(briefs.root).findings
    assert [(f.line, f.rule) for f in findings] == [(6, "assessment-confidence")]


def test_uncited_source_is_a_warning(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    briefs.note("fine", "Fine [@src-a].\n")
    briefs.write(
        "sources/unused.md", "---\ntitle: U\nissued: 2024\ntype: unknown\nreliability: F\n---\nU.\n"
    )
    code, out = _run(capsys)
    assert code == 0
    assert "briefs/sources/unused.md:1:1: warning[uncited-source]" in out
    assert _run(capsys, "--strict")[0] == 1


def test_json_format_lists_findings(briefs: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    briefs.note("seoul", "Uncited. Cited [@src-a].\n")
    code, out = _run(capsys, "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "path": "briefs/notes/seoul.md",
            "line": 6,
            "col": 1,
            "rule": "uncited",
            "message": 'sentence has no citation: "Uncited."',
            "severity": "error",
            "hint": "add a citation such as [@source-id] before the final full stop",
        }
    ]


def test_github_format_prints_annotations(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    briefs.note("seoul", "Uncited.\n")
    _, out = _run(capsys, "--format", "github")
    assert out.startswith("::error file=briefs/notes/seoul.md,line=6,col=1,title=uncited::")


def test_missing_briefs_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "briefs folder not found" in capsys.readouterr().err


def test_bad_format_option_is_a_usage_error(briefs: Briefs) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "--format", "xml"])
    assert exit_info.value.code == 2


def test_the_command_exits_with_the_status_and_the_whole_report(briefs: Briefs) -> None:
    """`briefing` skips the interpreter's teardown (cli.run): the status and every line of
    output still arrive, to a pipe as to a terminal."""
    briefs.note("seoul", "Seoul protested [@src-a]. Seoul then warned Moscow.\n")
    briefs.note("tokyo", "Tokyo said nothing.\n")
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines() if "error[" in line] == [
        "briefs/notes/seoul.md",
        "briefs/notes/tokyo.md",
    ]


def test_a_quote_after_a_page_locator_is_verified(briefs: Briefs) -> None:
    briefs.note(
        "quoted",
        'It was called an alliance [@src-a, para. 3, "a genuine alliance"].\n'
        'It was signed in Paris [@src-a, para. 3, "the treaty was signed in Paris"].\n',
    )
    analysis = analyse_dir(briefs.root)
    assert [(f.line, f.col, f.rule, f.message) for f in analysis.findings] == [
        (
            7,
            25,
            "quote-not-found",
            'quoted words not found in `src-a`: "the treaty was signed in Paris"',
        )
    ]
    first, second = (s.citations[0] for s in analysis.statements)
    assert (first.quotes, first.verified, first.locator) == (
        ("a genuine alliance",),
        True,
        'para. 3, "a genuine alliance"',
    )
    assert second.verified is False


def test_every_quote_of_a_locator_must_be_found(briefs: Briefs) -> None:
    briefs.note("quoted", 'Two phrases [@src-a, "a genuine alliance", and "a fragile truce"].\n')
    assert [f.message for f in analyse_dir(briefs.root).findings] == [
        'quoted words not found in `src-a`: "a fragile truce"'
    ]


def test_a_braced_key_is_checked_like_any_key(briefs: Briefs) -> None:
    briefs.note(
        "braced",
        'It was called an alliance [@{src-a}, "a genuine alliance"].\n'
        "A ghost said so [@{ghost}, p. 4].\n",
    )
    findings = analyse_dir(briefs.root).findings
    assert [(f.line, f.col, f.rule) for f in findings] == [(7, 18, "unknown-key")]


def test_an_in_text_citation_is_refused_naming_the_bracketed_form(
    briefs: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    briefs.note("intext", "As @src-a [p. 3] says, it was signed.\n")
    code, out = _run(capsys)
    assert code == 1
    assert out.splitlines()[0] == (
        "briefs/notes/intext.md:6:4: error[citation-syntax]: in-text citation `@src-a [p. 3]` is "
        "not read here: write it in brackets after the words it supports, `[@src-a, p. 3]` "
        "(for a literal @, write &#64;)"
    )
    assert "[uncited]" not in out
