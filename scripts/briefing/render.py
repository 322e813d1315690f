"""Render the analysed briefing into Markdown pages and a navigation, through Jinja templates.

The core knows nothing of MkDocs: it returns (path, Markdown) pages; an adapter
hands them to the site engine.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from .analyse import AnalysedNote, Analysis, Statement
from .citations import CitationGroup, CitationItem
from .gitinfo import Commit, History
from .markup import attr_text, template_environment
from .passages import Passage, archived_html, find_passages
from .quotes import normalise
from .models import RELIABILITY_LABELS, BriefingMeta, Source, Topic

HOME = "index.md"
SOURCES_INDEX = "sources/index.md"
CHANGES = "changes.md"


def topic_path(topic_id: str) -> str:
    return f"topics/{topic_id}.md"


def source_path(source_id: str) -> str:
    return f"sources/{source_id}.md"


def relative(from_page: str, to_page: str) -> str:
    """A link from one generated page to another, as MkDocs resolves .md links."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


@dataclass(frozen=True)
class Page:
    path: str
    title: str
    markdown: str


@dataclass(frozen=True)
class NavEntry:
    title: str
    path: str


@dataclass(frozen=True)
class Site:
    pages: tuple[Page, ...]
    nav: tuple[NavEntry, ...]
    assets: tuple[tuple[str, bytes], ...]


@dataclass
class Numbering:
    """Citation numbers on one page: each source numbered at its first citation."""

    page: str
    sources: dict[str, Source]
    numbers: dict[str, int] = field(default_factory=dict)

    def number(self, source_id: str) -> int:
        return self.numbers.setdefault(source_id, len(self.numbers) + 1)

    def references(self) -> list[tuple[int, Source]]:
        return [(n, self.sources[sid]) for sid, n in self.numbers.items()]


def grade_badge(grade: str) -> str:
    label = RELIABILITY_LABELS[grade]
    return (f'<span class="grade grade-{grade.lower()}" title="Reliability {grade}: {label}">'
            f"{grade}</span>")


def tooltip(source: Source, item: CitationItem) -> str:
    """What a reader sees on hovering a marker: the source, its grade, the locator or quote."""
    meta = source.meta
    parts = [meta.title, meta.publisher, meta.issued, meta.type,
             f"reliability {meta.reliability} ({RELIABILITY_LABELS[meta.reliability]})"]
    text = " · ".join(p for p in parts if p)
    where = f"\u201c{item.quote}\u201d" if item.quote is not None else item.locator
    return attr_text(f"{text} — {where}" if where else text)


def citation_marker(group: CitationGroup, numbering: Numbering,
                    passages: dict[str, dict[str, Passage]] | None = None) -> str:
    """A citation group as numbered links to the cited sources (at the quoted passage, for a
    quote), each with its grade."""
    links = []
    for item in group.items:
        source = numbering.sources[item.key]
        number = numbering.number(item.key)
        url = relative(numbering.page, source_path(item.key))
        passage = (passages or {}).get(item.key, {}).get(normalise(item.quote or ""))
        if passage:
            url += f"#{passage.anchor}"
        links.append(f'[{number}]({url} "{tooltip(source, item)}")'
                     f"{grade_badge(source.meta.reliability)}")
    return '<sup class="cite">' + ", ".join(links) + "</sup>"


def _line_offsets(body: str) -> list[int]:
    offsets, total = [], 0
    for line in body.split("\n"):
        offsets.append(total)
        total += len(line) + 1
    return offsets


def note_markdown(analysed: AnalysedNote, cite: Callable[[CitationGroup], str]) -> str:
    """The note body with statement anchors, citation groups replaced by `cite(group)`,
    and headings moved under the note's own heading."""
    body = analysed.note.body
    starts = _line_offsets(body)

    def at(position: tuple[int, int]) -> int:
        return starts[position[0]] + position[1]

    edits: list[tuple[int, int, str]] = []
    for statement in analysed.statements:
        edits.append((at(statement.sentence.start), 0,
                      f'<span class="statement" id="{statement.anchor}"></span>'))
    for sentence in analysed.prose.sentences:
        for group, (start, end) in zip(sentence.citations, sentence.citation_spans):
            begin = at(start)
            while begin > 0 and body[begin - 1] == " ":
                begin -= 1
            edits.append((begin, at(end) - begin, cite(group)))
    for line, level in analysed.prose.headings:
        edits.append((starts[line], 0, "#" * (min(level + 2, 6) - level)))
    return _apply(body, edits)


def _apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Apply (offset, length, replacement) edits; later offsets first so earlier stay valid."""
    for offset, length, replacement in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:offset] + replacement + text[offset + length:]
    return text


class Renderer:
    """Renders every page of one analysed briefing."""

    def __init__(self, analysis: Analysis, templates_dir: Path, history: History | None = None,
                 edit_url: Callable[[str], str | None] = lambda path: None) -> None:
        assert analysis.briefing.meta is not None, "render needs a valid briefing.yml"
        self.analysis = analysis
        self.history = history or History()
        self.edit_url = edit_url
        self.meta: BriefingMeta = analysis.briefing.meta
        self.sources = analysis.briefing.sources
        self.env = template_environment(templates_dir)
        self.templates_dir = templates_dir
        self.passages = find_passages(analysis)
        self.note_by_slug = {n.note.slug: n.note for n in analysis.notes}
        self.page_of_note = {n.note.slug: self._page_of_topic(n.note.meta.topic)
                             for n in analysis.notes}

    def _page_of_topic(self, topic_id: str) -> str:
        return HOME if topic_id == self.meta.summary_topic else topic_path(topic_id)

    @property
    def page_topics(self) -> list[Topic]:
        """Topics with a page of their own (the summary topic opens the home page)."""
        return [t for t in self.meta.topics if t.id != self.meta.summary_topic]

    def site(self) -> Site:
        pages = [self.home(), *(self.topic(t) for t in self.page_topics), self.sources_index()]
        pages += [self.source(s) for s in sorted(self.sources.values(), key=lambda s: s.id)]
        pages.append(self.changes())
        nav = [NavEntry("Home", HOME), *(NavEntry(t.title, topic_path(t.id)) for t in self.page_topics),
               NavEntry("Sources", SOURCES_INDEX), NavEntry("Changes", CHANGES)]
        return Site(tuple(pages), tuple(nav), self._assets())

    def _assets(self) -> tuple[tuple[str, bytes], ...]:
        folder = self.templates_dir / "assets"
        if not folder.is_dir():
            return ()
        return tuple((f"assets/briefing/{p.name}", p.read_bytes())
                     for p in sorted(folder.iterdir()) if p.is_file())

    def _notes(self, topic_id: str, numbering: Numbering) -> list[dict[str, object]]:
        return [{
            "slug": Markup(n.note.slug),
            "title": n.note.meta.title,
            "author": n.note.meta.author,
            "edit_url": self.edit_url(n.note.origin.path),
            "markdown": Markup(note_markdown(
                n, lambda group: citation_marker(group, numbering, self.passages))),
        } for n in self.analysis.notes_for(topic_id)]

    def _references(self, numbering: Numbering) -> list[dict[str, object]]:
        return [self._source_entry(source, numbering.page) | {"number": number}
                for number, source in numbering.references()]

    def _source_entry(self, source: Source, page: str) -> dict[str, object]:
        meta = source.meta
        return {
            "id": source.id,
            "url": Markup(relative(page, source_path(source.id))),
            "title": meta.title,
            "authors": ", ".join(meta.author),
            "publisher": meta.publisher,
            "issued": meta.issued,
            "type": meta.type,
            "grade": meta.reliability,
            "grade_label": RELIABILITY_LABELS[meta.reliability],
            "badge": Markup(grade_badge(meta.reliability)),
            "link": meta.url,
            "accessed": meta.accessed or "",
            "language": meta.language or self.meta.language,
            "note": meta.note,
        }

    def _render(self, template: str, page: str, **context: object) -> str:
        return self.env.get_template(template).render(briefing=self.meta, page=page,
                                                      history=self.history, **context)

    def _updated(self, files: Iterable[str]) -> Commit | None:
        """The last change to the brief files a page is built from."""
        return self.history.last_change(Path(path) for path in files)

    def _topic_files(self, topic_id: str) -> list[str]:
        notes = self.analysis.notes_for(topic_id)
        cited = {sid for n in notes for s in n.statements for sid in s.source_ids}
        return [n.note.origin.path for n in notes] + [self.sources[sid].origin.path for sid in sorted(cited)]

    def home(self) -> Page:
        numbering = Numbering(HOME, self.sources)
        key_points = self._notes(self.meta.summary_topic, numbering) if self.meta.summary_topic else []
        topics = [{"title": t.title, "url": Markup(topic_path(t.id)),
                   "notes": len(self.analysis.notes_for(t.id))} for t in self.page_topics]
        counts = {"sources": len(self.sources), "notes": len(self.analysis.notes),
                  "statements": sum(1 for _ in self.analysis.statements)}
        files = [self.analysis.briefing.origin.path]
        files += self._topic_files(self.meta.summary_topic) if self.meta.summary_topic else []
        markdown = self._render("home.md.j2", HOME, key_points=key_points, topics=topics,
                                updated=self._updated(files),
                                counts=counts, references=self._references(numbering),
                                sources_url=Markup(SOURCES_INDEX))
        return Page(HOME, "Home", markdown)

    def topic(self, topic: Topic) -> Page:
        page = topic_path(topic.id)
        numbering = Numbering(page, self.sources)
        notes = self._notes(topic.id, numbering)
        markdown = self._render("topic.md.j2", page, topic=topic, notes=notes,
                                updated=self._updated(self._topic_files(topic.id)),
                                references=self._references(numbering))
        return Page(page, topic.title, markdown)

    def sources_index(self) -> Page:
        entries = [self._source_entry(s, SOURCES_INDEX) | {"cited": len(self.analysis.cited_by.get(s.id, []))}
                   for s in sorted(self.sources.values(), key=lambda s: (s.meta.title.casefold(), s.id))]
        updated = self._updated(s.origin.path for s in self.sources.values())
        markdown = self._render("sources.md.j2", SOURCES_INDEX, sources=entries, updated=updated,
                                grades=RELIABILITY_LABELS)
        return Page(SOURCES_INDEX, "Sources", markdown)

    def source(self, source: Source) -> Page:
        page = source_path(source.id)
        cited_by = [self._citing(statement, page) for statement in self.analysis.cited_by.get(source.id, [])]
        facts = [{"label": self.meta.facts[k].label if k in self.meta.facts else k, "values": v}
                 for k, v in source.meta.facts.items()]
        markdown = self._render("source.md.j2", page, source=self._source_entry(source, page),
                                updated=self._updated([source.origin.path]),
                                edit_url=self.edit_url(source.origin.path),
                                facts=facts, cited_by=cited_by,
                                archived=Markup(archived_html(
                                    source.body, list(self.passages.get(source.id, {}).values()))))
        return Page(page, source.meta.title, markdown)

    def changes(self) -> Page:
        """The history of the briefing, newest first, with the topics and sources each change touched."""
        topic_of = {str(Path(n.note.origin.path).resolve()): n.note.meta.topic for n in self.analysis.notes}
        source_of = {str(Path(s.origin.path).resolve()): s for s in self.sources.values()}
        entries = []
        for commit in self.history.commits:
            topics = sorted({topic_of[f] for f in commit.files if f in topic_of},
                            key=lambda t: [x.id for x in self.meta.topics].index(t))
            entries.append({
                "commit": commit,
                "topics": [{"title": _topic_title(self.meta, t), "url": Markup(self._page_of_topic(t))}
                           for t in topics],
                "sources": [{"title": source_of[f].meta.title,
                             "url": Markup(relative(CHANGES, source_path(source_of[f].id)))}
                            for f in commit.files if f in source_of],
                "other": sorted(Path(f).name for f in commit.files
                                if f not in topic_of and f not in source_of),
            })
        markdown = self._render("changes.md.j2", CHANGES, entries=entries)
        return Page(CHANGES, "Changes", markdown)

    def _citing(self, statement: Statement, page: str) -> dict[str, object]:
        target = self.page_of_note[statement.note_slug]
        note = self.note_by_slug[statement.note_slug]
        return {
            "url": Markup(f"{relative(page, target)}#{statement.anchor}"),
            "topic": self.meta.title if target == HOME else _topic_title(self.meta, note.meta.topic),
            "note": note.meta.title,
            "text": statement.plain,
        }


def _topic_title(meta: BriefingMeta, topic_id: str) -> str:
    return next((t.title for t in meta.topics if t.id == topic_id), topic_id)


def render_site(analysis: Analysis, templates_dir: Path, history: History | None = None,
                edit_url: Callable[[str], str | None] = lambda path: None) -> Site:
    return Renderer(analysis, templates_dir, history, edit_url).site()

