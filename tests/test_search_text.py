"""The page the search plugin reads: the generated HTML without what it skips, and the same
index as from the whole page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from briefing.adapters import plugin
from briefing.output.sanitize import clean_html
from briefing.output.search_text import without_search_excluded
from conftest import ROOT


def test_an_excluded_element_goes_whole_with_the_same_tags_inside_it() -> None:
    html = (
        '<p>Before <span class="release-mark" data-search-exclude="">new'
        '<span class="visually-hidden"> in v2:</span></span>the pact.'
        '<sup class="cite" data-search-exclude=""><a href="#a">[1]</a>'
        '<span class="grade"><span aria-hidden="true">C</span></span></sup> After.</p>'
    )
    assert without_search_excluded(html) == "<p>Before the pact. After.</p>"


def test_statement_anchors_go_as_they_add_nothing_to_an_index() -> None:
    html = (
        '<p><span class="statement" id="pact-1"></span>The pact. '
        '<span class="statement" id="pact-2"></span>Signed.</p>'
        '<p><span class="statement" id="x">kept: not empty</span></p>'
    )
    assert without_search_excluded(html) == (
        '<p>The pact. Signed.</p><p><span class="statement" id="x">kept: not empty</span></p>'
    )


def test_a_tag_written_in_an_attribute_of_a_sanitised_page_ends_nothing() -> None:
    """Generated pages are sanitised, which writes `<` and `>` in attribute values as
    references: a quote holding `</sup>` is no end tag."""
    html = clean_html(
        '<p>A<sup data-search-exclude=""><a data-quote="x > </sup> y" href="#q">1</a></sup>B</p>'
    )
    assert "&lt;/sup&gt;" in html
    assert without_search_excluded(html) == "<p>AB</p>"


def test_what_is_not_an_excluded_element_stays_as_it_is() -> None:
    unbalanced = '<p>A<span data-search-exclude="">never closed</p>'
    in_text = "<p>Write data-search-exclude on an element.</p>"
    void = '<p>A<br data-search-exclude="">B</p>'
    for html in (unbalanced, in_text, void):
        assert without_search_excluded(html) is html


def _build_seed(site: Path) -> Path:
    """The seed briefing built in this process, as `mkdocs build` builds it."""
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site


@dataclass(frozen=True)
class Builds:
    lighter: Path
    """The seed site as the plugin builds it: search reads the lighter pages."""
    whole: Path
    """The same with each page handed to the search plugin whole."""
    removed: int
    """How many characters the plugin took out of the pages search read."""


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    removed = []

    def counted(html: str) -> str:
        lighter = without_search_excluded(html)
        removed.append(len(html) - len(lighter))
        return lighter

    sites = {}
    with pytest.MonkeyPatch.context() as patch:
        for name, strip in (("lighter", counted), ("whole", lambda html: html)):
            patch.setattr(plugin, "without_search_excluded", strip)
            sites[name] = _build_seed(tmp_path_factory.mktemp(name) / "site")
    return Builds(sites["lighter"], sites["whole"], sum(removed))


def test_the_search_plugin_writes_the_same_index_from_the_lighter_pages(builds: Builds) -> None:
    assert builds.removed > 10_000  # markers and cited-by lists were taken out
    index = Path("search", "search_index.json")
    assert (builds.lighter / index).read_bytes() == (builds.whole / index).read_bytes()


def test_pages_keep_their_markers(builds: Builds) -> None:
    """Only the search plugin reads the lighter page: the theme renders the whole one."""
    pages = sorted(p.relative_to(builds.lighter) for p in builds.lighter.rglob("*.html"))
    assert pages
    for page in pages:
        assert (builds.lighter / page).read_bytes() == (builds.whole / page).read_bytes(), page
    topic = next((builds.lighter / "topics").glob("*.html")).read_text(encoding="utf-8")
    assert '<sup class="cite"' in topic
