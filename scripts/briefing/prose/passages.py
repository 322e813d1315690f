"""Quoted passages: where each verified quote sits in its source's archived text.

Resolution (analysis/resolve.py) finds them, once, as it verifies each quote, and gives each
citation its passage; source pages highlight and anchor them; citation links land on them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Passage:
    anchor: str
    start: int
    end: int
    """Offsets into the source's archived text (its body)."""


class PassageIndex:
    """Each source's quoted passages, keyed by the quote as `quotes.normalise` writes it and
    anchored `quote-1`, `quote-2`, … in the order they are first added (the order of
    citation): one passage, and one anchor, for every citation of the same words."""

    def __init__(self) -> None:
        self._found: dict[str, dict[str, Passage]] = {}

    def add(self, source_id: str, needle: str, span: tuple[int, int]) -> None:
        """The passage at `span` of the source's text, for the normalised quote `needle`,
        unless that quote has one already."""
        found = self._found.setdefault(source_id, {})
        if needle not in found:
            found[needle] = Passage(f"quote-{len(found) + 1}", *span)

    def get(self, source_id: str, needle: str) -> Passage | None:
        return self._found.get(source_id, {}).get(needle)


def archived_html(body: str, passages: list[Passage] | None = None, language: str = "") -> str:
    """The archived text as escaped paragraphs (one per non-empty line), passages marked;
    in `language` (a `lang` attribute) when it is not the page's."""
    marks = sorted(passages or [], key=lambda p: (p.start, p.end))
    lines, offset = [], 0
    for line in body.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            lines.append(f"<p>{_marked(body, start, end, marks)}</p>")
    lang = f' lang="{html.escape(language)}"' if language else ""
    return f'<div class="archived-text"{lang}>\n' + "\n".join(lines) + "\n</div>"


def _marked(body: str, start: int, end: int, marks: list[Passage]) -> str:
    """One line of the body, escaped, with the parts inside passages wrapped in <mark>.

    Passages may overlap: the line is cut at every passage's start and end, so each
    passage's first piece can carry its anchor."""
    inside = [m for m in marks if m.start < end and m.end > start]
    cuts = sorted(
        {start, end, *(max(start, min(end, x)) for m in inside for x in (m.start, m.end))}
    )
    pieces = []
    for lo, hi in pairwise(cuts):
        text = html.escape(body[lo:hi])
        starting = [m.anchor for m in inside if m.start == lo]
        if not any(m.start <= lo and hi <= m.end for m in inside):
            pieces.append(text)
            continue
        extra = "".join(f'<span class="quote-anchor" id="{a}"></span>' for a in starting[1:])
        anchor = f' id="{starting[0]}"' if starting else ""
        pieces.append(f'{extra}<mark class="quoted"{anchor}>{text}</mark>')
    return "".join(pieces).strip()
