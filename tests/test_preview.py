"""Live preview from the build folder (adapters/preview.py): the watch step rewrites only
what changed and leaves the folder alone on errors; a real `briefing serve` (the watcher and
the engine's own server) serves an edit and a new note. No timing is asserted: a poll that
times out is a failure."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from briefing.adapters.preview import Generator
from conftest import ROOT

FOLDER = Path("build") / "briefing"
BIN = Path(sys.executable).parent


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each file of the folder: its content, inode and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_watch_step_rewrites_only_the_changed_page_and_nothing_on_errors(
    harbour: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(harbour)
    folder = harbour / FOLDER
    generator = Generator(harbour / "mkdocs.yml", folder)
    assert generator.run().ok
    (folder / ".cache").mkdir()  # an engine's own files beside docs/ are never swept
    (folder / ".cache" / "kept").write_text("engine state")
    first = _snapshot(folder)
    assert generator.run().written == ()

    note = harbour / "briefs" / "notes" / "plans.md"
    _edit(note, "Works are to last about", "Works are now to last about")
    result = generator.run()
    second = _snapshot(folder)
    changed = {path for path in first if second[path][0] != first[path][0]}
    assert result.ok and set(result.written) == changed
    assert "docs/topics/plans.md" in changed
    assert not {"docs/topics/objections.md", "docs/index.md", "mkdocs.yml"} & changed
    for path in set(first) - changed:
        assert second[path] == first[path], path  # same inode, same mtime: never rewritten
    assert b"Works are now to last about" in second["docs/topics/plans.md"][0]

    # An error: the findings are printed, the folder stays the last good build.
    capsys.readouterr()
    _edit(note, "Works are now to last about six months [@port-authority-2023].", "Uncited.")
    failed = generator.run()
    assert not failed.ok
    assert "uncited" in capsys.readouterr().err
    assert _snapshot(folder) == second


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _served(url: str, needle: str, process: subprocess.Popen[bytes], limit: float) -> str:
    """The page once it contains `needle`; fails when the server exits or time runs out."""
    deadline = time.monotonic() + limit
    body = ""
    while time.monotonic() < deadline:
        assert process.poll() is None, "briefing serve exited"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, OSError):
            body = ""
        if needle in body:
            return body
        time.sleep(0.1)
    pytest.fail(f"{needle!r} was not served on {url} within {limit:.0f} s")


@contextmanager
def _serving(project: Path, engine: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real `briefing serve` on a free port of 127.0.0.1: its address and process. Stopped
    with Ctrl-C, which stops the engine too, and then it must exit cleanly."""
    port = _free_port()
    process = subprocess.Popen(
        [str(BIN / "briefing"), "serve", "--engine", engine, "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    assert code == 0


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_briefing_serve_serves_an_edit_a_new_note_and_a_new_topic(
    harbour: Path, engine: str
) -> None:
    with _serving(harbour, engine) as (base, process):
        url = f"{base}topics/plans/"
        _served(url, "Works are to last about", process, limit=90)
        _edit(
            harbour / "briefs" / "notes" / "plans.md",
            "Works are to last about",
            "Works are now said to last about",
        )
        _served(url, "Works are now said to last about", process, limit=60)
        (harbour / "briefs" / "notes" / "later-plans.md").write_text(
            "---\ntitle: Later plans\ntopic: plans\nauthor: Test Analyst\norder: 2\n---\n"
            "A second phase is planned [@port-authority-2023].\n",
            encoding="utf-8",
        )
        _served(url, "A second phase is planned", process, limit=60)
        # A new topic changes the nav: every page is built again, this one shows it too.
        (harbour / "briefs" / "notes" / "dredging-later.md").write_text(
            "---\ntitle: After the works\ntopic: later\nauthor: Test Analyst\n---\n"
            "Maintenance dredging follows [@port-authority-2023].\n",
            encoding="utf-8",
        )
        _edit(
            harbour / "briefs" / "briefing.yml",
            "  - id: objections\n",
            "  - id: later\n    title: Maintenance later on\n  - id: objections\n",
        )
        _served(url, "Maintenance later on", process, limit=60)
        _served(url.replace("plans", "later"), "Maintenance dredging follows", process, limit=60)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_briefing_serve_serves_a_template_edit_on_every_page(harbour: Path, engine: str) -> None:
    """templates/ is watched too: an edit there renders every page again (the kept pages of
    output/reuse.py are dropped) and the engine builds them all."""
    templates = harbour / "templates"
    shutil.copytree(ROOT / "templates", templates)
    config = harbour / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(str(ROOT / "templates"), str(templates)),
        encoding="utf-8",
    )
    with _serving(harbour, engine) as (base, process):
        url = f"{base}topics/plans/"
        _served(url, "Works are to last about", process, limit=90)
        _edit(
            templates / "topic.md.j2",
            '{% include "_updated.md.j2" %}\n',
            '{% include "_updated.md.j2" %}\n\nA line the template now adds.\n',
        )
        _served(url, "A line the template now adds.", process, limit=60)
        _served(url.replace("plans", "objections"), "A line the template now adds.", process, 60)
