"""`briefing new`: starting files for a source record or a note (checks/scaffold.py holds
their placeholder text and the check that none of it is published by accident)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from ..checks.scaffold import NOTE_AUTHOR, NOTE_SENTENCE, SOURCE_BODY, SOURCE_NOTE
from ..read.models import ID_RE


class ScaffoldError(Exception):
    """A request that cannot be carried out; the message says why and what to do."""


def _quoted(value: str | list[str]) -> str:
    """A YAML scalar for any text (quoted when YAML would read it otherwise)."""
    return (
        yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1000)
        .strip()
        .removesuffix("\n...")
    )


def _target(folder: Path, name: str, what: str) -> Path:
    if not ID_RE.match(name):
        raise ScaffoldError(
            f"`{name}` is not a valid {what} id: use lowercase letters, digits and hyphens"
        )
    path = folder / f"{name}.md"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: not overwriting it")
    return path


def new_source(
    briefs: Path, source_id: str, title: str, url: str = "", today: dt.date | None = None
) -> Path:
    path = _target(briefs / "sources", source_id, "source")
    accessed = (today or dt.date.today()).isoformat()
    lines = [
        "---",
        f"title: {_quoted(title)}",
        (
            "issued:                     # when it was published, as the source gives it: "
            "YYYY, YYYY-MM or YYYY-MM-DD"
        ),
        "type: unknown               # primary, reporting, analysis, commentary or unknown",
        (
            "reliability: F              # A (completely reliable) ... E (unreliable), "
            "F (cannot be judged)"
        ),
        "# author: A. Writer         # a name or a list of names",
        "# publisher: The Outlet",
    ]
    if url:
        lines += [f"url: {_quoted(url)}", f"accessed: {accessed}"]
    lines += [
        f"note: {SOURCE_NOTE}",
        "---",
        SOURCE_BODY,
        "",
    ]
    return _write(path, lines)


def imported_source(
    briefs: Path,
    source_id: str,
    location: str,
    title: str = "",
    url: str = "",
    today: dt.date | None = None,
) -> Path:
    """A source record from a document (ingest.read_source): its main text as the body,
    pinned (`archived:`), and the front-matter it states about itself; `title` and `url`,
    when given, win over the document's. The grade stays the analyst's: `reliability: F`,
    `type: unknown` and the placeholder note until they are set."""
    from ..checks.archive import archived_line, digest
    from .ingest import read_source

    path = _target(briefs / "sources", source_id, "source")
    day = (today or dt.date.today()).isoformat()
    doc = read_source(location, today)
    title = " ".join(title.split()) or doc.title
    if not title:
        raise ScaffoldError(f"{location} gives no title: give one with --title")
    guessed = doc.title_from and title == doc.title
    lines = [
        "---",
        f"title: {_quoted(title)}" + (f"  # from {doc.title_from}: check it" if guessed else ""),
    ]
    if doc.issued:
        lines.append(
            f"issued: {doc.issued}         # from the {_what(doc.kind)}'s own metadata: "
            "check it against the text"
        )
    else:
        why = doc.date_hint or f"the {_what(doc.kind)} gives no date of publication"
        lines.append(
            f"issued: XXXX               # undated: {why}; fill it in if the text "
            "gives one (YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    lines += [
        "type: unknown               # primary, reporting, analysis, commentary or unknown",
        (
            "reliability: F              # ungraded: A (completely reliable) ... E (unreliable), "
            "F (cannot be judged)"
        ),
    ]
    if len(doc.authors) == 1:
        lines.append(f"author: {_quoted(doc.authors[0])}")
    elif doc.authors:
        lines.append(f"author: {_quoted(list(doc.authors))}")
    else:
        lines.append(f"# author: A. Writer         # the {_what(doc.kind)} names no author")
    lines.append(
        f"publisher: {_quoted(doc.publisher)}"
        if doc.publisher
        else f"# publisher: The Outlet    # the {_what(doc.kind)} names none"
    )
    lines.append(
        f"language: {_quoted(doc.language)}"
        if doc.language
        else f"# language: en              # the {_what(doc.kind)} does not say: "
        "a BCP 47 tag (en, ko, ja)"
    )
    address = url or doc.url
    if address:
        lines.append(f"url: {_quoted(address)}")
    if doc.accessed:
        lines.append(f"accessed: {doc.accessed}")
    elif address:
        lines.append("# accessed: YYYY-MM-DD      # the day the page was saved, if known")
    lines += [
        "# The fingerprint of the text below as imported: `briefing check` fails if the text",
        f"# changes; after a deliberate edit, `briefing pin {source_id}` writes it again.",
        archived_line(digest(doc.text), doc.accessed or day),
        f"note: {SOURCE_NOTE}",
        "---",
    ]
    lines += [doc.text.removesuffix("\n"), ""]
    _check_record("\n".join(lines), path, digest(doc.text))
    return _write(path, lines)


def _check_record(text: str, path: Path, sha256: str) -> None:
    """The record written reads back as a valid source whose body has the digest pinned."""
    from ..checks.archive import digest
    from ..read.load import _parse_record
    from ..read.models import SourceMeta

    record, problems = _parse_record(text.encode("utf-8"), str(path), SourceMeta)
    if record is None or record[0].archived is None or digest(record[1]) != sha256:
        details = "; ".join(p.message for p in problems)
        raise ScaffoldError(
            f"the imported record would not read back ({details or 'digest'}): "
            "please report this, with the document"
        )


def _what(kind: str) -> str:
    return {"html": "page", "pdf": "PDF"}.get(kind, "text")


def new_note(briefs: Path, slug: str, topic: str, author: str = "", title: str = "") -> Path:
    from ..read.load import (
        load_briefing,
    )  # the check imports this module; loading needs it only here

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
        f"author: {_quoted(author or NOTE_AUTHOR)}",
        "# order: 1                  # position within the topic",
        "---",
        '<!-- Every sentence needs a citation, e.g. [@id] or [@id, "exact words"]. -->',
        "",
        f"{NOTE_SENTENCE} [@{source}].",
        "",
    ]
    return _write(path, lines)


def _write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:
        handle.write("\n".join(lines))
    return path
