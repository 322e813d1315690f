"""Where each generated page lives and how one links to another: the one set of URL rules
the site, the PDF, the exports and the adapters share.

Pages are named by their Markdown path (`topics/pact.md`), as MkDocs names them; a link is
what MkDocs makes of a `.md` link, with or without directory URLs.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from functools import lru_cache

HOME = "index.md"
SOURCES_INDEX = "sources/index.md"
CHANGES = "changes.md"
DISPUTED = "disputed-facts.md"
SOURCING = "sourcing.md"
TIMELINE = "timeline.md"
WHATS_NEW = "whats-new.md"


def note_page(topic_id: str, summary_topic: str | None) -> str:
    """The page a note is published on: the home page for the summary topic's notes, else
    its topic's page."""
    return HOME if topic_id == summary_topic else topic_path(topic_id)


def topic_path(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def source_path(source_id: str) -> str:
    return f"sources/{source_id}.md"


def _relpath(target: str, folder: str) -> str:
    """`posixpath.relpath` for site-relative paths (no `..`, no symlinks), without its I/O."""
    target_parts = [p for p in target.split("/") if p]
    folder_parts = [p for p in folder.split("/") if p]
    common = 0
    while (
        common < min(len(target_parts), len(folder_parts))
        and target_parts[common] == folder_parts[common]
    ):
        common += 1
    return "/".join([".."] * (len(folder_parts) - common) + target_parts[common:]) or "."


@lru_cache(maxsize=65536)
def relative(from_page: str, to_page: str) -> str:
    """A Markdown link from one generated page to another, as MkDocs resolves .md links."""
    return _relpath(to_page, posixpath.dirname(from_page))


@lru_cache(maxsize=65536)
def href(from_page: str, to_page: str, directory_urls: bool) -> str:
    """An HTML link from one generated page to another: what MkDocs makes of a .md link."""
    target, base = page_url(to_page, directory_urls), page_url(from_page, directory_urls)
    folder = base if base.endswith("/") or not base else posixpath.dirname(base)
    link = _relpath(target, folder)
    return link + "/" if target.endswith("/") or not target else link


def page_url(path: str, directory_urls: bool = True) -> str:
    """The published URL of a page, relative to the site root, as MkDocs writes it."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def pdf_filename(title: str) -> str:
    """The PDF's file name, from the briefing's title: the site links to the same name."""
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_title = "".join(
        c if c.isascii() else "" if unicodedata.combining(c) else "-" for c in decomposed
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return f"{slug or 'briefing'}.pdf"
