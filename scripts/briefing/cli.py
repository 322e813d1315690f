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
from .scaffold import ScaffoldError, new_note, new_source

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate briefs/ and print every problem at once")
    check.add_argument("--briefs", default="briefs", metavar="DIR", help="the briefs folder (default: briefs)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text",
                       help="text for people, json for tools, github for pull-request annotations")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    new = commands.add_parser("new", help="write a starting file for a source or a note")
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    source = kinds.add_parser("source", help="a source record: briefs/sources/ID.md")
    source.add_argument("id", help="the source id: lowercase letters, digits and hyphens")
    source.add_argument("--title", required=True, help="the source's own title")
    source.add_argument("--url", default="", help="where it was read")
    note = kinds.add_parser("note", help="an analyst note: briefs/notes/SLUG.md")
    note.add_argument("slug", help="the note's file name: lowercase letters, digits and hyphens")
    note.add_argument("--topic", required=True, help="a topic id from briefing.yml")
    note.add_argument("--title", default="", help="the note's heading")
    note.add_argument("--author", default="", help="who writes it")
    for kind in (source, note):
        kind.add_argument("--briefs", default="briefs", metavar="DIR", help="the briefs folder")

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


def cmd_new(args: argparse.Namespace) -> int:
    briefs = Path(args.briefs)
    try:
        if args.kind == "source":
            path = new_source(briefs, args.id, args.title, args.url)
        else:
            path = new_note(briefs, args.slug, args.topic, args.author, args.title)
    except ScaffoldError as exc:
        print(f"briefing: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"briefing: wrote {path}")
    return EXIT_CLEAN


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
    handlers = {"check": cmd_check, "new": cmd_new, "build": cmd_build}
    return handlers[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
