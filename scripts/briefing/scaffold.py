"""`briefing new`: starting files for a source record or a note that already pass the check."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .load import load_briefing
from .models import ID_RE


class ScaffoldError(Exception):
    """A request that cannot be carried out; the message says why and what to do."""


def _quoted(value: str) -> str:
    """A YAML scalar for any text (quoted when YAML would read it otherwise)."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000).strip().removesuffix("\n...")


def _target(folder: Path, name: str, what: str) -> Path:
    if not ID_RE.match(name):
        raise ScaffoldError(f"`{name}` is not a valid {what} id: use lowercase letters, digits and hyphens")
    path = folder / f"{name}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: not overwriting it")
    return path


def new_source(briefs: Path, source_id: str, title: str, url: str = "",
               today: dt.date | None = None) -> Path:
    path = _target(briefs / "sources", source_id, "source")
    accessed = (today or dt.date.today()).isoformat()
    lines = [
        "---",
        f"title: {_quoted(title)}",
        f"issued: {accessed[:4]}                 # YYYY, YYYY-MM or YYYY-MM-DD: when it was published",
        "type: unknown               # primary, reporting, analysis, commentary or unknown",
        "reliability: F              # A (completely reliable) ... E (unreliable), F (cannot be judged)",
        "# author: A. Writer         # a name or a list of names",
        "# publisher: The Outlet",
    ]
    if url:
        lines += [f"url: {_quoted(url)}", f"accessed: {accessed}"]
    lines += [
        "note: Not yet graded; replace with one line on how far to trust it and why.",
        "---",
        "Paste the source's text here, verbatim: quoted citations are checked against it.",
        "",
    ]
    return _write(path, lines)


def new_note(briefs: Path, slug: str, topic: str, author: str = "", title: str = "") -> Path:
    briefing, _ = load_briefing(briefs)
    if briefing.meta is None:
        raise ScaffoldError(f"{briefs}/briefing.yml is missing or invalid: run `briefing check`")
    topics = [t.id for t in briefing.meta.topics]
    if topic not in topics:
        raise ScaffoldError(f"unknown topic `{topic}`; topics: {', '.join(topics)}")
    path = _target(briefs / "notes", slug, "note")
    source = next(iter(sorted(briefing.sources)), "source-id")
    lines = [
        "---",
        f"title: {_quoted(title or slug.replace('-', ' ').capitalize())}",
        f"topic: {topic}",
        f"author: {_quoted(author or 'Your Name')}",
        "# order: 1                  # position within the topic",
        "---",
        "<!-- Every sentence needs a citation, e.g. [@id] or [@id, \"exact words\"]. -->",
        "",
        f"Write what the source reports here [@{source}].",
        "",
    ]
    return _write(path, lines)


def _write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    return path
