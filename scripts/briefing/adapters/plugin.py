"""The MkDocs adapter: analyse briefs/ once per build and hand MkDocs the generated pages.

The pages are the files `briefing generate` writes (adapters/generate.py,
output/build_folder.py), front matter and fragment table included: the fragment stash
(output/fragment_stash.py), which this plugin turns on, fills and sanitises them as MkDocs
converts them, as it does for any engine that builds the generated folder. What only a
plugin can do stays here: no edit link to a docs/ file that does not exist, each page's last
change in the sitemap, watching briefs/ and templates/, a build that stops on errors, and
Material's search plugin handed each generated page without what it would skip anyway
(output/search_text.py): it writes the same index from a fraction of the HTML.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..analysis.model import Analysis
from ..findings import Finding, format_text
from ..output.build_folder import (
    MARKDOWN_EXTENSIONS,
    asset_links,
    briefing_extra,
    clashes,
    navigation,
    page_file,
    site_name,
)
from ..output.exports import robots_txt
from ..output.render import Site
from ..output.search_text import without_search_excluded
from ..pipeline import analyse_dir
from .collector import collector_paused, freeze_survivors, thaw
from .generate import render

log = logging.getLogger("mkdocs.plugins.briefing")


class BriefingPluginConfig(Config):
    briefs_dir = config_options.Type(str, default="briefs")
    templates_dir = config_options.Type(str, default="templates")


def log_finding(finding: Finding) -> None:
    """One verdict with `briefing check`: errors fail the build; warnings are shown at info
    level, so that `mkdocs build --strict` builds whatever the check accepts (briefing.yml's
    `checks:` raises a rule to an error where a briefing wants it fatal)."""
    if finding.is_error:
        log.error(format_text(finding))
    else:
        log.info(format_text(finding))


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    """Generates the home, topic, sources and source pages from briefs/."""

    def __init__(self) -> None:
        self.analysis: Analysis | None = None
        self.site: Site | None = None
        self.page_html: str | None = None
        """The generated page's HTML while the search plugin reads it without its markers."""
        self.searched = False
        """Whether Material's search plugin is on (`material/search`): only it reads pages
        lightened by search_text.py."""

    def _path(self, config: MkDocsConfig, value: str) -> Path:
        return (Path(config.config_file_path).parent / value).resolve()

    def on_config(self, config: MkDocsConfig, **kwargs: Any) -> MkDocsConfig:
        briefs = self._path(config, self.config.briefs_dir)
        if not briefs.is_dir():
            raise PluginError(f"briefing: briefs folder not found: {briefs}")
        templates = self._path(config, self.config.templates_dir)
        for folder in (briefs, templates):
            if str(folder) not in config.watch:
                config.watch.append(str(folder))  # `mkdocs serve` rebuilds on their edits
        for extension in MARKDOWN_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        self.searched = "material/search" in config.plugins
        thaw()  # what the previous build of `mkdocs serve` froze may be garbage now
        with collector_paused():
            self.analysis = analyse_dir(briefs)
        for finding in self.analysis.findings:
            log_finding(finding)
        if self.analysis.errors:
            raise PluginError(
                f"briefing: {len(self.analysis.errors)} error(s) in {self.config.briefs_dir}/; "
                "nothing was built (run `briefing check` for the list)"
            )
        meta = self.analysis.briefing.meta
        assert meta is not None
        self.site, history = render(self.analysis, briefs, templates, config)
        freeze_survivors()
        config.site_name = site_name(meta)
        config.extra["briefing"] = briefing_extra(meta, history.version)
        css, scripts = asset_links(self.site)
        config.extra_css = [*css, *config.extra_css]
        config.extra_javascript = [*scripts, *config.extra_javascript]
        return config

    # Late, so that pages other plugins add to docs/ are known when checking for clashes.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig, **kwargs: Any) -> Files:
        """The files `briefing generate` writes into its folder's docs/, generated here."""
        assert self.site is not None
        clashing = clashes(self.site, (f.src_uri for f in files))
        if clashing:
            raise PluginError(
                "briefing: these docs/ files clash with generated pages: "
                + ", ".join(clashing)
                + "; rename or remove them"
            )
        docs_pages = [f.src_uri for f in files.documentation_pages()]
        for page in self.site.pages:
            files.append(File.generated(config, page.path, content=page_file(page)))
        for path, data in (*self.site.assets, *self.site.data):
            files.append(File.generated(config, path, content=data))
        if files.get_file_from_path("robots.txt") is None:  # docs/robots.txt of one's own wins
            files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))
        config.nav = navigation(self.site, docs_pages)
        return files

    def on_nav(
        self, nav: Navigation, *, config: MkDocsConfig, files: Files, **kwargs: Any
    ) -> Navigation:
        """Give every generated page its title from briefs/, escaped: Material prints page
        titles unescaped, and MkDocs would otherwise take them from the rendered heading."""
        assert self.site is not None
        titles = {page.path: page.title for page in self.site.pages}
        modified = {page.path: page.modified for page in self.site.pages if page.modified}
        for file in files.documentation_pages():
            if file.generated_by == "briefing" and file.page is not None and file.src_uri in titles:
                file.page.title = str(escape(titles[file.src_uri]))
                # MkDocs would point "edit" at docs/<page>.md, which does not exist.
                file.page.edit_url = None
                # The sitemap's <lastmod>: the page's last change in git, not the build day.
                file.page.update_date = modified.get(file.src_uri, file.page.update_date)
        self.site = None  # MkDocs has the pages now, each with its fragments and head data
        return nav

    @event_priority(100)  # before the search plugin's (0)
    def _search_reads_less(
        self, context: dict[str, Any], /, *, page: Page, **kwargs: Any
    ) -> dict[str, Any]:
        """The search plugin indexes a generated page in its `on_page_context`: until it
        has, the page's content is without the elements it skips (search_text.py)."""
        if self.searched and page.file.generated_by == "briefing" and page.content is not None:
            self.page_html = page.content
            page.content = without_search_excluded(page.content)
        return context

    @event_priority(-100)  # after it, before the theme renders the page
    def _page_whole_again(
        self, context: dict[str, Any], /, *, page: Page, **kwargs: Any
    ) -> dict[str, Any]:
        if self.page_html is not None:
            page.content, self.page_html = self.page_html, None
        return context

    on_page_context = CombinedEvent(_search_reads_less, _page_whole_again)

    def on_post_build(self, *, config: MkDocsConfig, **kwargs: Any) -> None:
        """Without `site_url` MkDocs writes a sitemap that lists no page (its entries need
        absolute URLs), which the sitemap schema refuses: the site gets none."""
        if not config.site_url:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (Path(config.site_dir) / name).unlink(missing_ok=True)
