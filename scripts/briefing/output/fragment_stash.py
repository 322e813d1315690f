"""A Python-Markdown extension: the generator's fragments (fragments.py) through Markdown's
own HTML stash, and generated pages sanitised.

A generated page carries its fragment table as its last line (`fragments.with_table`, as
output/build_folder.py writes every page); this extension takes the line off and turns each
placeholder in the page's Markdown into an entry of `md.htmlStash` before any block is
parsed. Markdown never reads the fragment's HTML; its raw-HTML postprocessor puts the HTML
back where the placeholder stood, and drops the paragraph around a placeholder that stands
alone as one when the HTML opens with a block-level tag (every `Fragments.block` fragment
does; this extension refuses one that does not). Then, last of all postprocessors, the page
is sanitised (sanitize.clean_html): it carries text from briefs/. That is how
Python-Markdown treats raw HTML, so any tool that runs Python-Markdown extensions runs this
one: it needs no plugin and no option, only the page as written (MkDocs and Zensical alike;
Python-Markdown does not say which page it converts, so the page has to say it itself). A
page without a table (a hand-written page of docs/) is converted as it is, and not
sanitised: it is trusted.

    markdown.Markdown(extensions=[NAME])  # as mkdocs.yml loads it
    # or with the table given (as `Page.fragments`), for a page's Markdown without it:
    markdown.Markdown(extensions=[FragmentStash(fragments=page.fragments)])

A placeholder whose index the table does not hold is left as written. Two things keep the
stash's own placeholders (STX `wzxhzdk:N` ETX) out of reach of briefs: Python-Markdown
drops STX and ETX from the Markdown before this runs (its `normalize_whitespace`), and
STX in a fragment (an archived text, a statement quoted in a list) is stored as `&#x2;`,
which the raw-HTML postprocessor does not read as a placeholder and the sanitiser turns
back into the character. No brief can write a table either: its line opens with a
placeholder character, which text from briefs/ never holds as such (fragments.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor, RawHtmlPostprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import STX

from .fragments import split_table, swap_placeholders
from .sanitize import clean_html

NAME = "briefing.output.fragment_stash"
"""The extension's name for `markdown.Markdown(extensions=...)` and mkdocs.yml."""

PRIORITY = 29
"""After `normalize_whitespace` (30), which would strip the stash's placeholders, and
pymdownx's restore of them (29.9); before fenced code (25), MkDocs's anchor scan of raw
HTML (21) and raw HTML blocks (20), so none of them reads the generator's HTML."""

SANITISE_PRIORITY = -1000
"""Below every postprocessor (raw HTML's restore is 30, `&` substitution 20) and every
treeprocessor: the page is sanitised as it leaves Markdown. Only then: `toc` runs the
postprocessors over each heading while the tree is processed, and a heading's entry in the
table of contents is as MkDocs made it before the plugin sanitised pages."""


class FragmentStash(Extension):
    """Each placeholder of `fragments` in the Markdown becomes an entry of Markdown's HTML
    stash."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "fragments": [
                (),
                "The HTML fragments of the page being converted, in the order of their "
                "placeholders (fragments.Fragments.items). Empty: each page's own table "
                "(fragments.with_table), if it has one.",
            ]
        }
        super().__init__(**kwargs)
        self.generated = False
        """Whether the page being converted carried its table: it is then sanitised."""
        self.serialised = False
        """Whether every treeprocessor has run: the postprocessors then run over the page."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(_StashFragments(md, self), "briefing_fragments", PRIORITY)
        md.treeprocessors.register(_TreeDone(md, self), "briefing_tree_done", SANITISE_PRIORITY)
        md.postprocessors.register(_Sanitise(md, self), "briefing_sanitise", SANITISE_PRIORITY)
        md.registerExtension(self)

    def reset(self) -> None:
        self.generated = self.serialised = False


class _StashFragments(Preprocessor):
    def __init__(self, md: Markdown, extension: FragmentStash) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        fragments: Sequence[str] = self.extension.getConfig("fragments") or ()
        self.extension.generated = self.extension.serialised = False
        if not fragments:
            embedded = split_table(lines)
            if embedded is None:
                return lines
            lines, fragments = embedded
            self.extension.generated = True
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


class _TreeDone(Treeprocessor):
    def __init__(self, md: Markdown, extension: FragmentStash) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: Element) -> None:
        self.extension.serialised = True


class _Sanitise(Postprocessor):
    def __init__(self, md: Markdown, extension: FragmentStash) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        if self.extension.generated and self.extension.serialised:
            return clean_html(text)
        return text


def makeExtension(**kwargs: Any) -> FragmentStash:
    return FragmentStash(**kwargs)
