"""Dates, authors, the changes page and the version stamp, from real git history."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefing.read.gitinfo import read_history


def _git(
    repo: Path, *args: str, author: str = "Ana Lyst", date: str = "2024-06-20T10:00:00"
) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _build(project: Path, site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "build", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def repo(harbour: Path) -> Path:
    """The fixture briefing as a git repository: two authors, two dates."""
    _git(harbour, "init", "-q", "-b", "main")
    _git(harbour, "add", ".")
    _git(harbour, "commit", "-q", "-m", "First draft of the briefing", date="2024-06-20T10:00:00")
    note = harbour / "briefs" / "notes" / "plans.md"
    note.write_text(
        note.read_text(encoding="utf-8") + "\nThe works last six months [@port-authority-2023].\n",
        encoding="utf-8",
    )
    _git(
        harbour,
        "commit",
        "-q",
        "-am",
        "Add duration of works",
        "-m",
        "Briefing-Change: How long the works last, from the port authority",
        author="Bo Editor",
        date="2024-07-01T09:00:00",
    )
    return harbour


SUBJECTS = ("First draft of the briefing", "Add duration of works")
"""The commit subjects of `repo`: developers' words, never shown on a page."""
NOTE = "How long the works last, from the port authority"
"""The second commit's `Briefing-Change:` trailer: the public note of that change."""


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_history_is_read_in_one_pass_newest_first(repo: Path) -> None:
    history = read_history(repo / "briefs")
    assert [(c.date, c.author, c.subject, c.note) for c in history.commits] == [
        ("2024-07-01", "Bo Editor", "Add duration of works", NOTE),
        ("2024-06-20", "Ana Lyst", "First draft of the briefing", ""),
    ]
    assert history.last_change([repo / "briefs" / "notes" / "objections.md"]).author == "Ana Lyst"


def test_pages_show_when_and_by_whom_their_files_last_changed(repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _build(repo, site)
    assert "Last changed 2024-07-01 by Bo Editor" in _page(site, "topics/plans")
    assert "Last changed 2024-06-20 by Ana Lyst" in _page(site, "topics/objections")
    assert "Last changed 2024-06-20 by Ana Lyst" in _page(site, "sources/fishers-2023")


def test_page_stamps_show_the_change_note_and_never_a_commit_subject(
    repo: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _build(repo, site)
    assert f"Last changed 2024-07-01 by Bo Editor: {NOTE} (<code>" in _page(site, "topics/plans")
    assert "Last changed 2024-06-20 by Ana Lyst (<code>" in _page(site, "topics/objections")
    pages = {p: p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    assert len(pages) > 5
    assert [
        (p.relative_to(site).as_posix(), s)
        for p, text in pages.items()
        for s in SUBJECTS
        if s in text
    ] == []


def test_changes_page_lists_commits_with_topics_touched(repo: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    _build(repo, site)
    changes = _page(site, "changes")
    changes = changes[changes.index("<article") :]
    newest, oldest = changes.index(f">2024-07-01: {NOTE}<a "), changes.index(">2024-06-20<a ")
    assert newest < oldest
    section = changes[newest:oldest]
    assert (
        "By Bo Editor" in section
        and "The dredging plans" in section
        and "Objections" not in section
    )
    assert "By Ana Lyst" in changes[oldest:]


def test_version_stamp_marks_uncommitted_changes(repo: Path, tmp_path: Path) -> None:
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    site = tmp_path / "site"
    _build(repo, site)
    assert f"Briefing version {head} (2024-07-01)</p>" in _page(site, "topics/plans")
    note = repo / "briefs" / "notes" / "plans.md"
    note.write_text(
        note.read_text(encoding="utf-8") + "\nMore [@port-authority-2023].\n", encoding="utf-8"
    )
    _build(repo, site)
    assert f"Briefing version {head} (2024-07-01, with uncommitted changes)" in _page(
        site, "topics/plans"
    )


def test_build_outside_git_says_dates_are_unknown(repo: Path, tmp_path: Path) -> None:
    copy = tmp_path / "unpacked"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    site = tmp_path / "site"
    _build(copy, site)
    assert "Dates of change unknown" in _page(site, "topics/plans")
    assert "Briefing version unknown (not a git checkout)" in _page(site, "topics/plans")


def test_edit_links_point_at_brief_files_only_when_a_repository_is_configured(
    repo: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _build(repo, site)
    assert "Edit this note" not in _page(site, "topics/plans")
    config = repo / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + "repo_url: https://github.com/example/briefing\nedit_uri: edit/main/docs/\n",
        encoding="utf-8",
    )
    _build(repo, site)
    plans = _page(site, "topics/plans")
    assert 'href="https://github.com/example/briefing/edit/main/briefs/notes/plans.md"' in plans
    source = _page(site, "sources/fishers-2023")
    assert (
        'href="https://github.com/example/briefing/edit/main/briefs/sources/fishers-2023.md"'
        in source
    )
    assert "edit/main/docs/topics" not in plans and "edit/main/docs/sources" not in source
    assert 'href="https://github.com/example/briefing/edit/main/docs/about.md"' in _page(
        site, "about"
    )
    # The summary topic's notes open the home page, and have their edit link there too.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/example/briefing/edit/main/briefs/notes/overview.md"' in home


def test_two_builds_of_the_same_commit_are_byte_identical(repo: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    _build(repo, first)
    _build(repo, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


def test_pdf_revision_history_gives_change_notes_not_commit_subjects(
    repo: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    _build(repo, site)
    text = subprocess.run(
        ["pdftotext", "-layout", str(next(site.glob("*.pdf"))), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    history = " ".join(text[text.rindex("Revision history") :].split())
    # Newest first: the change note of the second commit, and none for the first.
    assert history.index("How long the works last") < history.index("Not described")
    assert "2024-07-01" in history and "Bo Editor" in history
    assert not any(subject in history for subject in SUBJECTS)
