"""A Python-Markdown extension: the generator's fragments (fragments.py) through Markdown's
own HTML stash.

Given the fragments of the page being converted (its `fragments` option:
`Fragments.items`, in placeholder order), it turns each placeholder in the page's
Markdown into an entry of `md.htmlStash` before any block is parsed. Markdown never reads
the fragment's HTML; its raw-HTML postprocessor puts the HTML back where the placeholder
stood, and drops the paragraph around a placeholder that stands alone as one when the
HTML opens with a block-level tag (every `Fragments.block` fragment does; this extension
refuses one that does not). That is how Python-Markdown treats raw HTML, so any tool that
runs Python-Markdown extensions runs this one: it needs no plugin, only each page's table.

    markdown.Markdown(extensions=[FragmentStash(fragments=page.fragments)])
    # or by name, as MkDocs does (adapters/plugin.py sets the option for each page):
    markdown.Markdown(extensions=[NAME], extension_configs={NAME: {"fragments": [...]}})

A placeholder whose index the table does not hold is left as written. Two things keep the
stash's own placeholders (STX `wzxhzdk:N` ETX) out of reach of briefs: Python-Markdown
drops STX and ETX from the Markdown before this runs (its `normalize_whitespace`), and
STX in a fragment (an archived text, a statement quoted in a list) is stored as `&#x2;`,
which the raw-HTML postprocessor does not read as a placeholder and the sanitiser turns
back into the character.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import RawHtmlPostprocessor
from markdown.preprocessors import Preprocessor
from markdown.util import STX

from .fragments import swap_placeholders

NAME = "briefing.output.fragment_stash"
"""The extension's name for `markdown.Markdown(extensions=...)` and mkdocs.yml."""

PRIORITY = 29
"""After `normalize_whitespace` (30), which would strip the stash's placeholders, and
pymdownx's restore of them (29.9); before fenced code (25), MkDocs's anchor scan of raw
HTML (21) and raw HTML blocks (20), so none of them reads the generator's HTML."""


class FragmentStash(Extension):
    """Each placeholder of `fragments` in the Markdown becomes an entry of Markdown's HTML
    stash."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "fragments": [
                (),
                "The HTML fragments of the page being converted, in the order of their "
                "placeholders (fragments.Fragments.items).",
            ]
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_StashFragments(md, self), "briefing_fragments", PRIORITY)


class _StashFragments(Preprocessor):
    def __init__(self, md: Markdown, extension: FragmentStash) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        fragments: Sequence[str] = self.extension.getConfig("fragments") or ()
        if not fragments:
            return lines
        md = self.md
        assert md is not None
        restore = md.postprocessors["raw_html"]  # what will put the HTML back
        assert isinstance(restore, RawHtmlPostprocessor)

        def stash(index: int, block: bool) -> str | None:
            if index >= len(fragments):
                return None
            html = fragments[index]
            if block and not restore.isblocklevel(html):
                raise ValueError(f"a block fragment must open with a block-level tag: {html!r}")
            return md.htmlStash.store(html.replace(STX, "&#x2;") if STX in html else html)

        text = "\n".join(lines)
        swapped = swap_placeholders(text, stash)
        return lines if swapped is text else swapped.split("\n")


def makeExtension(**kwargs: Any) -> FragmentStash:
    return FragmentStash(**kwargs)
