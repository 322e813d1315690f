"""File keys: one absolute spelling of a brief file, to match git's names and cache entries."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def file_key(path: Path | str) -> str:
    """The file's absolute path with its folder's symlinks resolved (git names the file itself)."""
    return _key(os.getcwd(), os.fspath(path))


@lru_cache(maxsize=1 << 16)
def _key(cwd: str, path: str) -> str:
    """Pages ask for the same brief files again and again (their dates, from git)."""
    folder, name = os.path.split(path)
    return f"{_resolved(cwd, folder)}/{name}"


@lru_cache(maxsize=4096)
def _resolved(cwd: str, folder: str) -> str:
    """A folder resolved once: brief files sit in a handful of folders."""
    return str((Path(cwd) / folder).resolve()).rstrip("/")
