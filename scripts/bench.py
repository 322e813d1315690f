"""The performance benchmark: briefing beside the alternatives, on the same generated corpus.

    .venv/bin/python scripts/bench.py                  # N = 100 and 1,000, 3 runs each
    .venv/bin/python scripts/bench.py --large          # and N = 5,000
    .venv/bin/python scripts/bench.py --sizes 100 --runs 1 --no-preview   # a quick look

For each N it generates a seeded synthetic briefing (scripts/bench_corpus.py: N notes,
N/5 sources, about ten cited sentences a note, a third of the citations quoted), then
runs every measurement as a real command in a fresh process, round-robin, --runs times:

    check          `briefing check --briefs briefs`
    Markdown       Python-Markdown alone: read every note, split front-matter, render
    site build     `python -m mkdocs build` of the corpus with the briefing plugin
    floor          `python -m mkdocs build`, same theme, same pages, no briefing plugin
    bibtex+CSL     the floor's pages through mkdocs-bibtex with a CSL style (pandoc)
    bibtex         the same without a CSL style (pybtex)
    PDF            `briefing pdf`                                  (--pdf-sizes, default 100)
    WeasyPrint     the `weasyprint` command on the same print HTML and CSS
    briefing build `briefing build` (site build + PDF, swapped in atomically)

The mkdocs-bibtex, PDF, WeasyPrint and `briefing build` rows run --slow-runs times (1).
Wall time and CPU time come from the parent; peak memory is `ru_maxrss` of the child
from `os.wait4` (it includes the child's own children, e.g. pandoc, or mkdocs under
`briefing build`). Live preview is measured on a copy of the repository's own briefing:
a real `mkdocs serve`, one note edited, the topic page polled over HTTP until the edit
shows. Then the per-file cache (one process analyses, one note changes, it analyses again)
and, with --profile, where one site build and one floor build spend their time.

This process imports nothing heavy (preparation runs in child processes): on Linux a
child's `ru_maxrss` starts from its parent's resident size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Info = dict[str, Any]
"""What a helper process reports (JSON)."""

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"
TEMPLATES = REPO / "templates"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
CSL = "harvard-cite-them-right.csl"

TARGETS = {
    "build_floor": 1.15,
    "check_markdown": 1.0,
    "bibtex_build": 10.0,
    "linear": 5.5,
    "pdf_weasyprint": 2.0,
    "preview_build": 1.5,
}


# ---------------------------------------------------------------- measuring one command


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_kib: int
    size: int | None = None


@dataclass
class Spec:
    key: str
    label: str
    cmd: list[str]
    cwd: Path
    output: Path | None = None
    """A folder or file the command writes: removed before each run, its size reported."""
    runs: int | None = None
    """Fewer runs than --runs for this row (said in the table)."""
    samples: list[Sample] = field(default_factory=list)


def tree_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


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
    """A subcommand of this script run in a child process (see `_helpers`)."""
    return [PYTHON, str(Path(__file__).resolve()), name, *map(str, args)]


def run_json(cmd: list[str], log: Path) -> Info:
    result = subprocess.run(cmd, capture_output=True, text=True, env=ENV, check=False)
    with log.open("a") as out:
        out.write(f"\n$ {' '.join(cmd)}\n{result.stderr}\n")
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the measurements of one N


def specs_for(
    n: int, root: Path, runs: int, slow_runs: int, pdf: bool, per_note: bool
) -> list[Spec]:
    project, floor, out = root / "project", root / "floor", root / "out"
    briefing = str(BIN / "briefing")
    mkdocs = [PYTHON, "-m", "mkdocs", "build", "--quiet"]
    few = slow_runs if slow_runs < runs else None
    specs = [
        Spec("check", "briefing check", [briefing, "check", "--briefs", "briefs"], project),
        Spec(
            "markdown",
            "Python-Markdown: read, front-matter, render notes",
            helper("_markdown", project / "briefs" / "notes"),
            project,
        ),
        Spec(
            "site",
            "site build: mkdocs build + briefing plugin",
            [*mkdocs, "-f", "mkdocs.yml", "-d", str(out / "site")],
            project,
            out / "site",
        ),
        Spec(
            "floor",
            "floor: mkdocs build, same pages, citations as text",
            [*mkdocs, "-f", str(floor / "mkdocs.yml"), "-d", str(out / "floor")],
            floor,
            out / "floor",
        ),
        Spec(
            "bibtex_csl",
            "mkdocs + mkdocs-bibtex, CSL (pandoc)",
            [*mkdocs, "-f", str(floor / "mkdocs-bibtex-csl.yml"), "-d", str(out / "bibtex-csl")],
            floor,
            out / "bibtex-csl",
            runs=few,
        ),
        Spec(
            "bibtex",
            "mkdocs + mkdocs-bibtex, no CSL (pybtex)",
            [*mkdocs, "-f", str(floor / "mkdocs-bibtex.yml"), "-d", str(out / "bibtex")],
            floor,
            out / "bibtex",
            runs=few,
        ),
    ]
    if per_note:
        specs.append(
            Spec(
                "bibtex_csl_notes",
                "mkdocs + mkdocs-bibtex, CSL, a page per note",
                [
                    *mkdocs,
                    "-f",
                    str(floor / "mkdocs-bibtex-notes.yml"),
                    "-d",
                    str(out / "bibtex-notes"),
                ],
                floor,
                out / "bibtex-notes",
                runs=few,
            )
        )
    if pdf:
        specs += [
            Spec(
                "pdf",
                "briefing pdf",
                [
                    briefing,
                    "pdf",
                    "--briefs",
                    "briefs",
                    "--templates",
                    str(TEMPLATES),
                    "-o",
                    str(out / "briefing.pdf"),
                ],
                project,
                out / "briefing.pdf",
                runs=few,
            ),
            Spec(
                "weasyprint",
                "weasyprint alone on the same print HTML",
                [
                    str(BIN / "weasyprint"),
                    "-q",
                    "-s",
                    str(root / "print" / "print.css"),
                    str(root / "print" / "print.html"),
                    str(out / "weasyprint.pdf"),
                ],
                root / "print",
                out / "weasyprint.pdf",
                runs=few,
            ),
            Spec(
                "bundle",
                "briefing build: site + PDF, atomic",
                [briefing, "build", "-f", "mkdocs.yml", "-d", str(out / "bundle")],
                project,
                out / "bundle",
                runs=few,
            ),
        ]
    return specs


def bench_size(
    n: int, workdir: Path, args: argparse.Namespace, log: Path
) -> tuple[list[Spec], Info]:
    root = workdir / f"n{n}"
    remove(root)
    print(f"bench: N={n}: generating the corpus and the comparison projects …", flush=True)
    info = run_json(helper("_prepare", n, root, args.seed), log)
    (root / "out").mkdir()
    specs = specs_for(
        n, root, args.runs, args.slow_runs, n in args.pdf_sizes, n in args.per_note_sizes
    )
    for run in range(args.runs):
        for spec in specs:
            if len(spec.samples) >= (spec.runs or args.runs):
                continue
            if spec.output is not None:
                remove(spec.output)
            print(f"bench: N={n} run {run + 1}/{args.runs}: {spec.label} …", end="", flush=True)
            sample = measure(spec.cmd, spec.cwd, log)
            if spec.output is not None:
                sample.size = tree_size(spec.output)
            spec.samples.append(sample)
            print(
                f" {sample.wall:.2f} s wall, {sample.cpu:.2f} s cpu, "
                f"{sample.rss_kib / 1024:.0f} MiB",
                flush=True,
            )
    return specs, info


# ---------------------------------------------------------------- live preview and the cache


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, timeout: float = 120) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, needle: str | None, limit: float) -> float | None:
    """Poll `url` until it answers (and contains `needle`); seconds taken, or None."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
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


PHASES = (
    # (label, file suffix, function): cumulative time of each, from cProfile
    ("mkdocs build, in all", "mkdocs/commands/build.py", "build"),
    ("briefing plugin: load briefs/ (YAML, models)", "briefing/load.py", "load_briefing"),
    ("briefing plugin: analyse (statements, citations)", "briefing/analyse.py", "analyse"),
    ("briefing plugin: render_site (pages, exports)", "briefing/render.py", "render_site"),
    ("briefing plugin: git history", "briefing/gitinfo.py", "read_history"),
    ("briefing plugin: sanitiser (nh3)", "briefing/sanitize.py", "clean_html"),
    ("Python-Markdown: convert every page", "markdown/core.py", "convert"),
    (
        "build pages: theme templates, page events, writes",
        "mkdocs/commands/build.py",
        "_build_page",
    ),
    ("Jinja: all template renders (theme's and briefing's)", "jinja2/environment.py", "render"),
    ("search plugin: index every page", "material/plugins/search/plugin.py", "on_page_context"),
)


def _profile(config: str, site_dir: str) -> None:
    """One `mkdocs build` under cProfile; the cumulative time of each phase, as JSON."""
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
    phases = {}
    for label, suffix, name in PHASES:
        phases[label] = sum(
            value[3]
            for (path, _line, func), value in stats.items()
            if func == name and path.replace("\\", "/").endswith(suffix)
        )
    print(json.dumps(phases))


def profile_build(root: Path, log: Path) -> str:
    """Where the time of the site build goes, beside the floor's, phase by phase (cProfile)."""
    print(f"bench: profiling the site build and the floor in {root} …", flush=True)
    out = root / "out"
    site = run_json(helper("_profile", root / "project" / "mkdocs.yml", out / "profile-site"), log)
    floor = run_json(helper("_profile", root / "floor" / "mkdocs.yml", out / "profile-floor"), log)
    lines = [
        (
            f"{'phase (cumulative s under cProfile; phases nest)':<54} {'site':>8} "
            f"{'floor':>8} {'site−floor':>11}"
        ),
        "-" * 84,
    ]
    for label, _suffix, _name in PHASES:
        a, b = site.get(label, 0.0), floor.get(label, 0.0)
        if a or b:
            lines.append(f"{label:<54} {a:8.2f} {b:8.2f} {a - b:11.2f}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the report


def median(values: list[float]) -> float:
    return statistics.median(values)


WIDTH = 108


def row(label: str, n: str, samples: list[Sample], note: str = "") -> str:
    wall = median([s.wall for s in samples])
    cpu = median([s.cpu for s in samples])
    rss = median([s.rss_kib for s in samples]) / 1024
    sizes = [s.size for s in samples if s.size is not None]
    size = f"{median(sizes) / 2**20:9.1f}" if sizes else f"{'':9}"
    return (
        f"{label:<54} {n:>5} {wall:9.2f} {cpu:8.2f} {rss:9.0f} {size} "
        f"{len(samples):>4}{'  ' + note if note else ''}"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _get(specs: list[Spec], key: str) -> Spec | None:
    return next((s for s in specs if s.key == key), None)


def _ratio(a: Spec, b: Spec, attr: str = "wall") -> float:
    values_a = [getattr(s, attr) for s in a.samples]
    values_b = [getattr(s, attr) for s in b.samples]
    return median(values_a) / median(values_b)


def _target(
    label: str, a: Spec | None, b: Spec | None, ok: Callable[[float], bool], goal: str
) -> str | None:
    if a is None or b is None:
        return None
    wall, cpu = _ratio(a, b), _ratio(a, b, "cpu")
    return f"{label:<50} {wall:7.2f}×  ({cpu:5.2f}× cpu)   target {goal:<8} {verdict(ok(wall))}"


def _citation_cost(bibtex: Spec | None, site: Spec | None, floor: Spec | None) -> list[str]:
    """What citing costs each tool over the same plain-MkDocs floor: beside the whole-build
    ratio, which the floor bounds (bibtex / floor is the most that ratio can be)."""
    if bibtex is None or site is None or floor is None:
        return []
    base = median([s.wall for s in floor.samples])
    theirs = median([s.wall for s in bibtex.samples]) - base
    ours = median([s.wall for s in site.samples]) - base
    ratio = f"{theirs / ours:.1f}×" if ours > 0 else "briefing adds nothing over the floor"
    return [
        (
            f"{'':7}over the floor: mkdocs-bibtex+CSL adds {theirs:.2f} s, briefing "
            f"{ours:.2f} s ({ratio}); the whole-build ratio cannot pass "
            f"{(theirs + base) / base:.1f}×, bibtex / floor"
        )
    ]


def report(
    results: dict[int, tuple[list[Spec], Info]], previews: list[Info], cache: Info | None
) -> str:
    lines = [
        (
            f"{'measurement':<54} {'N':>5} {'wall s':>9} {'cpu s':>8} {'peak MiB':>9} "
            f"{'site MiB':>9} {'runs':>4}"
        ),
        "-" * WIDTH,
    ]
    for n, (specs, info) in sorted(results.items()):
        for spec in specs:
            note = "(fewer runs: --slow-runs)" if spec.runs else ""
            lines.append(row(spec.label, str(n), spec.samples, note))
        lines.append(
            f"  N={n}: {info['notes']} notes, {info['sources']} sources, {info['topics']} "
            f"topics, {info['statements']} statements, {info['quoted']} quoted citations, "
            f"{info['pages']} generated pages"
        )
        lines.append("")
    for preview in previews:
        lines.append(row("clean mkdocs build", preview["name"], preview["builds"]))
        lat = preview["latencies"]
        lines.append(
            f"{'mkdocs serve: one note edited → page served':<54} {preview['name']:>5} "
            f"{median(lat):9.2f} {'':8} {'':9} {'':9} {len(lat):>4}"
        )
        lines.append("")

    lines += [
        (
            "Targets: ratios of the medians above, wall time (CPU time beside it: steadier "
            "on a busy machine)"
        ),
        "-" * WIDTH,
    ]
    t = TARGETS
    for n, (specs, _info) in sorted(results.items()):
        site = _get(specs, "site")
        for line in (
            _target(
                f"N={n}: site build / plain-MkDocs floor",
                site,
                _get(specs, "floor"),
                lambda r: r <= t["build_floor"],
                f"≤ {t['build_floor']}×",
            ),
            _target(
                f"N={n}: briefing check / Python-Markdown render",
                _get(specs, "check"),
                _get(specs, "markdown"),
                lambda r: r < t["check_markdown"],
                "< 1×",
            ),
            _target(
                f"N={n}: mkdocs-bibtex with CSL / site build",
                _get(specs, "bibtex_csl"),
                site,
                lambda r: r >= t["bibtex_build"],
                f"≥ {t['bibtex_build']:.0f}×",
            ),
            _target(
                f"N={n}: same, a page per note / site build",
                _get(specs, "bibtex_csl_notes"),
                site,
                lambda r: r >= t["bibtex_build"],
                f"≥ {t['bibtex_build']:.0f}×",
            ),
            _target(
                f"N={n}: briefing pdf / WeasyPrint alone",
                _get(specs, "pdf"),
                _get(specs, "weasyprint"),
                lambda r: r <= t["pdf_weasyprint"],
                f"≤ {t['pdf_weasyprint']:.0f}×",
            ),
        ):
            if line:
                lines.append(line)
        lines += _citation_cost(_get(specs, "bibtex_csl"), site, _get(specs, "floor"))
    if 1000 in results and 5000 in results:
        big, small = results[5000][0], results[1000][0]
        for key in ("site", "check", "pdf"):
            a, b = _get(big, key), _get(small, key)
            if a is None or b is None:
                continue
            for attr, what in (
                ("wall", "time"),
                ("cpu", "cpu time"),
                ("rss_kib", "peak memory"),
                ("size", "output size"),
            ):
                if attr == "size" and a.samples[0].size is None:
                    continue
                r = _ratio(a, b, attr)
                label = f"linear: {a.label.split(':')[0]} {what}, N=5000 / N=1000"
                lines.append(
                    f"{label:<50} {r:7.2f}×{'':19}target ≤ {t['linear']}×   "
                    f"{verdict(r <= t['linear'])}"
                )
    else:
        lines.append("linear: N=5000 not measured (run with --large)")
    for preview in previews:
        build = median([s.wall for s in preview["builds"]])
        r = median(preview["latencies"]) / build
        label = f"{preview['name']}: mkdocs serve edit→served / clean build"
        lines.append(
            f"{label:<50} {r:7.2f}×{'':19}target ≤ {t['preview_build']}×   "
            f"{verdict(r <= t['preview_build'])}"
        )
    if cache:
        prose, yaml_docs = cache["prose_parsed"], cache["front_matter_parsed"]
        known = prose >= 0 and yaml_docs >= 0
        ok = known and prose <= 1 and yaml_docs <= 2  # the note, and briefing.yml at most
        lines.append(
            f"N={cache['notes']}: one note edited, analysed again in the same process: "
            f"{prose if prose >= 0 else '?'}/{cache['notes']} note bodies and "
            f"{yaml_docs if yaml_docs >= 0 else '?'}/{cache['files']} YAML documents "
            "parsed again"
        )
        lines.append(
            f"{'':7}analysis {cache['cold']:.2f} s cold, {cache['warm']:.2f} s after the "
            f"edit ({cache['warm'] / cache['cold']:.0%}); render_site after it "
            f"{cache['render']:.2f} s"
            f"{'':3}target: only what changed  {verdict(ok)}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- helpers run in child processes


def _markdown(notes_dir: str) -> None:
    """The baseline: Python-Markdown with the site's extensions, on every note."""
    import frontmatter
    import markdown

    md = markdown.Markdown(
        extensions=[
            "abbr",
            "admonition",
            "attr_list",
            "md_in_html",
            "tables",
            "toc",
            "pymdownx.details",
            "pymdownx.superfences",
        ],
        extension_configs={"toc": {"permalink": True}},
    )
    total = 0
    for path in sorted(Path(notes_dir).glob("*.md")):
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        total += len(md.reset().convert(post.content))
    print(json.dumps({"html_chars": total}))


def _git_commit(project: Path) -> None:
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


def _bibtex_entry(source: object) -> str:
    meta = source.meta  # type: ignore[attr-defined]

    def clean(text: str) -> str:
        return "".join(c for c in text if c not in "{}\\%&$#_^~")

    fields = {
        "title": clean(meta.title),
        "author": " and ".join(clean(a) for a in meta.author),
        "year": meta.issued[:4],
        "publisher": clean(meta.publisher),
        "url": meta.url,
        "note": f"Reliability {meta.reliability}",
    }
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@misc{{{source.id},\n{body}\n}}\n"  # type: ignore[attr-defined]


def write_comparisons(project: Path, floor: Path, print_dir: Path) -> Info:
    """The floor and mkdocs-bibtex projects, and the print HTML, from the corpus in `project`.

    The floor's pages are the briefing's own pages (render_site of the core, same templates,
    same nav), except that each citation marker is the citation as written (`[@id, "…"]`):
    no links, no grade badges, no tooltips, no plugin, no sanitiser, no JSON-LD."""
    import yaml

    from briefing import render
    from briefing.adapters.gitinfo import read_history
    from briefing.adapters.pdf import read_stamp
    from briefing.analysis.analyse import analyse_dir
    from briefing.output.print_document import pdf_filename, print_document

    briefs = project / "briefs"
    analysis = analyse_dir(briefs)
    if analysis.errors:
        raise SystemExit(f"bench: the corpus has {len(analysis.errors)} error(s)")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(
        p["briefing"] for p in config["plugins"] if isinstance(p, dict) and "briefing" in p
    )
    templates = Path((plugin or {}).get("templates_dir", "templates"))
    templates = templates if templates.is_absolute() else project / templates

    def as_written(group, numbering, passages=None, citations=()):  # type: ignore[no-untyped-def]
        for item in group.items:
            numbering.number(item.key)  # the page's reference list stays the same
        return " " + group.to_markdown()

    render.citation_marker = as_written
    history = read_history(briefs)
    site = render.render_site(
        analysis, templates, history, directory_urls=bool(config.get("use_directory_urls", True))
    )
    docs = floor / "docs"
    for page in site.pages:
        (docs / page.path).parent.mkdir(parents=True, exist_ok=True)
        (docs / page.path).write_text(page.expanded(), encoding="utf-8")
    for path, data in site.assets:
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_bytes(data)
    extra_docs = project / config.get("docs_dir", "docs")
    if extra_docs.is_dir():
        shutil.copytree(extra_docs, docs, dirs_exist_ok=True)

    meta = analysis.briefing.meta
    assert meta is not None
    floor_config = dict(config)
    floor_config["docs_dir"] = "docs"
    floor_config["site_name"] = meta.title
    floor_config["plugins"] = [
        p
        for p in config["plugins"]
        if not (isinstance(p, dict) and "briefing" in p) and p != "briefing"
    ]
    floor_config["extra"] = {
        **config.get("extra", {}),
        "briefing": {
            "marking": meta.marking,
            "language": meta.language,
            "version": history.version,
            "pdf": pdf_filename(meta.title),
        },
    }
    floor_config["extra_css"] = [p for p, _ in site.assets if p.endswith(".css")] + config.get(
        "extra_css", []
    )
    nav = [{entry.title: entry.path} for entry in site.nav]
    generated = {page.path for page in site.pages}
    nav += sorted(
        str(p.relative_to(docs))
        for p in docs.rglob("*.md")
        if str(p.relative_to(docs)) not in generated
    )
    floor_config["nav"] = nav
    floor_config.pop("watch", None)

    def dump(name: str, data: Info) -> None:
        (floor / name).write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )

    dump("mkdocs.yml", floor_config)
    (floor / "refs.bib").write_text(
        "\n".join(
            _bibtex_entry(s) for s in sorted(analysis.briefing.sources.values(), key=lambda s: s.id)
        ),
        encoding="utf-8",
    )
    import citeproc

    shutil.copy(Path(citeproc.__file__).parent / "data" / "styles" / CSL, floor / CSL)
    extensions = [*floor_config.get("markdown_extensions", []), "footnotes"]
    dump(
        "mkdocs-bibtex-csl.yml",
        {
            **floor_config,
            "markdown_extensions": extensions,
            "plugins": [
                *floor_config["plugins"],
                {"bibtex": {"bib_file": "refs.bib", "csl_file": CSL}},
            ],
        },
    )
    dump(
        "mkdocs-bibtex.yml",
        {
            **floor_config,
            "markdown_extensions": extensions,
            "plugins": [*floor_config["plugins"], {"bibtex": {"bib_file": "refs.bib"}}],
        },
    )

    _write_notes_project(analysis, floor, floor_config, dump)

    document = print_document(analysis, templates, read_stamp(briefs), "a4")
    print_dir.mkdir(parents=True)
    (print_dir / "print.html").write_text(document.html, encoding="utf-8")
    (print_dir / "print.css").write_text(document.css, encoding="utf-8")

    statements = list(analysis.statements)
    return {
        "notes": len(analysis.notes),
        "sources": len(analysis.briefing.sources),
        "topics": len(meta.topics),
        "statements": len(statements),
        "quoted": sum(1 for s in statements for c in s.citations if c.quote is not None),
        "pages": len(site.pages),
    }


def _write_notes_project(
    analysis: Any, floor: Path, floor_config: Info, dump: Callable[[str, Info], None]
) -> None:
    """The same notes and sources the usual MkDocs way: each note its own page, as written
    (Pandoc citations), through mkdocs-bibtex with the CSL style; nav by topic."""
    meta = analysis.briefing.meta
    docs = floor / "docs-notes"
    (docs / "index.md").parent.mkdir(parents=True)
    (docs / "index.md").write_text(f"# {meta.title}\n", encoding="utf-8")
    nav: list[Any] = [{"Home": "index.md"}]
    for topic in meta.topics:
        pages = []
        for analysed in analysis.notes_for(topic.id):
            note = analysed.note
            path = f"{topic.id}/{note.slug}.md"
            (docs / path).parent.mkdir(exist_ok=True)
            (docs / path).write_text(f"# {note.meta.title}\n\n{note.body}", encoding="utf-8")
            pages.append({note.meta.title: path})
        nav.append({topic.title: pages})
    extensions = [*floor_config.get("markdown_extensions", []), "footnotes"]
    dump(
        "mkdocs-bibtex-notes.yml",
        {
            **floor_config,
            "docs_dir": "docs-notes",
            "nav": nav,
            "extra_css": [],
            "markdown_extensions": extensions,
            "plugins": [
                *floor_config["plugins"],
                {"bibtex": {"bib_file": "refs.bib", "csl_file": CSL}},
            ],
        },
    )


def _prepare(n: str, root: str, seed: str) -> None:
    sys.path.insert(0, str(SCRIPTS))
    from bench_corpus import generate

    base = Path(root)
    project = base / "project"
    generate(project, int(n), int(seed))
    _git_commit(project)
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
    _git_commit(project)
    print(json.dumps({"project": str(project)}))


def _preview_target(project: str) -> None:
    """The note the live-preview measurement edits, the page that shows it, a source to cite."""
    from mkdocs.config import load_config

    from briefing.analysis.analyse import analyse_dir
    from briefing.output.render import page_url, topic_path

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
    """Analyse, edit one note, analyse again in the same process (as `mkdocs serve` does):
    how much is parsed again."""
    from briefing import load, statements
    from briefing.adapters.gitinfo import read_history
    from briefing.analysis.analyse import analyse_dir
    from briefing.output.render import render_site

    counts = {"yaml": 0, "prose": 0}

    def counted(module: object, name: str, key: str) -> None:
        original = getattr(module, name, None)
        if original is None:  # the core changed shape: say "unknown" rather than guess
            counts[key] = -(10**9)
            return

        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            counts[key] += 1
            return original(*args, **kwargs)

        setattr(module, name, wrapper)

    counted(load, "read_yaml", "yaml")
    counted(statements, "_prose_blocks", "prose")
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
    counts.update(yaml=0, prose=0)
    try:
        note.write_bytes(original + f"\n\nAn appended sentence [@{cite}].\n".encode())
        start = time.perf_counter()
        second = analyse_dir(folder)
        warm = time.perf_counter() - start
        assert not second.errors
        start = time.perf_counter()
        render_site(second, TEMPLATES, read_history(folder))
        rendered = time.perf_counter() - start
    finally:
        note.write_bytes(original)
    files = len(first.notes) + len(first.briefing.sources) + 1
    print(
        json.dumps(
            {
                "notes": len(first.notes),
                "files": files,
                "prose_parsed": counts["prose"],
                "front_matter_parsed": counts["yaml"],
                "cold": cold,
                "warm": warm,
                "render": rendered,
            }
        )
    )


def _helpers() -> dict[str, Callable[..., None]]:
    return {
        "_markdown": _markdown,
        "_prepare": _prepare,
        "_prepare_seed": _prepare_seed,
        "_preview_target": _preview_target,
        "_reanalyse": _reanalyse,
        "_profile": _profile,
    }


# ---------------------------------------------------------------- main


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in _helpers():
        _helpers()[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100, 1000],
        help="numbers of notes (default: 100 1000)",
    )
    parser.add_argument("--large", action="store_true", help="also N = 5000")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument(
        "--slow-runs",
        type=int,
        default=1,
        help="runs of the slow rows: mkdocs-bibtex, the PDF, WeasyPrint, "
        "briefing build (default 1)",
    )
    parser.add_argument(
        "--pdf-sizes",
        type=int,
        nargs="*",
        default=[100],
        help="the N at which the PDF rows are measured (default: 100; WeasyPrint "
        "takes minutes at 1,000)",
    )
    parser.add_argument(
        "--per-note-sizes",
        type=int,
        nargs="*",
        default=[100, 1000],
        help="the N at which mkdocs-bibtex also runs on a page per note, the "
        "usual MkDocs layout (default: 100 1000; pandoc runs once per note, "
        "minutes at 1,000)",
    )
    parser.add_argument(
        "--preview-sizes",
        type=int,
        nargs="*",
        default=[],
        help="also measure mkdocs serve on these generated corpora (default: none)",
    )
    parser.add_argument(
        "--no-preview",
        action="store_true",
        help="skip the live-preview measurement on the repository's briefing",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the site build and the floor (cProfile), "
        "phase by phase, "
        "at the largest N ≤ 1,000",
    )
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where corpora and outputs go (default: a temporary folder, removed afterwards)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes + ([5000] if args.large else [])))
    if not set(args.preview_sizes) <= set(sizes):
        parser.error("--preview-sizes must be among the measured sizes")

    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="briefing-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "bench.log"
    load = os.getloadavg()[0]
    print(
        f"bench: {os.cpu_count()} cores, load average {load:.1f}; commands' output in {log}",
        flush=True,
    )
    if load > (os.cpu_count() or 1):
        print(
            "bench: the machine is busy: wall times will be noisy, compare the cpu column",
            flush=True,
        )
    started = time.perf_counter()
    try:
        results = {n: bench_size(n, workdir, args, log) for n in sizes}
        at = max([n for n in sizes if n <= 1000] or sizes[:1])
        cache = run_json(helper("_reanalyse", workdir / f"n{at}" / "project" / "briefs"), log)
        previews = []
        if not args.no_preview:
            print("bench: live preview: copying the repository's briefing …", flush=True)
            remove(workdir / "seed")
            seed = run_json(helper("_prepare_seed", workdir / "seed"), log)
            previews.append(
                bench_preview(
                    "seed",
                    Path(seed["project"]),
                    workdir / "seed" / "out",
                    args.runs,
                    log,
                    args.runs,
                )
            )
        for n in args.preview_sizes:
            previews.append(
                bench_preview(
                    str(n),
                    workdir / f"n{n}" / "project",
                    workdir / f"n{n}" / "out" / "preview",
                    args.slow_runs,
                    log,
                    args.slow_runs,
                )
            )
        profile = profile_build(workdir / f"n{at}", log) if args.profile else ""
        print()
        print(report(results, previews, cache))
        if profile:
            print(f"\nProfile of one site build and one floor build at N={at}:\n{profile}")
        print(
            f"\nbench: {time.perf_counter() - started:.0f} s in all. peak MiB: ru_maxrss of the "
            "command and its children; site MiB: bytes under the output folder (the PDF's size "
            "for PDF rows)."
        )
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
