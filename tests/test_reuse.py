"""The live preview keeps what did not change between passes (analysis/resolve.py's kept
checks, Indexes.strengths, output/reuse.py's kept pages): after every kind of edit, a warm
generator writes exactly the folder `briefing generate` writes in a new process, while
rendering fewer pages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.adapters.preview import Generator
from briefing.pipeline import analyse_dir
from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from bench.corpus import generate

BIN = Path(sys.executable).parent
WHOLE_BRIEFING_PAGES = (
    "home",
    "what's new",
    "sources",
    "disputed",
    "sourcing",
    "timeline",
    "changes",
)
QUOTED = re.compile(r'\[@(src-\d+), "([^"]+)"\]')


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _fresh(project: Path) -> dict[str, bytes]:
    """What `briefing generate` writes in a process of its own (nothing kept), into a
    folder of its own."""
    folder = project / "build" / "fresh"
    subprocess.run(
        [str(BIN / "briefing"), "generate", "-o", str(folder)],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return _files(folder)


def _notes_in_order(project: Path) -> list[Path]:
    return [project / n.note.origin.path for n in analyse_dir(project / "briefs").notes]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _first_sentence_end(path: Path) -> str:
    """The first ` [@` of the body: where a word or a citation can be put before."""
    text = path.read_text(encoding="utf-8")
    body = text.index("\n---", 3) + 4
    return text[text.index(" [@", body) : text.index(" [@", body) + 3]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    generate(root, 40, seed=3)
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")  # as this repository's
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "corpus"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
            cwd=root,
            check=True,
        )
    monkeypatch.chdir(root)
    return root


def test_a_warm_generator_writes_what_a_fresh_one_writes_after_each_edit(project: Path) -> None:
    warm = Generator(project / "mkdocs.yml", project / "build" / "warm")
    assert warm.run().ok
    notes = _notes_in_order(project)
    first, last = notes[0], notes[-1]

    def check(label: str) -> dict[str, bytes]:
        result = warm.run()
        assert result.ok, label
        written = _files(warm.folder)
        fresh = _fresh(project)
        assert set(written) == set(fresh), label
        for path in fresh:
            assert written[path] == fresh[path], (label, path)
        return fresh

    before = check("no edit")  # the first edit also marks the tree dirty: a full pass
    _edit(first, " [@", " firstedit [@")
    before = check("a word added")

    _edit(first, " [@", " secondedit [@")
    after = check("another word added")
    # Rendered again: the pages built from the whole briefing, the note's topic page and
    # the pages of the sources it cites; every other topic and source page is kept.
    cited = set(re.findall(r"@(src-\d+)", first.read_text(encoding="utf-8")))
    assert warm.reuse.rendered <= len(WHOLE_BRIEFING_PAGES) + 1 + len(cited)
    pages = sum(1 for path in after if path.endswith(".md") and path.startswith("docs/"))
    assert pages > 2 * (len(WHOLE_BRIEFING_PAGES) + 1 + len(cited))
    before = after

    # The last note's quote cited first in the first note: the source's passages are
    # numbered again, so pages the edit did not touch link to other anchors.
    source, quote = QUOTED.findall(last.read_text(encoding="utf-8"))[-1]
    _edit(first, " [@", f' [@{source}, "{quote}"] [@')
    after = check("a quote cited earlier")
    assert after[f"docs/sources/{source}.md"] != before[f"docs/sources/{source}.md"]

    text = last.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)
    assert title is not None
    _edit(last, title.group(0), "title: A retitled note")
    check("a note retitled (its statements' cited-by entries)")

    topics = re.findall(r"^topic: (.*)$", first.read_text(encoding="utf-8"), re.M)
    other = next(
        t
        for t in re.findall(r"^topic: (.*)$", last.read_text(encoding="utf-8"), re.M)
        if t not in topics
    )
    _edit(first, f"topic: {topics[0]}", f"topic: {other}")
    check("a note moved to another topic")

    source_file = project / "briefs" / "sources" / f"{source}.md"
    _edit(source_file, "title: ", "title: Retitled ")
    check("a source retitled")
    grade = re.search(r"^reliability: ([A-F])$", source_file.read_text(encoding="utf-8"), re.M)
    assert grade is not None
    _edit(source_file, grade.group(0), f"reliability: {'E' if grade.group(1) != 'E' else 'B'}")
    check("a source graded again (the strength of the statements citing it)")

    notes[len(notes) // 2].unlink()
    check("a note removed")

    (project / "briefs" / "notes" / "new-note.md").write_text(
        first.read_text(encoding="utf-8").replace("title: ", "title: New ", 1), encoding="utf-8"
    )
    check("a note added")


def test_a_change_to_mkdocs_yml_renders_and_marks_every_page_again(project: Path) -> None:
    warm = Generator(project / "mkdocs.yml", project / "build" / "warm")
    assert warm.run().ok
    assert warm.run().full is False
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    result = warm.run()
    pages = [p for p in _files(warm.folder) if p.startswith("docs/") and p.endswith(".md")]
    assert result.full and warm.reuse.rendered == len(pages)
