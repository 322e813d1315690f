"""`briefing diff` and `briefing release`, on real temporary git repositories.

Each kind of change is made once and reported exactly; the matching rule (README, "briefing
diff") is pinned where it decides: a reworded sentence that keeps its citations is one
statement changed, a renamed note is followed, a source swapped with the words is not."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefing.adapters.cli import main
from briefing.analysis.diff import compare, format_markdown, format_text
from briefing.pipeline import analyse_dir
from conftest import BRIEFING_YML, ROOT, Briefs

FACTS = "facts:\n  signing-date: {label: Date of signing, type: date, topic: pact}\n"


def _source(sid: str, grade: str, author: str, facts: str = "") -> str:
    return (
        f"---\ntitle: Source {sid}\nissued: 2024-06\ntype: reporting\nreliability: {grade}\n"
        f"author: {author}\npublisher: {author} Daily\n{facts}---\nThe pact was signed.\n"
    )


ONE = """\
The pact was signed in Pyongyang on a summer day [@src-a].
It binds both sides to assist each other [@src-a; @src-b].
Observers in Seoul called it a setback [@src-b].
The text has not been published [@src-a].
"""

TWO = """\
Tokyo said little in public [@src-b].

!!! assessment "Low confidence"
    Tokyo is unlikely to respond soon [@src-b].
"""


def _git(
    repo: Path, *args: str, author: str = "Ana Lyst", when: str = "2024-06-20T10:00:00"
) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    result = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    )
    return result.stdout


@pytest.fixture
def repo(briefs: Briefs, monkeypatch: pytest.MonkeyPatch) -> Briefs:
    """A briefing committed once and tagged `v1`: two topics, two sources, two notes."""
    for name, value in (
        ("GIT_AUTHOR_NAME", "Ana Lyst"),
        ("GIT_AUTHOR_EMAIL", "a@example.org"),
        ("GIT_COMMITTER_NAME", "Ana Lyst"),
        ("GIT_COMMITTER_EMAIL", "a@example.org"),
    ):
        monkeypatch.setenv(name, value)  # `briefing release` tags as whoever runs it
    briefs.write("briefing.yml", BRIEFING_YML + FACTS)
    briefs.write(
        "sources/src-a.md", _source("a", "C", "Ann", "facts:\n  signing-date: 2024-06-19\n")
    )
    briefs.write("sources/src-b.md", _source("b", "B", "Bob"))
    briefs.note("one", ONE)
    briefs.note("two", TWO, topic="reactions")
    top = briefs.root.parent
    _git(top, "init", "-q", "-b", "main")
    _git(top, "add", ".")
    _git(top, "commit", "-q", "-m", "First draft")
    _git(top, "tag", "-a", "v1", "-m", "First release")
    return briefs


def _diff(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["diff", *args, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _summary(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    """Each statement change as (change, old text, new text, added, dropped)."""
    return [
        (
            s["change"],
            s["old"] and s["old"]["text"],
            s["new"] and s["new"]["text"],
            s["citations_added"],
            s["citations_dropped"],
        )
        for s in data["statements"]
    ]


def test_each_kind_of_change_is_reported_exactly(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.note(
        "one",
        """\
    The pact was signed in Pyongyang on a hot summer day, the writer says [@src-a].
    It binds both sides to assist each other [@src-a; @src-b].
    The text has not been published [@src-a].
    """,
    )
    repo.note(
        "two",
        TWO.replace(
            "public [@src-b].",
            "public [@src-b].\n"
            "Observers in Seoul called it a setback [@src-b].\n"
            "Beijing kept silent [@src-a].",
        ).replace("Low confidence", "Moderate confidence"),
        topic="reactions",
    )
    repo.write("sources/src-a.md", _source("a", "C", "Ann", "facts:\n  signing-date: 2024-06-19\n"))
    repo.write("sources/src-b.md", _source("b", "D", "Bob", "facts:\n  signing-date: 2016-02-19\n"))
    repo.write("sources/src-c.md", _source("c", "A", "Cy"))
    repo.note("three", "A third source agrees [@src-c].\n")
    _git(repo.root.parent, "commit", "-qam", "Edits")  # src-c and note three stay uncommitted

    data = _diff(capsys, "v1")
    assert data["old"]["label"].startswith("v1 (") and data["new"]["label"] == "working tree"
    assert _summary(data) == [
        ("added", None, "A third source agrees.", [], []),
        ("added", None, "Beijing kept silent.", [], []),
        (
            "changed",
            "The pact was signed in Pyongyang on a summer day.",
            "The pact was signed in Pyongyang on a hot summer day, the writer says.",
            [],
            [],
        ),
        (
            "moved",
            "Observers in Seoul called it a setback.",
            "Observers in Seoul called it a setback.",
            [],
            [],
        ),
    ]
    changed = data["statements"][2]
    assert changed["diff"] == [
        ["=", "The pact was signed in Pyongyang on a"],
        ["+", "hot"],
        ["=", "summer"],
        ["-", "day."],
        ["+", "day, the writer says."],
    ]
    assert (changed["old"]["line"], changed["new"]["line"], changed["new"]["file"]) == (
        6,
        6,
        "briefs/notes/one.md",
    )
    moved = data["statements"][3]
    assert (moved["old"]["topic"], moved["new"]["topic"]) == ("pact", "reactions")
    assert [(n["change"], n["new"]) for n in data["notes"]] == [("added", "briefs/notes/three.md")]
    assert data["sources"] == [
        {
            "change": "regraded",
            "id": "src-b",
            "title": "Source b",
            "old_reliability": "B",
            "new_reliability": "D",
        },
        {
            "change": "added",
            "id": "src-c",
            "title": "Source c",
            "old_reliability": None,
            "new_reliability": "A",
        },
    ]
    assert data["disputes"] == [
        {
            "change": "opened",
            "fact": "signing-date",
            "label": "Date of signing",
            "values": [
                {"value": "2016-02-19", "sources": ["src-b"]},
                {"value": "2024-06-19", "sources": ["src-a"]},
            ],
        }
    ]
    assert [
        (a["note"], a["old_confidence"], a["new_confidence"], a["text"])
        for a in data["assessments"]
    ] == [("two", "Low", "Moderate", "Tokyo is unlikely to respond soon.")]
    assert data["counts"] == {
        "notes": {"added": 1},
        "statements": {"added": 2, "changed": 1, "moved": 1},
        "sources": {"regraded": 1, "added": 1},
        "disputes": {"opened": 1},
        "assessments": {"confidence": 1},
    }


def test_removed_statement_and_settled_dispute(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("sources/src-b.md", _source("b", "B", "Bob", "facts:\n  signing-date: 2016-02-19\n"))
    _git(repo.root.parent, "commit", "-qam", "Dispute")
    repo.note("one", ONE.replace("Observers in Seoul called it a setback [@src-b].\n", ""))
    repo.write("sources/src-b.md", _source("b", "B", "Bob"))
    data = _diff(capsys, "HEAD")
    assert _summary(data) == [("removed", "Observers in Seoul called it a setback.", None, [], [])]
    assert data["statements"][0]["old"]["line"] == 8
    assert [(d["change"], d["fact"]) for d in data["disputes"]] == [("settled", "signing-date")]
    assert data["sources"] == []


def test_no_change_is_reported_as_none(repo: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    data = _diff(capsys)
    assert data["counts"] == {} and data["statements"] == [] and data["notes"] == []
    assert main(["diff"]) == 0
    assert "no changes to notes, statements, sources" in capsys.readouterr().out


def test_a_reworded_sentence_that_keeps_its_citations_is_changed_not_removed_and_added(
    briefs: Briefs, tmp_path: Path
) -> None:
    briefs.note("one", ONE)
    old = analyse_dir(briefs.root)
    briefs.note(
        "one",
        ONE.replace(
            "It binds both sides to assist each other", "Each side is bound to assist the other"
        ),
    )
    diff = compare(old, analyse_dir(briefs.root))
    assert [(s.change, s.old and s.old.text, s.new and s.new.text) for s in diff.statements] == [
        (
            "changed",
            "It binds both sides to assist each other.",
            "Each side is bound to assist the other.",
        )
    ]


def test_an_unrelated_sentence_in_the_same_place_and_with_the_same_source_is_removed_and_added(
    briefs: Briefs,
) -> None:
    briefs.note("one", ONE)
    old = analyse_dir(briefs.root)
    briefs.note(
        "one",
        ONE.replace(
            "The text has not been published [@src-a]", "Moscow hailed it as historic [@src-a]"
        ),
    )
    diff = compare(old, analyse_dir(briefs.root))
    assert [s.change for s in diff.statements] == ["added", "removed"]


def test_a_reworded_sentence_citing_other_sources_is_removed_and_added(briefs: Briefs) -> None:
    briefs.write("sources/src-b.md", _source("b", "B", "Bob"))
    briefs.note("one", ONE)
    old = analyse_dir(briefs.root)
    briefs.note(
        "one",
        ONE.replace(
            "The text has not been published [@src-a]",
            "The text has still not been published [@src-b]",
        ),
    )
    diff = compare(old, analyse_dir(briefs.root))
    assert [s.change for s in diff.statements] == ["added", "removed"]


def test_citations_added_and_dropped_on_a_statement_whose_words_stay(briefs: Briefs) -> None:
    briefs.write("sources/src-b.md", _source("b", "B", "Bob"))
    briefs.note("one", ONE)
    old = analyse_dir(briefs.root)
    briefs.note(
        "one",
        ONE.replace("each other [@src-a; @src-b]", "each other [@src-b]").replace(
            "published [@src-a]", "published [@src-a; @src-b]"
        ),
    )
    diff = compare(old, analyse_dir(briefs.root))
    assert [
        (s.change, s.new and s.new.text, s.citations_added, s.citations_dropped)
        for s in diff.statements
    ] == [
        ("citations", "It binds both sides to assist each other.", (), ("src-a",)),
        ("citations", "The text has not been published.", ("src-b",), ()),
    ]


def test_an_edit_that_adds_a_citation_is_one_change(briefs: Briefs) -> None:
    briefs.write("sources/src-b.md", _source("b", "B", "Bob"))
    briefs.note("one", ONE)
    old = analyse_dir(briefs.root)
    briefs.note(
        "one",
        ONE.replace(
            "The text has not been published [@src-a]",
            "The full text has not been published [@src-a; @src-b]",
        ),
    )
    (change,) = compare(old, analyse_dir(briefs.root)).statements
    assert (change.change, change.citations_added, change.words) == (
        "changed",
        ("src-b",),
        (("=", "The"), ("+", "full"), ("=", "text has not been published.")),
    )


def test_a_renamed_note_is_followed(repo: Briefs, capsys: pytest.CaptureFixture[str]) -> None:
    top = repo.root.parent
    _git(top, "mv", "briefs/notes/one.md", "briefs/notes/signing.md")
    signing = repo.root / "notes" / "signing.md"
    signing.write_text(
        signing.read_text().replace(
            "Observers in Seoul called it a setback", "Seoul's observers called the pact a setback"
        )
    )
    _git(top, "commit", "-qam", "Rename")
    data = _diff(capsys, "v1..HEAD")
    assert [(n["change"], n["old"], n["new"]) for n in data["notes"]] == [
        ("renamed", "briefs/notes/one.md", "briefs/notes/signing.md")
    ]
    assert _summary(data) == [
        (
            "changed",
            "Observers in Seoul called it a setback.",
            "Seoul's observers called the pact a setback.",
            [],
            [],
        )
    ]


def test_a_note_renamed_outside_git_is_paired_by_content(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo.root / "notes" / "one.md").rename(repo.root / "notes" / "signing.md")  # untracked
    signing = repo.root / "notes" / "signing.md"
    signing.write_text(signing.read_text().replace("on a summer day", "on a June day"))
    data = _diff(capsys)
    assert [n["change"] for n in data["notes"]] == ["renamed"]
    assert [s["change"] for s in data["statements"]] == ["changed"]


def test_a_note_moved_to_another_topic_moves_its_statements(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.note("two", TWO, topic="pact")
    data = _diff(capsys)
    assert [(n["change"], n["old_topic"], n["new_topic"]) for n in data["notes"]] == [
        ("moved", "reactions", "pact")
    ]
    assert [(s["change"], s["new"]["text"]) for s in data["statements"]] == [
        ("moved", "Tokyo said little in public."),
        ("moved", "Tokyo is unlikely to respond soon."),
    ]


def _added(data: dict[str, Any]) -> list[str]:
    return [s["new"]["text"] for s in data["statements"]]


def test_range_and_two_revisions_and_one_revision(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    top = repo.root.parent
    repo.note("three", "A new note [@src-a].\n")
    _git(top, "add", ".")
    _git(top, "commit", "-qm", "Three")
    repo.note("four", "Uncommitted work [@src-b].\n")
    assert _added(_diff(capsys, "v1..HEAD")) == ["A new note."]
    assert _added(_diff(capsys, "v1", "HEAD")) == ["A new note."]
    assert _added(_diff(capsys, "v1..")) == ["A new note."]
    assert _added(_diff(capsys, "v1...HEAD")) == ["A new note."]
    assert _added(_diff(capsys, "HEAD")) == ["Uncommitted work."]
    assert _added(_diff(capsys, "v1")) == [
        "Uncommitted work.",
        "A new note.",
    ]  # "Note four", "Note three"


def test_default_old_is_the_last_release_then_the_previous_commit_then_nothing(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    top = repo.root.parent
    repo.note("three", "A new note [@src-a].\n")
    _git(top, "add", ".")
    _git(top, "commit", "-qm", "Three")
    repo.note("four", "Four [@src-a].\n")
    _git(top, "add", ".")
    _git(top, "commit", "-qm", "Four")
    data = _diff(capsys)
    assert data["old"]["label"].startswith("v1 (")
    assert [s["new"]["text"] for s in data["statements"]] == ["Four.", "A new note."]
    _git(top, "tag", "-d", "v1")
    data = _diff(capsys)
    assert data["old"]["label"].startswith("HEAD~1 (")
    assert [s["new"]["text"] for s in data["statements"]] == ["Four."]


def test_a_repository_with_one_commit_is_compared_with_an_empty_briefing(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(repo.root.parent, "tag", "-d", "v1")
    data = _diff(capsys)
    assert data["old"] == {
        "label": "empty briefing",
        "errors": 0,
        "warnings": 0,
        "notes": 0,
        "statements": 0,
        "sources": 0,
    }
    assert data["counts"]["statements"] == {"added": 6}
    assert data["counts"]["sources"] == {"added": 2}


def test_a_revision_with_errors_is_compared_as_far_as_it_loads(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    repo.write("sources/src-b.md", "---\ntitle: [unclosed\n---\nText.\n")
    repo.note("one", ONE + "An uncited sentence.\n")
    data = _diff(capsys, "v1")
    assert data["new"]["errors"] >= 2
    assert _summary(data) == [
        ("added", None, "An uncited sentence.", [], [])
    ]  # citations as written
    assert [(s["change"], s["id"]) for s in data["sources"]] == [
        ("removed", "src-b")
    ]  # does not load
    assert main(["diff", "v1", "--format", "markdown"]) == 0
    assert "The new briefing has" in capsys.readouterr().out


def test_unknown_revision_is_a_usage_error(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "no-such-tag"]) == 2
    assert "unknown revision `no-such-tag`" in capsys.readouterr().err
    assert main(["diff", "v1..HEAD", "HEAD"]) == 2
    assert "a range OLD..NEW or two revisions, not both" in capsys.readouterr().err


def test_a_folder_outside_git_is_a_usage_error(
    briefs: Briefs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert main(["diff"]) == 2
    assert "is not in a git repository" in capsys.readouterr().err


def test_text_and_markdown_formats(briefs: Briefs) -> None:
    briefs.write("sources/src-b.md", _source("b", "B", "Bob"))
    briefs.note("one", ONE)
    old = analyse_dir(briefs.root)
    briefs.note(
        "one",
        ONE.replace("on a summer day", "on a *hot* day").replace(
            "The text has not been published [@src-a].\n", ""
        )
        + "Moscow hailed it [@src-b].\n",
    )
    diff = compare(old, analyse_dir(briefs.root), labels=("v1 (abc1234)", "working tree"))
    assert (
        format_text(diff)
        == """\
briefing diff: v1 (abc1234) -> working tree
  old: 1 note, 4 statements, 2 sources; 0 errors, 0 warnings
  new: 1 note, 4 statements, 2 sources; 0 errors, 0 warnings
  1 statement added, 1 changed, 1 removed

Statements added (1)
  briefs/notes/one.md:9  The pact › Note one
    + Moscow hailed it. [@src-b]

Statements changed (1)
  briefs/notes/one.md:6  The pact › Note one
    The pact was signed in Pyongyang on a [-summer-] {+*hot*+} day.

Statements removed (1)
  briefs/notes/one.md:9  The pact › Note one
    - The text has not been published. [@src-a]
"""
    )
    assert (
        format_markdown(diff)
        == """\
## Briefing changes

From **v1 (abc1234)** to **working tree**: 1 statement added, 1 changed, 1 removed.

### Statements added (1)

- *The pact › Note one*, `briefs/notes/one.md:9`: Moscow hailed it. (`src-b`)

### Statements changed (1)

- *The pact › Note one*, `briefs/notes/one.md:6`: The pact was signed in Pyongyang on a <del>summer</del> <ins>\\*hot\\*</ins> day.

### Statements removed (1)

- *The pact › Note one*, `briefs/notes/one.md:9`: The text has not been published. (`src-a`)
"""
    )


def test_exact_text_pairs_duplicates_within_their_note_first(briefs: Briefs) -> None:
    briefs.note("one", "The talks ended [@src-a].\n")
    briefs.note("two", "The talks ended [@src-a].\n", topic="reactions")
    old = analyse_dir(briefs.root)
    briefs.note("one", "The talks ended [@src-a].\nThe talks ended [@src-a].\n")
    diff = compare(old, analyse_dir(briefs.root))
    assert [(s.change, s.new and s.new.note, s.new and s.new.line) for s in diff.statements] == [
        ("added", "one", 7)
    ]


def test_release_tags_head_as_briefing_and_todays_date(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    top = repo.root.parent
    name = f"briefing-{date.today().isoformat()}"
    assert main(["release"]) == 0
    assert f"as {name}" in capsys.readouterr().out
    assert _git(top, "cat-file", "-t", name).strip() == "tag"  # annotated
    assert _git(top, "rev-parse", f"{name}^{{commit}}") == _git(top, "rev-parse", "HEAD")
    assert main(["release"]) == 2
    assert f"tag `{name}` exists already" in capsys.readouterr().err
    repo.note("three", "New [@src-a].\n")
    _git(top, "add", ".")
    _git(top, "commit", "-qm", "Three")
    assert main(["release", "v2", "-m", "Second"]) == 0
    capsys.readouterr()
    assert _git(top, "tag", "-l", "--format=%(contents:subject)", "v2").strip() == "Second"
    data = _diff(capsys)
    assert data["old"]["label"].startswith("v2 (") and data["counts"] == {}


def test_release_refuses_uncommitted_briefs_a_bad_name_and_errors(
    repo: Briefs, capsys: pytest.CaptureFixture[str]
) -> None:
    top = repo.root.parent
    assert main(["release", "release-one"]) == 2
    assert "not a release name" in capsys.readouterr().err
    repo.note("three", "Not committed [@src-a].\n")
    assert main(["release", "v2"]) == 2
    assert "briefs/ has uncommitted changes" in capsys.readouterr().err
    repo.note("three", "Not cited.\n")
    _git(top, "add", ".")
    _git(top, "commit", "-qm", "Uncited")
    assert main(["release", "v2"]) == 1
    assert "no release made" in capsys.readouterr().err
    assert _git(top, "tag", "-l", "v2") == ""


def test_ci_writes_the_pull_requests_briefing_diff_to_the_job_summary_and_a_comment() -> None:
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "briefing.yml").read_text(encoding="utf-8")
    )
    job = workflow["jobs"]["build"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0  # the base branch is there to diff against
    steps = {step.get("name"): step for step in job["steps"]}
    summary = steps["Briefing changes (job summary)"]
    assert "pull_request" in summary["if"]
    assert 'briefing diff "origin/$BASE_REF" HEAD --format markdown' in summary["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert summary["env"]["BASE_REF"] == "${{ github.base_ref }}"
    comment = steps["Briefing changes (pull-request comment)"]
    assert comment["uses"].startswith("actions/github-script@")
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    names = list(steps)
    assert names.index("Briefing changes (job summary)") < names.index(
        "Tests"
    )  # seen even if tests fail
