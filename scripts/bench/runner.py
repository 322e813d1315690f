"""Timing fresh processes: one command's sample, rows run round-robin, medians, and the
live-preview measurement (a real `mkdocs serve`, polled over HTTP).

Only the standard library: this runs in the parent, whose resident size every child's
`ru_maxrss` starts from."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Info = dict[str, Any]
"""What a helper process reports (JSON)."""

PACKAGE = Path(__file__).resolve().parent
"""This folder: `python scripts/bench` runs its __main__.py."""
PYTHON = sys.executable
BIN = Path(PYTHON).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int
    size: int | None = None


@dataclass
class Spec:
    """One row of the table: a command, where it runs, what it writes."""

    key: str
    label: str
    cmd: list[str]
    cwd: Path
    output: Path | None = None
    """A folder or file the command writes: removed before each run, its size reported."""
    runs: int | None = None
    """Fewer runs than --runs for this row (said in the table)."""
    samples: list[Sample] = field(default_factory=list)
    parts: dict[str, int] = field(default_factory=dict)
    """The output folder's bytes by top-level entry, as its last run left it (tree_parts)."""


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def tree_parts(path: Path) -> dict[str, int]:
    """A folder's bytes by top-level entry (`topics/`, `statements.json`), largest first."""
    if not path.is_dir():
        return {}
    parts = {
        entry.name + ("/" if entry.is_dir() else ""): tree_size(entry) for entry in path.iterdir()
    }
    return dict(sorted(parts.items(), key=lambda item: (-item[1], item[0])))


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def measure(cmd: list[str], cwd: Path, log: Path, timeout: float = 3600) -> Sample:
    """Run `cmd` in a fresh process; wall, CPU (user+sys of it and its children) and peak RSS."""
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=ENV)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(
            f"bench: command failed ({proc.returncode}): {' '.join(cmd)}\n"
            f"--- last lines of {log} ---\n{tail}"
        )
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def helper(name: str, *args: object) -> list[str]:
    """A helper of `children.py` run in a child process: `python scripts/bench NAME ARGS…`."""
    return [PYTHON, str(PACKAGE), name, *map(str, args)]


def run_json(cmd: list[str], log: Path) -> Info:
    """Run a helper; what it printed last, as JSON."""
    result = subprocess.run(cmd, capture_output=True, text=True, env=ENV, check=False)
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n{result.stderr}\n")
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    info: Info = json.loads(result.stdout.strip().splitlines()[-1])
    return info


def run_rows(n: int, specs: list[Spec], runs: int, log: Path) -> None:
    """Every row `runs` times (or its own fewer runs), round-robin, each in a fresh process."""
    for run in range(runs):
        for spec in specs:
            if len(spec.samples) >= (spec.runs or runs):
                continue
            if spec.output is not None:
                remove(spec.output)
            print(f"bench: N={n} run {run + 1}/{runs}: {spec.label} …", end="", flush=True)
            sample = measure(spec.cmd, spec.cwd, log)
            if spec.output is not None:
                sample.size = tree_size(spec.output)
                spec.parts = tree_parts(spec.output)
            spec.samples.append(sample)
            print(
                f" {sample.wall:.2f} s wall, {sample.cpu:.2f} s cpu, "
                f"{sample.rss_kib / 1024:.0f} MiB",
                flush=True,
            )


# ---------------------------------------------------------------- live preview


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 120) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body: bytes = response.read()
            return body.decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(
    url: str, needle: str | None, limit: float, process: subprocess.Popen[bytes] | None = None
) -> float | None:
    """Poll `url` until it answers (and contains `needle`); seconds taken, or None (also
    when `process`, the server, has exited)."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if process is not None and process.poll() is not None:
            return None
        body = fetch(url, timeout=max(1.0, limit - (time.perf_counter() - start)))
        if body is not None and (needle is None or needle in body):
            return time.perf_counter() - start
        time.sleep(0.02)
    return None


def bench_preview(
    name: str, project: Path, out: Path, runs: int, log: Path, build_runs: int
) -> Info:
    """Clean builds of `project`, then `mkdocs serve` on it: edit one note (append a cited
    sentence), poll its topic page over HTTP until the edit is served. The note is restored."""
    info = run_json(helper("_preview_target", project), log)
    out.mkdir(parents=True, exist_ok=True)
    builds = []
    for run in range(build_runs):
        remove(out / "site")
        sample = measure(
            [
                PYTHON,
                "-m",
                "mkdocs",
                "build",
                "--quiet",
                "-f",
                "mkdocs.yml",
                "-d",
                str(out / "site"),
            ],
            project,
            log,
        )
        builds.append(sample)
        print(
            f"bench: {name}: clean build {run + 1}/{build_runs}: {sample.wall:.2f} s wall, "
            f"{sample.cpu:.2f} s cpu",
            flush=True,
        )

    port = free_port()
    url = f"http://127.0.0.1:{port}/{info['url']}"
    note = project / info["note"]
    original = note.read_bytes()
    latencies: list[float] = []
    with log.open("ab") as serve_log:
        serve_log.write(f"\n$ mkdocs serve ({name}) on {url}\n".encode())
        serve_log.flush()
        server = subprocess.Popen(
            [PYTHON, "-m", "mkdocs", "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=serve_log,
            stderr=subprocess.STDOUT,
            env=ENV,
            start_new_session=True,
        )
        try:
            started = wait_for(url, None, limit=600)
            if started is None:
                raise SystemExit(f"bench: mkdocs serve did not answer on {url}; see {log}")
            print(f"bench: {name}: mkdocs serve answered after {started:.1f} s", flush=True)
            for run in range(runs):
                time.sleep(1.0)  # let the watcher settle between edits
                marker = f"benchmarkedit{run}x{os.getpid()}"
                sentence = (
                    f"\n\nThis sentence {marker} was appended by the benchmark [@{info['cite']}].\n"
                )
                start = time.perf_counter()
                note.write_bytes(original + sentence.encode())
                if wait_for(url, marker, limit=300) is None:
                    raise SystemExit(f"bench: the edit never showed on {url}; see {log}")
                latencies.append(time.perf_counter() - start)
                print(
                    f"bench: {name}: edit {run + 1}/{runs} served after {latencies[-1]:.2f} s",
                    flush=True,
                )
        finally:
            note.write_bytes(original)
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    return {
        "name": name,
        "builds": builds,
        "latencies": latencies,
        "note": info["note"],
        "url": info["url"],
    }


def _stop_group(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C for the process group the preview started (watcher and engine), then harder."""
    for sent in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sent)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=20)
            return
        except subprocess.TimeoutExpired:
            continue


def bench_engine_preview(name: str, project: Path, engine: str, runs: int, log: Path) -> Info:
    """`briefing serve --engine ENGINE` on `project` (the build folder, no plugin): edit one
    sentence of a note (a word inserted before its citation), poll its topic page over HTTP
    until the new text is served. The note is restored."""
    info = run_json(helper("_preview_target", project), log)
    port = free_port()
    url = f"http://127.0.0.1:{port}/{info['url']}"
    note = project / info["note"]
    original = note.read_bytes()
    text = original.decode("utf-8")
    body = text.index("\n---", 3) + 4  # after the front matter
    cite = text.index(" [@", body)
    latencies: list[float] = []
    cmd = [str(BIN / "briefing"), "serve", "--engine", engine, "-a", f"127.0.0.1:{port}"]
    with log.open("ab") as serve_log:
        serve_log.write(f"\n$ {' '.join(cmd)} ({name}) on {url}\n".encode())
        serve_log.flush()
        start = time.perf_counter()
        server = subprocess.Popen(
            cmd,
            cwd=project,
            stdout=serve_log,
            stderr=subprocess.STDOUT,
            env=ENV,
            start_new_session=True,
        )
        try:
            if wait_for(url, None, limit=600, process=server) is None:
                raise SystemExit(
                    f"bench: briefing serve --engine {engine} never answered; see {log}"
                )
            started = time.perf_counter() - start
            print(f"bench: {name}: briefing serve --engine {engine} answered after {started:.1f} s")
            # Edit 0 warms up and is not counted: the first edit of a clean checkout also
            # changes the version every page shows ("+ uncommitted changes"), a full rebuild.
            for run in range(runs + 1):
                time.sleep(1.5)  # let the watcher and the engine settle between edits
                marker = f"benchmarkedit{run}x{os.getpid()}"
                edited = f"{text[:cite]} {marker}{text[cite:]}"
                start = time.perf_counter()
                note.write_bytes(edited.encode("utf-8"))
                if wait_for(url, marker, limit=300, process=server) is None:
                    raise SystemExit(f"bench: the edit never showed on {url}; see {log}")
                latencies.append(time.perf_counter() - start)
                print(
                    f"bench: {name}: {engine}: edit {run}/{runs} served after "
                    f"{latencies[-1]:.2f} s" + (" (warm-up, not counted)" if run == 0 else ""),
                    flush=True,
                )
        finally:
            note.write_bytes(original)
            _stop_group(server)
    return {
        "name": name,
        "engine": engine,
        "started": started,
        "first": latencies[0],
        "latencies": latencies[1:],
    }
