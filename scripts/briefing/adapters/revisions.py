"""The briefing at a git revision, for `briefing diff`, and releases (`briefing release`).

A revision's `briefs/` is read from git (`git archive`) into a temporary folder and
analysed there; the working tree is read as it is, uncommitted work included. A release
is an annotated tag named `briefing-YYYY-MM-DD` (or `v…`): the default starting point of
`briefing diff`. The comparison itself is `diff.compare`, which knows nothing of git.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath

from ..analysis.diff import BriefingDiff, Release, Releases, compare, follow, summary_line
from ..analysis.model import Analysis
from ..pipeline import analyse_dir
from ..read.models import Briefing, Origin

RELEASE_PATTERNS = ("briefing-*", "v*")
"""Tag names that are releases: `briefing-2026-12-01`, `v3`."""
_RELEASE_NAME = re.compile(r"^(briefing-|v)[A-Za-z0-9][A-Za-z0-9._-]*$")
WORKING_TREE, EMPTY = "working tree", "empty briefing"


class RevisionError(Exception):
    """A revision that cannot be read, or a release that cannot be made: the message says why."""


@dataclass(frozen=True)
class Repository:
    top: Path
    prefix: str
    """The briefs folder inside the repository, POSIX (`briefs`; "" at its top)."""


@dataclass(frozen=True)
class Revision:
    """One side of a comparison: a commit, the working tree, or nothing at all."""

    commit: str | None
    """The full commit id; None for the working tree and for the empty briefing."""
    label: str
    """As reports name it: `briefing-2026-12-01 (abc1234)`, `working tree`, `empty briefing`."""
    empty: bool = False


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise RevisionError("git is not installed") from exc


def _git(repo: Path, *args: str) -> str | None:
    result = _run(repo, *args)
    return result.stdout.decode("utf-8", "replace").strip() if result.returncode == 0 else None


def repository(briefs: Path) -> Repository:
    """The repository holding `briefs`, and where the folder sits in it."""
    top = _git(briefs, "rev-parse", "--show-toplevel")
    prefix = _git(briefs, "rev-parse", "--show-prefix")
    if top is None or prefix is None:
        raise RevisionError(f"{briefs} is not in a git repository")
    return Repository(Path(top), prefix.rstrip("/"))


def _commit(repo: Repository, name: str) -> str | None:
    return _git(repo.top, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")


def revision(repo: Repository, name: str) -> Revision:
    """The commit `name` names (a tag, a branch, `HEAD~1`, an id), or RevisionError."""
    commit = _commit(repo, name)
    if commit is None:
        raise RevisionError(
            f"unknown revision `{name}`: give a tag, a branch or a commit "
            "(`git log --oneline` lists them)"
        )
    short = _git(repo.top, "rev-parse", "--short", commit) or commit[:7]
    label = short if commit.startswith(name) else f"{name} ({short})"
    return Revision(commit, label)


def last_release(repo: Repository) -> str | None:
    """The newest release tag on the current branch's history, if any."""
    matches = [f"--match={pattern}" for pattern in RELEASE_PATTERNS]
    return _git(repo.top, "describe", "--tags", "--abbrev=0", *matches, "HEAD")


def default_old(repo: Repository) -> Revision:
    """What `briefing diff` compares against by default: the last release, else the commit
    before HEAD, else (a repository with one commit or none) the empty briefing."""
    tag = last_release(repo)
    if tag:
        return revision(repo, tag)
    if _commit(repo, "HEAD~1"):
        return revision(repo, "HEAD~1")
    return Revision(None, EMPTY, empty=True)


def resolve(repo: Repository, specs: Sequence[str]) -> tuple[Revision, Revision]:
    """The two sides from `briefing diff`'s arguments: none (the defaults), `OLD` (against
    the working tree), `OLD NEW`, `OLD..NEW` or `OLD...NEW` (from where they diverged). An
    empty side of a range is HEAD, as in git."""
    working = Revision(None, WORKING_TREE)
    if not specs:
        return default_old(repo), working
    if len(specs) == 1 and ".." in specs[0]:
        three = "..." in specs[0]
        old_name, new_name = specs[0].split("..." if three else "..", 1)
        old_name, new_name = old_name or "HEAD", new_name or "HEAD"
        new = revision(repo, new_name)
        if three:
            base = _git(repo.top, "merge-base", old_name, new_name)
            if base is None:
                raise RevisionError(f"`{old_name}` and `{new_name}` have no common ancestor")
            old = revision(repo, base)
            return Revision(old.commit, f"{old_name}...{new_name} base ({old.label})"), new
        return revision(repo, old_name), new
    if len(specs) == 1:
        return revision(repo, specs[0]), working
    return revision(repo, specs[0]), revision(repo, specs[1])


def empty_analysis() -> Analysis:
    """A briefing with nothing in it: the side before the first commit."""
    return Analysis(Briefing(None, Origin("briefing.yml", 1), {}, []), (), ())


def analyse_revision(repo: Repository, side: Revision, briefs: Path) -> Analysis:
    """The analysis of `briefs` at `side`: from git into a temporary folder, or the working
    tree as it is. A revision without the folder is the empty briefing; one with errors in
    its briefs is analysed as far as it loads (its findings say how far)."""
    if side.empty:
        return empty_analysis()
    if side.commit is None:
        return analyse_dir(briefs)
    result = _run(repo.top, "archive", "--format=tar", side.commit, "--", repo.prefix or ".")
    if result.returncode != 0:
        return empty_analysis()  # the folder did not exist yet at that commit
    with tempfile.TemporaryDirectory(prefix="briefing-diff-") as folder:
        with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
            archive.extractall(folder, filter="data")
        root = Path(folder) / repo.prefix
        if not root.is_dir():
            return empty_analysis()
        return analyse_dir(root)


def renamed_notes(repo: Repository, old: Revision, new: Revision) -> dict[str, str]:
    """Old note slug → new slug, for the notes git sees renamed (`git diff -M`) between the
    two sides (the working tree: tracked files only; `diff.compare` pairs the others by
    content)."""
    if old.commit is None:
        return {}
    notes = str(PurePosixPath(repo.prefix or ".") / "notes")
    sides = [old.commit] + ([new.commit] if new.commit else [])
    result = _run(repo.top, "diff", "-M", "--name-status", "-z", *sides, "--", notes)
    if result.returncode != 0:
        return {}
    fields = result.stdout.decode("utf-8", "replace").split("\0")
    renames, at = {}, 0
    while at < len(fields) and fields[at]:
        status = fields[at]
        if status.startswith(("R", "C")):
            before, after = fields[at + 1], fields[at + 2]
            if status.startswith("R") and before.endswith(".md") and after.endswith(".md"):
                renames[PurePosixPath(before).stem] = PurePosixPath(after).stem
            at += 3
        else:
            at += 2
    return renames


# -- releases ---------------------------------------------------------------------------


def default_release_name(today: date) -> str:
    return f"briefing-{today.isoformat()}"


def release_name(repo: Repository, name: str | None, today: date) -> str:
    """The release's tag name, once HEAD can be released under it: refuses a name that is not
    a release name, a tag that exists, and uncommitted changes in the briefs."""
    name = name or default_release_name(today)
    if (
        not _RELEASE_NAME.match(name)
        or _git(repo.top, "check-ref-format", f"refs/tags/{name}") is None
    ):
        raise RevisionError(
            f"`{name}` is not a release name: use briefing-YYYY-MM-DD (the "
            "default) or v<number>, e.g. v3"
        )
    head = _commit(repo, "HEAD")
    if head is None:
        raise RevisionError("nothing to release: the repository has no commit yet")
    status = _git(
        repo.top, "status", "--porcelain", "--untracked-files=all", "--", repo.prefix or "."
    )
    if status:
        folder = repo.prefix or "."
        raise RevisionError(
            f"{folder}/ has uncommitted changes; commit them first "
            f"(`git status {folder}` lists them)"
        )
    existing = _commit(repo, f"refs/tags/{name}")
    if existing is not None:
        short = _git(repo.top, "rev-parse", "--short", existing) or existing[:7]
        raise RevisionError(
            f"tag `{name}` exists already (at {short}); give the release "
            f"another name, e.g. `briefing release {name}-2`"
        )
    return name


def make_release(repo: Repository, name: str, message: str | None) -> str:
    """Tag HEAD as the release `name` (an annotated tag); the short commit id."""
    head = _commit(repo, "HEAD")
    assert head is not None, "release_name refuses a repository without a commit"
    result = _run(repo.top, "tag", "-a", name, "-m", message or f"Briefing release {name}", head)
    if result.returncode != 0:
        raise RevisionError("git tag failed: " + result.stderr.decode("utf-8", "replace").strip())
    return _git(repo.top, "rev-parse", "--short", head) or head[:7]


# -- what the releases changed, for the site and the PDF -----------------------------------

COMPARED_RELEASES = 12
"""Releases given a summary of their changes on the What's new page (each one analysed
from git once per process); older ones are listed with their dates only."""
_CACHED_ANALYSES = COMPARED_RELEASES + 2


def release_tags(repo: Repository) -> list[tuple[Release, str]]:
    """Each release tag on HEAD's history with the full id of the commit it tags, newest
    first: by the commit's place in the history, then by the tag's date (two releases of
    one commit), then by name. Summaries are left to `release_changes`."""
    patterns = [f"refs/tags/{pattern}" for pattern in RELEASE_PATTERNS]
    fields = (
        "%(refname:short)",
        "%(objectname)",
        "%(*objectname)",
        "%(objectname:short)",
        "%(*objectname:short)",
        "%(creatordate:short)",
    )
    listed = _git(
        repo.top, "for-each-ref", "--merged=HEAD", "--format=" + "%00".join(fields), *patterns
    )
    if not listed:
        return []
    tags = []
    for line in listed.splitlines():
        name, target, peeled, short, peeled_short, when = line.split("\0")
        tags.append((Release(name, peeled_short or short, when), peeled or target))
    order = {
        commit: at
        for at, commit in enumerate(
            (_git(repo.top, "rev-list", "--topo-order", "HEAD") or "").split()
        )
    }
    tags.sort(key=lambda t: t[0].tag)
    tags.sort(key=lambda t: t[0].date, reverse=True)
    tags.sort(key=lambda t: order.get(t[1], len(order)))
    return tags


_analyses: OrderedDict[tuple[str, str, str], Analysis] = OrderedDict()
_diffs: dict[tuple[str, str, str, str], BriefingDiff] = {}


def _analysis_at(repo: Repository, commit: str, briefs: Path) -> Analysis:
    """The briefs at a release's commit, analysed once per process: a tagged commit does
    not change, and `mkdocs serve` rebuilds many times."""
    key = (str(repo.top), repo.prefix, commit)
    if key in _analyses:
        _analyses.move_to_end(key)
        return _analyses[key]
    analysis = analyse_revision(repo, Revision(commit, commit[:7]), briefs)
    _analyses[key] = analysis
    while len(_analyses) > _CACHED_ANALYSES:
        _analyses.popitem(last=False)
    return analysis


def _release_diff(
    repo: Repository, old: tuple[Release, str], new: tuple[Release, str], briefs: Path
) -> BriefingDiff:
    """What release `new` changed against `old` (each with its commit), compared once per
    process."""
    (before, before_commit), (after, after_commit) = old, new
    key = (str(repo.top), repo.prefix, before_commit, after_commit)
    if key not in _diffs:
        renames = renamed_notes(
            repo, Revision(before_commit, before.tag), Revision(after_commit, after.tag)
        )
        _diffs[key] = compare(
            _analysis_at(repo, before_commit, briefs),
            _analysis_at(repo, after_commit, briefs),
            renames=renames,
            labels=(before.tag, after.tag),
            folder=repo.prefix or ".",
        )
    return _diffs[key]


def release_changes(briefs: Path, analysis: Analysis) -> Releases | None:
    """The releases on the history of `briefs`, each summarised against the one before it
    (the newest COMPARED_RELEASES), and what the latest changed, its statements followed to
    where they stand in `analysis` (the briefing being built, from the working tree). None
    outside a git checkout, without git, or before the first release."""
    try:
        repo = repository(briefs)
        tags = release_tags(repo)
    except RevisionError:
        return None
    if not tags:
        return None
    releases = [release for release, _ in tags]
    for at in range(min(len(tags) - 1, COMPARED_RELEASES)):
        summary = summary_line(_release_diff(repo, tags[at + 1], tags[at], briefs))
        releases[at] = replace(releases[at], summary=summary)
    diff = _release_diff(repo, tags[1], tags[0], briefs) if len(tags) > 1 else None
    latest, commit = tags[0]
    renames = renamed_notes(repo, Revision(commit, latest.tag), Revision(None, WORKING_TREE))
    now = follow(_analysis_at(repo, commit, briefs), analysis, renames=renames)
    return Releases(tuple(releases), diff, now)
