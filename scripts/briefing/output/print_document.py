"""The print document: the analysed briefing as one HTML file for the PDF renderer.

Pure: no WeasyPrint, no git, no file writes. `pdf.py` turns the result into a PDF.
Notes go through `note_markdown` with a citation callable that makes CSS Paged
Media footnotes, then through Python-Markdown with the site's extensions, then
through the site's sanitiser: raw HTML in notes can neither run nor fetch.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from ..analysis.diff import ADDED, CHANGED, CITATIONS, MOVED, REMOVED, Releases
from ..analysis.facts import value_words
from ..analysis.model import AnalysedNote, Analysis, Citation, CitedGroup
from ..read.gitinfo import Commit
from ..read.models import (
    CREDIBILITY_LABELS,
    RELIABILITY_LABELS,
    BriefingMeta,
    Source,
    source_labels,
)
from ..read.models import FactValue as StatedFact
from .annotate import NOTE_LEVEL, grade_words, note_markdown, reading_words
from .dialect import MARKDOWN_EXTENSIONS
from .markup import md_escape, reading_text
from .sanitize import clean_html

PRINT_TEMPLATE = "print.html.j2"
PRINT_CSS = "print.css"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
"""CSS `size` of each paper the `--paper` option accepts."""

CONFIDENCE_LABELS = {
    "high": "the judgment rests on good sources that agree.",
    "moderate": "the sources are credible but thin or partly in conflict.",
    "low": "the sources are few, weak or contradictory.",
}
"""What each assessment confidence level means (as docs/how-to-read.md explains it)."""


@dataclass(frozen=True)
class Stamp:
    """Which state of the briefing a document shows."""

    version: str
    """`abc1234`, `abc1234 + uncommitted changes`, or `version unknown`."""
    as_of: str
    """YYYY-MM-DD: the date of the last commit, or the day of the build outside git."""
    revisions: tuple[Commit, ...] = ()
    """The latest changes to the briefs, newest first (a short revision history)."""


@dataclass(frozen=True)
class PrintDocument:
    html: str
    css: str
    title: str
    footnotes: int
    """How many footnotes the HTML holds: the PDF must show as many."""


def source_anchor(source_id: str) -> str:
    return f"s_{source_id}"


def topic_anchor(topic_id: str) -> str:
    return f"t_{topic_id}"


def note_anchor(slug: str) -> str:
    return f"n_{slug}"


def fact_anchor(fact_id: str) -> str:
    return f"f_{fact_id}"


# Underscores cannot occur in ids or slugs (lowercase letters, digits, hyphens), so these
# anchors never clash with statement anchors (`<slug>-<n>`) or with each other.


@dataclass
class Footnotes:
    """Footnotes of one chapter, numbered from 1 in the order they are cited."""

    chapter: int
    count: int = 0
    labels: dict[str, str] = field(default_factory=dict)
    """Each source's label (models.source_labels); a source missing here has its own."""

    previous: frozenset[str] = frozenset()
    """The sources of the chapter's previous footnote: a source cited again straight after
    gets the short form (`_item`, `repeated`)."""

    def cite(self, group: CitedGroup) -> str:
        """A citation group as a footnote call (a link to the footnote) and the footnote itself
        (nothing for a group none of whose keys names a source).

        The renderer floats `span.footnote` to the foot of the page of its call.
        """
        if not group.citations:
            return ""
        self.count += 1
        anchor = f"fn_{self.chapter}_{self.count}"
        parts, seen = [], set(self.previous)
        for citation in group.citations:
            parts.append(self._item(citation, repeated=citation.source_id in seen))
            seen.add(citation.source_id)
        items = "; ".join(dict.fromkeys(parts))
        self.previous = frozenset(c.source_id for c in group.citations)
        return (
            f'<a class="fn-call" href="#{anchor}">{self.count}</a>'
            f'<span class="footnote" id="{anchor}">'
            f'<span class="fn-number">{self.count}.</span> {items}.</span>'
        )

    def _item(self, citation: Citation, repeated: bool = False) -> str:
        """The source's label, its date (unless the label ends with it: "Doctorow 2024"
        for a source dated 2024), the two-part grade: the source's reliability and the
        information's credibility (`C3 (fairly reliable, possibly true)`), and where in the
        source: the locator (`p. 4`) or the quoted words the sentence rests on.

        `repeated` (the previous footnote of the chapter, or an earlier item of this one,
        cites the same source) gives the
        short form, as Chicago's shortened notes do instead of "Ibid.": the label, the grade
        without its words, and the locator; no date. It still names the source, so it reads
        right when the previous footnote is on the page before."""
        meta = citation.source.meta
        label = self.labels.get(citation.source_id) or meta.label
        prefix = f"{md_escape(citation.prefix)} " if citation.prefix else ""
        credibility = citation.credibility
        date = (
            ""
            if repeated or label.endswith(meta.issued_words)
            else f"{md_escape(meta.issued_words)}, "
        )
        words = (
            ""
            if repeated
            else (
                f" ({md_escape(RELIABILITY_LABELS[meta.reliability])}, "
                f"{md_escape(CREDIBILITY_LABELS[credibility])})"
            )
        )
        text = (
            f'{prefix}<a class="fn-source" href="#{source_anchor(citation.source_id)}">'
            f"{md_escape(label)}</a>, {date}"
            f'<span class="grade grade-{meta.reliability.lower()}" '
            f'title="{html_lib.escape(grade_words(meta.reliability, credibility))}">'
            f"{meta.reliability}{credibility}</span>{words}"
        )
        if citation.translation is not None:
            return f"{text}, {self._original(citation, meta.language)}"
        # The quoted words are given as well as the sentence's: the footnote says what the
        # sentence rests on (`briefing check` has verified them against the archived text).
        if citation.quote_only:
            return f"{text}, \u201c{md_escape(citation.quote or '')}\u201d"
        if citation.locator:
            return f"{text}, {md_escape(citation.locator)}"
        return text

    @staticmethod
    def _original(citation: Citation, language: str) -> str:
        """A translated quote's original words, in the source's language (print.css gives
        Korean and Japanese their own faces), and the translation the sentence gives."""
        lang = f' lang="{html_lib.escape(language)}"' if language else ""
        if citation.quote_only:
            quote = md_escape(citation.quote or "")
            words = f'original “<span class="original"{lang}>{quote}</span>”'
        else:
            words = f'<span class="original"{lang}>{md_escape(citation.locator)}</span>'
        return f"{words}, translated “{md_escape(citation.translation or '')}”"


def note_html(
    analysed: AnalysedNote,
    cite: Callable[[CitedGroup], str],
    link: Callable[[str], str | None] = lambda href: href,
) -> str:
    """A note's body as sanitised HTML, its citations turned into `cite(group)` and each
    link's address into `link(href)` (None: the link becomes its text)."""
    slug = analysed.note.slug
    converter = markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs={"toc": {"slugify": partial(_heading_id, f"h_{slug}_")}},
    )
    # Each note is an h2 under its chapter's h1 (print.html.j2): its headings go from h3.
    html = clean_html(converter.convert(note_markdown(analysed, cite, note_level=NOTE_LEVEL)))
    return _LINK.sub(lambda m: _relinked(m, link), html)


_LINK = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def _relinked(match: re.Match[str], link: Callable[[str], str | None]) -> str:
    href = link(html_lib.unescape(match.group(1)))
    if href is None:
        return match.group(3)
    return f'<a href="{html_lib.escape(href)}"{match.group(2)}>{match.group(3)}</a>'


def site_link_resolver(analysis: Analysis) -> Callable[[str], str | None]:
    """Links that notes make to the site's pages (`topics/pact.md#a-note`, `#a-note`,
    `../index.md`), turned into the document's own anchors: a note's section, else its
    topic's chapter. Web addresses are kept; a site page the PDF does not hold is not
    linked."""
    notes = {n.note.slug: n.note.meta.topic for n in analysis.notes}
    topics = {t.id for t in analysis.briefing.meta.topics} if analysis.briefing.meta else set()
    summary = analysis.briefing.meta.summary_topic if analysis.briefing.meta else None

    def resolve(href: str) -> str | None:
        if re.match(r"[a-z][a-z0-9+.-]*:", href, re.IGNORECASE):
            return href
        path, _, fragment = href.partition("#")
        if fragment in notes:
            return f"#{note_anchor(fragment)}"
        stem = path.rsplit("/", 1)[-1].removesuffix(".md").removesuffix(".html")
        if stem in topics:
            return f"#{topic_anchor(stem)}"
        if stem == "index" and summary:
            return f"#{topic_anchor(summary)}"
        return None

    return resolve


def _heading_id(prefix: str, value: str, separator: str) -> str:
    """Headings inside notes get ids unique in the whole document, not only in their note."""
    return prefix + slugify_unicode(value, separator)


@dataclass(frozen=True)
class SourceValues:
    """What one source states for a fact, as readers see it: each value in words, with the
    source's own words or marked as the briefing's reading."""

    source_id: str
    label: str
    """The source's label (models.source_labels)."""
    grade: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FactReport:
    id: str
    label: str
    topic: str | None
    statements: tuple[SourceValues, ...]
    status: str
    """`disputed`, `agreed`, `single` (one source) or `unstated`."""


def _is_web_address(url: str) -> bool:
    """Only http(s) addresses become links: a `javascript:` or `file:` one stays text."""
    return re.match(r"https?://", url, re.IGNORECASE) is not None


def _value_text(kind: str, fact: StatedFact) -> str:
    words = value_words(kind, fact.value)
    if fact.quote:
        return f"{words}, in its words \u201c{fact.quote}\u201d"
    return f"{words} (the briefing's reading; the source's words are not quoted)"


def fact_reports(analysis: Analysis) -> list[FactReport]:
    """Each fact declared in briefing.yml with every source's values, compared as the site
    compares them (facts.py: dates with their precision, text ignoring case and spacing)."""
    sources = analysis.briefing.sources
    labels = source_labels(sources)
    reports = []
    for fact in analysis.facts:
        kind = fact.declaration.type
        stated = tuple(
            SourceValues(
                sid,
                labels[sid],
                sources[sid].meta.reliability,
                tuple(_value_text(kind, v) for v in sources[sid].meta.facts[fact.key]),
            )
            for sid in fact.sources
        )
        if not stated:
            status = "unstated"
        elif fact.disputed:
            status = "disputed"
        else:
            status = "agreed" if len(stated) > 1 else "single"
        reports.append(
            FactReport(fact.key, fact.declaration.label, fact.declaration.topic, stated, status)
        )
    return reports


@dataclass
class _Chapter:
    id: str
    anchor: str
    title: str
    notes: list[dict[str, object]] = field(default_factory=list)


def document_authors(analysis: Analysis) -> list[str]:
    """Note authors, in the order their first note appears."""
    return list(dict.fromkeys(n.note.meta.author for n in analysis.notes))


def print_environment(templates_dir: Path) -> Environment:
    """Jinja for the print template: HTML, so everything is escaped unless it is Markup."""
    return Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def print_document(
    analysis: Analysis,
    templates_dir: Path,
    stamp: Stamp,
    paper: str = "a4",
    releases: Releases | None = None,
) -> PrintDocument:
    """The whole briefing as one HTML document, and the CSS that lays it out on `paper`;
    with `releases` (revisions.release_changes), what the latest release changed."""
    meta = analysis.briefing.meta
    assert meta is not None, "print needs a valid briefing.yml"
    if paper not in PAPER_SIZES:
        raise ValueError(f"unknown paper {paper!r}: choose one of {', '.join(PAPER_SIZES)}")
    chapters, footnotes = _chapters(analysis, meta)
    reports = fact_reports(analysis)
    html = (
        print_environment(templates_dir)
        .get_template(PRINT_TEMPLATE)
        .render(
            briefing=meta,
            stamp=stamp,
            authors=document_authors(analysis),
            subject=meta.subtitle or meta.title,
            chapters=chapters,
            facts=[_fact_entry(report, meta) for report in reports],
            disputed=sum(report.status == "disputed" for report in reports),
            bibliography=_bibliography(analysis, meta),
            coverage=bibliography_coverage(analysis.briefing.sources.values()),
            grades=RELIABILITY_LABELS,
            example_grade=grade_words("C", 3),
            legend=list(zip(RELIABILITY_LABELS.items(), CREDIBILITY_LABELS.items(), strict=True)),
            confidence=CONFIDENCE_LABELS,
            counts={
                "sources": len(analysis.briefing.sources),
                "notes": len(analysis.notes),
                "statements": sum(1 for _ in analysis.statements),
            },
            release=release_changes_entry(analysis, releases),
        )
    )
    css = (templates_dir / PRINT_CSS).read_text(encoding="utf-8")
    css += f"\n@page {{ size: {PAPER_SIZES[paper]}; }}\n"
    return PrintDocument(html, css, meta.title, footnotes)


def _chapters(analysis: Analysis, meta: BriefingMeta) -> tuple[list[_Chapter], int]:
    """One chapter per topic, its notes as HTML with footnotes numbered from 1; and how
    many footnotes there are in all."""
    chapters, total = [], 0
    labels = source_labels(analysis.briefing.sources)
    link = site_link_resolver(analysis)
    for number, topic in enumerate(meta.topics, start=1):
        footnotes = Footnotes(number, labels=labels)
        chapter = _Chapter(topic.id, topic_anchor(topic.id), topic.title)
        for analysed in analysis.notes_for(topic.id):
            chapter.notes.append(
                {
                    "anchor": note_anchor(analysed.note.slug),
                    "title": analysed.note.meta.title,
                    "author": analysed.note.meta.author,
                    "html": Markup(note_html(analysed, footnotes.cite, link)),
                }
            )
        total += footnotes.count
        chapters.append(chapter)
    return chapters, total


def bibliography_coverage(sources: Iterable[Source]) -> dict[str, int]:
    """How many sources the bibliography can give an address and a date consulted for:
    what "How to read this document" may promise of it."""
    metas = [source.meta for source in sources]
    return {
        "sources": len(metas),
        "addresses": sum(bool(m.url) for m in metas),
        "accessed": sum(m.accessed is not None for m in metas),
    }


def _bibliography(analysis: Analysis, meta: BriefingMeta) -> list[dict[str, object]]:
    """Every source by title, with the chapters that cite it."""
    topic_of_note = {n.note.slug: n.note.meta.topic for n in analysis.notes}
    titles = {t.id: t.title for t in meta.topics}
    entries = []
    for source in sorted(
        analysis.briefing.sources.values(), key=lambda s: (s.meta.title.casefold(), s.id)
    ):
        cited_in = dict.fromkeys(
            topic_of_note[s.note_slug] for s in analysis.cited_by.get(source.id, [])
        )
        entries.append(
            {
                "anchor": source_anchor(source.id),
                "id": source.id,
                "meta": source.meta,
                "grade_label": RELIABILITY_LABELS[source.meta.reliability],
                "link": source.meta.url if _is_web_address(source.meta.url) else None,
                "cited_in": [
                    {"anchor": topic_anchor(t), "title": titles[t]} for t in cited_in if t in titles
                ],
            }
        )
    return entries


def _fact_entry(report: FactReport, meta: BriefingMeta) -> dict[str, object]:
    titles = {t.id: t.title for t in meta.topics}
    return {
        "report": report,
        "anchor": fact_anchor(report.id),
        "topic": (
            {"anchor": topic_anchor(report.topic), "title": titles[report.topic]}
            if report.topic in titles
            else None
        ),
        "values": [
            {
                "anchor": source_anchor(v.source_id),
                "title": v.label,
                "grade": v.grade,
                "values": v.values,
            }
            for v in report.statements
        ],
    }


RELEASE_CHANGES_ANCHOR = "release-changes"

_STATEMENT_KINDS = (
    (ADDED, "Statements added"),
    (CHANGED, "Statements changed"),
    (MOVED, "Statements moved to another topic"),
    (CITATIONS, "Citations changed"),
    (REMOVED, "Statements removed"),
)


def release_changes_entry(
    analysis: Analysis, releases: Releases | None
) -> dict[str, object] | None:
    """The "Changes since <previous release>" section: what the latest release changed
    against the one before it, each statement still in the briefing linked to where it
    stands in the document. None before the second release."""
    if releases is None or releases.diff is None or releases.previous is None:
        return None
    diff = releases.diff
    labels = source_labels(analysis.briefing.sources)
    anchors = {s.anchor for s in analysis.statements}
    groups = []
    for kind, title in _STATEMENT_KINDS:
        items = []
        for change in diff.of(kind):
            ref = change.new or change.old
            assert ref is not None
            place = f"{ref.topic_title} › {ref.note_title}"
            if kind == MOVED and change.old is not None:
                place = f"{change.old.topic_title} → {place}"
            anchor = releases.where(change.new)
            cited = [
                f"{what} " + ", ".join(labels.get(i, i) for i in ids)
                for what, ids in (
                    ("added", change.citations_added),
                    ("dropped", change.citations_dropped),
                )
                if ids
            ]
            items.append(
                {
                    "place": place,
                    "anchor": anchor if anchor in anchors else None,
                    "words": reading_words(change),
                    "text": reading_text(ref.text),
                    "citations": "; ".join(cited),
                }
            )
        if items:
            groups.append({"title": title, "items": items})
    sources = []
    for source in diff.sources:
        grade = (
            f"{source.old_reliability} → {source.new_reliability}"
            if source.old_reliability and source.new_reliability
            else source.new_reliability or source.old_reliability
        )
        sources.append(
            f"{source.change.capitalize()}: {labels.get(source.id, source.title)} "
            f"(reliability {grade})"
        )
    facts = analysis.briefing.meta.facts if analysis.briefing.meta else {}
    disputes = []
    for dispute in diff.disputes:
        kind = facts[dispute.fact].type if dispute.fact in facts else "text"
        values = "; ".join(
            f"{value_words(kind, v)} ({', '.join(labels.get(i, i) for i in ids)})"
            for v, ids in dispute.values
        )
        verb = "now" if dispute.change == "opened" else "no longer"
        disputes.append(f"Sources {verb} disagree on {dispute.label}: {values}")
    assessments = [
        f"{a.note_title}: {a.old_confidence} → {a.new_confidence} confidence"
        for a in diff.assessments
    ]
    notes = [f"{n.change.capitalize()}: {n.title}" for n in diff.notes]
    return {
        "anchor": RELEASE_CHANGES_ANCHOR,
        "latest": releases.latest,
        "previous": releases.previous,
        "summary": releases.latest.summary or "",
        "statements": groups,
        "others": [
            (title, lines)
            for title, lines in (
                ("Notes", notes),
                ("Sources", sources),
                ("Disputed facts", disputes),
                ("Assessments", assessments),
            )
            if lines
        ],
    }
