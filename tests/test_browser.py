"""The reader's side, in a real browser: Debian's Chromium driven by Playwright against the
real briefing, built once and served on localhost.

Screenshots of every page type, desktop and phone, are written to build/screenshots/ (or to
$BRIEFING_SCREENSHOTS) for people to look at; no test compares them.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from briefing.analysis.model import Analysis
from briefing.pipeline import analyse_dir
from briefing.read.models import source_labels
from conftest import ROOT

CHROMIUM = Path(os.environ.get("BRIEFING_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("BRIEFING_SCREENSHOTS", ROOT / "build" / "screenshots"))
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Rules that check landmarks and the order of headings: a failure of any of them counts,
# whatever impact axe gives it.
STRUCTURE_RULES = {"region", "bypass", "heading-order", "page-has-heading-one", "empty-heading"}
HIGHLIGHT = "rgb(255, 213, 79)"  # mark.quoted:target in briefing.css
ENGINES = ("mkdocs", "zensical")
"""The engines the citation and search tests run on (`briefing build --engine`)."""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def analysis() -> Analysis:
    return analyse_dir(ROOT / "briefs")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built as `briefing build` builds it (the PDF, its own step, aside)."""
    for needed, how in (
        (CHROMIUM, "apt-get install chromium (scripts/install-system-deps.sh)"),
        (AXE, "npm ci (make does it)"),
    ):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: {how}")
    out = tmp_path_factory.mktemp("browser") / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    yield from _served(site)


@pytest.fixture(scope="module", params=ENGINES)
def engine_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built by each engine: MkDocs' is `site`; Zensical's is built by
    `briefing build --engine zensical` (tests/test_engines.py holds its pages to MkDocs')."""
    if request.param == "mkdocs":
        site: Path = request.getfixturevalue("site")
        return site
    out = tmp_path_factory.mktemp("browser-zensical") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "build", "--engine", "zensical"]
        + ["-f", str(ROOT / "mkdocs.yml"), "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="module")
def engine_url(engine_site: Path) -> Iterator[str]:
    yield from _served(engine_site)


def _served(site: Path) -> Iterator[str]:
    """The site served on a free localhost port, for as long as the generator runs."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page_types(site: Path, analysis: Analysis) -> dict[str, str]:
    """One page of each kind: every top-level page (home, changes, how to read, …), a topic,
    the sources index and a source."""
    meta = analysis.briefing.meta
    assert meta is not None
    topic = next(t.id for t in meta.topics if t.id != meta.summary_topic)
    source = min(analysis.briefing.sources)
    pages = {("home" if p.stem == "index" else p.stem): p.name for p in sorted(site.glob("*.html"))}
    pages |= {
        "topic": f"topics/{topic}.html",
        "sources": "sources/index.html",
        "source": f"sources/{source}.html",
    }
    for path in pages.values():
        assert (site / path).is_file(), path
    return pages


class Traffic:
    """Every request a browser context makes; any that leaves `origin` is recorded, and aborted
    so that the test itself sends nothing out."""

    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.origin = origin
        self.requests: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.route(
            re.compile(rf"^(?!{re.escape(origin)})(?!data:)(?!blob:)"), lambda route: route.abort()
        )

    def elsewhere(self) -> list[str]:
        return sorted({url for url in self.requests if not url.startswith(self.origin)})


def _context(browser: Browser, base_url: str, **options: Any) -> tuple[BrowserContext, Traffic]:
    context = browser.new_context(**options)
    return context, Traffic(context, base_url)


def _desktop(browser: Browser, base_url: str) -> Iterator[Page]:
    context, traffic = _context(browser, base_url, viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, errors
    assert not traffic.elsewhere()


@pytest.fixture
def desktop(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from _desktop(browser, base_url)


@pytest.fixture
def engine_desktop(browser: Browser, engine_url: str) -> Iterator[Page]:
    """A desktop page on the site of each engine (`engine_site`)."""
    yield from _desktop(browser, engine_url)


def _quoted_citation(page: Page) -> Locator:
    return page.locator(".md-content sup.cite a[href*='#quote-']").first


def _tip(page: Page, link: Locator) -> Locator:
    tip_id = link.get_attribute("aria-describedby")
    assert tip_id, "the citation marker has no aria-describedby"
    return page.locator(f"#{tip_id}")


def _source_id(href: str) -> str:
    match = re.search(r"sources/([a-z0-9-]+)\.html", href)
    assert match, href
    return match.group(1)


def test_citation_tooltip_shows_on_hover_and_focus_and_closes_with_escape(
    engine_desktop: Page, engine_url: str, page_types: dict[str, str], analysis: Analysis
) -> None:
    page = engine_desktop
    page.goto(engine_url + page_types["topic"])
    link = _quoted_citation(page)
    tip = _tip(page, link)
    source = analysis.briefing.sources[_source_id(link.get_attribute("href") or "")]
    expect(tip).to_be_hidden()
    expect(tip).to_have_attribute("role", "tooltip")
    assert link.get_attribute("title") is None, "the native tooltip would show twice"

    link.hover()
    expect(tip).to_be_visible()
    # Headed with the source's label, as the page's reference list names it; the full title
    # follows, where it says more.
    label = source_labels(analysis.briefing.sources)[source.id]
    expect(tip.locator(".cite-tip__title")).to_have_text(re.compile(rf"^{re.escape(label)}\.?$"))
    if source.meta.title != label:
        expect(tip.locator(".cite-tip__meta")).to_have_text(
            re.compile(rf"^{re.escape(source.meta.title)} · ")
        )
    title = re.escape(label)
    grade = source.meta.reliability
    # Both parts of the grade: the source's reliability and the information's credibility.
    expect(tip.locator(".cite-tip__grade")).to_contain_text(f"Source reliability {grade}: ")
    expect(tip.locator(f".grade.grade-{grade.lower()}")).to_have_text(
        re.compile(rf"^{grade}[1-6]$")
    )
    expect(tip.locator(".cite-tip__credibility")).to_have_text(
        re.compile(r"^Information credibility [1-6]: \w.*\.$")
    )
    badge = link.locator("xpath=following-sibling::span[1]")
    # Shown as "C3", spelled out for screen readers by the page's hidden words for it.
    expect(badge).to_have_text(re.compile(rf"^{grade}[1-6]$"))
    expect(badge).to_have_role("img")
    expect(badge).to_have_accessible_name(
        re.compile(rf"^source reliability {grade}: .+; information credibility [1-6]: .+$")
    )
    expect(page.locator(".grade-legend")).to_be_hidden()
    expect(link).to_have_text(re.compile(r"^\[\d+\]$"))
    expect(link).to_have_accessible_name(re.compile(r"^Source \d+$"))
    expect(tip.locator(".cite-tip__quote")).to_have_text(re.compile(r"^\u201c.+\u201d$"))
    expect(tip).to_contain_text(f"{source.meta.issued} · {source.meta.type}")
    expect(link).to_have_accessible_description(re.compile(title))

    # The tooltip stays while the pointer moves onto it (WCAG 1.4.13), and goes when it leaves.
    tip.hover()
    page.wait_for_timeout(500)
    expect(tip).to_be_visible()
    page.mouse.move(5, DESKTOP["height"] - 5)
    expect(tip).to_be_hidden()

    # The grade badge has no title of its own: hovering it shows the marker's tooltip.
    assert badge.get_attribute("title") is None
    badge.hover()
    expect(tip).to_be_visible()
    page.mouse.move(5, DESKTOP["height"] - 5)
    expect(tip).to_be_hidden()

    link.focus()
    expect(tip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(link).to_be_focused()

    # Tab moves on to the next marker, whose tooltip shows in turn.
    page.keyboard.press("Tab")
    following = page.locator(":focus")
    expect(_tip(page, following)).to_be_visible()


def test_following_a_citation_lands_on_the_quoted_passage_highlighted(
    desktop: Page, base_url: str, page_types: dict[str, str]
) -> None:
    page = desktop
    page.goto(base_url + page_types["topic"])
    link = _quoted_citation(page)
    href = link.get_attribute("href") or ""
    anchor = href.split("#", 1)[1]
    link.click()
    page.wait_for_url(re.compile(re.escape(f"{_source_id(href)}.html#{anchor}") + "$"))
    mark = page.locator(f"mark.quoted#{anchor}")
    expect(mark).to_be_in_viewport()
    assert mark.evaluate("m => m.matches(':target')")
    expect(mark).to_have_css("background-color", HIGHLIGHT)
    header = page.locator(".md-header").bounding_box()
    box = mark.bounding_box()
    assert header and box and box["y"] >= header["y"] + header["height"], "hidden by the header"


def test_cited_by_links_back_to_the_citing_statement_highlighted(
    desktop: Page, base_url: str, page_types: dict[str, str], analysis: Analysis
) -> None:
    page = desktop
    page.goto(base_url + page_types["source"])
    cited_by = page.locator("#cited-by + div.cited-by a").last
    statement_id = (cited_by.get_attribute("href") or "").split("#", 1)[1]
    statement = next(s for s in analysis.statements if s.anchor == statement_id)
    cited_by.click()
    page.wait_for_url(re.compile(f"#{statement_id}$"))
    anchor = page.locator(f"span.statement#{statement_id}")
    expect(anchor).to_be_in_viewport()
    highlighted = page.evaluate(
        "() => { const h = CSS.highlights.get('briefing-statement');"
        " return h ? [...h].map(r => r.toString()).join('') : null; }"
    )
    assert highlighted is not None, "the statement is not highlighted"
    assert " ".join(highlighted.split()).startswith(" ".join(statement.plain.split())[:40])


def test_touch_first_tap_shows_the_tooltip_second_tap_follows(
    browser: Browser, base_url: str, page_types: dict[str, str]
) -> None:
    context, _ = _context(browser, base_url, viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + page_types["topic"])
    link = _quoted_citation(page)
    href = link.get_attribute("href") or ""
    tip = _tip(page, link)
    link.tap()
    expect(tip).to_be_visible()
    assert page.url == base_url + page_types["topic"], "the first tap followed the link"
    box = tip.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    link.tap()
    page.wait_for_url(re.compile(re.escape(href.split("/")[-1]) + "$"))
    expect(page.locator("mark.quoted:target")).to_have_count(1)
    context.close()


def _search(page: Page, text: str) -> list[str]:
    """Type into the site's search and return the result links: Material's (it listens to
    keystrokes), or Zensical's dialog (in a shadow root, which Playwright's locators enter)."""
    zensical = page.locator("button.md-search__button")
    if zensical.count():
        zensical.first.click()
        box = page.get_by_role("combobox", name="Search")
        results = page.locator("ol[role=listbox] a[role=option]")
    else:
        if page.locator("label.md-header__button[for='__search']").is_visible():
            page.locator("label.md-header__button[for='__search']").click()
        box = page.locator("input.md-search__input")
        results = page.locator(".md-search-result__link")
    box.click()
    box.fill(text[:-1])
    box.press(text[-1])
    expect(results.first).to_be_visible(timeout=10_000)
    page.wait_for_timeout(200)
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    return [re.sub(r"\?[^#]*", "", href) for href in hrefs]  # without search.highlight's ?h=…


def test_search_finds_a_source_by_title_and_a_note_by_a_phrase(
    engine_desktop: Page, engine_url: str, analysis: Analysis
) -> None:
    page, base_url = engine_desktop, engine_url
    page.goto(base_url)
    meta = analysis.briefing.meta
    assert meta is not None
    source = min(analysis.briefing.sources.values(), key=lambda s: s.id)
    hits = _search(page, source.meta.title)
    assert hits[0].split("#")[0] == f"{base_url}sources/{source.id}.html", hits[:3]

    topic = next(t.id for t in meta.topics if t.id != meta.summary_topic)
    note = analysis.notes_for(topic)[0]
    phrase = " ".join(note.statements[0].plain.split()[:8])
    page.goto(base_url)
    hits = _search(page, phrase)
    assert f"{base_url}topics/{topic}.html#{note.note.slug}" in hits, (phrase, hits[:5])


def _axe(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return list(result["violations"])


def _failing(violations: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
        or v["id"] in STRUCTURE_RULES
        or v["id"].startswith("landmark-")
    ]


def test_every_page_type_passes_axe_and_loads_nothing_from_another_host(
    browser: Browser, base_url: str, page_types: dict[str, str]
) -> None:
    """axe-core on every page type at desktop width, on the phone layouts that differ (cards,
    tooltip), and with a tooltip open; every request of every page, search included, stays on
    localhost."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures: dict[str, list[str]] = {}
    elsewhere: list[str] = []
    for device, viewport, names in (
        ("desktop", DESKTOP, list(page_types)),
        ("phone", PHONE, ["topic", "sources"]),
    ):
        context, traffic = _context(browser, base_url, viewport=viewport)
        page = context.new_page()
        for name in names:
            page.goto(base_url + page_types[name])
            if device == "desktop":
                page.screenshot(path=SCREENSHOTS / f"{device}-{name}.png", full_page=True)
            found = _failing(_axe(page))
            if name == "topic":
                _quoted_citation(page).focus()
                page.screenshot(path=SCREENSHOTS / f"{device}-tooltip.png")
                found += [f"with a tooltip open: {f}" for f in _failing(_axe(page))]
            if found:
                failures[f"{device} {name}"] = found
        page.goto(base_url)
        _search(page, "treaty")
        context.close()
        assert traffic.requests
        elsewhere += traffic.elsewhere()
    assert not failures, failures
    assert not elsewhere


def test_no_page_asks_another_host_for_anything(site: Path) -> None:
    """Fonts, scripts, styles, images: nothing in the built HTML or CSS points off the site (a
    canonical link, the page's own address under site_url, loads nothing)."""
    off_site = r"[\"']?(?:https?:)?//"
    loads = re.compile(
        rf"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc={off_site}"
        rf"|<link\b(?![^>]*\brel=[\"']?canonical\b)[^>]*\bhref={off_site}",
        re.IGNORECASE,
    )
    imports = re.compile(rf"@import\s+(?:url\()?{off_site}|url\({off_site}", re.IGNORECASE)
    offending = [
        str(p.relative_to(site))
        for pattern, suffix in ((loads, "html"), (imports, "css"))
        for p in site.rglob(f"*.{suffix}")
        if pattern.search(p.read_text("utf-8"))
    ]
    assert not offending


def _internal_links(site: Path) -> Iterator[tuple[str, Path, str]]:
    """(page, target file, fragment) of every link between pages of the site. 404.html is left
    out: its links are absolute, for it is served at any depth."""
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', page.read_text("utf-8")):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", href):
                continue
            path, _, fragment = href.partition("#")
            target = (page.parent / unquote(path)).resolve() if path else page
            if path.endswith("/") or target.is_dir():
                target = target / "index.html"
            yield str(page.relative_to(site)), target, unquote(fragment)


def test_every_link_between_pages_resolves(site: Path) -> None:
    """With use_directory_urls off (the offline plugin), every page links to files that exist
    (but the PDF, which `briefing build` adds after the site build and the PDF tests check)."""
    missing = sorted(
        {
            (page, os.path.relpath(target, site))
            for page, target, _ in _internal_links(site)
            if not target.is_file() and target.suffix != ".pdf"
        }
    )
    assert not missing


def test_every_link_lands_on_an_anchor_that_exists(site: Path) -> None:
    """Every citation lands on its quoted passage, every "Cited by" link on its statement."""
    ids: dict[Path, set[str]] = {}
    broken = []
    for page, target, fragment in _internal_links(site):
        if not fragment or not target.is_file():
            continue
        if target not in ids:
            ids[target] = set(re.findall(r'\bid="([^"]+)"', target.read_text("utf-8")))
        if fragment not in ids[target]:
            broken.append(f"{page} -> {target.relative_to(site)}#{fragment}")
    assert not broken, broken


def test_grade_badges_have_enough_contrast(desktop: Page, base_url: str) -> None:
    """Every grade, A to F, even those the briefing does not use yet: at least 4.5:1."""
    page = desktop
    page.goto(base_url + "sources/index.html")
    colours = page.evaluate("""() => 'ABCDEF'.split('').map(g => {
        const badge = document.createElement('span');
        badge.className = 'grade grade-' + g.toLowerCase();
        badge.textContent = g;
        document.querySelector('.md-content').appendChild(badge);
        const style = getComputedStyle(badge);
        return [g, style.color, style.backgroundColor];
    })""")
    for grade, fg, bg in colours:
        assert _contrast(fg, bg) >= 4.5, (grade, fg, bg)


def _contrast(fg: str, bg: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_no_page_scrolls_sideways_on_a_phone_and_the_bibliography_reads_as_cards(
    browser: Browser, base_url: str, page_types: dict[str, str]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, traffic = _context(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    wide = {}
    for name, path in page_types.items():
        page.goto(base_url + path)
        page.screenshot(path=SCREENSHOTS / f"phone-{name}.png", full_page=True)
        width = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if width[0] > width[1]:
            wide[name] = width
    assert not wide, wide

    page.goto(base_url + page_types["sources"])
    table = page.locator(".md-content table[data-briefing-cards]")
    expect(table).to_have_count(1)
    expect(table.locator("thead")).to_have_css("position", "absolute")
    rows = table.locator("tbody tr")
    assert rows.count() > 0
    for i in range(rows.count()):
        row = rows.nth(i)
        expect(row).to_have_css("display", "block")
        box = row.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        for cell in row.locator("td").all():
            assert cell.evaluate("c => c.scrollWidth <= c.clientWidth"), cell.inner_text()
            label = cell.evaluate(
                "c => c.previousElementSibling ? getComputedStyle(c, '::before').content : null"
            )
            # Every cell but the first (the title) is labelled with its column's name, in
            # a gutter wide enough to show it (the label floats into the cell's padding).
            assert label is None or label.strip('"'), cell.inner_text()
            if label is not None:
                gutter = cell.evaluate(
                    "c => parseFloat(getComputedStyle(c).paddingLeft)"
                    " - parseFloat(getComputedStyle(c, '::before').width)"
                )
                assert gutter > 0, (cell.inner_text(), gutter)
    context.close()
    assert not traffic.elsewhere()


def test_on_a_phone_the_first_note_starts_on_the_first_screen_and_disputes_open_on_request(
    browser: Browser, base_url: str, analysis: Analysis
) -> None:
    """At 390 px, a topic page with "Sources disagree" boxes shows its first note's first
    statement, citation included, on the first screen: the boxes are closed to one line and
    open with a click or with Enter, and axe finds nothing with one open."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    meta = analysis.briefing.meta
    assert meta is not None
    disputed = [
        f
        for f in analysis.facts
        if f.disputed and f.declaration.topic and f.declaration.topic != meta.summary_topic
    ]
    assert disputed, "no topic page has a disputed fact"
    topic = disputed[0].declaration.topic
    context, traffic = _context(browser, base_url, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(base_url + f"topics/{topic}.html")
    page.screenshot(path=SCREENSHOTS / "phone-first-screen.png")

    boxes = page.locator(".md-content details.disputed")
    expect(boxes).to_have_count(sum(f.declaration.topic == topic for f in disputed))
    for box in boxes.all():
        assert box.get_attribute("open") is None, "a box is open before it is asked to"
        expect(box.locator("summary")).to_have_text(
            re.compile(r"^Sources disagree: .+ \(\d+ values\)$")
        )
        expect(box.locator("li").first).to_be_hidden()

    statement = analysis.notes_for(topic)[0].statements[0]
    where = page.evaluate(
        """id => {
        const anchor = document.getElementById(id);
        const cite = [...document.querySelectorAll('.md-content sup.cite')].find(
            c => anchor.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);
        const header = document.querySelector('.md-header').getBoundingClientRect();
        return {top: anchor.getBoundingClientRect().top, end: cite.getBoundingClientRect().bottom,
                header: header.bottom, height: window.innerHeight};
    }""",
        statement.anchor,
    )
    assert where["header"] <= where["top"] and where["end"] <= where["height"], (
        statement.plain,
        where,
    )

    first, last = boxes.first, boxes.last
    first.locator("summary").click()
    expect(first).to_have_attribute("open", "")
    expect(first.locator("li").first).to_be_visible()
    last.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(last).to_have_attribute("open", "")
    expect(last.locator("li").first).to_be_visible()
    assert _failing(_axe(page)) == []
    page.keyboard.press("Enter")
    expect(last.locator("li").first).to_be_hidden()
    context.close()
    assert not traffic.elsewhere()


def test_site_reads_from_disk_with_search(
    browser: Browser, engine_site: Path, analysis: Analysis
) -> None:
    """Opened as files: styles and scripts load, and search works (Material's through the
    local iframe shim, Zensical's from search.js), with no request other than file://."""
    site = engine_site
    context = browser.new_context(viewport=DESKTOP)
    traffic = Traffic(context, "file://")
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    badge = page.locator(".md-content .grade").first
    expect(badge).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")
    link = _quoted_citation(page)
    link.focus()
    expect(_tip(page, link)).to_be_visible()
    source = min(analysis.briefing.sources.values(), key=lambda s: s.id)
    hits = _search(page, source.meta.title)
    assert hits[0].split("#")[0] == (site / "sources" / f"{source.id}.html").as_uri()
    page.goto(hits[0])
    expect(page.locator("h1")).to_have_text(re.compile(re.escape(source.meta.title)))
    context.close()
    assert traffic.requests and not traffic.elsewhere()


@pytest.fixture(scope="module")
def released_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture briefing released twice (test_releases.py), built and served."""
    from test_releases import released_twice

    built = released_twice(tmp_path_factory.mktemp("released-browser") / "harbour")
    yield from _served(built.site)


def test_whats_new_and_the_marks_of_changed_statements_pass_axe_and_read_well(
    browser: Browser, released_url: str
) -> None:
    """The What's new page and a topic page with "new" and "changed" marks: axe finds
    nothing at desktop and phone widths; the marks are visible, read as "new in v2:", and
    left out of a statement's highlight when a link lands on it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures: dict[str, list[str]] = {}
    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context, traffic = _context(browser, released_url, viewport=viewport)
        page = context.new_page()
        for name, path in (("whats-new", "whats-new/"), ("topic-marked", "topics/plans/")):
            page.goto(released_url + path)
            page.screenshot(path=SCREENSHOTS / f"{device}-{name}.png", full_page=True)
            found = _failing(_axe(page))
            if found:
                failures[f"{device} {name}"] = found
            width = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert width[0] <= width[1], (device, name, width)
        context.close()
        assert not traffic.elsewhere()
    assert not failures, failures

    context, _ = _context(browser, released_url, viewport=DESKTOP)
    page = context.new_page()
    page.goto(released_url + "whats-new/")
    page.locator("#statements-added + ul a").first.click()
    page.wait_for_url(re.compile(r"topics/plans/#plans-3$"))
    mark = page.locator("span.statement#plans-3 + .release-mark")
    expect(mark).to_be_visible()
    expect(mark).to_have_text("new in v2:")  # the visible "new", and what screen readers add
    expect(mark.locator(".visually-hidden")).to_have_css("position", "absolute")
    highlighted = page.evaluate(
        "() => { const h = CSS.highlights.get('briefing-statement');"
        " return h ? [...h].map(r => r.toString()).join('') : null; }"
    )
    assert highlighted is not None and highlighted.strip().startswith("The dredged silt"), (
        highlighted
    )
    expect(page.locator(".release-mark")).to_have_count(2)
    context.close()
