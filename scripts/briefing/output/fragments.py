"""HTML the generator writes itself, kept out of the Markdown parser.

Citation markers, statement anchors, the "cited by" lists and the archived texts
are HTML from the start. A page's Markdown carries a placeholder for each
(`Fragments.inline`, `Fragments.block`), and the page's `Fragments.items` go with it.
Markdown then reads only what analysts and templates wrote (most of a large site's
Markdown time went on re-parsing the generator's own markup), and that HTML reaches
the page exactly as written.

Two things put the HTML back. On the site, the Python-Markdown extension in
fragment_stash.py hands each placeholder's HTML to Markdown's own HTML stash as the
page is converted: Python-Markdown puts it back as it does raw HTML, a block's
placeholder standing alone as a paragraph unwrapped. `fill` does the same on a string
after Markdown, or on the Markdown itself (`Page.expanded`, what a reviewer reads).
The print document has no fragments: its notes' HTML is written for Markdown to parse.

Placeholders are made of private-use characters that no Markdown syntax gives a
meaning to. The invariant that keeps them the generator's own: every piece of text
from briefs/ that goes into a page's Markdown has those characters written as
character references (`escape_sentinels`: markup.md_escape, markup.heading_text,
Jinja's `e` in markup.py, and render.note_markdown for note bodies), so no brief can
forge a placeholder. tests/test_fragments.py holds both mechanisms to it.

A page written to a file (output/build_folder.py) carries its own table: `with_table`
adds it as the page's last line, an HTML comment holding the table as JSON, and
`split_table` takes it off again (the fragment stash does, as it converts the page). The
comment's opening carries a placeholder character too, so no brief can write a table of
its own into a page either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_INLINE, _BLOCK, _END = "\ue000", "\ue001", "\ue002"
_DIGIT_BASE = 0xE010
_TO_DIGITS = str.maketrans({chr(_DIGIT_BASE + d): str(d) for d in range(10)})
_FROM_DIGITS = str.maketrans({str(d): chr(_DIGIT_BASE + d) for d in range(10)})
SENTINEL = re.compile("[\ue000-\ue01f]")
"""The characters placeholders are made of."""
_NUMBER = f"([{chr(_DIGIT_BASE)}-{chr(_DIGIT_BASE + 9)}]+)"
_IN_HTML = re.compile(
    f"<p>{_BLOCK}{_NUMBER}{_END}</p>|{_BLOCK}{_NUMBER}{_END}|{_INLINE}{_NUMBER}{_END}"
)
_PLACEHOLDER = re.compile(f"([{_INLINE}{_BLOCK}]){_NUMBER}{_END}")
_TABLE = "\ue003"
_TABLE_OPEN = f"<!-- briefing-fragments {_TABLE}"
_TABLE_CLOSE = " -->"
_JSON_UNSAFE = re.compile("-->|[\ue000-\ue01f\x85\u2028\u2029]")
"""What the table's JSON writes as escapes: the end of a comment, placeholder characters, and
what some readers take for a line break."""


def escape_sentinels(text: str) -> str:
    """Text from briefs/ with the placeholder characters written as character references."""
    if not SENTINEL.search(text):
        return text
    return SENTINEL.sub(lambda m: f"&#x{ord(m.group()):X};", text)


@dataclass
class Fragments:
    """The HTML pieces of one page, in the order their placeholders were made."""

    items: list[str] = field(default_factory=list)

    def _add(self, html: str, kind: str) -> str:
        self.items.append(html)
        return kind + str(len(self.items) - 1).translate(_FROM_DIGITS) + _END

    def inline(self, html: str) -> str:
        """A placeholder for HTML inside a line of text."""
        return self._add(html, _INLINE)

    def block(self, html: str) -> str:
        """A placeholder for a block of HTML; it must stand alone as a paragraph."""
        return self._add(html, _BLOCK)


def swap_placeholders(text: str, swap: Callable[[int, bool], str | None]) -> str:
    """`text` with each placeholder replaced by `swap(index, block)`: the index of its
    fragment in the page's `Fragments.items`, and whether `Fragments.block` made it. A
    placeholder for which `swap` returns None is left as it is."""
    if not SENTINEL.search(text):
        return text

    def replace(match: re.Match[str]) -> str:
        index = int(match.group(2).translate(_TO_DIGITS))
        swapped = swap(index, match.group(1) == _BLOCK)
        return match.group() if swapped is None else swapped

    return _PLACEHOLDER.sub(replace, text)


def with_table(markdown: str, fragments: Sequence[str]) -> str:
    """`markdown` with its fragment table as its last line, for `split_table` to read: an HTML
    comment (`<!-- briefing-fragments …[JSON] -->`), on one line, with no `-->` inside. A page
    with no fragments gets an empty table: it still says the page is generated."""
    data = json.dumps(list(fragments), ensure_ascii=False, separators=(",", ":"))
    data = _JSON_UNSAFE.sub(_json_escape, data)
    body = markdown.rstrip("\n")
    return f"{body}\n\n{_TABLE_OPEN}{data}{_TABLE_CLOSE}\n"


def _json_escape(match: re.Match[str]) -> str:
    text = match.group()
    return "--\\u003e" if text == "-->" else f"\\u{ord(text):04x}"


def split_table(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """The lines of a page without its fragment table, and the table (`with_table`); None
    when the page has none. The last table line counts, wherever it stands (a tool may add
    lines after it)."""
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if line.startswith(_TABLE_OPEN) and line.rstrip().endswith(_TABLE_CLOSE):
            data = line.rstrip()[len(_TABLE_OPEN) : -len(_TABLE_CLOSE)]
            table = json.loads(data)
            if not isinstance(table, list) or not all(isinstance(f, str) for f in table):
                raise ValueError(f"a fragment table is a list of strings: {data[:80]!r}")
            return lines[:index] + lines[index + 1 :], table
    return None


def fill(html: str, fragments: Sequence[str]) -> str:
    """Markdown's output with every placeholder replaced by its HTML (a block's paragraph
    wrapper dropped). Inserted HTML is not searched again."""
    if not fragments:
        return html

    def swap(match: re.Match[str]) -> str:
        digits = next(g for g in match.groups() if g is not None)
        return fragments[int(digits.translate(_TO_DIGITS))]

    return _IN_HTML.sub(swap, html)
