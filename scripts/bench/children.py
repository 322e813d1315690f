"""What runs inside child processes (`python scripts/bench NAME ARGS…`): the Python-Markdown
baseline, preparing a corpus and its comparison projects, the live-preview target, the
per-file cache, a profile. Each prints one line of JSON (the last line of its output).

These are the only functions that import the package, each inside itself, so that the
parent stays small."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .comparisons import write_comparisons
from .corpus import EXTENSION_CONFIGS, REPO, TEMPLATES, generate
from .runner import ENV


def _markdown(notes_dir: str) -> None:
    """The baseline: Python-Markdown with the site's extensions, on every note."""
    import frontmatter
    import markdown

    from briefing.output.dialect import MARKDOWN_EXTENSIONS

    md = markdown.Markdown(
        extensions=list(MARKDOWN_EXTENSIONS), extension_configs=dict(EXTENSION_CONFIGS)
    )
    total = 0
    for path in sorted(Path(notes_dir).glob("*.md")):
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        total += len(md.reset().convert(post.content))
    print(json.dumps({"html_chars": total}))


def git_commit(project: Path) -> None:
    """Make `project` a git repository of one commit, so the git-history code runs as in a
    checkout."""
    env = {
        **ENV,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.invalid",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.invalid",
        "GIT_AUTHOR_DATE": "2024-12-01T12:00:00Z",
        "GIT_COMMITTER_DATE": "2024-12-01T12:00:00Z",
    }
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "benchmark corpus"],
    ):
        subprocess.run(
            ["git", "-C", str(project), *args], env=env, check=True, stdout=subprocess.DEVNULL
        )


def _prepare(n: str, root: str, seed: str) -> None:
    """The corpus of N notes (a git checkout) and its comparison projects, in `root`."""
    base = Path(root)
    project = base / "project"
    generate(project, int(n), int(seed))
    git_commit(project)
    os.chdir(project)  # findings and history paths as `briefing` sees them when run here
    info = write_comparisons(project, base / "floor", base / "print")
    print(json.dumps(info))


def _prepare_seed(root: str) -> None:
    """A copy of the repository's briefing (mkdocs.yml, briefs/, docs/, templates/) with a
    one-commit history, so that the live-preview edits never touch the repository."""
    project = Path(root) / "project"
    project.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("briefs", "docs", "templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, project / folder)
    git_commit(project)
    print(json.dumps({"project": str(project)}))


def _preview_target(project: str) -> None:
    """The note the live-preview measurement edits, the page that shows it, a source to cite."""
    from mkdocs.config import load_config

    from briefing.output.urls import page_url, topic_path
    from briefing.pipeline import analyse_dir

    os.chdir(project)
    config = load_config("mkdocs.yml")
    plugin = config.plugins["briefing"].config
    analysis = analyse_dir(Path(plugin.briefs_dir))
    meta = analysis.briefing.meta
    assert meta is not None and not analysis.errors, f"the briefing in {project} has errors"
    note = next(n for n in analysis.notes if n.note.meta.topic != meta.summary_topic)
    cite = next(c.source_id for s in note.statements for c in s.citations)
    url = page_url(topic_path(note.note.meta.topic), bool(config.use_directory_urls))
    print(json.dumps({"note": note.note.origin.path, "url": url, "cite": cite}))


def _reanalyse(briefs: str) -> None:
    """Analyse and render, edit one note, analyse and render again in the same process (as
    the live preview does): how much is parsed and rendered again. Counted by what the
    package offers for it: the misses of `analyse_prose`'s cache (note bodies),
    `yamldoc.documents_parsed()` (front-matter and briefing.yml) and the pages the
    preview's `Reuse` rendered again."""
    from briefing.output.render import render_site
    from briefing.output.reuse import Reuse
    from briefing.pipeline import analyse_dir
    from briefing.prose.statements import analyse_prose
    from briefing.read.gitinfo import read_history
    from briefing.read.yamldoc import documents_parsed

    folder = Path(briefs)
    start = time.perf_counter()
    first = analyse_dir(folder)
    cold = time.perf_counter() - start
    note = folder / "notes" / max(p.name for p in (folder / "notes").glob("*.md"))
    cite = next(
        c.source_id
        for n in first.notes
        if n.note.slug == note.stem
        for s in n.statements
        for c in s.citations
    )
    original = note.read_bytes()
    reuse = Reuse()  # as the live preview keeps it
    try:
        # A first edit, not counted: it also makes the checkout dirty, which every page
        # shows (its version), so every page is rendered again, as in the preview.
        note.write_bytes(original + f"\n\nA first appended sentence [@{cite}].\n".encode())
        render_site(analyse_dir(folder), TEMPLATES, read_history(folder), reuse=reuse)
        yaml_before, prose_before = documents_parsed(), analyse_prose.cache_info().misses
        note.write_bytes(original + f"\n\nAn appended sentence [@{cite}].\n".encode())
        start = time.perf_counter()
        second = analyse_dir(folder)
        warm = time.perf_counter() - start
        assert not second.errors
        start = time.perf_counter()
        site = render_site(second, TEMPLATES, read_history(folder), reuse=reuse)
        rendered = time.perf_counter() - start
    finally:
        note.write_bytes(original)
    files = len(first.notes) + len(first.briefing.sources) + 1
    print(
        json.dumps(
            {
                "notes": len(first.notes),
                "files": files,
                "prose_parsed": analyse_prose.cache_info().misses - prose_before,
                "front_matter_parsed": documents_parsed() - yaml_before,
                "cold": cold,
                "warm": warm,
                "render": rendered,
                "pages": len(site.pages),
                "pages_rendered": reuse.rendered,
            }
        )
    )


PHASES = (
    # (label, module, qualified name): the cumulative time of each, from cProfile
    ("mkdocs build, in all", "mkdocs.commands.build", "build"),
    ("briefing plugin: load briefs/ (YAML, models)", "briefing.read.load", "load_briefing"),
    ("briefing plugin: analyse (statements, citations)", "briefing.pipeline", "analyse"),
    ("briefing plugin: render_site (pages, exports)", "briefing.output.render", "render_site"),
    ("briefing plugin: git history", "briefing.read.gitinfo", "read_history"),
    ("briefing plugin: sanitiser (nh3)", "briefing.output.sanitize", "clean_html"),
    ("Python-Markdown: convert every page", "markdown.core", "Markdown.convert"),
    ("build pages: theme templates, page events, writes", "mkdocs.commands.build", "_build_page"),
    (
        "Jinja: all template renders (theme's and briefing's)",
        "jinja2.environment",
        "Template.render",
    ),
    (
        "search plugin: index every page",
        "material.plugins.search.plugin",
        "SearchPlugin.on_page_context",
    ),
)


def _code_key(module: str, qualname: str) -> tuple[str, int, str] | None:
    """The (file, line, name) cProfile files a function under; None if it is not there."""
    import importlib
    import inspect

    try:
        target: Any = importlib.import_module(module)
        for part in qualname.split("."):
            target = getattr(target, part)
        code = inspect.unwrap(target).__code__
    except (ImportError, AttributeError):
        return None
    return (code.co_filename, code.co_firstlineno, code.co_name)


def _profile(config: str, site_dir: str) -> None:
    """One `mkdocs build` under cProfile; the cumulative time of each phase, as JSON (null:
    the function is no longer where PHASES says)."""
    import cProfile
    import pstats

    from mkdocs.__main__ import cli

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        cli(["build", "--quiet", "-f", config, "-d", site_dir], standalone_mode=False)
    finally:
        profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    phases: dict[str, float | None] = {}
    for label, module, qualname in PHASES:
        key = _code_key(module, qualname)
        phases[label] = None if key is None else stats.get(key, (0, 0, 0.0, 0.0))[3]
    print(json.dumps(phases))


HELPERS: dict[str, Callable[..., None]] = {
    "_markdown": _markdown,
    "_prepare": _prepare,
    "_prepare_seed": _prepare_seed,
    "_preview_target": _preview_target,
    "_reanalyse": _reanalyse,
    "_profile": _profile,
}
"""The helpers `runner.helper(NAME, …)` runs in a child process."""


def run_helper(argv: list[str]) -> None:
    HELPERS[argv[0]](*argv[1:])
    sys.stdout.flush()
