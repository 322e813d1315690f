"""Live preview from the build folder: `briefing generate --watch` and `briefing serve`.

The generation step (generate.py) runs again in the same process whenever briefs/,
templates/, docs/ or mkdocs.yml change: the per-file caches of the analysis mean that only
the files edited are parsed again, and the build folder's files are rewritten only where
their bytes changed, so an engine that serves the folder rebuilds only the pages whose
content changed (`mkdocs serve --dirty`, `zensical serve`, which keeps a cache). On errors
the findings are printed and the folder is left as it was: the preview keeps the last good
build.

`briefing serve` runs the watcher and the engine's own server together, bound to
127.0.0.1; Ctrl-C stops both.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ..findings import render_findings
from ..output.build_folder import CONFIG, DOCS, Clash, is_page
from ..pipeline import analyse_dir
from .collector import collector_paused
from .generate import (
    NotGenerated,
    briefing_folders,
    folder_files,
    shown_path,
    write_folder,
)

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

    def inputs(self) -> list[Path]:
        """What the watcher watches: briefs/, templates/, docs/ (the config file's folder is
        watched for the config itself)."""
        from mkdocs.config import load_config

        config = load_config(str(self.config_file))
        briefs, templates = briefing_folders(config)
        return [briefs, templates, Path(config.docs_dir).resolve()]

    def run(self, full: bool = False) -> Pass:
        """Check and write the folder once. With `full` (or when the generated config
        changes), every page file is marked changed, so that an incremental engine rebuilds
        them all (a nav change, a template of the theme)."""
        from mkdocs.config import load_config

        start = time.perf_counter()
        config = load_config(str(self.config_file))
        briefs, templates = briefing_folders(config)
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
                    analysis, config, self.config_file, self.folder, self.site_dir
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

    def __init__(self, config_file: Path, templates: Path) -> None:
        self.config_file = config_file.resolve()
        self.templates = templates
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

    def needs_full(self, paths: Iterable[Path]) -> bool:
        """A change of templates/ or the config may change every page."""
        return any(p == self.config_file or p.is_relative_to(self.templates) for p in paths)


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
    changes = Changes(generator.config_file, folders[1])
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
                result = generator.run(full=changes.needs_full(paths))
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


def engine_command(engine: str, config: Path, address: str) -> list[str]:
    """The engine's own server on the build folder's config."""
    if engine == "zensical":
        return [sys.executable, "-m", "zensical", "serve", "-f", str(config), "-a", address]
    # --dirty: the pages are real files, so only those rewritten are built again.
    return [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--dirty",
        "-f",
        str(config),
        "-a",
        address,
    ]


def site_dir_for(engine: str, folder: Path) -> Path | None:
    """Zensical builds inside the build folder; `mkdocs serve` builds into a temporary one."""
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
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = engine_command(engine, generator.folder / CONFIG, address)
    print(f"briefing: serving with {engine} on http://{address}/", flush=True)
    process = subprocess.Popen(command, env=env)
    try:
        return watch(generator, process)
    except KeyboardInterrupt:  # before the watcher took over
        return 0
    finally:
        stop(process)


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
