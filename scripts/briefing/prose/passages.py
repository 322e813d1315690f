"""Quoted passages: where each verified quote sits in its source's archived text.

Source pages highlight and anchor these passages; citation links land on them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from itertools import pairwise

from ..analysis.analyse import Analysis
from .quotes import find_quote, normalise


@dataclass(frozen=True)
class Passage:
    anchor: str
    start: int
    end: int
    """Offsets into the source's archived text (its body)."""


def find_passages(analysis: Analysis) -> dict[str, dict[str, Passage]]:
    """For each source: its quoted passages keyed by normalised quote, anchored in order of
    citation."""
    result: dict[str, dict[str, Passage]] = {}
    normalised: dict[str, str] = {}
    for statement in analysis.statements:
        for citation in statement.citations:
            if not citation.verified or citation.quote is None:
                continue
            found = result.setdefault(citation.source_id, {})
            key = normalise(citation.quote)
            if key in found:
                continue
            body = analysis.briefing.sources[citation.source_id].body
            if citation.source_id not in normalised:
                normalised[citation.source_id] = normalise(body)
            span = find_quote(body, citation.quote, normalised[citation.source_id])
            if span:
                found[key] = Passage(f"quote-{len(found) + 1}", *span)
    return result


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
