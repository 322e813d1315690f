"""File keys: one absolute spelling of a brief file, to match git's names and cache entries."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def file_key(path: Path | str) -> str:
    """The file's absolute path with its folder's symlinks resolved (git names the file itself)."""
    folder, name = os.path.split(os.fspath(path))
    return f"{_resolved(os.getcwd(), folder)}/{name}"


@lru_cache(maxsize=4096)
def _resolved(cwd: str, folder: str) -> str:
    """A folder resolved once: brief files sit in a handful of folders."""
    return str((Path(cwd) / folder).resolve()).rstrip("/")
