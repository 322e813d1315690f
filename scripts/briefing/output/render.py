"""Render the analysed briefing into Markdown pages and a navigation, through Jinja templates.

The core knows nothing of MkDocs: it returns pages (path, Markdown, and the HTML
fragments the Markdown holds placeholders for; see fragments.py); an adapter
hands them to the site engine.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path, PurePosixPath

from markupsafe import Markup

from ..analysis.diff import (
    ADDED,
    CHANGED,
    CITATIONS,
    MOVED,
    REMOVED,
    Releases,
    StatementChange,
    StatementRef,
    word_diff,
)
from ..analysis.facts import FactComparison, value_words
from ..analysis.model import AnalysedNote, Analysis, Citation, CitedGroup, Statement
from ..analysis.sourcing import ATTRIBUTED, DEFAULT_CREDIBILITY, SUPPORTING, summarise
from ..prose.passages import archived_html
from ..read.dates import parse_date, sort_key
from ..read.gitinfo import Commit, History
from ..read.models import (
    CREDIBILITY_LABELS,
    RELIABILITY_LABELS,
    BriefingMeta,
    Source,
    Topic,
    source_labels,
)
from ..read.paths import file_key
from .exports import LdPage, data_files, json_ld, ld_script
from .fragments import SENTINEL as _SENTINEL
from .fragments import Fragments, escape_sentinels, fill
from .markup import attr_text, reading_text, template_environment
from .urls import (
    CHANGES,
    DISPUTED,
    HOME,
    SOURCES_INDEX,
    SOURCING,
    TIMELINE,
    WHATS_NEW,
    href,
    note_page,
    page_url,
    relative,
    source_path,
    topic_path,
)


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    markdown: str
    """Markdown with placeholders for `fragments`."""
    json_ld: str = ""
    """schema.org JSON-LD describing the page and the sources it cites."""
    modified: str | None = None
    """The last change of the brief files the page is built from (YYYY-MM-DD), from git."""
    fragments: tuple[str, ...] = ()
    """HTML written by the generator, put in Markdown's stash as the page is converted
    (fragment_stash.py)."""
    cited: tuple[str, ...] = ()
    """The sources the page cites or names with a link to their page, in the order it
    first names them (its JSON-LD `citation`)."""
    tooltips: str = ""
    """The page's tooltip data (`tooltip_data`), for pages with citation markers."""

    def expanded(self) -> str:
        """The Markdown with each fragment written in place: what a reviewer reads."""
        return fill(self.markdown, self.fragments)


@dataclass(frozen=True)
class NavEntry:
    title: str
    path: str


@dataclass(frozen=True)
class Site:
    pages: tuple[Page, ...]
    nav: tuple[NavEntry, ...]
    assets: tuple[tuple[str, bytes], ...]
    data: tuple[tuple[str, bytes], ...] = ()
    """Open data published with the site: bibliography.json, statements.json."""


@dataclass
class Numbering:
    """Citation numbers on one page: each source numbered at its first citation."""

    page: str
    sources: dict[str, Source]
    numbers: dict[str, int] = field(default_factory=dict)
    directory_urls: bool = True
    labels: dict[str, str] = field(default_factory=dict)
    """Each source's label (models.source_labels); a source missing here has its own."""

    def label(self, source_id: str) -> str:
        return self.labels.get(source_id) or self.sources[source_id].meta.label

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def references(self) -> list[tuple[int, Source]]:
        return [(n, self.sources[sid]) for sid, n in self.numbers.items()]


@cache
def grade_badge(grade: str) -> str:
    label = RELIABILITY_LABELS[grade]
    return (
        f'<span class="grade grade-{grade.lower()}" title="Reliability {grade}: {label}">'
        f"{grade}</span>"
    )


def credibility_words(credibility: int, given: bool = True) -> str:
    """What a citation's credibility means, and why it is what it is when it is a default."""
    label = CREDIBILITY_LABELS[credibility]
    if given:
        return label
    if credibility == DEFAULT_CREDIBILITY:
        return f"{label}, not graded by the analysts"
    return f"{label}, as an independent source in the same citation says the same"


def grade_words(grade: str, credibility: int) -> str:
    """Both parts of a citation's grade, spelled out."""
    return (
        f"source reliability {grade}: {RELIABILITY_LABELS[grade]}; "
        f"information credibility {credibility}: {CREDIBILITY_LABELS[credibility]}"
    )


@cache
def citation_badge(grade: str, credibility: int = DEFAULT_CREDIBILITY) -> str:
    """A citation's two-part grade in Admiralty order, `C3`: the source's reliability (A-F) and
    the credibility of this piece of information (1-6), spelled out for every reader (the
    tooltip also says why a default is what it is)."""
    words = html.escape(grade_words(grade, credibility))
    return (
        f'<span class="grade grade-{grade.lower()} cite-grade" title="{words}">'
        f'<span aria-hidden="true">{grade}<span class="grade-credibility">{credibility}</span>'
        f'</span><span class="visually-hidden">{words}</span></span>'
    )


def _where(citation: Citation) -> str:
    """Where in the source, as the tooltip says it: the quoted words when the locator is the
    quote alone, else the locator; a translated quote's original and its translation."""
    where = f"\u201c{citation.quote}\u201d" if citation.quote_only else citation.locator
    if citation.translation is not None:  # the sentence gives the translation; here, the original
        original = f"original {where}" if citation.quote_only else where
        where = f"{original}, translated \u201c{citation.translation}\u201d"
    return attr_text(where)


def source_tip(source: Source, label: str) -> dict[str, object]:
    """What a citation's tooltip says of its source, once per page (briefing.js): its label
    (the heading, as the page's reference list names it), the full title when that says
    more, outlet, date and type, and its reliability."""
    meta = source.meta
    title = meta.title if meta.title != label else ""
    details = [p for p in (title, meta.publisher, meta.issued_words, meta.type) if p]
    return {
        "label": attr_text(label),
        "details": attr_text(" · ".join(details)),
        "reliability": meta.reliability,
        "reliability_words": RELIABILITY_LABELS[meta.reliability],
    }


def tooltip_data(numbering: Numbering, grades: Iterable[tuple[int, bool]]) -> str:
    """The page's tooltip data, JSON for a `<script type="application/json"
    id="briefing-sources">` element: each cited source under its number on the page, and the
    words for each credibility its markers give (`credibility`: as given; `default`: as the
    analysis reads it), which markers refer to (`citation_marker`)."""
    used = sorted(set(grades))
    return ld_script(
        {
            "sources": {
                str(number): source_tip(source, numbering.label(source.id))
                for number, source in numbering.references()
            },
            "credibility": {str(c): credibility_words(c) for c, given in used if given},
            "default": {str(c): credibility_words(c, False) for c, given in used if not given},
        }
    )


def tooltip(citation: Citation) -> str:
    """The marker's own title, which readers without script get on hovering it: the
    source's title, its date and the citation's two-part grade (the badge beside the marker
    spells the grade out). With script, briefing.js shows the whole tooltip instead."""
    meta = citation.source.meta
    return attr_text(
        f"{meta.title}, {meta.issued_words} · graded {citation.reliability}{citation.credibility}"
    )


def citation_marker(group: CitedGroup, numbering: Numbering) -> str:
    """A citation group, as HTML: numbered links to the cited sources (at the quoted passage,
    for a quote), each with its two-part grade. Each link names its source by its number on
    the page and carries its credibility and locator or quote (`data-*`), for the tooltip
    briefing.js makes with the page's `tooltip_data`; its title is the tooltip without
    script. A group none of whose keys names a source shows nothing."""
    if not group.citations:
        return ""
    links = []
    for citation in group.citations:
        number = numbering.number(citation.source_id)
        url = href(numbering.page, source_path(citation.source_id), numbering.directory_urls)
        if citation.passage:
            url += f"#{citation.passage.anchor}"
        title = html.escape(tooltip(citation))
        data = f' data-ref="{number}" data-credibility="{citation.credibility}"'
        if not citation.credibility_given:
            data += ' data-default=""'
        where = _where(citation)
        if len(where) >= 2 and where[0] == "\u201c" and where[-1] == "\u201d":
            data += f' data-quote="{html.escape(where[1:-1])}"'
        elif where:
            data += f' data-at="{html.escape(where)}"'
        links.append(
            f'<a href="{url}" title="{title}"{data}>[{number}]</a>'
            f"{citation_badge(citation.reliability, citation.credibility)}"
        )
    return '<sup class="cite">' + ", ".join(links) + "</sup>"


CitationFormat = Callable[[CitedGroup, Numbering], str]
"""What turns a citation group into what the page shows, called as `citation_marker` is:
(group, numbering). The site always uses `citation_marker`; the benchmark (scripts/bench)
renders its plain-MkDocs floor with one that keeps each citation as written, to have the
same pages without what the briefing makes of a citation."""


def _line_offsets(body: str) -> list[int]:
    offsets, total = [], 0
    for line in body.split("\n"):
        offsets.append(total)
        total += len(line) + 1
    return offsets


NOTE_LEVEL = 2
"""The level of a note's own heading on a topic page and in the PDF (`## Note title`)."""
KEY_POINT_LEVEL = 3
"""The level of a key point's heading on the home page, under "Key points" (home.md.j2)."""

_ATX_HEADING = re.compile(r"^((?:[ \t>]|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*)(#{1,6})(?=[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^([ \t>]*)(=+|-+)[ \t]*$")
_LEADING = re.compile(r"^(?:[ \t>]|[-*+][ \t]+|\d{1,9}[.)][ \t]+)*")


def _lead(line: str) -> int:
    """How long a line's lead is: indentation, block quote and list markers."""
    match = _LEADING.match(line)
    return match.end() if match else 0


def heading_levels(levels: Iterable[int], note_level: int = NOTE_LEVEL) -> dict[int, int]:
    """Where a note's own headings go: its distinct heading levels, in order, become the
    levels right under the note's heading, note_level + 1, note_level + 2, … (at most 6),
    whatever levels the analyst wrote: `###` and `#####` under an `h2` note become `h3`
    and `h4`, so that no level is skipped."""
    return {level: min(note_level + 1 + rank, 6) for rank, level in enumerate(sorted(set(levels)))}


def nested_levels(levels: Iterable[int], note_level: int = NOTE_LEVEL) -> list[int]:
    """The new level of each of a note's headings, in document order: `heading_levels`, and
    a heading that would still go more than one level below the heading before it (a note
    that opens with `#####` and goes on with `###`) moves up to the level right under it."""
    levels = list(levels)
    mapping = heading_levels(levels, note_level)
    nested, previous = [], note_level
    for level in levels:
        previous = min(mapping[level], previous + 1)
        nested.append(previous)
    return nested


def _heading_edits(
    body: str, starts: list[int], headings: Iterable[tuple[int, int]], note_level: int
) -> Iterator[tuple[int, int, str]]:
    """Edits that rewrite each heading at its new level, as an ATX heading (`### Title`):
    an ATX heading gets its run of `#` replaced, a setext one (`Title` over `===`) a run
    of `#` before its text, its lines joined and its underline removed."""
    headings = list(headings)
    levels = nested_levels((level for _, level in headings), note_level)
    lines = body.split("\n")
    for (line, _), level in zip(headings, levels, strict=True):
        marks = "#" * level
        atx = _ATX_HEADING.match(lines[line])
        if atx:
            yield starts[line] + atx.start(2), len(atx.group(2)), marks
            continue
        end = line + 1  # a setext heading's text runs to its underline, without blank lines
        while (
            end < len(lines)
            and lines[end].strip(" \t>")
            and not _SETEXT_UNDERLINE.match(lines[end])
        ):
            end += 1
        underline = _SETEXT_UNDERLINE.match(lines[end]) if end < len(lines) else None
        if not underline:
            continue
        yield starts[line] + _lead(lines[line]), 0, marks + " "
        for joined in range(line + 1, end):
            yield starts[joined] - 1, 1 + _lead(lines[joined]), " "
        yield starts[end] + underline.start(2), len(underline.group(2)), ""


def release_mark(change: str, tag: str) -> str:
    """The mark of a statement the latest release added or reworded: a small "new" or
    "changed" before it, which screen readers read as "new in <release>:"."""
    word = "new" if change == ADDED else "changed"
    return (
        f'<span class="release-mark release-{change}">{word}'
        f'<span class="visually-hidden"> in {html.escape(tag)}:</span></span>'
    )


def note_markdown(
    analysed: AnalysedNote,
    cite: Callable[[CitedGroup], str],
    inline: Callable[[str], str] = lambda html: html,
    note_level: int = NOTE_LEVEL,
    mark: Callable[[Statement], str] = lambda statement: "",
) -> str:
    """The note body with statement anchors, citation groups replaced by `cite(group)`,
    and headings nested right under the note's own heading, which is at `note_level`
    (nested_levels). Generated HTML goes through `inline` (a fragment placeholder on the
    site); `mark(statement)` is HTML put right after a statement's anchor (release_mark).
    Where each statement and group stands in the body is the analysis's (Statement.offset,
    CitedGroup.start and end)."""
    body = analysed.note.body
    edits: list[tuple[int, int, str]] = []
    for statement in analysed.statements:
        edits.append(
            (
                statement.offset,
                0,
                inline(
                    f'<span class="statement" id="{statement.anchor}"></span>' + mark(statement)
                ),
            )
        )
    for group in analysed.groups:
        begin = group.start
        while begin > 0 and body[begin - 1] == " ":
            begin -= 1
        edits.append((begin, group.end - begin, inline(cite(group))))
    edits += _heading_edits(body, _line_offsets(body), analysed.prose.headings, note_level)
    for match in _SENTINEL.finditer(body):
        edits.append((match.start(), 1, escape_sentinels(match.group())))
    return _apply(body, edits)


def _apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Apply (offset, length, replacement) edits in one pass. An edit that falls inside
    text another edit replaced is dropped."""
    pieces, cursor = [], 0
    for offset, length, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if offset < cursor:
            continue
        pieces += [text[cursor:offset], replacement]
        cursor = offset + length
    pieces.append(text[cursor:])
    return "".join(pieces)


class Renderer:
    """Renders every page of one analysed briefing."""

    def __init__(
        self,
        analysis: Analysis,
        templates_dir: Path,
        history: History | None = None,
        edit_url: Callable[[str], str | None] = lambda path: None,
        directory_urls: bool = True,
        releases: Releases | None = None,
        site_url: str | None = None,
        citation_format: CitationFormat = citation_marker,
    ) -> None:
        assert analysis.briefing.meta is not None, "render needs a valid briefing.yml"
        self.citation_format = citation_format
        self.analysis = analysis
        self.history = history or History()
        self.directory_urls = directory_urls
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        """Where the site is published (mkdocs.yml `site_url`): JSON-LD URLs are absolute."""
        self.edit_url = edit_url
        self.meta: BriefingMeta = analysis.briefing.meta
        self.sources = analysis.briefing.sources
        self.env = template_environment(templates_dir)
        self.templates_dir = templates_dir
        self.labels = source_labels(self.sources)
        self.note_by_slug = {n.note.slug: n.note for n in analysis.notes}
        self.page_of_note = {
            n.note.slug: self._page_of_topic(n.note.meta.topic) for n in analysis.notes
        }
        self.releases = releases
        """The release tags and what the latest changed (revisions.release_changes)."""
        self.marks = releases.marked() if releases else {}
        """Statement anchor → `added` or `changed`, in the latest release."""
        self.note_of_anchor = {s.anchor: s.note_slug for s in analysis.statements}

    def _page_of_topic(self, topic_id: str) -> str:
        return note_page(topic_id, self.meta.summary_topic)

    @property
    def page_topics(self) -> list[Topic]:
        """Topics with a page of their own (the summary topic opens the home page)."""
        return [t for t in self.meta.topics if t.id != self.meta.summary_topic]

    def site(self) -> Site:
        pages = [
            self.home(),
            self.whats_new(),
            *(self.topic(t) for t in self.page_topics),
            self.sources_index(),
        ]
        pages += [self.source(s) for s in sorted(self.sources.values(), key=lambda s: s.id)]
        pages += [self.disputed(), self.sourcing(), self.timeline(), self.changes()]
        nav = [
            NavEntry("Home", HOME),
            NavEntry("What's new", WHATS_NEW),
            *(NavEntry(t.title, topic_path(t.id)) for t in self.page_topics),
            NavEntry("Sources", SOURCES_INDEX),
            NavEntry("Disputed facts", DISPUTED),
            NavEntry("Sourcing", SOURCING),
            NavEntry("Timeline", TIMELINE),
            NavEntry("Changes", CHANGES),
        ]
        pages = [self._with_json_ld(page) for page in pages]
        return Site(tuple(pages), tuple(nav), self._assets(), self.data_files())

    def data_files(self) -> tuple[tuple[str, bytes], ...]:
        return data_files(self.analysis, self.directory_urls)

    def link_ld(self, page: str, target: str) -> str:
        """A page's URL as the JSON-LD of `page` gives it: absolute with `site_url`, else
        relative to `page` (`pact.html` on topics/pact.html, `../sources/x.html` from topics),
        which resolves against the page's own URL to the published one."""
        if self.site_url:
            return self.site_url + page_url(target, self.directory_urls)
        return href(page, target, self.directory_urls)

    def _with_json_ld(self, page: Page) -> Page:
        path = page.path
        topics, source_pages = self._ld_pages
        if path == HOME:
            kind, topic = "home", self.meta.summary_topic
        elif path in topics:
            kind, topic = "topic", topics[path]
        else:
            kind = "source" if path in source_pages else "disputed" if path == DISPUTED else "page"
            topic = None
        published, modified = self._dates(self._page_files(path, topic, source_pages.get(path)))
        ld = LdPage(
            name=page.title,
            url=self.link_ld(path, path),
            home_url=self.link_ld(path, HOME),
            source_url=lambda sid: self.link_ld(path, source_path(sid)),
            kind=kind,
            cited=list(dict.fromkeys(page.cited)),
            authors=[n.note.meta.author for n in self.analysis.notes_for(topic)] if topic else [],
            published=published,
            modified=modified,
            about=source_pages.get(path),
            parts=[(t.title, self.link_ld(path, topic_path(t.id))) for t in self.page_topics]
            if kind == "home"
            else [],
            briefing_authors=[n.note.meta.author for n in self.analysis.notes]
            if kind == "home"
            else [],
            briefing_dates=self._dates(self._brief_files()) if kind == "home" else (None, None),
            disputed=[f for f in self.analysis.facts if f.disputed] if kind == "disputed" else [],
            fact_url=lambda key: f"{self.link_ld(path, DISPUTED)}#{key}",
        )
        return replace(page, json_ld=json_ld(self.analysis, ld), modified=modified)

    @cached_property
    def _ld_pages(self) -> tuple[dict[str, str], dict[str, str]]:
        """The topic pages (path → topic id) and source pages (path → source id)."""
        return (
            {topic_path(t.id): t.id for t in self.page_topics},
            {source_path(sid): sid for sid in self.sources},
        )

    def _dates(self, files: list[str]) -> tuple[str | None, str | None]:
        """The first and the last change of these files, YYYY-MM-DD, when git knows them."""
        first, last = self.history.first_change(map(Path, files)), self._updated(files)
        return (first.date if first else None, last.date if last else None)

    def _brief_files(self) -> list[str]:
        """Every file of the briefing: briefing.yml, the notes, the sources."""
        return [
            self.analysis.briefing.origin.path,
            *(n.note.origin.path for n in self.analysis.notes),
            *(s.origin.path for s in self.sources.values()),
        ]

    def _page_files(self, path: str, topic: str | None, source_id: str | None) -> list[str]:
        """The brief files a page is built from, for its dates: as `updated` on the page, and
        the whole briefing for the pages built from all of it."""
        if path == HOME:
            return [
                self.analysis.briefing.origin.path,
                *(self._topic_files(topic) if topic else []),
            ]
        if topic:
            return self._topic_files(topic)
        if source_id:
            return [self.sources[source_id].origin.path]
        if path == SOURCES_INDEX:
            return [s.origin.path for s in self.sources.values()]
        return self._brief_files()

    def _assets(self) -> tuple[tuple[str, bytes], ...]:
        folder = self.templates_dir / "assets"
        if not folder.is_dir():
            return ()
        return tuple(
            (f"assets/briefing/{p.name}", p.read_bytes())
            for p in sorted(folder.iterdir())
            if p.is_file()
        )

    def _numbering(self, page: str) -> Numbering:
        return Numbering(page, self.sources, directory_urls=self.directory_urls, labels=self.labels)

    def _notes(
        self,
        topic_id: str,
        numbering: Numbering,
        fragments: Fragments,
        note_level: int = NOTE_LEVEL,
    ) -> list[dict[str, object]]:
        return [
            {
                "slug": Markup(n.note.slug),
                "title": n.note.meta.title,
                "author": n.note.meta.author,
                "edit_url": self.edit_url(n.note.origin.path),
                "markdown": Markup(
                    note_markdown(
                        n,
                        lambda group: self.citation_format(group, numbering),
                        fragments.inline,
                        note_level,
                        self._mark,
                    )
                ),
            }
            for n in self.analysis.notes_for(topic_id)
        ]

    def _tooltips(self, numbering: Numbering, topic_id: str | None) -> str:
        """The tooltip data of a page whose markers `numbering` numbered: the notes of
        `topic_id` (tooltip_data)."""
        if not numbering.numbers:
            return ""
        notes = self.analysis.notes_for(topic_id) if topic_id else []
        grades = (
            (c.credibility, c.credibility_given)
            for n in notes
            for g in n.groups
            for c in g.citations
        )
        return tooltip_data(numbering, grades)

    def _mark(self, statement: Statement) -> str:
        change = self.marks.get(statement.anchor)
        if change is None or self.releases is None:
            return ""
        return release_mark(change, self.releases.latest.tag)

    def _references(self, numbering: Numbering) -> list[dict[str, object]]:
        return [
            self._source_entry(source, numbering.page) | {"number": number}
            for number, source in numbering.references()
        ]

    def _source_entry(self, source: Source, page: str) -> dict[str, object]:
        meta = source.meta
        return {
            "id": source.id,
            "url": Markup(relative(page, source_path(source.id))),
            "label": self.labels[source.id],
            "title": meta.title,
            "authors": ", ".join(meta.author),
            "publisher": meta.publisher,
            "issued": meta.issued_words,
            "type": meta.type,
            "grade": meta.reliability,
            "grade_label": RELIABILITY_LABELS[meta.reliability],
            "badge": Markup(grade_badge(meta.reliability)),
            "link": meta.url,
            "accessed": meta.accessed or "",
            "archived": meta.archived,
            "language": meta.language or self.meta.language,
            "note": meta.note,
        }

    def _render(self, template: str, page: str, **context: object) -> str:
        return self.env.get_template(template).render(
            briefing=self.meta, page=page, history=self.history, **context
        )

    def _updated(self, files: Iterable[str]) -> Commit | None:
        """The last change to the brief files a page is built from."""
        return self.history.last_change(Path(path) for path in files)

    def _topic_files(self, topic_id: str) -> list[str]:
        notes = self.analysis.notes_for(topic_id)
        cited = {sid for n in notes for s in n.statements for sid in s.source_ids}
        return [n.note.origin.path for n in notes] + [
            self.sources[sid].origin.path for sid in sorted(cited)
        ]

    def home(self) -> Page:
        numbering, fragments = self._numbering(HOME), Fragments()
        key_points = (
            self._notes(self.meta.summary_topic, numbering, fragments, KEY_POINT_LEVEL)
            if self.meta.summary_topic
            else []
        )
        topics = [
            {
                "title": t.title,
                "url": Markup(topic_path(t.id)),
                "notes": len(self.analysis.notes_for(t.id)),
            }
            for t in self.page_topics
        ]
        counts = {
            "sources": len(self.sources),
            "notes": len(self.analysis.notes),
            "statements": sum(1 for _ in self.analysis.statements),
        }
        files = [self.analysis.briefing.origin.path]
        files += self._topic_files(self.meta.summary_topic) if self.meta.summary_topic else []
        markdown = self._render(
            "home.md.j2",
            HOME,
            key_points=key_points,
            topics=topics,
            updated=self._updated(files),
            counts=counts,
            references=self._references(numbering),
            sources_url=Markup(SOURCES_INDEX),
        )
        return Page(
            HOME,
            "Home",
            markdown,
            fragments=tuple(fragments.items),
            cited=tuple(numbering.numbers),
            tooltips=self._tooltips(numbering, self.meta.summary_topic),
        )

    def topic(self, topic: Topic) -> Page:
        page = topic_path(topic.id)
        numbering, fragments = self._numbering(page), Fragments()
        notes = self._notes(topic.id, numbering, fragments)
        disputes = [
            self._fact_view(f, page)
            for f in self.analysis.facts
            if f.disputed and f.declaration.topic == topic.id
        ]
        markdown = self._render(
            "topic.md.j2",
            page,
            topic=topic,
            notes=notes,
            disputes=disputes,
            summary=self.analysis.topic_summary(topic.id),
            disputed_url=Markup(relative(page, DISPUTED)),
            sourcing_url=Markup(relative(page, SOURCING)),
            updated=self._updated(self._topic_files(topic.id)),
            references=self._references(numbering),
        )
        named = [
            sid
            for f in self.analysis.facts
            if f.disputed and f.declaration.topic == topic.id
            for sid in _fact_sources(f)
        ]
        return Page(
            page,
            topic.title,
            markdown,
            fragments=tuple(fragments.items),
            cited=(*named, *numbering.numbers),
            tooltips=self._tooltips(numbering, topic.id),
        )

    def sources_index(self) -> Page:
        entries = [
            self._source_entry(s, SOURCES_INDEX)
            | {"cited": len(self.analysis.cited_by.get(s.id, []))}
            for s in sorted(
                self.sources.values(), key=lambda s: (self.labels[s.id].casefold(), s.id)
            )
        ]
        updated = self._updated(s.origin.path for s in self.sources.values())
        markdown = self._render(
            "sources.md.j2",
            SOURCES_INDEX,
            sources=entries,
            updated=updated,
            grades=RELIABILITY_LABELS,
        )
        return Page(SOURCES_INDEX, "Sources", markdown)

    def source(self, source: Source) -> Page:
        page = source_path(source.id)
        fragments = Fragments()
        citing = self.analysis.cited_by.get(source.id, [])
        cited_by = Markup(fragments.block(self._cited_by_html(citing, page))) if citing else ""
        facts = [
            {
                "label": self.meta.facts[k].label,
                "values": [
                    value_words(self.meta.facts[k].type, v.value)
                    + (
                        f", in its words \u201c{v.quote}\u201d"
                        if v.quote
                        else " (the briefing's reading)"
                    )
                    for v in values
                ],
            }
            for k, values in source.meta.facts.items()
        ]
        markdown = self._render(
            "source.md.j2",
            page,
            source=self._source_entry(source, page),
            updated=self._updated([source.origin.path]),
            edit_url=self.edit_url(source.origin.path),
            facts=facts,
            cited_by=cited_by,
            archived=Markup(
                fragments.block(
                    archived_html(
                        source.body,
                        self.analysis.passages_of(source.id),
                        _other_language(source.meta.language, self.meta.language),
                    )
                )
            ),
        )
        return Page(page, source.meta.title, markdown, fragments=tuple(fragments.items))

    def _source_ref(self, source_id: str, page: str) -> dict[str, object]:
        source = self.sources[source_id]
        return {
            "label": self.labels[source_id],
            "title": source.meta.title,
            "url": Markup(relative(page, source_path(source_id))),
            "badge": Markup(grade_badge(source.meta.reliability)),
        }

    def _fact_view(self, fact: FactComparison, page: str) -> dict[str, object]:
        kind = fact.declaration.type
        topic = fact.declaration.topic
        return {
            "key": Markup(fact.key),
            "label": fact.declaration.label,
            "disputed": fact.disputed,
            "topic": _topic_title(self.meta, topic) if topic else "",
            "topic_url": Markup(relative(page, self._page_of_topic(topic))) if topic else "",
            "values": [
                {
                    "value": value_words(kind, v.value),
                    "sources": [
                        self._source_ref(s.source_id, page) | {"quote": s.quote}
                        for s in v.stated_by
                    ],
                }
                for v in fact.values
            ],
            "self_contradicting": [self._source_ref(sid, page) for sid in fact.self_contradicting],
        }

    def disputed(self) -> Page:
        """Every declared fact: the disputed ones first, each value with the sources stating it."""
        facts = sorted(self.analysis.facts, key=lambda f: not f.disputed)
        markdown = self._render(
            "disputed.md.j2", DISPUTED, facts=[self._fact_view(f, DISPUTED) for f in facts]
        )
        named = tuple(sid for f in facts for sid in _fact_sources(f))
        return Page(DISPUTED, "Disputed facts", markdown, cited=named)

    def sourcing(self) -> Page:
        """Sourcing strength for the whole briefing, per topic and per source."""
        all_statements = list(self.analysis.statements)
        overall = summarise(self.analysis.strength(s) for s in all_statements)
        topics = [
            {
                "title": t.title,
                "url": Markup(relative(SOURCING, self._page_of_topic(t.id))),
                "summary": self.analysis.topic_summary(t.id),
            }
            for t in self.meta.topics
        ]
        sources = []
        for source in sorted(self.sources.values(), key=lambda s: s.id):
            citing = self.analysis.cited_by.get(source.id, [])
            roles = [{c.role for c in s.citations if c.source_id == source.id} for s in citing]
            backing = [{c.source_id for c in s.citations if c.role == SUPPORTING} for s in citing]
            sources.append(
                self._source_ref(source.id, SOURCING)
                | {
                    "citing": len(citing),
                    "attributed": sum(ATTRIBUTED in r for r in roles),
                    "supporting": sum(SUPPORTING in r for r in roles),
                    "alone": sum(b == {source.id} for b in backing),
                }
            )
        markdown = self._render(
            "sourcing.md.j2", SOURCING, overall=overall, topics=topics, sources=sources
        )
        return Page(SOURCING, "Sourcing", markdown, cited=tuple(sorted(self.sources)))

    def timeline(self) -> Page:
        """Dated facts in date order (a partial date before the full dates it contains)."""
        dated = sorted(
            (
                (fact, value)
                for fact in self.analysis.facts
                if fact.declaration.type == "date"
                for value in fact.values
            ),
            key=lambda fv: (sort_key(parse_date(fv[1].value)), fv[0].declaration.label),
        )
        entries = [
            {
                "date": value_words("date", value.value),
                "label": fact.declaration.label,
                "disputed": fact.disputed or bool(fact.self_contradicting),
                "sources": [self._source_ref(sid, TIMELINE) for sid in value.sources],
            }
            for fact, value in dated
        ]
        markdown = self._render(
            "timeline.md.j2", TIMELINE, entries=entries, disputed_url=Markup(DISPUTED)
        )
        named = tuple(sid for _, value in dated for sid in value.sources)
        return Page(TIMELINE, "Timeline", markdown, cited=named)

    def changes(self) -> Page:
        """The history of the briefing, newest first, with the topics and sources each change
        touched."""
        topic_of = {file_key(n.note.origin.path): n.note.meta.topic for n in self.analysis.notes}
        source_of = {file_key(s.origin.path): s for s in self.sources.values()}
        entries = []
        for commit in self.history.commits:
            topics = sorted(
                {topic_of[f] for f in commit.files if f in topic_of},
                key=lambda t: [x.id for x in self.meta.topics].index(t),
            )
            entries.append(
                {
                    "commit": commit,
                    "topics": [
                        {"title": _topic_title(self.meta, t), "url": Markup(self._page_of_topic(t))}
                        for t in topics
                    ],
                    "sources": [
                        {
                            "title": source_of[f].meta.title,
                            "url": Markup(relative(CHANGES, source_path(source_of[f].id))),
                        }
                        for f in commit.files
                        if f in source_of
                    ],
                    "other": sorted(
                        Path(f).name
                        for f in commit.files
                        if f not in topic_of and f not in source_of
                    ),
                }
            )
        markdown = self._render("changes.md.j2", CHANGES, entries=entries)
        named = tuple(
            source_of[f].id for c in self.history.commits for f in c.files if f in source_of
        )
        return Page(CHANGES, "Changes", markdown, cited=named)

    def whats_new(self) -> Page:
        """The latest release's changes against the one before it, each statement linked to
        where it stands now; the earlier releases below."""
        fragments = Fragments()
        releases = self.releases
        sections = []
        if releases is not None and releases.diff is not None:
            sections = [
                {
                    "id": Markup(key),
                    "title": title,
                    "count": len(items),
                    "html": Markup(
                        fragments.block(
                            '<ul class="release-changes">\n' + "\n".join(items) + "\n</ul>"
                        )
                    ),
                }
                for key, title, items in self._release_sections(releases)
                if items
            ]
        markdown = self._render(
            "whats-new.md.j2",
            WHATS_NEW,
            releases=releases,
            sections=sections,
            changes_url=Markup(CHANGES),
        )
        named = (
            tuple(s.id for s in releases.diff.sources if s.id in self.sources)
            if releases is not None and releases.diff is not None
            else ()
        )
        return Page(
            WHATS_NEW, "What's new", markdown, fragments=tuple(fragments.items), cited=named
        )

    def _release_sections(self, releases: Releases) -> list[tuple[str, str, list[str]]]:
        """(id, heading, HTML list items) of each kind of change, in diff.py's order."""
        diff = releases.diff
        assert diff is not None
        page = WHATS_NEW
        sections = [
            (
                f"statements-{kind}",
                title,
                [self._statement_item(change, releases, page) for change in diff.of(kind)],
            )
            for kind, title in (
                (ADDED, "Statements added"),
                (CHANGED, "Statements changed"),
                (MOVED, "Statements moved to another topic"),
                (CITATIONS, "Citations changed"),
                (REMOVED, "Statements removed"),
            )
        ]
        notes = []
        for change in diff.notes:
            slug = PurePosixPath(change.new or change.old or "").stem
            title = self._linked(
                html.escape(change.title), self._note_url(slug, page) if change.new else None
            )
            topics = [t for t in dict.fromkeys((change.old_topic, change.new_topic)) if t]
            where = " → ".join(html.escape(_topic_title(self.meta, t)) for t in topics)
            notes.append(
                f"<li>{html.escape(change.change.capitalize())}: {title}"
                + (f" ({where})" if where else "")
                + "</li>"
            )
        sources = []
        for source in diff.sources:
            label = self.labels.get(source.id)
            name = self._linked(
                html.escape(label or source.title),
                href(page, source_path(source.id), self.directory_urls)
                if source.id in self.sources
                else None,
            )
            grade = (
                f"reliability {source.old_reliability} → {source.new_reliability}"
                if source.old_reliability and source.new_reliability
                else f"reliability {source.new_reliability or source.old_reliability}"
            )
            sources.append(f"<li>{html.escape(source.change.capitalize())}: {name} ({grade})</li>")
        disputes = []
        for dispute in diff.disputes:
            declared = self.meta.facts.get(dispute.fact)
            url = (
                href(page, DISPUTED, self.directory_urls) + f"#{dispute.fact}" if declared else None
            )
            values = "; ".join(
                f"{html.escape(value_words(declared.type, v) if declared else v)} "
                f"({html.escape(', '.join(self.labels.get(sid, sid) for sid in ids))})"
                for v, ids in dispute.values
            )
            verb = "now" if dispute.change == "opened" else "no longer"
            disputes.append(
                f"<li>Sources {verb} disagree on "
                f"{self._linked(html.escape(dispute.label), url)}: {values}</li>"
            )
        assessments = []
        for assessment in diff.assessments:
            note = self._linked(
                html.escape(assessment.note_title), self._note_url(assessment.note, page)
            )
            text = f": \u201c{html.escape(assessment.text)}\u201d" if assessment.text else ""
            assessments.append(
                f"<li>{note}: {html.escape(assessment.old_confidence)} → "
                f"{html.escape(assessment.new_confidence)} confidence{text}</li>"
            )
        return sections + [
            ("notes-changed", "Notes", notes),
            ("sources-changed", "Sources", sources),
            ("disputes-changed", "Disputed facts", disputes),
            ("assessments-changed", "Assessments", assessments),
        ]

    def _note_url(self, slug: str, page: str) -> str | None:
        target = self.page_of_note.get(slug)
        return f"{href(page, target, self.directory_urls)}#{slug}" if target else None

    def statement_url(self, releases: Releases, ref: StatementRef | None, page: str) -> str | None:
        """Where a statement of the latest release stands now, linked from `page`; None
        when it has gone since."""
        anchor = releases.where(ref)
        slug = self.note_of_anchor.get(anchor) if anchor else None
        if slug is None:
            return None
        return f"{href(page, self.page_of_note[slug], self.directory_urls)}#{anchor}"

    @staticmethod
    def _linked(text: str, url: str | None) -> str:
        return f'<a href="{html.escape(url)}">{text}</a>' if url else text

    def _statement_item(self, change: StatementChange, releases: Releases, page: str) -> str:
        """One statement added, changed, moved, re-cited or removed, as an HTML list item:
        where it stands (linked, unless it is gone) and its words (a word diff when they
        changed)."""
        ref = change.new or change.old
        assert ref is not None
        place = f"{html.escape(ref.topic_title)} › {html.escape(ref.note_title)}"
        if change.change == MOVED and change.old is not None:
            place = f"{html.escape(change.old.topic_title)} → {place}"
        url = self.statement_url(releases, change.new, page) if change.new else None
        gone = " (removed since)" if change.new is not None and url is None else ""
        diff = reading_words(change)
        words = (
            word_diff_html(diff) if diff else f"\u201c{html.escape(reading_text(ref.text))}\u201d"
        )
        cited = []
        for what, ids in (("added", change.citations_added), ("dropped", change.citations_dropped)):
            if ids:
                cited.append(
                    f"{what} " + ", ".join(html.escape(self.labels.get(i, i)) for i in ids)
                )
        citations = f" (citations {'; '.join(cited)})" if cited else ""
        return f"<li>{self._linked(place, url)}{gone}: {words}{citations}</li>"

    def _cited_by_html(self, statements: Iterable[Statement], page: str) -> str:
        """The statements citing a source, as an HTML list linking to each."""
        items = []
        for statement in statements:
            target = self.page_of_note[statement.note_slug]
            note = self.note_by_slug[statement.note_slug]
            topic = self.meta.title if target == HOME else _topic_title(self.meta, note.meta.topic)
            url = f"{href(page, target, self.directory_urls)}#{statement.anchor}"
            items.append(
                f'<li><a href="{url}">{html.escape(topic)} › {html.escape(note.meta.title)}'
                f"</a>: “{html.escape(reading_text(statement.plain))}”</li>"
            )
        return '<ul class="cited-by">\n' + "\n".join(items) + "\n</ul>"


def reading_words(change: StatementChange) -> tuple[tuple[str, str], ...]:
    """The word diff of a statement changed, as readers read its words (markup.reading_text:
    `**Who:**` is "Who:"); empty when its words, so read, did not change."""
    if not change.words or change.old is None or change.new is None:
        return ()
    old, new = reading_text(change.old.text), reading_text(change.new.text)
    return word_diff(old.split(), new.split()) if old != new else ()


def word_diff_html(words: Iterable[tuple[str, str]]) -> str:
    """diff.py's word diff as HTML: removed words in `<del>`, added ones in `<ins>`."""
    tags = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return (
        '<span class="word-diff">'
        + " ".join(tags[op].format(html.escape(text)) for op, text in words)
        + "</span>"
    )


def _other_language(language: str, page_language: str) -> str:
    """A source's language when it is not the page's (`ko` on an `en` briefing), else ""."""
    if not language or language.split("-")[0].casefold() == page_language.split("-")[0].casefold():
        return ""
    return language


def _fact_sources(fact: FactComparison) -> list[str]:
    """The sources a fact's entry names, in its order: those stating each value, then those
    disagreeing with themselves."""
    return [*(sid for value in fact.values for sid in value.sources), *fact.self_contradicting]


def _topic_title(meta: BriefingMeta, topic_id: str) -> str:
    return next((t.title for t in meta.topics if t.id == topic_id), topic_id)


def render_site(
    analysis: Analysis,
    templates_dir: Path,
    history: History | None = None,
    edit_url: Callable[[str], str | None] = lambda path: None,
    directory_urls: bool = True,
    releases: Releases | None = None,
    site_url: str | None = None,
    citation_format: CitationFormat = citation_marker,
) -> Site:
    return Renderer(
        analysis,
        templates_dir,
        history,
        edit_url,
        directory_urls,
        releases,
        site_url=site_url,
        citation_format=citation_format,
    ).site()
