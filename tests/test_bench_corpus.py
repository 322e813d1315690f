"""The benchmark's corpus generator: deterministic, and its corpus passes `briefing check`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from briefing.adapters.cli import main
from briefing.pipeline import analyse_dir
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from bench.corpus import generate


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", 25, seed=7)
    generate(tmp_path / "b", 25, seed=7)
    generate(tmp_path / "c", 25, seed=8)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert first != _files(tmp_path / "c")


def test_shape_of_the_corpus(tmp_path: Path) -> None:
    counts = generate(tmp_path, 50, seed=1)
    notes = sorted((tmp_path / "briefs" / "notes").glob("*.md"))
    sources = sorted((tmp_path / "briefs" / "sources").glob("*.md"))
    assert len(notes) == 50 and len(sources) == 10 == counts["sources"]
    assert 10 <= counts["topics"] <= 20
    assert (tmp_path / "docs").is_dir() and (tmp_path / "mkdocs.yml").is_file()
    analysis = analyse_dir(tmp_path / "briefs")
    statements = list(analysis.statements)
    assert 9 * 50 <= len(statements) <= 11 * 50
    assert all(s.citations for s in statements)
    quoted = [c for s in statements for c in s.citations if c.quote is not None]
    assert len(quoted) > len(statements) / 5
    assert all(c.verified for c in quoted)
    assert {sid for s in statements for sid in s.source_ids} == {p.stem for p in sources}


def test_corpus_passes_briefing_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(tmp_path, 40, seed=3)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--briefs", "briefs", "--strict"]) == 0
    assert "no problems found" in capsys.readouterr().out
