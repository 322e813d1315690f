"""Many note bodies parsed at once, a share of them in a forked process.

Parsing is most of an analysis (statements.analyse_prose: markdown-it, sentences,
citations) and each body's parse depends on that body alone, so with two processors a
cold analysis of a large briefing (`briefing check`, `mkdocs build`) hands about two-fifths
of the bodies (CHILD_SHARE) to a child process while it parses the rest itself;
`analyse_prose` then finds the child's parses ready (statements.give_parsed). The child is
forked, so it starts with the package imported, and only the bodies and their parses cross
between the processes.

Only where it pays and is safe: enough bodies not parsed yet (PARALLEL_FROM), a second
processor, Linux's `fork` start method, and no other thread in the process (a fork copies the
calling thread alone: the live preview's servers run threads, and parse serially; they
parse only the note edited anyway). Should the child fail, its share is parsed here.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from .statements import NoteProse, analyse_prose, give_parsed, parse_body

PARALLEL_FROM = 200
"""Bodies below which one process parses them all: forking and pickling would cost more than
the child's share saves."""

CHILD_SHARE = 0.43
"""The share of the bodies the child parses: less than half, as it also pickles its parses
and this process unpickles them (at 1,000 notes, 0.07 s on top of 0.3 s of parsing)."""


def processors() -> int:
    """The processors this process may run on (Linux), else the machine's."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    """Linux only: macOS offers `fork` but its system libraries may crash in a forked child
    (Python spawns there by default)."""
    return (
        sys.platform.startswith("linux")
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and processors() >= 2
    )


def _parse_all(bodies: Sequence[str]) -> list[NoteProse]:
    """What the child does: each body parsed."""
    return [parse_body(body) for body in bodies]


def analyse_many(bodies: Sequence[str]) -> int:
    """Parse `bodies`, the last CHILD_SHARE of them in a forked process where it pays (module
    docstring), so that `analyse_prose` finds each ready. Returns how many the child parsed."""
    bodies = list(dict.fromkeys(bodies))
    if len(bodies) < PARALLEL_FROM or not _can_fork():
        return 0
    split = len(bodies) - round(len(bodies) * CHILD_SHARE)
    mine, theirs = bodies[:split], bodies[split:]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        future = pool.submit(_parse_all, theirs)
        for body in mine:
            analyse_prose(body)
        try:
            parsed = future.result()
        except Exception:  # a child that died or failed: its share is parsed when asked for
            return 0
    give_parsed(zip(theirs, parsed, strict=True))
    return len(parsed)
