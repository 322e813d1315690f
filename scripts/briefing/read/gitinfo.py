"""What git knows about briefs/: who changed which file when, and the version being built.

One `git log --name-only` pass over the history, not one git call per file.
Outside a git repository (an unpacked archive) everything is simply unknown.

What readers see of a change is its `Briefing-Change:` trailer (`Commit.note`), written by
the editors for them; a commit subject is the developers' and is never shown on a page.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .paths import file_key

_RECORD, _FIELD, _NOTES = "\x1e", "\x1f", "\x1d"
TRAILER = "Briefing-Change"
"""The commit trailer that carries the public note of a change (README, "Contributing")."""


@dataclass(frozen=True)
class Commit:
    sha: str
    short: str
    date: str
    """Committer date, YYYY-MM-DD."""
    author: str
    subject: str
    files: tuple[str, ...]
    """Changed files, as absolute paths."""
    note: str = ""
    """The public note of the change: its `Briefing-Change:` trailers ("; " between two),
    or "" when it has none (readers then see its date and author only)."""


@dataclass(frozen=True)
class History:
    commits: tuple[Commit, ...] = ()
    """Commits that touched the briefs, newest first."""
    head: Commit | None = None
    dirty: bool = False
    _latest: dict[str, tuple[int, Commit]] = field(default_factory=dict, compare=False, repr=False)
    """For each file: the position (0 = newest) and commit of its last change."""
    _earliest: dict[str, tuple[int, Commit]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """For each file: the position and commit of its first change."""

    @property
    def known(self) -> bool:
        return self.head is not None

    @property
    def version(self) -> str:
        """`abc1234 (2024-06-20)`, with a mark when the tree has uncommitted changes."""
        if self.head is None:
            return "unknown (not a git checkout)"
        mark = ", with uncommitted changes" if self.dirty else ""
        return f"{self.head.short} ({self.head.date}{mark})"

    def last_change(self, paths: Iterable[Path | str]) -> Commit | None:
        """The newest commit that touched any of these files."""
        if not self._latest:
            return None
        found = [self._latest[key] for key in map(file_key, paths) if key in self._latest]
        return min(found, key=lambda pair: pair[0])[1] if found else None

    def first_change(self, paths: Iterable[Path | str]) -> Commit | None:
        """The oldest commit that touched any of these files."""
        if not self._earliest:
            return None
        found = [self._earliest[key] for key in map(file_key, paths) if key in self._earliest]
        return max(found, key=lambda pair: pair[0])[1] if found else None


_TRAILER_FORMAT = f"%(trailers:key={TRAILER},valueonly,unfold,separator=%x1d)"


def _git(repo: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            text=True,
            check=False,
            encoding="utf-8",
            errors="replace",
        )
    except FileNotFoundError:
        return None
    return result.stdout if result.returncode == 0 else None


def _parse_log(output: str, top: Path) -> list[Commit]:
    commits = []
    for record in output.split(_RECORD)[1:]:
        header, _, names = record.partition("\n")
        sha, short, date, author, notes, subject = header.split(_FIELD, 5)
        files = tuple(file_key(top / name) for name in names.split("\n") if name.strip())
        note = "; ".join(" ".join(n.split()) for n in notes.split(_NOTES) if n.strip())
        commits.append(Commit(sha, short, date, author, subject, files, note))
    return commits


def read_history(briefs_dir: Path) -> History:
    """The history of `briefs_dir` and the state of its working tree."""
    top_out = _git(briefs_dir, "rev-parse", "--show-toplevel")
    if top_out is None:
        return History()
    top = Path(top_out.strip())
    fmt = _RECORD + _FIELD.join(["%H", "%h", "%cs", "%an", _TRAILER_FORMAT, "%s"])
    log = _git(
        top,
        "log",
        f"--format={fmt}",
        "--name-only",
        "--no-renames",
        "--",
        str(briefs_dir.resolve()),
    )
    head_out = _git(top, "log", "-1", f"--format={fmt}")
    if log is None or not head_out:
        return History()
    commits = _parse_log(log, top)
    head = _parse_log(head_out, top)[0]
    # Untracked files count: a new note not yet committed is a change too.
    status = _git(top, "status", "--porcelain") or ""
    latest: dict[str, tuple[int, Commit]] = {}
    earliest: dict[str, tuple[int, Commit]] = {}
    for position, commit in enumerate(commits):
        for name in commit.files:
            latest.setdefault(name, (position, commit))
            earliest[name] = (position, commit)
    return History(tuple(commits), head, bool(status.strip()), latest, earliest)
