"""Python's cyclic garbage collector, kept off the analysis.

Analysis allocates a great many small objects (tokens, sentences, citations) that
all stay alive. Every automatic full collection walks all of them again, so the
collector's share grows with the briefing: at 5,000 notes it made `briefing check`
1.5× slower than linear. The analysis makes next to no cyclic garbage, so the
collector is paused while it runs; in a site build, what it made is then frozen
(`gc.freeze`), out of reach of the collections MkDocs triggers.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collections inside the block (reference counting still frees)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def freeze_survivors() -> None:
    """Move every object alive now out of later collections' way (kept until `thaw`)."""
    gc.freeze()


def thaw() -> None:
    """Give frozen objects back to the collector: a rebuild replaces the analysis they hold."""
    gc.unfreeze()
