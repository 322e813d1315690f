"""One verdict: what `briefing check` accepts, `mkdocs build --strict`, `briefing build` and
`make site` build; what briefing.yml raises to an error fails all of them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

UNCITED_SOURCE = """\
---
title: A report nobody cites yet
issued: 2024
type: reporting
reliability: B
---
Its text.
"""


def _with_warnings(project: Path) -> None:
    """A source that no note cites yet and a stray file: the normal state mid-edit."""
    (project / "briefs" / "sources" / "not-yet-cited.md").write_text(
        UNCITED_SOURCE, encoding="utf-8"
    )
    (project / "briefs" / "sources" / "draft.txt").write_text("notes to self\n", encoding="utf-8")


def _set_check(project: Path, rule: str, level: str) -> None:
    yml = project / "briefs" / "briefing.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8") + f"checks:\n  {rule}: {level}\n", encoding="utf-8"
    )


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(args, cwd=project, capture_output=True, text=True, check=False, env=env)


def _check(project: Path) -> subprocess.CompletedProcess[str]:
    return _run(project, sys.executable, "-m", "briefing.adapters.cli", "check")


def _mkdocs_strict(project: Path) -> subprocess.CompletedProcess[str]:
    return _run(
        project, sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "out")
    )


def test_warnings_the_check_accepts_do_not_fail_a_strict_build(harbour: Path) -> None:
    _with_warnings(harbour)
    check = _check(harbour)
    assert check.returncode == 0, check.stdout
    assert "briefs/sources/not-yet-cited.md:1:1: warning[uncited-source]" in check.stdout
    assert "briefs/sources/draft.txt:1:1: warning[unexpected-file]" in check.stdout
    build = _mkdocs_strict(harbour)
    assert build.returncode == 0, build.stderr
    # Shown in the build log all the same.
    assert "warning[uncited-source]: source `not-yet-cited` is never cited" in build.stderr
    assert (harbour / "out" / "sources" / "not-yet-cited" / "index.html").is_file()


def test_briefing_build_and_make_site_build_what_the_check_accepts(harbour: Path) -> None:
    _with_warnings(harbour)
    shutil.copy(ROOT / "Makefile", harbour / "Makefile")
    # The project's own virtualenv, taken as installed (-o: not remade).
    make = _run(
        harbour, "make", "site", f"BIN={Path(sys.executable).parent}", "-o", ".venv/.installed"
    )
    assert make.returncode == 0, make.stdout + make.stderr
    assert "warning[uncited-source]" in make.stdout
    assert "briefing: site built in" in make.stdout
    assert (harbour / "site" / "index.html").is_file()
    assert list((harbour / "site").glob("*.pdf"))


def test_a_warning_raised_to_error_in_briefing_yml_fails_check_and_build(harbour: Path) -> None:
    _with_warnings(harbour)
    _set_check(harbour, "uncited-source", "error")
    check = _check(harbour)
    assert check.returncode == 1
    assert "briefs/sources/not-yet-cited.md:1:1: error[uncited-source]" in check.stdout
    assert "warning[unexpected-file]" in check.stdout
    build = _mkdocs_strict(harbour)
    assert build.returncode == 1
    assert "error[uncited-source]: source `not-yet-cited` is never cited" in build.stderr
    assert not (harbour / "out").exists()
    assert _run(harbour, sys.executable, "-m", "briefing.adapters.cli", "build").returncode == 1
    assert not (harbour / "site").exists()


def test_check_strict_fails_on_a_warning_the_build_accepts(harbour: Path) -> None:
    _with_warnings(harbour)
    strict = _run(harbour, sys.executable, "-m", "briefing.adapters.cli", "check", "--strict")
    assert strict.returncode == 1
    assert "warning[uncited-source]" in strict.stdout


def test_a_warning_rule_turned_off_is_not_reported(harbour: Path) -> None:
    _with_warnings(harbour)
    _set_check(harbour, "unexpected-file", "off")
    check = _check(harbour)
    assert "unexpected-file" not in check.stdout
    assert "warning[uncited-source]" in check.stdout
