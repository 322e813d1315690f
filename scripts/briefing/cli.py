"""The `briefing` command: check the briefs, build the site atomically."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .analyse import analyse_dir
from .findings import render_findings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate briefs/ and print every problem at once")
    check.add_argument("--briefs", default="briefs", metavar="DIR", help="the briefs folder (default: briefs)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text for people, json for tools, github for pull-request annotations")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    build = commands.add_parser("build", help="check, then build the site into a folder atomically")
    build.add_argument("-f", "--config-file", default="mkdocs.yml", metavar="FILE")
    build.add_argument("-d", "--site-dir", default="site", metavar="DIR")
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    briefs = Path(args.briefs)
    if not briefs.is_dir():
        print(f"briefing: briefs folder not found: {briefs}", file=sys.stderr)
        return EXIT_USAGE
    analysis = analyse_dir(briefs)
    findings = analysis.findings
    output = render_findings(findings, args.format)
    if output:
        print(output)
    failing = findings if args.strict else analysis.errors
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a temporary folder beside the target, then swap it in: never a half-written site."""
    config = Path(args.config_file)
    if not config.is_file():
        print(f"briefing: config file not found: {config}", file=sys.stderr)
        return EXIT_USAGE
    target = Path(args.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                                 "--config-file", str(config), "--site-dir", str(staging)], env=env)
        if result.returncode != 0:
            print(f"briefing: build failed; {target} is unchanged", file=sys.stderr)
            return EXIT_FINDINGS
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"briefing: site built in {target}")
    return EXIT_CLEAN


def _swap(new: Path, target: Path) -> None:
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    handlers = {"check": cmd_check, "build": cmd_build}
    return handlers[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
