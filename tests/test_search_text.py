"""The page the search plugin reads: the generated HTML without what it skips, and the same
index as from the whole page."""

from __future__ import annotations

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


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The seed briefing's search index, built as the plugin builds it and with each page
    handed to the search plugin whole; and how many characters the plugin took out."""
    removed = []

    def counted(html: str) -> str:
        lighter = without_search_excluded(html)
        removed.append(len(html) - len(lighter))
        return lighter

    built = {}
    with pytest.MonkeyPatch.context() as patch:
        for name, strip in (("lighter", counted), ("whole", lambda html: html)):
            patch.setattr(plugin, "without_search_excluded", strip)
            site = _build_seed(tmp_path_factory.mktemp(name) / "site")
            built[name] = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    built["removed"] = str(sum(removed))
    return built


def test_the_search_plugin_writes_the_same_index_from_the_lighter_pages(
    indexes: dict[str, str],
) -> None:
    assert int(indexes["removed"]) > 10_000  # markers and cited-by lists were taken out
    assert indexes["lighter"] == indexes["whole"]


def test_pages_keep_their_markers(tmp_path: Path) -> None:
    """Only the search plugin reads the lighter page: the theme renders the whole one."""
    site = _build_seed(tmp_path / "site")
    topic = next((site / "topics").glob("*.html")).read_text(encoding="utf-8")
    assert '<sup class="cite"' in topic and 'class="cited-by"' in next(
        p.read_text(encoding="utf-8")
        for p in (site / "sources").glob("*.html")
        if p.stem != "index"
    )
