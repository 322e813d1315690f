"""The briefing as files: a build folder that an engine reading mkdocs.yml builds with no plugin.

Zensical, Material for MkDocs' successor, reads mkdocs.yml and runs Python-Markdown
extensions, but has no plugin API. So the generated pages exist as files: `site_files`
turns the rendered `Site` into the whole of a build folder,

    mkdocs.yml          INHERITs the project's mkdocs.yml; adds what the plugin adds
    docs/…              every generated page (`page_file`), the briefing's assets, the open
                        data, robots.txt, and a copy of each hand-written docs/ file

and `mkdocs build -f <folder>/mkdocs.yml` builds the site the plugin builds (the MkDocs
plugin hands MkDocs the same pages, adapters/plugin.py). Each page file carries all its
page needs, since Python-Markdown never says which page it converts: front matter for the
theme (`title`; `briefing_json_ld`, `briefing_sources`, which templates/overrides/main.html
puts in <head>), then the Markdown, then its fragment table (`fragments.with_table`), which
the fragment stash reads, and sanitises the page by (fragment_stash.py).

Paths in a config that INHERITs another are read from the folder of the inheriting file
(MkDocs and Zensical alike), so the generated config gives the project's `theme.custom_dir`,
`site_dir`, `hooks` and `watch` again, relative to the build folder. Zensical also wants
`site_dir` inside the folder of its config (`briefing generate -d`).
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml
from markupsafe import escape

from ..read.models import BriefingMeta
from . import fragment_stash
from .exports import robots_txt
from .fragments import with_table
from .render import Page, Site
from .reuse import Reuse
from .urls import pdf_filename

DOCS = "docs"
"""The build folder's docs_dir."""
CONFIG = "mkdocs.yml"
"""The build folder's config."""
GENERATED = "# Written by `briefing generate`"
"""How the generated config begins: the mark of a folder the command may rewrite."""

MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "pymdownx.details", fragment_stash.NAME)
"""What generated pages are written in (`!!!` boxes, `{: .class }`, closed `???` boxes) and
the extension that fills and sanitises them: turned on where mkdocs.yml leaves them out."""

PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""Which docs/ files are pages (MkDocs' own list); the others are copied as they are."""

BRIEFING_PLUGIN = "briefing"


class Clash(ValueError):
    """docs/ holds files where generated pages go."""


@dataclass(frozen=True)
class Tagged:
    """A YAML value with a tag a safe loader does not construct (`!!python/name:…`, `!ENV`),
    kept as written so that it can be written again."""

    tag: str
    value: Any


class ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as written: every tag it does not know kept as `Tagged`, nothing imported."""


def _construct_tagged(loader: yaml.SafeLoader, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.MappingNode):
        return Tagged(node.tag, loader.construct_mapping(node, deep=True))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node, deep=True))
    return Tagged(node.tag, loader.construct_scalar(node))  # type: ignore[arg-type]


ConfigLoader.add_constructor(None, _construct_tagged)


class _ConfigDumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_ConfigDumper.add_representer(Tagged, _represent_tagged)


def _dump(data: object) -> str:
    return yaml.dump(
        data,
        Dumper=_ConfigDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,
    )


def merged(parent: Any, child: Any) -> Any:
    """`child` over `parent` as INHERIT merges them (mergedeep's default, as MkDocs uses it):
    mappings key by key, anything else replaced."""
    if isinstance(parent, dict) and isinstance(child, dict):
        result = dict(parent)
        for key, value in child.items():
            result[key] = merged(parent[key], value) if key in parent else value
        return result
    return child


# ---------------------------------------------------------------- what pages and config say


def page_file(page: Page) -> str:
    """A generated page as a Markdown file: front matter, the Markdown, its fragment table.

    Titles are HTML-escaped: Material prints page titles unescaped."""
    front = _front_matter(page.title, page.json_ld, page.tooltips)
    return f"---\n{front}---\n\n{with_table(page.markdown, page.fragments)}"


@functools.lru_cache(maxsize=1024)
def _front_matter(title: str, json_ld: str, tooltips: str) -> str:
    """A page's front matter, kept for the next generation in the same process (`briefing
    generate --watch`): an edit changes the front matter of few pages."""
    front: dict[str, str] = {"title": str(escape(title))}
    if json_ld:
        front["briefing_json_ld"] = json_ld
    if tooltips:
        front["briefing_sources"] = tooltips
    return "".join(f"{key}: {_yaml_string(value)}\n" for key, value in front.items())


_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""What YAML reads as a line break or refuses as unprintable, though JSON leaves it as is."""


def _yaml_string(value: str) -> str:
    """`value` as a YAML double-quoted scalar, written as JSON writes a string (YAML reads
    JSON's escapes) with YAML's line breaks and unprintable characters escaped too: a
    thousand pages' JSON-LD through PyYAML's emitter took most of a second."""
    return _YAML_UNSAFE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )


def site_name(meta: BriefingMeta) -> str:
    """The briefing's title, HTML-escaped: Material prints site_name unescaped too."""
    return str(escape(meta.title))


def briefing_extra(meta: BriefingMeta, version: str) -> dict[str, str]:
    """`extra.briefing`, for the theme override: the marking, the language, the version
    built, the PDF's file name."""
    return {
        "marking": meta.marking,
        "language": meta.language,
        "version": version,
        "pdf": pdf_filename(meta.title),
    }


def asset_links(site: Site) -> tuple[list[str], list[str]]:
    """The briefing's stylesheets and script, to go before mkdocs.yml's own `extra_css` and
    `extra_javascript`."""
    css = [path for path, _ in site.assets if path.endswith(".css")]
    scripts = [path for path, _ in site.assets if path == "assets/briefing/briefing.js"]
    return css, scripts


def navigation(site: Site, docs_pages: Iterable[str]) -> list[Any]:
    """The generated pages, titles HTML-escaped (Material prints them unescaped), then the
    hand-written pages in the order of their paths."""
    generated = {page.path for page in site.pages}
    nav: list[Any] = [{str(escape(entry.title)): entry.path} for entry in site.nav]
    return nav + sorted(path for path in docs_pages if path not in generated)


def clashes(site: Site, docs_paths: Iterable[str]) -> list[str]:
    generated = {page.path for page in site.pages}
    return sorted(path for path in docs_paths if path in generated)


def is_page(path: str) -> bool:
    return path.lower().endswith(PAGE_SUFFIXES)


# ---------------------------------------------------------------- the build folder


@dataclass(frozen=True)
class Project:
    """What the build folder takes from the project besides the rendered site."""

    config: Mapping[str, Any]
    """The project's mkdocs.yml as written (`ConfigLoader`; its own INHERIT merged)."""
    config_path: str
    """The project's mkdocs.yml, relative to the build folder (`../../mkdocs.yml`)."""
    version: str
    """The briefing version built (gitinfo.History.version)."""
    site_url: str | None = None
    docs: Mapping[str, bytes] = field(default_factory=dict)
    """The hand-written files of docs/, by path inside it."""
    site_dir: str | None = None
    """Where the generated config builds the site, relative to the build folder; None: the
    project's own site_dir."""

    def relocated(self, path: str) -> str:
        """A path of the project's config (relative to the project) as the build folder's
        config gives it."""
        if posixpath.isabs(path):
            return path
        project = posixpath.dirname(self.config_path) or "."
        return posixpath.normpath(posixpath.join(project, path))


def site_files(
    site: Site, meta: BriefingMeta, project: Project, reuse: Reuse | None = None
) -> dict[str, bytes]:
    """Every file of the build folder, by path inside it (a page kept by `reuse` keeps its
    file). Raises `Clash` when docs/ holds a file where a generated page goes."""
    clashing = clashes(site, project.docs)
    if clashing:
        raise Clash(
            "these docs/ files clash with generated pages: "
            + ", ".join(clashing)
            + "; rename or remove them"
        )
    files = {f"{DOCS}/{path}": data for path, data in project.docs.items()}
    for page in site.pages:
        make = functools.partial(_page_bytes, page)
        files[f"{DOCS}/{page.path}"] = reuse.file(page, make) if reuse else make()
    for path, data in (*site.assets, *site.data):
        files[f"{DOCS}/{path}"] = data
    if "robots.txt" not in project.docs:  # docs/robots.txt of one's own wins
        files[f"{DOCS}/robots.txt"] = robots_txt(project.site_url).encode("utf-8")
    files[CONFIG] = engine_config(site, meta, project).encode("utf-8")
    return files


def _page_bytes(page: Page) -> bytes:
    return page_file(page).encode("utf-8")


def engine_config(site: Site, meta: BriefingMeta, project: Project) -> str:
    """The build folder's mkdocs.yml: the project's, INHERITed, with what the plugin adds."""
    parent = project.config
    css, scripts = asset_links(site)
    config: dict[str, Any] = {
        "INHERIT": project.config_path,
        "docs_dir": DOCS,
        "site_dir": project.site_dir or project.relocated(str(parent.get("site_dir", "site"))),
        "site_name": site_name(meta),
    }
    theme = parent.get("theme")
    if isinstance(theme, dict) and isinstance(theme.get("custom_dir"), str):
        config["theme"] = {"custom_dir": project.relocated(theme["custom_dir"])}
    for key in ("hooks", "watch"):
        paths = parent.get(key)
        if isinstance(paths, list):
            config[key] = [project.relocated(p) if isinstance(p, str) else p for p in paths]
    docs_pages = [path for path in project.docs if is_page(path)]
    config["nav"] = navigation(site, docs_pages)
    config["extra"] = {"briefing": briefing_extra(meta, project.version)}
    config["extra_css"] = [*css, *(parent.get("extra_css") or [])]
    config["extra_javascript"] = [*scripts, *(parent.get("extra_javascript") or [])]
    config["markdown_extensions"] = markdown_extensions(parent.get("markdown_extensions") or [])
    if "plugins" in parent:
        config["plugins"] = without_briefing(parent["plugins"])
    source = posixpath.basename(project.config_path)
    header = (
        f"{GENERATED} from {source} and the briefs; the next run rewrites it.\n"
        "# Build the site with any engine that reads mkdocs.yml: no plugin is needed.\n"
    )
    return header + _dump(config)


def _extension_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return None


def markdown_extensions(entries: Any) -> list[Any]:
    """mkdocs.yml's `markdown_extensions` (a list, or a mapping of names to options) as a
    list, with MARKDOWN_EXTENSIONS added where it leaves them out."""
    if isinstance(entries, dict):
        listed: list[Any] = [
            {name: options} if options else name for name, options in entries.items()
        ]
    else:
        listed = list(entries)
    names = {_extension_name(entry) for entry in listed}
    return listed + [name for name in MARKDOWN_EXTENSIONS if name not in names]


def without_briefing(plugins: Any) -> Any:
    """mkdocs.yml's `plugins` (a list, or a mapping of names to options) without `briefing`."""
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != BRIEFING_PLUGIN}
    if isinstance(plugins, list):
        return [entry for entry in plugins if _extension_name(entry) != BRIEFING_PLUGIN]
    return plugins
