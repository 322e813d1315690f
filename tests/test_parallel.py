"""Note bodies parsed a share in a forked process: the same parses, the same analysis."""

from __future__ import annotations

import threading

import pytest

from briefing.analysis import resolve
from briefing.pipeline import analyse_dir
from briefing.prose import parallel, statements
from briefing.prose.statements import analyse_prose, parse_body
from conftest import Briefs

forks = pytest.mark.skipif(
    parallel.processors() < 2, reason="one processor: the parse stays in this process"
)


def _bodies(count: int, tag: str) -> list[str]:
    return [
        f"Statement {i} of the {tag} set [@src-a, p. {i}]. And a second one [@src-a].\n"
        for i in range(count)
    ]


@forks
def test_a_forked_child_parses_a_share_and_each_parse_is_the_same() -> None:
    bodies = _bodies(parallel.PARALLEL_FROM, "forked")
    taken = parallel.analyse_many(bodies)
    assert taken == round(len(bodies) * parallel.CHILD_SHARE)
    assert all(analyse_prose(body) == parse_body(body) for body in bodies)
    assert not statements._parsed_elsewhere  # every parse handed over was asked for


def test_few_bodies_or_another_thread_parse_here() -> None:
    assert parallel.analyse_many(_bodies(parallel.PARALLEL_FROM - 1, "few")) == 0
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert parallel.analyse_many(_bodies(parallel.PARALLEL_FROM, "threaded")) == 0
    finally:
        release.set()
        thread.join()


@forks
def test_the_analysis_is_the_same_parsed_in_two_processes(
    briefs: Briefs, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(12):
        briefs.note(
            f"note-{index}",
            f"Claim {index} holds [@src-a, p. {index}]. A bad one [@nope].\n\nUncited {index}.\n",
        )
    forked = []
    many = parallel.analyse_many
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(
        "briefing.analysis.resolve.analyse_many", lambda bodies: forked.append(many(bodies))
    )
    analyse_prose.cache_clear()
    monkeypatch.setattr(resolve, "_KEPT", resolve._Kept())  # nothing kept from a resolution
    two = analyse_dir(briefs.root)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10**9)
    analyse_prose.cache_clear()
    monkeypatch.setattr(resolve, "_KEPT", resolve._Kept())
    one = analyse_dir(briefs.root)
    assert forked[0] > 0
    assert [(s.anchor, s.plain, s.line) for s in two.statements] == [
        (s.anchor, s.plain, s.line) for s in one.statements
    ]
    assert [str(f) for f in two.findings] == [str(f) for f in one.findings]
    assert len(two.findings) >= 24
