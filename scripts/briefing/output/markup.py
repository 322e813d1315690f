"""Escaping text from briefs for generated Markdown, and the Jinja environment that does it."""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .fragments import escape_sentinels

_SPACE = re.compile(r"\s+")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|])")


def md_escape(value: object) -> str:
    """Text that Markdown and HTML show exactly as written, with no markup of its own."""
    return _md_escape(str(value))


@lru_cache(maxsize=65536)
def _md_escape(text: str) -> str:
    """`md_escape` of a string: titles, names and labels recur on many pages."""
    text = _SPACE.sub(" ", text)
    return escape_sentinels(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=True)))


@lru_cache(maxsize=16384)
def heading_text(value: str) -> str:
    """`md_escape` for a heading's text, quote marks left as they are: the table of contents
    takes a heading's text as written, so `&#x27;` would show as such in the sidebar. A
    heading is never an attribute value, so quotes need no escaping there."""
    text = _SPACE.sub(" ", value)
    return escape_sentinels(_MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False)))


_CODE = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_STRONG = re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1")
_EMPHASIS = re.compile(r"(?<![\w*\\])([*_])(?=[^\s*])(.+?)(?<=[^\s\\])\1(?![\w*])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~<>\"'])")


_MARKUP = re.compile(r"[`\[<*_\\&]")
"""A character every piece of markup reading_text takes out begins with or holds."""


@lru_cache(maxsize=65536)
def reading_text(markdown: str) -> str:
    """A sentence as readers read it, from the Markdown it is written in: emphasis, code,
    links (their text), inline HTML tags, backslash escapes and character references left
    out. For plain-text lists of statements (the What's new page, the PDF's changes, the
    cited-by lists). Most sentences hold none of it: only their spaces are tidied."""
    if not _MARKUP.search(markdown):
        return " ".join(markdown.split())
    return _without_markup(markdown)


def _without_markup(markdown: str) -> str:
    text = _CODE.sub(lambda m: m.group(2).strip(), markdown)
    text = _AUTOLINK.sub(r"\1", _LINK.sub(r"\1", text))
    text = _TAG.sub("", text)
    for _ in range(3):  # nested emphasis: ***a*** and **a _b_**
        text = _EMPHASIS.sub(r"\2", _STRONG.sub(r"\2", text))
    return " ".join(html.unescape(_ESCAPED.sub(r"\1", text)).split())


def attr_text(value: object) -> str:
    """Text for a Markdown link title ("…"): one line, no double quotes."""
    return " ".join(str(value).replace('"', "\u201d").split())


def _finalize(value: Any) -> Any:
    """Every `{{ }}` in a page template is escaped unless it is Markup already."""
    if isinstance(value, Markup) or value is None:
        return value or ""
    return md_escape(value)


def _html_escape(value: Any) -> Markup:
    """Jinja's `e`, which also writes placeholder characters (fragments.py) as references."""
    if isinstance(value, Markup):
        return value
    return Markup(escape_sentinels(str(escape(value))))


def template_environment(templates_dir: Path) -> Environment:
    """The templates of one folder, each compiled once and not looked at again: an
    environment lives for one render, or for a live preview until a template changes (then
    reuse.Reuse.clear drops it). Jinja's `auto_reload` would read each template's time stamp
    again at every include, 1,700 times a build of 1,000 notes."""
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        auto_reload=False,
        autoescape=False,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = lambda v: Markup(md_escape(v))
    env.filters["heading"] = lambda v: Markup(heading_text(str(v)))
    env.filters["e"] = env.filters["escape"] = _html_escape
    return env
