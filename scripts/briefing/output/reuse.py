"""What one render of the site keeps for the next in the same process.

The live preview (adapters/preview.py) renders the whole briefing again after every save,
while an edit to one note changes one topic page and the source pages it cites. A page is
kept with the inputs it was rendered from and given again, unchanged, while they compare
equal; everything that every page reads (the briefing's meta, the sources, git's history
and releases) is compared once, and a change there renders every page again. Inputs
compare with `==`, so an object the analysis kept (resolve.py) costs an identity check,
and a new object that reads the same still counts as the same.

The preview clears it when the templates or mkdocs.yml change. `briefing build` and the
MkDocs plugin render once, each with a Reuse of its own that nothing reads again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2 import Environment

    from .render import Page


@dataclass
class Reuse:
    """The pages, records, page files and template environments of the last render."""

    context: tuple[object, ...] | None = None
    """What every page reads, as of the last render."""
    pages: dict[str, tuple[tuple[object, ...], Page]] = field(default_factory=dict)
    """Each kept page by path, with the inputs it was rendered from."""
    records: dict[str, tuple[tuple[object, ...], str]] = field(default_factory=dict)
    """Each statement's line of statements.json (exports.statements_json), by anchor."""
    files: dict[str, tuple[Page, bytes]] = field(default_factory=dict)
    """Each page's file in the build folder (build_folder.page_file), by path."""
    environments: dict[Path, Environment] = field(default_factory=dict)
    """The Jinja environment of each templates folder, its templates compiled once."""
    rendered: int = 0
    """Pages the last render rendered (did not keep): what the benchmark and tests read."""

    def begin(self, context: tuple[object, ...]) -> None:
        """Start a render: keep the pages only if what every page reads is unchanged."""
        if context != self.context:
            self.pages.clear()
            self.records.clear()
        self.context = context
        self.rendered = 0

    def page(self, path: str, inputs: tuple[object, ...], make: Callable[[], Page]) -> Page:
        """The page kept for `path` if it was rendered from equal inputs, else `make()`."""
        kept = self.pages.get(path)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        page = make()
        self.rendered += 1
        self.pages[path] = (inputs, page)
        return page

    def always(self, make: Callable[[], Page]) -> Page:
        """A page built from the whole briefing (home, sourcing, …): rendered every time."""
        self.rendered += 1
        return make()

    def record(self, anchor: str, inputs: tuple[object, ...], make: Callable[[], str]) -> str:
        """The statement's record kept for `anchor` if made from equal inputs, else `make()`."""
        kept = self.records.get(anchor)
        if kept is not None and kept[0] == inputs:
            return kept[1]
        record = make()
        self.records[anchor] = (inputs, record)
        return record

    def file(self, page: Page, make: Callable[[], bytes]) -> bytes:
        """The page's file, made again only when the page is not the one kept."""
        kept = self.files.get(page.path)
        if kept is not None and kept[0] is page:
            return kept[1]
        data = make()
        self.files[page.path] = (page, data)
        return data

    def finish(self, paths: set[str], anchors: set[str]) -> None:
        """Forget the pages and statements this render no longer has (a source removed)."""
        for kept, now in ((self.pages, paths), (self.files, paths), (self.records, anchors)):
            for gone in set(kept) - now:
                del kept[gone]

    def clear(self) -> None:
        """Forget everything: the templates or the configuration changed."""
        self.context = None
        self.pages.clear()
        self.records.clear()
        self.files.clear()
        self.environments.clear()
