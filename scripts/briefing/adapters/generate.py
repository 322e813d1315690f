"""The generation step: briefs/ checked and rendered, as the files of a build folder
(output/build_folder.py) or, through the plugin, as MkDocs' generated files.

`briefing generate` writes the folder for engines with no plugin API (Zensical): each run
rewrites only the files whose content changed, so that an incremental engine sees only
real edits, and removes those it no longer generates. A check with errors writes nothing.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml
from mkdocs.config.defaults import MkDocsConfig

from ..analysis.model import Analysis
from ..findings import render_findings
from ..output.build_folder import (
    CONFIG,
    DOCS,
    GENERATED,
    Clash,
    ConfigLoader,
    Project,
    merged,
    site_files,
)
from ..output.render import Site, render_site
from ..output.reuse import Reuse
from ..pipeline import analyse_dir
from ..read.gitinfo import History, read_history
from .collector import collector_paused
from .revisions import release_changes


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


def briefing_folders(config: MkDocsConfig) -> tuple[Path, Path]:
    """briefs/ and templates/ as the `briefing` plugin's options name them (its defaults when
    mkdocs.yml lists no such plugin), relative to mkdocs.yml."""
    project = Path(config.config_file_path).parent
    plugin = config.plugins.get("briefing")
    options = plugin.config if plugin is not None else {}
    briefs = options.get("briefs_dir", "briefs")
    templates = options.get("templates_dir", "templates")
    return (project / briefs).resolve(), (project / templates).resolve()


def render(
    analysis: Analysis,
    briefs: Path,
    templates: Path,
    config: MkDocsConfig,
    reuse: Reuse | None = None,
) -> tuple[Site, History]:
    """The site's pages from a clean analysis, with the links, URLs and releases `config`
    and git give them (and the pages of the last render `reuse` kept, where unchanged)."""
    history = read_history(briefs)
    with collector_paused():
        releases = release_changes(briefs, analysis)
        site = render_site(
            analysis,
            templates,
            history,
            edit_url_maker(config),
            config.use_directory_urls,
            releases,
            site_url=config.site_url,
            reuse=reuse,
        )
    return site, history


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as written, its own INHERIT merged in, unknown tags kept
    (build_folder.ConfigLoader)."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=ConfigLoader) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a mapping")
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        data = merged(read_config(path.parent / parent), data)
    return data


def engine_config_source(path: Path, inputs: Iterable[Path]) -> dict[str, Any]:
    """`read_config`, without the `watch` entries that are the generator's own inputs
    (briefs/, templates/, docs/) or inside them: the engine reads the build folder, which
    the generator rewrites (`briefing generate --watch`); an engine watching briefs/ itself
    would only rebuild, on every save, what has not changed yet."""
    data = read_config(path)
    watched = data.get("watch")
    if not isinstance(watched, list):
        return data
    project = path.resolve().parent
    folders = [folder.resolve() for folder in inputs]

    def generators_input(entry: object) -> bool:
        if not isinstance(entry, str):
            return False
        where = (project / entry).resolve()
        return any(where == folder or where.is_relative_to(folder) for folder in folders)

    # Even empty: the generated config's own `watch` replaces the one it INHERITs.
    data["watch"] = [entry for entry in watched if not generators_input(entry)]
    return data


def docs_files(docs_dir: Path) -> dict[str, bytes]:
    """The files of docs/ MkDocs reads, by path: not those whose name or folder starts with a
    dot, nor the top-level templates/ (MkDocs' default exclusions)."""
    files: dict[str, bytes] = {}
    if not docs_dir.is_dir():
        return files
    for path in sorted(docs_dir.rglob("*")):
        relative = path.relative_to(docs_dir)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue
        if relative.parts[0] == "templates":
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files


@dataclass(frozen=True)
class Written:
    written: tuple[str, ...]
    """The files rewritten (their content changed or they are new), by path in the folder."""
    unchanged: int
    removed: int


class NotGenerated(Exception):
    """The output folder holds something `briefing generate` did not write."""


def write_folder(folder: Path, files: Mapping[str, bytes]) -> Written:
    """Make `folder` hold exactly `files`: write those whose content differs (each through a
    temporary file, renamed into place), leave the others untouched, remove the rest of its
    docs/ (an engine's own files beside it, `site/`, `.cache/`, are left alone)."""
    config = folder / CONFIG
    if folder.exists() and any(folder.iterdir()):
        if not config.is_file() or not config.read_text(encoding="utf-8").startswith(GENERATED):
            raise NotGenerated(
                f"{folder} is not empty and holds no mkdocs.yml written by `briefing generate`; "
                "give another folder, or empty it"
            )
    written: list[str] = []
    unchanged = removed = 0
    for relative, data in files.items():
        target = folder / relative
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(relative)
    wanted = {folder / relative for relative in files}
    # Only docs/ is swept: what an engine keeps beside it (Zensical's site/ and .cache/) stays.
    docs = folder / DOCS
    stale = sorted(docs.rglob("*"), reverse=True) if docs.is_dir() else []
    for path in stale:  # files before their folders
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in wanted:
            path.unlink()
            removed += 1
    return Written(tuple(written), unchanged, removed)


def generate(
    config_file: Path, folder: Path, site_dir: Path | None = None, *, summary: bool = True
) -> int:
    """`briefing generate`: the exit status (0 written, 1 errors in briefs/, 2 usage). Without
    `summary`, what was written is not printed (`briefing build --engine zensical`)."""
    from mkdocs.config import load_config

    if not config_file.is_file():
        print(f"briefing: config file not found: {config_file}", file=sys.stderr)
        return 2
    config = load_config(str(config_file))
    briefs, templates = briefing_folders(config)
    if not briefs.is_dir():
        print(f"briefing: briefs folder not found: {briefs}", file=sys.stderr)
        return 2
    with collector_paused():
        analysis = analyse_dir(briefs)
    if analysis.errors:
        print(render_findings(analysis.findings, "text"), file=sys.stderr)
        print(
            f"briefing: {len(analysis.errors)} error(s) in {briefs}; nothing generated",
            file=sys.stderr,
        )
        return 1
    warnings = render_findings(analysis.findings, "text")
    if warnings:
        print(warnings, file=sys.stderr)
    out = folder.resolve()
    try:
        site, files = folder_files(analysis, config, config_file, out, site_dir)
        result = write_folder(out, files)
    except (Clash, NotGenerated) as exc:
        print(f"briefing: {exc}; nothing generated", file=sys.stderr)
        return 1
    if not summary:
        return 0
    shown = shown_path(folder)
    print(
        f"briefing: generated {shown}: {len(result.written)} written, "
        f"{result.unchanged} unchanged, {result.removed} removed ({len(site.pages)} pages); "
        f"build it with `mkdocs build -f {shown}/{CONFIG}`"
    )
    return 0


def folder_files(
    analysis: Analysis,
    config: MkDocsConfig,
    config_file: Path,
    folder: Path,
    site_dir: Path | None,
    reuse: Reuse | None = None,
) -> tuple[Site, dict[str, bytes]]:
    """The rendered site and the files of its build folder `folder` (raises Clash when docs/
    holds a page the briefing generates): what `briefing generate` and the preview write;
    the preview's `reuse` keeps what did not change since its last pass."""
    briefs, templates = briefing_folders(config)
    meta = analysis.briefing.meta
    assert meta is not None
    site, history = render(analysis, briefs, templates, config, reuse)
    project = Project(
        config=engine_config_source(config_file, (briefs, templates, Path(config.docs_dir))),
        config_path=relative_path(config_file, folder),
        version=history.version,
        site_url=config.site_url,
        docs=docs_files(Path(config.docs_dir)),
        site_dir=relative_path(site_dir, folder) if site_dir else None,
    )
    return site, site_files(site, meta, project, reuse)


def relative_path(path: Path, folder: Path) -> str:
    """`path` as the generated config names it, relative to the build folder."""
    return os.path.relpath(path.resolve(), folder.resolve()).replace(os.sep, "/")


def shown_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
