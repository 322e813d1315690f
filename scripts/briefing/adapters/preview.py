"""Live preview from the build folder: `briefing generate --watch` and `briefing serve`.

The generation step (generate.py) runs again in the same process whenever briefs/,
templates/, docs/ or mkdocs.yml change. What did not change is kept from one pass to the
next: each file's parse (read/load.py), each note's resolution (analysis/resolve.py), each
page whose inputs compare equal (output/reuse.py). The build folder's files are rewritten
only where their bytes changed, so an engine that serves the folder rebuilds only the pages
whose content changed (MkDocs building dirty, `zensical serve`, which keeps a cache). On
errors the findings are printed and the folder is left as it was: the preview keeps the
last good build.

`briefing serve` runs the passes and the engine's own server together, bound to
127.0.0.1: MkDocs's server in this process (MkDocsServer), Zensical's beside the watcher;
Ctrl-C stops both.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..findings import render_findings
from ..output.build_folder import CONFIG, DOCS, Clash, is_page
from ..output.reuse import Reuse
from ..pipeline import analyse_dir
from .collector import collector_paused
from .generate import (
    NotGenerated,
    briefing_folders,
    folder_files,
    shown_path,
    write_folder,
)

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

DEFAULT_ADDRESS = "127.0.0.1:8000"
SETTLE = 0.05
"""Seconds of quiet after a change before generating: an editor's save is several events."""
ZENSICAL_SITE = "site"
"""Where Zensical builds, inside the build folder (it refuses a site_dir outside it)."""


@dataclass(frozen=True)
class Pass:
    """What one generation did."""

    ok: bool
    """False: the briefs have errors (or the folder cannot be written); nothing changed."""
    written: tuple[str, ...] = ()
    """The files rewritten, by path inside the build folder."""
    removed: int = 0
    seconds: float = 0.0
    full: bool = False
    """Every page was marked changed (the config or templates changed): a full rebuild."""


class Generator:
    """The generation step, run again and again in one process (its caches kept warm)."""

    def __init__(self, config_file: Path, folder: Path, site_dir: Path | None = None) -> None:
        self.config_file = config_file
        self.folder = folder.resolve()
        self.site_dir = site_dir
        self.reuse = Reuse()
        """The pages of the last pass, given again where their inputs did not change."""
        self.stamps: tuple[tuple[str, int, int], ...] = ()
        """mkdocs.yml and the templates as the last pass found them (`_stamps`)."""

    def inputs(self) -> list[Path]:
        """What the watcher watches: briefs/, templates/, docs/ (the config file's folder is
        watched for the config itself)."""
        from mkdocs.config import load_config

        config = load_config(str(self.config_file))
        briefs, templates = briefing_folders(config)
        return [briefs, templates, Path(config.docs_dir).resolve()]

    def run(self) -> Pass:
        """Check and write the folder once. When mkdocs.yml, the templates or the generated
        config changed, every page is rendered again and every page file marked changed, so
        that an incremental engine rebuilds them all (a nav change, a template of the
        theme)."""
        from mkdocs.config import load_config

        start = time.perf_counter()
        config = load_config(str(self.config_file))
        briefs, templates = briefing_folders(config)
        stamps = _stamps([self.config_file, templates])
        full = stamps != self.stamps
        self.stamps = stamps
        if full:
            self.reuse.clear()
        with collector_paused():
            analysis = analyse_dir(briefs)
        if analysis.errors:
            print(render_findings(analysis.findings, "text"), file=sys.stderr)
            print(
                f"briefing: {len(analysis.errors)} error(s) in {briefs}; the build folder is "
                "unchanged (the preview shows the last good build)",
                file=sys.stderr,
                flush=True,
            )
            return Pass(False, seconds=time.perf_counter() - start)
        if analysis.findings:
            print(render_findings(analysis.findings, "text"), file=sys.stderr)
        with collector_paused():
            try:
                _, files = folder_files(
                    analysis, config, self.config_file, self.folder, self.site_dir, self.reuse
                )
            except Clash as exc:
                print(f"briefing: {exc}; the build folder is unchanged", file=sys.stderr)
                return Pass(False, seconds=time.perf_counter() - start)
        config_path = self.folder / CONFIG
        full = full or not _same(config_path, files[CONFIG])
        if full:
            _touch(self.folder / path for path in files if _is_page_file(path))
        try:
            result = write_folder(self.folder, files)
        except NotGenerated as exc:
            print(f"briefing: {exc}; nothing generated", file=sys.stderr)
            return Pass(False, seconds=time.perf_counter() - start)
        return Pass(True, result.written, result.removed, time.perf_counter() - start, full)


def _stamps(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file's path, modification time and size; a folder's files, all of them."""
    files: list[Path] = []
    for path in paths:
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    found = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue  # removed as it was listed
        found.append((str(file), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _is_page_file(path: str) -> bool:
    return path.startswith(f"{DOCS}/") and is_page(path)


def _same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


def _touch(paths: Iterable[Path]) -> None:
    for path in paths:
        if path.is_file():
            os.utime(path)


def summary(result: Pass) -> str:
    if not result.ok:
        return ""
    shown = ", ".join(result.written[:4]) + (" …" if len(result.written) > 4 else "")
    what = f"{len(result.written)} written ({shown})" if result.written else "nothing changed"
    full = "; every page marked changed" if result.full else ""
    removed = f", {result.removed} removed" if result.removed else ""
    return f"briefing: regenerated in {result.seconds:.2f} s: {what}{removed}{full}"


# ---------------------------------------------------------------- watching


class Changes:
    """File-system events under the watched folders, collected for the next generation."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file.resolve()
        self.paths: set[Path] = set()
        self.condition = threading.Condition()

    def add(self, path: str) -> None:
        changed = Path(path)
        name = changed.name
        if name.startswith(".") or name.endswith("~") or name.endswith(".swp"):
            return  # editors' temporary files
        if changed.parent == self.config_file.parent and changed != self.config_file:
            return  # the project's folder is watched for mkdocs.yml only
        with self.condition:
            self.paths.add(changed)
            self.condition.notify()

    def take(self, timeout: float) -> set[Path] | None:
        """The paths changed, once they settle; None when nothing changed within `timeout`."""
        with self.condition:
            if not self.condition.wait_for(lambda: bool(self.paths), timeout=timeout):
                return None
        while True:  # wait until no new event arrives for SETTLE seconds
            with self.condition:
                count = len(self.paths)
            time.sleep(SETTLE)
            with self.condition:
                if len(self.paths) == count:
                    taken, self.paths = self.paths, set()
                    return taken


@contextmanager
def watching(folders: Sequence[Path], changes: Changes) -> Iterator[None]:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            for path in (event.src_path, getattr(event, "dest_path", "")):
                if path:
                    changes.add(os.fsdecode(path))

    observer = Observer()
    handler = Handler()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(changes.config_file.parent), recursive=False)
    observer.start()
    try:
        yield
    finally:
        observer.stop()
        observer.join(timeout=5)


class _Stop(Exception):
    """SIGTERM: stop as Ctrl-C does."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


def watch(
    generator: Generator,
    engine: subprocess.Popen[bytes] | None = None,
    *,
    ready: threading.Event | None = None,
) -> int:
    """Generate whenever an input changes, until Ctrl-C (or SIGTERM, or the engine exits)."""
    folders = generator.inputs()
    changes = Changes(generator.config_file)
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        with watching(folders, changes):
            if ready is not None:
                ready.set()
            shown = ", ".join(shown_path(f) for f in folders if f.is_dir())
            print(f"briefing: watching {shown} (Ctrl-C stops)", flush=True)
            while engine is None or engine.poll() is None:
                paths = changes.take(timeout=0.5)
                if paths is None:
                    continue
                result = generator.run()
                if result.ok:
                    print(summary(result), flush=True)
            if engine is not None:
                print(f"briefing: the engine exited ({engine.returncode})", file=sys.stderr)
                return 1
    except (KeyboardInterrupt, _Stop):
        print("\nbriefing: stopped", flush=True)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


# ---------------------------------------------------------------- serving


def engine_command(config: Path, address: str) -> list[str]:
    """Zensical's own server on the build folder's config."""
    return [sys.executable, "-m", "zensical", "serve", "-f", str(config), "-a", address]


class MkDocsServer:
    """MkDocs's own development server (`mkdocs.livereload`, what `mkdocs serve` runs) in
    this process, on the build folder: on every change to the inputs it runs the
    generation step, then a dirty MkDocs build of the folder (the pages are real files, so
    only those the step rewrote are built again), then reloads the browsers. Unlike
    `mkdocs serve` it hears of a change through the system's file events (inotify) rather
    than a poll every half second, runs one pass at a time (no build reads a folder being
    written), and keeps MkDocs imported and warm between builds."""

    def __init__(self, generator: Generator, address: str) -> None:
        from mkdocs.livereload import LiveReloadServer

        self.generator = generator
        self.config_file = generator.folder / CONFIG
        self.address = address
        self.site_dir = tempfile.mkdtemp(prefix="briefing-serve-")
        config = self._config()
        host, port = config.dev_addr
        mount_path = "/" + urlsplit(config.site_url or "/").path.strip("/")
        self.url = f"http://{host}:{port}{mount_path.rstrip('/')}/"
        """Where the site is served: at the path of `site_url`, as `mkdocs serve` serves it."""
        self.server = LiveReloadServer(
            builder=self.rebuild, host=host, port=port, root=self.site_dir, mount_path=mount_path
        )
        self.server.observer = _edits_observer()
        self.server.build_delay = SETTLE  # quiet before a pass: 0.1 s by default
        self.server.error_handler = self._error_page
        self.templates = _compiled_templates()

    def _config(self) -> MkDocsConfig:
        from mkdocs.config import load_config

        return load_config(str(self.config_file), site_dir=self.site_dir, dev_addr=self.address)

    def build(self, dirty: bool = True) -> None:
        """Build the folder's site: only the pages changed since the last build when
        `dirty` (as `mkdocs serve --dirty` does)."""
        from mkdocs.commands.build import build

        config = self._config()
        config.site_url = self.url
        config.plugins["briefing-compiled-templates"] = self.templates
        build(config, serve_url=self.url, dirty=dirty)

    def rebuild(self) -> None:
        """One pass, run by the server when the inputs changed: generate, then build."""
        result = self.generator.run()
        if result.ok:
            print(summary(result), flush=True)
            self.build()

    def _error_page(self, code: int) -> bytes | None:
        page = Path(self.site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    def serve(self) -> None:
        """The first, full build, then serving and watching the inputs until Ctrl-C."""
        self.build(dirty=False)
        for folder in self.generator.inputs():
            if folder.is_dir():
                self.server.watch(str(folder))
        self.server.watch(str(self.generator.config_file.resolve()), recursive=False)
        print(f"briefing: serving with mkdocs on {self.url} (Ctrl-C stops)", flush=True)
        self.server.serve()  # type: ignore[no-untyped-call]

    def stop(self) -> None:
        self.server.shutdown()
        shutil.rmtree(self.site_dir, ignore_errors=True)


def _compiled_templates() -> Any:
    """A plugin (given to each build, never named in mkdocs.yml) that keeps the theme's
    templates compiled from one build to the next: MkDocs makes a new Jinja environment for
    every build, which compiles each template again (about a third of a dirty build of one
    page at 1,000 notes). A template whose source changed is compiled again (Jinja's
    bytecode cache checks each template's checksum)."""
    from jinja2 import BytecodeCache
    from jinja2.bccache import Bucket
    from mkdocs.plugins import BasePlugin

    class InMemory(BytecodeCache):
        def __init__(self) -> None:
            self.compiled: dict[str, bytes] = {}

        def load_bytecode(self, bucket: Bucket) -> None:
            if bucket.key in self.compiled:
                bucket.bytecode_from_string(self.compiled[bucket.key])

        def dump_bytecode(self, bucket: Bucket) -> None:
            self.compiled[bucket.key] = bucket.bytecode_to_string()

    class CompiledTemplates(BasePlugin):  # type: ignore[type-arg]
        cache = InMemory()

        def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
            env.bytecode_cache = self.cache
            return env

    return CompiledTemplates()


def _edits_observer() -> Any:
    """A watchdog observer that reports writes, moves and deletions only: a pass reads every
    brief, and the events of reading (opened, closed without writing) are no change."""
    from watchdog.events import (
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
        FileClosedEvent,
        FileCreatedEvent,
        FileDeletedEvent,
        FileModifiedEvent,
        FileMovedEvent,
    )
    from watchdog.observers import Observer

    edits = [
        FileCreatedEvent,
        FileModifiedEvent,
        FileDeletedEvent,
        FileMovedEvent,
        FileClosedEvent,
        DirCreatedEvent,
        DirDeletedEvent,
        DirMovedEvent,
    ]

    class Edits(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, handler: Any, path: str, **options: Any) -> Any:
            options.setdefault("event_filter", edits)
            return super().schedule(handler, path, **options)

    return Edits()


def site_dir_for(engine: str, folder: Path) -> Path | None:
    """Zensical builds inside the build folder; MkDocs's server into a temporary one."""
    return folder / ZENSICAL_SITE if engine == "zensical" else None


def generate_watch(config_file: Path, folder: Path, site_dir: Path | None) -> int:
    """`briefing generate --watch`: generate, then again on every change."""
    generator = Generator(config_file, folder, site_dir)
    result = generator.run()
    if result.ok:
        print(summary(result), flush=True)
    return watch(generator)


def serve(config_file: Path, folder: Path, engine: str, address: str) -> int:
    """`briefing serve`: generate, start the engine's server on the folder, regenerate on every
    change; Ctrl-C stops both."""
    generator = Generator(config_file, folder, site_dir_for(engine, folder))
    result = generator.run()
    if not result.ok and not (generator.folder / CONFIG).is_file():
        print("briefing: no good build to serve yet; fix the errors first", file=sys.stderr)
        return 1
    if result.ok:
        print(summary(result), flush=True)
    if engine == "mkdocs":
        return _serve_mkdocs(generator, address)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = engine_command(generator.folder / CONFIG, address)
    print(f"briefing: serving with {engine} on http://{address}/", flush=True)
    process = subprocess.Popen(command, env=env)
    try:
        return watch(generator, process)
    except KeyboardInterrupt:  # before the watcher took over
        return 0
    finally:
        stop(process)


def _serve_mkdocs(generator: Generator, address: str) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    _log_mkdocs()
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    server = MkDocsServer(generator, address)
    try:
        server.serve()
    except (KeyboardInterrupt, _Stop):
        print("\nbriefing: stopped", flush=True)
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
    return 0


def _log_mkdocs() -> None:
    """MkDocs's messages on the terminal, as `mkdocs serve` shows them (INFO and above)."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def stop(process: subprocess.Popen[bytes], timeout: float = 5) -> None:
    """Stop the engine: SIGINT (what Ctrl-C sends it too), then SIGTERM, then SIGKILL."""
    for sent in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        if process.poll() is not None:
            return
        try:
            process.send_signal(sent)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            return
