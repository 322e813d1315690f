"""Open data: the bibliography as CSL-JSON, every statement as JSON, and schema.org JSON-LD."""

from __future__ import annotations

import json
from typing import Any

from .analyse import Analysis, Statement
from .dates import csl_date, parse_date
from .models import RELIABILITY_LABELS, Source

CSL_TYPES = {
    "primary": "document",
    "reporting": "article-newspaper",
    "analysis": "report",
    "commentary": "article",
    "unknown": "document",
}


def _date(value: str) -> dict[str, Any]:
    """CSL's date object: `date-parts`, with `circa` or as a `literal` where EDTF says more."""
    return dict(csl_date(parse_date(value)))


def _iso_date(value: str) -> str | None:
    """The value as schema.org reads a date (ISO 8601), or None for what ISO cannot say."""
    date = parse_date(value)
    plain = not (date.interval or date.unspecified or date.uncertain or date.approximate)
    return value if plain else None


def csl_item(source: Source, language: str) -> dict[str, Any]:
    """One source as a CSL-JSON item; the reliability grade goes into `note`."""
    meta = source.meta
    grade = f"Reliability {meta.reliability} ({RELIABILITY_LABELS[meta.reliability]})"
    item: dict[str, Any] = {
        "id": source.id,
        "type": CSL_TYPES[meta.type],
        "title": meta.title,
        "issued": _date(meta.issued),
        "language": meta.language or language,
        "note": f"{grade}. {meta.note}".strip(),
    }
    if meta.title_short:
        item["title-short"] = meta.title_short
    if meta.author:
        item["author"] = [{"literal": name} for name in meta.author]
    if meta.publisher:
        item["publisher"] = meta.publisher
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
        "citations": [{"source": c.source_id, "locator": c.locator, "quote": c.quote,
                       "quotes": list(c.quotes), "verified": c.verified, "role": c.role,
                       "credibility": c.credibility, "credibility_given": c.credibility_given,
                       "reliability": _grade(analysis, c.source_id)}
                      for c in statement.citations],
        "strength": {"sources": strength.sources, "supporting_sources": strength.supporting,
                     "independent_sources": strength.independent,
                     "best_grade": strength.best_grade,
                     "verified": strength.verified if attribution else None,
                     "corroborated": None if attribution else strength.corroborated,
                     "weak": None if attribution else strength.weak},
    }


def _grade(analysis: Analysis, source_id: str) -> str | None:
    source = analysis.briefing.sources.get(source_id)
    return source.meta.reliability if source else None


def statements(analysis: Analysis, page_url_of_note: dict[str, str]) -> list[dict[str, Any]]:
    """Every statement, with where it is published, its citations and its sourcing strength."""
    return [statement_record(analysis, s, page_url_of_note[s.note_slug]) for s in analysis.statements]


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def to_json(data: Any) -> str:
    """Stable JSON (same data, same bytes); a list has one item per line, to read and diff."""
    if isinstance(data, list):
        return "[\n" + ",\n".join(map(_ENCODER.encode, data)) + "\n]\n"
    return _ENCODER.encode(data) + "\n"


def json_ld(analysis: Analysis, cited: list[str], name: str, url: str) -> str:
    """schema.org JSON-LD for one page: the report and the sources it cites, safe inside <script>."""
    meta = analysis.briefing.meta
    assert meta is not None
    sources = analysis.briefing.sources
    data = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": name,
        "isPartOf": {"@type": "Report", "name": meta.title},
        "inLanguage": meta.language,
        "url": url,
        "citation": [_creative_work(sources[sid]) for sid in cited if sid in sources],
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _creative_work(source: Source) -> dict[str, Any]:
    meta = source.meta
    work: dict[str, Any] = {"@type": "CreativeWork", "name": meta.title}
    if (published := _iso_date(meta.issued)) is not None:
        work["datePublished"] = published
    if meta.author:
        work["author"] = [{"@type": "Person", "name": n} for n in meta.author]
    if meta.publisher:
        work["publisher"] = {"@type": "Organization", "name": meta.publisher}
    if meta.url:
        work["url"] = meta.url
    return work
