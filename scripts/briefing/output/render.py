"""Render the analysed briefing into Markdown pages and a navigation, through Jinja templates.

The core knows nothing of MkDocs: it returns pages (path, Markdown, and the HTML
fragments the Markdown holds placeholders for; see fragments.py); an adapter
hands them to the site engine.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cached_property
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
)
from ..analysis.facts import FactComparison, value_words
from ..analysis.model import Analysis, Statement
from ..analysis.sourcing import ATTRIBUTED, SUPPORTING, summarise
from ..prose.passages import archived_html
from ..read.dates import parse_date, sort_key
from ..read.gitinfo import Commit, History
from ..read.models import (
    RELIABILITY_LABELS,
    BriefingMeta,
    Source,
    Topic,
    source_labels,
)
from ..read.paths import file_key
from .annotate import (
    KEY_POINT_LEVEL,
    NOTE_LEVEL,
    SEARCH_EXCLUDE,
    CitationFormat,
    Numbering,
    citation_marker,
    grade_badge,
    grade_legend,
    note_markdown,
    reading_words,
    release_mark,
    tooltip_data,
    word_diff_html,
)
from .exports import LdPage, data_files, json_ld
from .fragments import Fragments, fill
from .markup import reading_text, template_environment
from .reuse import Reuse
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
        reuse: Reuse | None = None,
    ) -> None:
        assert analysis.briefing.meta is not None, "render needs a valid briefing.yml"
        self.citation_format = citation_format
        self.reuse = reuse
        """Pages of the last render to give again where their inputs are unchanged (reuse.py)."""
        self.analysis = analysis
        self.history = history or History()
        self.directory_urls = directory_urls
        self.site_url = site_url.rstrip("/") + "/" if site_url else None
        """Where the site is published (mkdocs.yml `site_url`): JSON-LD URLs are absolute."""
        self.edit_url = edit_url
        self.meta: BriefingMeta = analysis.briefing.meta
        self.sources = analysis.briefing.sources
        kept_env = reuse.environments.get(templates_dir) if reuse is not None else None
        self.env = kept_env or template_environment(templates_dir)
        if reuse is not None:
            reuse.environments[templates_dir] = self.env
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
        reuse = self.reuse or Reuse()
        reuse.begin(self._context())
        pages = [
            reuse.always(lambda: self._with_json_ld(self.home())),
            reuse.always(lambda: self._with_json_ld(self.whats_new())),
            *(
                reuse.page(
                    topic_path(t.id),
                    self._topic_inputs(t),
                    lambda t=t: self._with_json_ld(self.topic(t)),  # type: ignore[misc]
                )
                for t in self.page_topics
            ),
            reuse.always(lambda: self._with_json_ld(self.sources_index())),
        ]
        pages += [
            reuse.page(
                source_path(s.id),
                self._source_inputs(s),
                lambda s=s: self._with_json_ld(self.source(s)),  # type: ignore[misc]
            )
            for s in sorted(self.sources.values(), key=lambda s: s.id)
        ]
        pages += [
            reuse.always(lambda make=make: self._with_json_ld(make()))  # type: ignore[misc]
            for make in (self.disputed, self.sourcing, self.timeline, self.changes)
        ]
        reuse.finish({page.path for page in pages}, {s.anchor for s in self.analysis.statements})
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
        return Site(tuple(pages), tuple(nav), self._assets(), self.data_files(reuse))

    def _context(self) -> tuple[object, ...]:
        """What every page may read beyond its own inputs: a change renders all again."""
        return (
            self.meta,
            tuple(self.sources.values()),
            self.history,
            self.releases.releases if self.releases else None,
            self.directory_urls,
            self.site_url,
            self.citation_format,
        )

    def _topic_inputs(self, topic: Topic) -> tuple[object, ...]:
        """What a topic page is rendered from besides the context: its notes (as analysed,
        with the passages they link to), the facts disputed in it, its release marks."""
        notes = tuple(self.analysis.notes_for(topic.id))
        facts = tuple(f for f in self.analysis.facts if f.declaration.topic == topic.id)
        marks = tuple(self.marks.get(s.anchor) for n in notes for s in n.statements)
        return notes, facts, marks

    def _source_inputs(self, source: Source) -> tuple[object, ...]:
        """What a source page is rendered from besides the context: the statements citing
        it with the titles of their notes, and its quoted passages."""
        citing = tuple(
            (s, self.note_by_slug[s.note_slug].meta.title, self.page_of_note[s.note_slug])
            for s in self.analysis.cited_by.get(source.id, [])
        )
        return source, citing, tuple(self.analysis.passages_of(source.id))

    def data_files(self, reuse: Reuse | None = None) -> tuple[tuple[str, bytes], ...]:
        return data_files(self.analysis, self.directory_urls, reuse)

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
        first, last = self.history.first_change(files), self._updated(files)
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

    def _references_list(self, numbering: Numbering, fragments: Fragments) -> Markup | str:
        """The page's references as HTML, a block fragment for `_references.md.j2`: each
        source cited, in the order of its number, with its label (linked to its page), title,
        authors, outlet, date, type and grade. The generator writes it rather than Markdown:
        under every topic page of a large briefing, the list was a quarter of what Markdown
        read. Out of the search index: a source is found on its own page, not again under
        every page that cites it."""
        if not numbering.numbers:
            return ""
        items = "\n".join(
            self._reference_item(source, numbering) for _, source in numbering.references()
        )
        return Markup(
            fragments.block(
                f'<div class="references" {SEARCH_EXCLUDE}>\n<ol>\n{items}\n</ol>\n</div>'
            )
        )

    def _reference_item(self, source: Source, numbering: Numbering) -> str:
        """One entry, worded as the Markdown template of the list worded it."""
        meta, label = source.meta, self.labels[source.id]
        url = href(numbering.page, source_path(source.id), self.directory_urls)
        title = f": {meta.title}" if meta.title != label else ""
        said = [p for p in (", ".join(meta.author), meta.publisher, meta.issued_words) if p]
        grade = meta.reliability
        return (
            f'<li><a href="{url}">{html.escape(label)}</a>'
            f"{html.escape(title)}, {html.escape(', '.join(said))}. "
            f"{html.escape(meta.type.capitalize())}; "
            f"reliability {grade_badge(grade)} {RELIABILITY_LABELS[grade]}.</li>"
        )

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
        return self.history.last_change(files)

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
            references_list=self._references_list(numbering, fragments),
            sources_url=Markup(SOURCES_INDEX),
        )
        return Page(
            HOME,
            "Home",
            _with_legend(markdown, numbering, fragments),
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
            references_list=self._references_list(numbering, fragments),
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
            _with_legend(markdown, numbering, fragments),
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
        """The statements citing a source, as an HTML list: each citing note once, linked to
        its heading and named with its topic, over the statements of it that cite the
        source, each linked to where it stands. A note citing a source ten times is named
        once, not ten times."""
        by_note: dict[str, list[Statement]] = {}
        for statement in statements:
            by_note.setdefault(statement.note_slug, []).append(statement)
        items = []
        for slug, citing in by_note.items():
            target = self.page_of_note[slug]
            note = self.note_by_slug[slug]
            topic = self.meta.title if target == HOME else _topic_title(self.meta, note.meta.topic)
            url = href(page, target, self.directory_urls)
            quoted = "\n".join(
                f'<li><a href="{url}#{s.anchor}">“{html.escape(reading_text(s.plain))}”</a></li>'
                for s in citing
            )
            items.append(
                f'<li><a href="{url}#{slug}">{html.escape(topic)} › '
                f"{html.escape(note.meta.title)}</a>\n<ul>\n{quoted}\n</ul></li>"
            )
        # Out of the search index: each statement is found where it stands, not again on the
        # page of every source it cites. The attribute is on a <div> around the list: Material's
        # search stops skipping an excluded element at the first end tag of its name inside it
        # (an inner </ul> would end an excluded <ul>), and then fails on the lists' items.
        return (
            f'<div class="cited-by" {SEARCH_EXCLUDE}>\n<ul>\n'
            + "\n".join(items)
            + "\n</ul>\n</div>"
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
    reuse: Reuse | None = None,
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
        reuse=reuse,
    ).site()


def _with_legend(markdown: str, numbering: Numbering, fragments: Fragments) -> str:
    """A page's Markdown with the words of its badges' grades at its end (grade_legend), made
    here rather than in a template, so that a template of one's own cannot leave a badge
    unnamed."""
    legend = grade_legend(numbering.grades)
    return f"{markdown.rstrip()}\n\n{fragments.block(legend)}\n" if legend else markdown
