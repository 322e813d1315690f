"""The performance benchmark: briefing beside the alternatives, on the same generated corpus.

    .venv/bin/python scripts/bench                  # N = 100 and 1,000, 3 runs each
    .venv/bin/python scripts/bench --large          # and N = 5,000
    .venv/bin/python scripts/bench --sizes 100 --runs 1 --no-preview   # a quick look

For each N it generates a seeded synthetic briefing (`corpus.py`: N notes, N/5 sources,
about ten cited sentences a note, a third of the citations quoted), then runs every
measurement as a real command in a fresh process, round-robin, --runs times:

    check          `briefing check --briefs briefs`
    Markdown       Python-Markdown alone: read every note, split front-matter, render
    site build     `python -m mkdocs build` of the corpus with the briefing plugin
    floor          `python -m mkdocs build`, same theme, same pages, no briefing plugin
    bibtex+CSL     the floor's pages through mkdocs-bibtex with a CSL style (pandoc)
    bibtex         the same without a CSL style (pybtex)
    PDF            `briefing pdf`                            (--pdf-sizes, default 100 1000)
    PDF floor      the `weasyprint` command on plain footnoted HTML of the same notes
    WeasyPrint     the `weasyprint` command on the same print HTML and CSS   (N <= 300)
    briefing build `briefing build` (site build + PDF, swapped in atomically) (N <= 300)

The mkdocs-bibtex, PDF, WeasyPrint and `briefing build` rows run --slow-runs times (1).
Wall time and CPU time come from the parent; peak memory is `ru_maxrss` of the child
from `os.wait4` (it includes the child's own children, e.g. pandoc, or mkdocs under
`briefing build`). Live preview is measured on a copy of the repository's own briefing:
a real `mkdocs serve`, one note edited, the topic page polled over HTTP until the edit
shows; on the generated briefing of --preview-sizes (default 1,000), the same with the
plugin's `mkdocs serve` and with `briefing serve --engine mkdocs|zensical` (the build
folder; --preview-engines). Then the per-file cache (one process analyses, one note
changes, it analyses again) and, with --profile, where one site build and one floor build
spend their time.

The modules:

    corpus.py       the generated briefing (also a command: `python scripts/bench/corpus.py`)
    comparisons.py  what is compared: the rows, the floor and mkdocs-bibtex projects, targets
    runner.py       fresh processes, their samples, round-robin runs, the preview timings
    children.py     what runs inside the child processes (the baseline, preparation, the
                    per-file cache, profiles): the only modules that import the package
    report.py       the table, the ratios and their verdicts
    __main__.py     the options, and the order of it all

The benchmark changes nothing in the package while it runs: it uses what the package offers
for it (render_site's `citation_format`, `yamldoc.documents_parsed`, the `cache_info()` of
`analyse_prose`, `briefing.output.dialect.MARKDOWN_EXTENSIONS`).

The parent process imports nothing heavy (preparation runs in child processes): on Linux a
child's `ru_maxrss` starts from its parent's resident size.
"""
