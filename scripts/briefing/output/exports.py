"""Open data: the bibliography as CSL-JSON, every statement as JSON, and schema.org JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..analysis.facts import FactComparison, value_words
from ..analysis.model import Analysis, Statement
from ..read.dates import csl_date, parse_date
from ..read.models import (
    LABEL_LIMIT,
    RELIABILITY_LABELS,
    OrganisationName,
    Source,
    SourceMeta,
    shorten,
    source_labels,
    split_name,
)
from .reuse import Reuse
from .urls import note_page, page_url

CSL_TYPES = {
    "primary": "document",
    "reporting": "article-newspaper",
    "analysis": "report",
    "commentary": "post-weblog",
    "unknown": "document",
}
"""The CSL type of each record type, which `csl_type` refines from the record's other fields.
Never `article`: CSL styles format it as a preprint."""

_TREATY = re.compile(r"\b(treaty|convention|pact|agreement|accord)\b", re.IGNORECASE)
_LAW = re.compile(r"\b(law|decree|statute|ordinance|resolution)\b", re.IGNORECASE)

PERIODICAL_TYPES = frozenset({"article-newspaper", "post-weblog", "webpage"})
"""CSL types published inside something (a newspaper, a blog, a website): the record's
`publisher` is also their `container-title`."""

SCHEMA_TYPES = {
    "article-newspaper": "NewsArticle",
    "post-weblog": "BlogPosting",
    "webpage": "WebPage",
    "report": "Report",
    "legislation": "Legislation",
    "treaty": "Legislation",
    "document": "CreativeWork",
}
"""The schema.org type (a CreativeWork) of each CSL type a source can get."""


def is_organisation(name: str, meta: SourceMeta) -> bool:
    """An author whose name is kept whole: written `{literal: …}`, or also the publisher."""
    return isinstance(name, OrganisationName) or name == meta.publisher


def csl_name(name: str, meta: SourceMeta) -> dict[str, str]:
    """A CSL name: `family` and `given` for a person (models.split_name: `Gilbert Doctorow`,
    `Ursula von der Leyen`, `Kim, Jong Un`); a `literal` for an organisation or a name of
    one word."""
    family, given = ("", "") if is_organisation(name, meta) else split_name(name)
    return {"family": family, "given": given} if given else {"literal": str(name)}


def csl_type(meta: SourceMeta) -> str:
    """The CSL type of a source, from its record type (CSL_TYPES) and hints: a primary source
    whose title names a treaty (treaty, convention, pact, agreement, accord) is a `treaty`, a
    law (law, decree, statute, ordinance, resolution) `legislation`; commentary is a
    `post-weblog` under a person's name, an `article-newspaper` (an editorial) under an
    outlet's; unknown sources, and commentary with neither, are a `webpage` when they have a
    URL, else a `document`."""
    if meta.type == "primary":
        if _TREATY.search(meta.title):
            return "treaty"
        return "legislation" if _LAW.search(meta.title) else "document"
    if meta.type == "commentary":
        if meta.author and not is_organisation(meta.author[0], meta):
            return "post-weblog"
        if meta.publisher:
            return "article-newspaper"
    if meta.type in ("commentary", "unknown"):
        return "webpage" if meta.url else "document"
    return CSL_TYPES[meta.type]


_MAIN_TITLE = re.compile(r"(.+?[?!])\s|(.+?)(?::\s|\s[–—]\s)")
"""A title's main title: up to a question or exclamation mark, a colon, or a spaced dash."""


def short_title(meta: SourceMeta) -> str | None:
    """CSL's `title-short`: the record's own; else, for a title longer than LABEL_LIMIT (40)
    characters, its main title when that is short enough ("Nothing to worry about?" for
    "Nothing to worry about? South Korea sounds the alarm"), or its first words with "…"
    (models.shorten); else None (a short title is its own short form)."""
    if meta.title_short:
        return meta.title_short
    title = " ".join(meta.title.split())
    if len(title) <= LABEL_LIMIT:
        return None
    main = _MAIN_TITLE.match(title)
    if main and len(head := (main.group(1) or main.group(2)).strip()) <= LABEL_LIMIT:
        return head
    return shorten(title, LABEL_LIMIT)


def _date(value: str) -> dict[str, Any]:
    """CSL's date object: `date-parts`, with `circa` or as a `literal` where EDTF says more."""
    return dict(csl_date(parse_date(value)))


def _iso_date(value: str) -> str | None:
    """The value as schema.org reads a date (ISO 8601), or None for what ISO cannot say."""
    date = parse_date(value)
    plain = not (date.interval or date.unspecified or date.uncertain or date.approximate)
    return value if plain else None


def csl_item(source: Source, language: str) -> dict[str, Any]:
    """One source as a CSL-JSON item (README, "Open data"); the reliability grade goes into
    `note`."""
    meta = source.meta
    grade = f"Reliability {meta.reliability} ({RELIABILITY_LABELS[meta.reliability]})"
    kind = csl_type(meta)
    item: dict[str, Any] = {
        "id": source.id,
        "type": kind,
        "title": meta.title,
        "issued": _date(meta.issued),
        "language": meta.language or language,
        "note": f"{grade}. {meta.note}".strip(),
    }
    if (short := short_title(meta)) is not None:
        item["title-short"] = short
    if meta.author:
        item["author"] = [csl_name(name, meta) for name in meta.author]
    if meta.publisher:
        item["publisher"] = meta.publisher
        if kind in PERIODICAL_TYPES:
            item["container-title"] = meta.publisher
    if meta.url:
        item["URL"] = meta.url
    if meta.accessed:
        item["accessed"] = _date(meta.accessed)
    return item


def bibliography(analysis: Analysis) -> list[dict[str, Any]]:
    language = analysis.briefing.meta.language if analysis.briefing.meta else "en"
    return [csl_item(s, language) for _, s in sorted(analysis.briefing.sources.items())]


def statement_record(analysis: Analysis, statement: Statement, page_url: str) -> dict[str, Any]:
    """One statement: `kind` is `attribution` (it reports what its sources say) or `assertion`
    (it says something about the subject, resting on its `supporting` citations); the
    strength fields that do not apply to its kind are null (README, "Open data")."""
    strength = analysis.strength(statement)
    attribution = strength.attribution
    return {
        "id": statement.anchor,
        "page": f"{page_url}#{statement.anchor}",
        "note": statement.note_slug,
        "file": statement.path,
        "line": statement.line,
        "text": statement.plain,
        "markdown": statement.text,
        "kind": strength.kind,
        "citations": [
            {
                "source": c.source_id,
                "locator": c.locator,
                "quote": c.quote,
                "quotes": list(c.quotes),
                "translation": c.translation,
                "verified": c.verified,
                "role": c.role,
                "credibility": c.credibility,
                "credibility_given": c.credibility_given,
                "reliability": _grade(analysis, c.source_id),
            }
            for c in statement.citations
        ],
        "strength": {
            "sources": strength.sources,
            "supporting_sources": strength.supporting,
            "independent_sources": strength.independent,
            "best_grade": strength.best_grade,
            "verified": strength.verified if attribution else None,
            "corroborated": None if attribution else strength.corroborated,
            "weak": None if attribution else strength.weak,
        },
    }


def _grade(analysis: Analysis, source_id: str) -> str | None:
    source = analysis.briefing.sources.get(source_id)
    return source.meta.reliability if source else None


def statements(analysis: Analysis, page_url_of_note: dict[str, str]) -> list[dict[str, Any]]:
    """Every statement, with where it is published, its citations and its sourcing strength."""
    return [
        statement_record(analysis, s, page_url_of_note[s.note_slug]) for s in analysis.statements
    ]


def statements_json(
    analysis: Analysis, page_url_of_note: dict[str, str], reuse: Reuse | None = None
) -> str:
    """statements.json: `to_json(statements(…))`, each statement's line kept by `reuse` while
    the statement, its strength and its page stay the same (the sources' grades are in
    what every page reads: reuse.Reuse.begin)."""
    if reuse is None:
        return to_json(statements(analysis, page_url_of_note))
    lines = []
    for s in analysis.statements:
        url = page_url_of_note[s.note_slug]
        lines.append(
            reuse.record(
                s.anchor,
                (s, analysis.strength(s), url),
                lambda s=s, url=url: _ENCODER.encode(statement_record(analysis, s, url)),  # type: ignore[misc]
            )
        )
    return _json_lines(lines)


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
"""Compact within an item: the spaces after `,` and `:` were a fifteenth of statements.json."""


def to_json(data: Any) -> str:
    """Stable JSON (same data, same bytes); a list has one item per line, to read and diff."""
    if isinstance(data, list):
        return _json_lines(map(_ENCODER.encode, data))
    return _ENCODER.encode(data) + "\n"


def _json_lines(items: Iterable[str]) -> str:
    """A JSON list of items already encoded, one a line."""
    return "[\n" + ",\n".join(items) + "\n]\n"


@dataclass(frozen=True)
class LdPage:
    """What one page's JSON-LD describes, every URL written as the page links it: absolute
    when the site's address is known (mkdocs.yml `site_url`), else relative to the page
    itself, so that a JSON-LD processor resolving them against the page's URL gets the
    published addresses (render.Renderer._with_json_ld)."""

    name: str
    url: str
    """The page's own URL: its `@id`."""
    home_url: str
    """The home page's URL; the briefing is `<home_url>#briefing`."""
    source_url: Callable[[str], str]
    """A source's page URL, by source id; the source itself is `<source page URL>#source`."""
    kind: str = "page"
    """`home`, `topic`, `source` (a source's own page), `disputed` or `page`."""
    cited: Sequence[str] = ()
    """Ids of the sources the page cites, in order."""
    authors: Sequence[str] = ()
    """Authors of the notes on the page."""
    published: str | None = None
    """The first change of the files the page is built from (YYYY-MM-DD), from git."""
    modified: str | None = None
    """The last change of the files the page is built from."""
    about: str | None = None
    """A source page's source id."""
    parts: Sequence[tuple[str, str]] = ()
    """The home page's topic pages: (title, URL)."""
    briefing_authors: Sequence[str] = ()
    briefing_dates: tuple[str | None, str | None] = (None, None)
    """The first and last change of the whole briefing (the home page's `mainEntity`)."""
    disputed: Sequence[FactComparison] = ()
    """The disputed facts page's disputed facts: a ClaimReview each."""
    fact_url: Callable[[str], str] = field(default=lambda key: f"#{key}")
    """A fact's URL on the disputed facts page, by key."""


DISPUTED_RATING = {
    "@type": "Rating",
    "alternateName": "Disputed",
    "ratingExplanation": "Sources state values of this fact that cannot all be true; "
    "the briefing shows each with its sources and does not settle it.",
}
"""The review of a disputed fact (schema.org has no rating scale for "sources disagree")."""


def json_ld(analysis: Analysis, page: LdPage) -> str:
    """schema.org JSON-LD for one page (README, "Open data"), safe inside <script>."""
    return ld_script(page_json_ld(analysis, page))


def ld_script(data: Any) -> str:
    """JSON for a <script type="application/ld+json"> element: `<`, `>` and `&` as JSON
    escapes, so that no text (a title with `</script>`) can end the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_json_ld(analysis: Analysis, page: LdPage) -> dict[str, Any]:
    """One page as a schema.org `WebPage` with an `@id` (its URL), part of the briefing (a
    `Report`, `<home>#briefing`), with its dates, its notes' authors and the sources it
    cites; the home page's main entity is the briefing, a source page is `about` the source
    (a CreativeWork, `<source page>#source`), the disputed facts page has a `ClaimReview` of
    each disputed fact."""
    meta = analysis.briefing.meta
    assert meta is not None
    sources = analysis.briefing.sources
    briefing_id = f"{page.home_url}#briefing"
    briefing: dict[str, Any] = {
        "@type": "Report",
        "@id": briefing_id,
        "name": meta.title,
        "url": page.home_url,
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": page.url,
        "url": page.url,
        "name": page.name,
        "inLanguage": meta.language,
        "isPartOf": briefing,
    }
    _dates(data, page.published, page.modified)
    if page.authors:
        data["author"] = [_person(name) for name in dict.fromkeys(page.authors)]
    if page.kind == "home":
        data["isPartOf"] = {"@id": briefing_id}
        data["mainEntity"] = briefing
        briefing["inLanguage"] = meta.language
        if meta.subtitle:
            briefing["alternativeHeadline"] = meta.subtitle
        if page.briefing_authors:
            briefing["author"] = [_person(name) for name in dict.fromkeys(page.briefing_authors)]
        _dates(briefing, *page.briefing_dates)
        briefing["hasPart"] = [
            {"@type": "WebPage", "@id": url, "name": name} for name, url in page.parts
        ]
    if page.kind == "source" and page.about in sources:
        data["about"] = creative_work(sources[page.about], page.source_url(page.about))
    cited = [sid for sid in page.cited if sid in sources and sid != page.about]
    if cited:
        data["citation"] = [creative_work(sources[sid], page.source_url(sid)) for sid in cited]
    if page.kind == "disputed" and page.disputed:
        labels = source_labels(sources)
        data["hasPart"] = [claim_review(fact, page, labels) for fact in page.disputed]
    return data


def _dates(node: dict[str, Any], published: str | None, modified: str | None) -> None:
    if published:
        node["datePublished"] = published
    if modified:
        node["dateModified"] = modified


def _person(name: str) -> dict[str, Any]:
    return {"@type": "Person", "name": name}


def _agent(name: str, meta: SourceMeta) -> dict[str, Any]:
    """A source's author: an Organization (kept whole), or a Person with the family and given
    names CSL-JSON gives them."""
    if is_organisation(name, meta):
        return {"@type": "Organization", "name": str(name)}
    family, given = split_name(name)
    person: dict[str, Any] = {"@type": "Person", "name": name, "familyName": family}
    if given:
        person["givenName"] = given
    return person


def creative_work(source: Source, page_url: str) -> dict[str, Any]:
    """A source as schema.org describes it: a CreativeWork (SCHEMA_TYPES: NewsArticle,
    BlogPosting, Report, Legislation, WebPage …) whose `@id` is `<its page>#source` and whose
    `url` is where it was published (an absolute http(s) URL only)."""
    meta = source.meta
    work: dict[str, Any] = {
        "@type": SCHEMA_TYPES[csl_type(meta)],
        "@id": f"{page_url}#source",
        "name": meta.title,
        "mainEntityOfPage": page_url,
    }
    if (short := short_title(meta)) is not None:
        work["alternateName"] = short
    if (published := _iso_date(meta.issued)) is not None:
        work["datePublished"] = published
    if meta.author:
        work["author"] = [_agent(name, meta) for name in meta.author]
    if meta.publisher:
        work["publisher"] = {"@type": "Organization", "name": meta.publisher}
    if urlsplit(meta.url).scheme in ("http", "https"):
        work["url"] = meta.url
    if meta.language:
        work["inLanguage"] = meta.language
    return work


def claim_review(fact: FactComparison, page: LdPage, labels: dict[str, str]) -> dict[str, Any]:
    """A disputed fact as the closest schema.org fit, a `ClaimReview`: the claim reviewed is
    the fact and the values sources state for it ("Date of signing: 17 February, year not
    given (202–) (Unattributed); 19 February 2016 (Unattributed)"), the rating "Disputed"
    (DISPUTED_RATING), the item reviewed a `Claim` appearing in each source that states it."""
    label = fact.declaration.label
    values = "; ".join(
        f"{value_words(fact.declaration.type, v.value)} "
        f"({', '.join(labels.get(s, s) for s in v.sources)})"
        for v in fact.values
    )
    url = page.fact_url(fact.key)
    return {
        "@type": "ClaimReview",
        "@id": url,
        "url": url,
        "name": f"Sources disagree: {label}",
        "claimReviewed": f"{label}: {values}",
        "reviewRating": dict(DISPUTED_RATING),
        "itemReviewed": {
            "@type": "Claim",
            "name": label,
            "appearance": [{"@id": f"{page.source_url(sid)}#source"} for sid in fact.sources],
        },
    }


def robots_txt(site_url: str | None) -> str:
    """robots.txt: every page may be read; with the site's address, where its sitemap is."""
    text = "User-agent: *\nDisallow:\n"
    return text + f"\nSitemap: {site_url.rstrip('/')}/sitemap.xml\n" if site_url else text


def data_files(
    analysis: Analysis, directory_urls: bool, reuse: Reuse | None = None
) -> tuple[tuple[str, bytes], ...]:
    """The open data published with the site: bibliography.json and statements.json (each
    statement with the URL of the page it is on)."""
    summary = analysis.briefing.meta.summary_topic if analysis.briefing.meta else None
    urls = {
        n.note.slug: page_url(note_page(n.note.meta.topic, summary), directory_urls)
        for n in analysis.notes
    }
    return (
        ("bibliography.json", to_json(bibliography(analysis)).encode()),
        ("statements.json", statements_json(analysis, urls, reuse).encode()),
    )
