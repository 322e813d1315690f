"""What is compared: the rows of one N, the projects the alternatives build (the floor,
mkdocs-bibtex with and without CSL, a page per note), and the targets.

The floor's pages are the briefing's own pages, made by the core's `render_site` with the
`citation_format` it offers for this: each citation marker is the citation as written.
Only the standard library at import; `write_comparisons` runs in a child process."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .corpus import EXTENSION_CONFIGS, TEMPLATES
from .runner import BIN, PYTHON, Info, Spec, helper

if TYPE_CHECKING:
    from briefing.analysis.model import Analysis, CitedGroup
    from briefing.output.annotate import Numbering
    from briefing.read.models import Source

CSL = "harvard-cite-them-right.csl"
"""The CSL style mkdocs-bibtex formats with (citeproc-py ships it)."""

TARGETS = {
    "build_plain": 1.5,
    "bytes_plain": 2.0,
    "check_markdown": 1.0,
    "bibtex_build": 10.0,
    "linear": 5.5,
    "pdf_weasyprint": 2.0,
    "pdf_plain": 1.5,
    "pdf_linear": 12.0,
    "preview_build": 1.5,
    "preview_best": 1.0,
    "preview_other": 2.0,
}


PDF_ALL_ROWS_UP_TO = 300
"""Above this N, the PDF rows are `briefing pdf` and its plain floor alone: WeasyPrint
without the footnote layout's changes takes many minutes on the print HTML of 1,000 notes,
and `briefing build` is the site build and the PDF, both measured already."""


def specs_for(
    n: int, root: Path, runs: int, slow_runs: int, pdf: bool, per_note: bool
) -> list[Spec]:
    """The rows measured at N (the corpus and the projects are in `root`)."""
    project, floor, plain, out = root / "project", root / "floor", root / "plain", root / "out"
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
            "plain",
            "plain floor: mkdocs build of a plain site, same notes",
            [*mkdocs, "-f", str(plain / "mkdocs.yml"), "-d", str(out / "plain")],
            plain,
            out / "plain",
        ),
        Spec(
            "floor",
            "old floor: core's pages, citations as text",
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
            _weasyprint("pdf_plain", "weasyprint on plain footnoted HTML", root, "plain", few),
        ]
    if pdf and n <= PDF_ALL_ROWS_UP_TO:
        specs += [
            _weasyprint(
                "weasyprint", "weasyprint alone on the same print HTML", root, "print", few
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


def _weasyprint(name: str, label: str, root: Path, stem: str, runs: int | None) -> Spec:
    """The `weasyprint` command on `print/<stem>.html` with `print/<stem>.css`."""
    folder, out = root / "print", root / "out" / f"{stem}.pdf"
    command = [
        str(BIN / "weasyprint"),
        "-q",
        "-s",
        str(folder / f"{stem}.css"),
        str(folder / f"{stem}.html"),
        str(out),
    ]
    return Spec(name, label, command, folder, out, runs=runs)


# ---------------------------------------------------------------- the projects (child process)


def as_written(group: CitedGroup, numbering: Numbering) -> str:
    """The floor's citation marker (render_site's `citation_format`): the citation as
    written (`[@id, "…"]`), no links, grade badges or tooltips. Each source is still
    numbered, so the page's reference list stays the same."""
    for citation in group.citations:
        numbering.number(citation.source_id)
    return " " + group.written


def _bibtex_entry(source: Source) -> str:
    meta = source.meta

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
    return f"@misc{{{source.id},\n{body}\n}}\n"


def _with_footnotes(config: Info) -> list[Any]:
    """The config's Markdown extensions and `footnotes`, which mkdocs-bibtex writes."""
    return [*config.get("markdown_extensions", []), "footnotes"]


def write_comparisons(project: Path, floor: Path, print_dir: Path) -> Info:
    """The floor and mkdocs-bibtex projects, and the print HTML, from the corpus in `project`.

    The floor's pages are the briefing's own pages (render_site of the core, same templates,
    same nav), except that each citation marker is the citation as written (`as_written`):
    no links, no grade badges, no tooltips, no plugin, no sanitiser, no JSON-LD."""
    import yaml

    from briefing.adapters.pdf import read_stamp
    from briefing.output.print_document import print_document
    from briefing.output.render import render_site
    from briefing.output.urls import pdf_filename
    from briefing.pipeline import analyse_dir
    from briefing.read.gitinfo import read_history

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

    history = read_history(briefs)
    site = render_site(
        analysis,
        templates,
        history,
        directory_urls=bool(config.get("use_directory_urls", True)),
        citation_format=as_written,
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
    nav: list[Any] = [{entry.title: entry.path} for entry in site.nav]
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
    import citeproc  # type: ignore[import-untyped]

    shutil.copy(Path(citeproc.__file__).parent / "data" / "styles" / CSL, floor / CSL)
    dump(
        "mkdocs-bibtex-csl.yml",
        {
            **floor_config,
            "markdown_extensions": _with_footnotes(floor_config),
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
            "markdown_extensions": _with_footnotes(floor_config),
            "plugins": [*floor_config["plugins"], {"bibtex": {"bib_file": "refs.bib"}}],
        },
    )

    _write_notes_project(analysis, floor, floor_config, dump)
    _write_plain_project(analysis, floor.parent / "plain", config)

    document = print_document(analysis, templates, read_stamp(briefs), "a4")
    print_dir.mkdir(parents=True)
    (print_dir / "print.html").write_text(document.html, encoding="utf-8")
    (print_dir / "print.css").write_text(document.css, encoding="utf-8")
    _write_plain_print(analysis, print_dir)

    statements = list(analysis.statements)
    return {
        "notes": len(analysis.notes),
        "sources": len(analysis.briefing.sources),
        "topics": len(meta.topics),
        "statements": len(statements),
        "quoted": sum(1 for s in statements for c in s.citations if c.quote is not None),
        "pages": len(site.pages),
    }


def _write_plain_project(analysis: Analysis, plain: Path, config: Info) -> None:
    """The plain floor: what a plain MkDocs site of the same notes and sources is, with no
    plugin but `search`, the theme and Markdown extensions of the briefing's mkdocs.yml (its
    overrides left out), and the same nav. A home page with the summary topic's notes, a
    page per topic with its notes as `##` sections in order, a sources index, a page per
    source with its fields and archived text; citations as written."""
    import yaml

    from briefing.output.urls import SOURCES_INDEX, source_path, topic_path

    meta = analysis.briefing.meta
    assert meta is not None
    docs = plain / "docs"
    pages: dict[str, str] = {}

    def notes_of(topic_id: str) -> str:
        return "".join(
            f"## {n.note.meta.title}\n\n{n.note.body.strip()}\n\n"
            for n in analysis.notes_for(topic_id)
        )

    pages["index.md"] = f"# {meta.title}\n\n" + (
        notes_of(meta.summary_topic) if meta.summary_topic else ""
    )
    topics = [t for t in meta.topics if t.id != meta.summary_topic]
    for topic in topics:
        pages[topic_path(topic.id)] = f"# {topic.title}\n\n{notes_of(topic.id)}"
    sources = sorted(analysis.briefing.sources.values(), key=lambda s: s.id)
    pages[SOURCES_INDEX] = "# Sources\n\n" + "".join(
        f"- [{s.meta.title}]({s.id}.md): {s.meta.publisher or ''}, {s.meta.issued_words}, "
        f"reliability {s.meta.reliability}\n"
        for s in sources
    )
    for source in sources:
        fields = {
            "Authors": ", ".join(source.meta.author),
            "Publisher": source.meta.publisher or "",
            "Issued": source.meta.issued_words,
            "Type": source.meta.type,
            "Reliability": source.meta.reliability,
            "Address": source.meta.url or "",
        }
        pages[source_path(source.id)] = (
            f"# {source.meta.title}\n\n"
            + "".join(f"- **{k}**: {v}\n" for k, v in fields.items() if v)
            + f"\n## Archived text\n\n{source.body.strip()}\n"
        )
    for path, text in pages.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    theme = {k: v for k, v in config.get("theme", {}).items() if k != "custom_dir"}
    plain_config = {
        "site_name": meta.title,
        "docs_dir": "docs",
        "use_directory_urls": config.get("use_directory_urls", True),
        "theme": theme,
        "plugins": ["search"],
        "markdown_extensions": config.get("markdown_extensions", []),
        "nav": [
            {"Home": "index.md"},
            *({t.title: topic_path(t.id)} for t in topics),
            {"Sources": SOURCES_INDEX},
        ],
    }
    (plain / "mkdocs.yml").write_text(
        yaml.safe_dump(plain_config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


PLAIN_PRINT_CSS = """@page { size: A4; margin: 20mm 18mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); } }
body { font-family: "Noto Serif", serif; font-size: 10.5pt; line-height: 1.4; }
h1 { break-before: page; }
.fn { float: footnote; font-size: 7.8pt; }
"""
"""The PDF floor's stylesheet: A4, page numbers, CSS footnotes and nothing else."""


def _write_plain_print(analysis: Analysis, print_dir: Path) -> None:
    """The PDF floor (issue 19): plain footnoted HTML of the same notes. A heading per topic
    and per note, each note's Markdown through Python-Markdown with every citation group a
    CSS footnote (`float: footnote`) holding the group as written; no cover, contents, grade
    badges, bibliography or tags."""
    import markdown
    from markupsafe import escape

    from briefing.output.dialect import MARKDOWN_EXTENSIONS

    meta = analysis.briefing.meta
    assert meta is not None
    md = markdown.Markdown(
        extensions=list(MARKDOWN_EXTENSIONS), extension_configs=dict(EXTENSION_CONFIGS)
    )
    parts = [f"<h1>{escape(meta.title)}</h1>"]
    for topic in meta.topics:
        parts.append(f"<h1>{escape(topic.title)}</h1>")
        for analysed in analysis.notes_for(topic.id):
            body = analysed.note.body
            text, at = [], 0
            for group in analysed.groups:
                footnote = escape(group.written.strip("[]"))
                text += [body[at : group.start], f'<span class="fn">{footnote}</span>']
                at = group.end
            text.append(body[at:])
            html = md.reset().convert("".join(text))
            parts.append(f"<h2>{escape(analysed.note.meta.title)}</h2>\n{html}")
    page = "\n".join(parts)
    (print_dir / "plain.html").write_text(
        f'<!DOCTYPE html><html lang="{meta.language}"><head><meta charset="utf-8">'
        f"<title>{escape(meta.title)}</title></head><body>{page}</body></html>",
        encoding="utf-8",
    )
    (print_dir / "plain.css").write_text(PLAIN_PRINT_CSS, encoding="utf-8")


def _write_notes_project(
    analysis: Analysis, floor: Path, floor_config: Info, dump: Callable[[str, Info], None]
) -> None:
    """The same notes and sources the usual MkDocs way: each note its own page, as written
    (Pandoc citations), through mkdocs-bibtex with the CSL style; nav by topic."""
    meta = analysis.briefing.meta
    assert meta is not None
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
    dump(
        "mkdocs-bibtex-notes.yml",
        {
            **floor_config,
            "docs_dir": "docs-notes",
            "nav": nav,
            "extra_css": [],
            "markdown_extensions": _with_footnotes(floor_config),
            "plugins": [
                *floor_config["plugins"],
                {"bibtex": {"bib_file": "refs.bib", "csl_file": CSL}},
            ],
        },
    )
