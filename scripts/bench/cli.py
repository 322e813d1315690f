"""The options, and the order of it all: each N's rows, the per-file cache, live preview,
the profile, then the report."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import __doc__ as overview
from .children import HELPERS, run_helper
from .comparisons import specs_for
from .report import profile_table, report
from .runner import (
    Info,
    Spec,
    bench_engine_preview,
    bench_preview,
    helper,
    remove,
    run_json,
    run_rows,
)

PREVIEW_ENGINES = ("plugin", "mkdocs", "zensical")


def bench_size(
    n: int, workdir: Path, args: argparse.Namespace, log: Path
) -> tuple[list[Spec], Info]:
    """Generate the corpus of N notes and its comparison projects; measure every row."""
    root = workdir / f"n{n}"
    remove(root)
    print(f"bench: N={n}: generating the corpus and the comparison projects …", flush=True)
    info = run_json(helper("_prepare", n, root, args.seed), log)
    (root / "out").mkdir()
    specs = specs_for(
        n, root, args.runs, args.slow_runs, n in args.pdf_sizes, n in args.per_note_sizes
    )
    run_rows(n, specs, args.runs, log)
    return specs, info


def profile_build(root: Path, log: Path) -> str:
    """Where the time of the site build goes, beside the plain floor's (the one the targets
    use), phase by phase (cProfile)."""
    print(f"bench: profiling the site build and the plain floor in {root} …", flush=True)
    out = root / "out"
    site = run_json(helper("_profile", root / "project" / "mkdocs.yml", out / "profile-site"), log)
    floor = run_json(helper("_profile", root / "plain" / "mkdocs.yml", out / "profile-plain"), log)
    return profile_table(site, floor)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scripts/bench", description=(overview or "").split("\n\n")[0]
    )
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
        default=[100, 1000],
        help="the N at which the PDF rows are measured (default: 100 1000; above 300, "
        "only briefing pdf and its plain floor, which take minutes at 1,000)",
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
        default=None,
        help="measure live preview on these generated corpora, with each of "
        "--preview-engines (default: 1000 when it is measured; none: give the option alone)",
    )
    parser.add_argument(
        "--preview-engines",
        nargs="+",
        choices=PREVIEW_ENGINES,
        default=list(PREVIEW_ENGINES),
        help="the previews measured at --preview-sizes: plugin, `mkdocs serve` with the "
        "briefing plugin (a whole build a save); mkdocs and zensical, `briefing serve "
        "--engine …` on the build folder (default: all three)",
    )
    parser.add_argument(
        "--no-preview",
        action="store_true",
        help="skip the live-preview measurement on the repository's briefing",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile the site build and the plain floor (cProfile), "
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
    return parser


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in HELPERS:
        run_helper(argv)
        return
    options = parser()
    args = options.parse_args(argv)
    sizes = sorted(set(args.sizes + ([5000] if args.large else [])))
    if args.preview_sizes is None:
        args.preview_sizes = [n for n in (1000,) if n in sizes]
    if not set(args.preview_sizes) <= set(sizes):
        options.error("--preview-sizes must be among the measured sizes")

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
        engines = []
        for n in args.preview_sizes:
            if "plugin" in args.preview_engines:
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
            for engine in args.preview_engines:
                if engine != "plugin":
                    project = workdir / f"n{n}" / "project"
                    engines.append(bench_engine_preview(str(n), project, engine, args.runs, log))
        profile = profile_build(workdir / f"n{at}", log) if args.profile else ""
        print()
        print(report(results, previews, cache, engines))
        if profile:
            print(f"\nProfile of one site build and one plain floor build at N={at}:\n{profile}")
        print(
            f"\nbench: {time.perf_counter() - started:.0f} s in all. peak MiB: ru_maxrss of the "
            "command and its children; site MiB: bytes under the output folder (the PDF's size "
            "for PDF rows)."
        )
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
