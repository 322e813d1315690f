"""Sanitise the HTML of generated pages: raw HTML in notes may neither run nor fetch anything."""

from __future__ import annotations

import nh3

_TAGS = (set(nh3.ALLOWED_TAGS) - {"img", "map", "area"}) | {"section"}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden"},
    # A citation marker's link: what its tooltip shows of it (render.citation_marker).
    "a": {
        "href",
        "hreflang",
        "data-ref",
        "data-credibility",
        "data-default",
        "data-quote",
        "data-at",
    },
    # Kept out of the search index (annotate.SEARCH_EXCLUDE): markers, release marks,
    # a source page's list of the statements citing it, a page's references list. A grade
    # badge is named by the page's words for its grade, which a hidden div holds
    # (annotate.grade_legend).
    "sup": {"data-search-exclude"},
    "span": {"data-search-exclude", "aria-labelledby"},
    "div": {"data-search-exclude", "hidden"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "details": {"open"},
    "time": {"datetime"},
}


def clean_html(html: str) -> str:
    """Keep the Markdown output and the generator's own markup; drop scripts, frames,
    styles, images, event handlers and javascript:/data: URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
