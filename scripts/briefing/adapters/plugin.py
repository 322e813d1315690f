"""The MkDocs adapter: analyse briefs/ once per build and hand the rendered pages to MkDocs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

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
from ..output import fragment_stash
from ..output.exports import robots_txt
from ..output.fragments import without_markers
from ..output.render import Site, render_site
from ..output.sanitize import clean_html
from ..output.urls import pdf_filename
from ..pipeline import analyse_dir
from ..read.gitinfo import read_history
from .collector import collector_paused, freeze_survivors, thaw
from .revisions import release_changes

log = logging.getLogger("mkdocs.plugins.briefing")


MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "pymdownx.details")
"""What generated pages are written in (`!!!` boxes, `{: .class }`, closed `???` boxes): the
plugin turns on those that mkdocs.yml leaves out."""


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


def edit_url_maker(config: MkDocsConfig) -> Callable[[str], str | None]:
    """Links to brief files on the repository, derived from `repo_url` and `edit_uri`
    (whose docs/ part is replaced by the file's path in the repository)."""
    project = Path(config.config_file_path).parent.resolve()
    if not config.repo_url or not config.edit_uri:
        return lambda path: None
    docs = Path(config.docs_dir).resolve().relative_to(project).as_posix()
    base = config.edit_uri.rstrip("/")
    base = base[: -len(docs)].rstrip("/") if base.endswith(docs) else base
    root = urljoin(config.repo_url.rstrip("/") + "/", base + "/")

    def edit_url(path: str) -> str | None:
        try:
            return root + Path(path).resolve().relative_to(project).as_posix()
        except ValueError:
            return None

    return edit_url


class BriefingPlugin(BasePlugin[BriefingPluginConfig]):
    """Generates the home, topic, sources and source pages from briefs/."""

    def __init__(self) -> None:
        self.analysis: Analysis | None = None
        self.site: Site | None = None
        self.fragments: dict[str, tuple[str, ...]] = {}
        self.json_ld: dict[str, str] = {}
        self.tooltips: dict[str, str] = {}
        """Each page's tooltip data (render.tooltip_data), for the theme's <head>."""
        self.page_html: dict[str, str] = {}
        """The page being indexed: its HTML, while the search plugin reads the search view."""

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
        for extension in (*MARKDOWN_EXTENSIONS, fragment_stash.NAME):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
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
        briefs_history = read_history(briefs)
        with collector_paused():
            releases = release_changes(briefs, self.analysis)
            self.site = render_site(
                self.analysis,
                templates,
                briefs_history,
                edit_url_maker(config),
                config.use_directory_urls,
                releases,
                site_url=config.site_url,
            )
        freeze_survivors()
        self.fragments = {page.path: page.fragments for page in self.site.pages}
        self.json_ld = {page.path: page.json_ld for page in self.site.pages}
        self.tooltips = {page.path: page.tooltips for page in self.site.pages if page.tooltips}
        # Material prints site_name unescaped in the header and title.
        config.site_name = str(escape(meta.title))
        config.extra["briefing"] = {
            "marking": meta.marking,
            "language": meta.language,
            "version": briefs_history.version,
            "pdf": pdf_filename(meta.title),
        }
        config.extra_css = [
            *(path for path, _ in self.site.assets if path.endswith(".css")),
            *config.extra_css,
        ]
        scripts = [path for path, _ in self.site.assets if path == "assets/briefing/briefing.js"]
        config.extra_javascript = [*scripts, *config.extra_javascript]
        return config

    # Late, so that pages other plugins add to docs/ are known when checking for clashes.
    @event_priority(-50)
    def on_files(self, files: Files, *, config: MkDocsConfig, **kwargs: Any) -> Files:
        assert self.site is not None
        generated = {page.path for page in self.site.pages}
        clashes = sorted(f.src_uri for f in files if f.src_uri in generated)
        if clashes:
            raise PluginError(
                "briefing: these docs/ files clash with generated pages: "
                + ", ".join(clashes)
                + "; rename or remove them"
            )
        for page in self.site.pages:
            files.append(File.generated(config, page.path, content=page.markdown))
        for path, data in (*self.site.assets, *self.site.data):
            files.append(File.generated(config, path, content=data))
        if files.get_file_from_path("robots.txt") is None:  # docs/robots.txt of one's own wins
            files.append(File.generated(config, "robots.txt", content=robots_txt(config.site_url)))
        config.nav = self._nav(files, generated)
        return files

    def _nav(self, files: Files, generated: set[str]) -> list[Any]:
        assert self.site is not None
        # Material prints navigation titles unescaped too.
        nav: list[Any] = [{str(escape(entry.title)): entry.path} for entry in self.site.nav]
        extra = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in generated)
        nav += extra
        return nav

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
        self.site = None  # MkDocs has the pages now; each page's fragments go as it is converted
        return nav

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """Hand the fragment stash (output/fragment_stash.py) the generator's own HTML for
        the page MkDocs converts next; a page of docs/ has none."""
        fragments: tuple[str, ...] = ()
        if page.file.generated_by == "briefing":
            fragments = self.fragments.pop(page.file.src_uri, ())
        config.mdx_configs[fragment_stash.NAME] = {"fragments": fragments}
        return markdown

    def on_page_content(self, html: str, *, page: Page, **kwargs: Any) -> str:
        """Sanitise generated pages: they carry text from briefs/ (hand-written docs/ are
        trusted)."""
        if page.file.generated_by != "briefing":
            return html
        return clean_html(html)

    @event_priority(100)
    def _search_view(
        self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Until the search plugin has indexed the page, its content is the search view:
        citation markers and statement anchors left out."""
        if page.file.generated_by == "briefing" and page.content is not None:
            self.page_html[page.file.src_uri] = page.content
            page.content = without_markers(page.content)
        return context

    @event_priority(-100)
    def _page_view(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """Then the page gets its full HTML back, and its JSON-LD and tooltip data for the
        theme's <head>."""
        if page.file.src_uri in self.page_html:
            page.content = self.page_html.pop(page.file.src_uri)
        ld = self.json_ld.get(page.file.src_uri)
        if ld and page.file.generated_by == "briefing":
            page.meta["briefing_json_ld"] = ld
        tooltips = self.tooltips.get(page.file.src_uri)
        if tooltips and page.file.generated_by == "briefing":
            page.meta["briefing_sources"] = tooltips
        return context

    on_page_context = CombinedEvent(_search_view, _page_view)

    def on_post_build(self, *, config: MkDocsConfig, **kwargs: Any) -> None:
        """Without `site_url` MkDocs writes a sitemap that lists no page (its entries need
        absolute URLs), which the sitemap schema refuses: the site gets none."""
        if not config.site_url:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                (Path(config.site_dir) / name).unlink(missing_ok=True)
