"""Short names for sources: the label lists, boxes, tooltips and footnotes use, and
`title-short`, the record's own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from briefing.output.exports import bibliography, to_json
from briefing.output.render import render_site
from briefing.pipeline import analyse_dir
from briefing.read.load import load_briefing
from briefing.read.models import SourceMeta, shorten, source_labels
from conftest import ROOT, Briefs

LONG = (
    "North Korea says Kim and Putin’s defense pact permits all available means to assist "
    "each other if either nation attacked"
)


def _meta(**fields: Any) -> SourceMeta:
    record = {"title": LONG, "issued": "2024", "type": "reporting", "reliability": "C"}
    return SourceMeta.model_validate(record | fields)


@pytest.mark.parametrize(
    "fields, label",
    [
        ({"title-short": "The compilation", "author": "Gilbert Doctorow"}, "The compilation"),
        ({"author": "Gilbert Doctorow"}, "Doctorow 2024"),
        (
            {"author": ["Ann Lee", "Bo Kim"], "publisher": "The Daily", "issued": "2024-06-20"},
            "Lee 2024",
        ),
        (
            {"author": "Port Elling Authority", "publisher": "Port Elling Authority"},
            "Port Elling Authority 2024",
        ),
        ({"publisher": "Financial Times", "issued": "2024-06/2024-07"}, "Financial Times 2024"),
        ({"author": "Gilbert Doctorow", "issued": "XXXX"}, "Doctorow"),
        ({"author": "Gilbert Doctorow", "issued": "202X-02-17"}, "Doctorow"),
        ({"author": "Gilbert Doctorow", "issued": "2024?"}, "Doctorow"),
        ({"publisher": "Financial Times", "issued": "2023/2024"}, "Financial Times"),
        ({"issued": "XXXX"}, "North Korea says Kim and Putin’s…"),
        ({"title": "A short title", "issued": "2024"}, "A short title"),
    ],
)
def test_label_is_title_short_else_author_or_outlet_and_known_year_else_a_shortened_title(
    fields: dict[str, Any], label: str
) -> None:
    assert _meta(**fields).label == label


def test_a_title_is_cut_at_a_word_to_forty_characters_at_most() -> None:
    label = _meta(issued="XXXX").label
    assert len(label) <= 40 and label.endswith("…") and LONG.startswith(label[:-1])
    assert shorten("Supercalifragilisticexpialidocious-and-then-some-more-words", 20) == (
        "Supercalifragilisti…"
    )


def test_labels_that_would_read_the_same_get_letters_in_date_order(briefs: Briefs) -> None:
    for sid, issued, extra in (
        ("late", "2024-09", ""),
        ("early", "2024-02", ""),
        ("own", "2024-01", "title-short: Doctorow 2024\n"),
        ("undated", "XXXX", ""),
    ):
        briefs.write(
            f"sources/{sid}.md",
            f"---\ntitle: Piece {sid}\nissued: {issued}\n"
            f"type: commentary\nreliability: C\nauthor: Gilbert Doctorow\n{extra}---\nText.\n",
        )
    briefing, findings = load_briefing(briefs.root)
    assert findings == []
    labels = source_labels(briefing.sources)
    assert (labels["early"], labels["late"]) == ("Doctorow 2024a", "Doctorow 2024b")
    assert labels["own"] == "Doctorow 2024"  # as the record sets it
    assert labels["undated"] == "Doctorow"


def test_title_short_is_read_from_front_matter_and_a_misspelling_is_named(briefs: Briefs) -> None:
    briefs.write(
        "sources/short.md",
        "---\ntitle: A long title\ntitle-short: Long 2024\nissued: 2024\n"
        "type: reporting\nreliability: C\n---\nText.\n",
    )
    briefs.write(
        "sources/typo.md",
        "---\ntitle: A long title\ntitle-shrt: Long 2024\nissued: 2024\n"
        "type: reporting\nreliability: C\n---\nText.\n",
    )
    briefing, findings = load_briefing(briefs.root)
    assert briefing.sources["short"].meta.title_short == "Long 2024"
    assert [(f.path, f.line, f.rule, f.message, f.hint) for f in findings] == [
        (
            "briefs/sources/typo.md",
            3,
            "unknown-field",
            "unknown field `title-shrt`",
            "did you mean `title-short`?",
        )
    ]


def test_sources_are_listed_by_label_and_shown_in_full_on_their_own_page(briefs: Briefs) -> None:
    briefs.write(
        "sources/src-a.md",
        "---\ntitle: The full title of the piece\ntitle-short: Piece 2024\n"
        "issued: 2024-06\ntype: reporting\nreliability: C\nauthor: A. Writer\n---\n"
        'The pact is "a genuine alliance".\n',
    )
    briefs.note("n", 'It is "a genuine alliance" [@src-a, "a genuine alliance"].\n')
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == []
    site = render_site(analysis, ROOT / "templates")
    pages = {p.path: p.expanded() for p in site.pages}
    topic = pages["topics/pact.md"]
    assert (
        '<li><a href="../../sources/src-a/">Piece 2024</a>: The full title of the piece, '
        "A. Writer, June 2024. Reporting;"
    ) in topic
    # The tooltip: headed with the label, then the full title, date and type.
    tips = json.loads(next(p for p in site.pages if p.path == "topics/pact.md").tooltips)
    tip = tips["sources"]["1"]
    assert tip["label"] == "Piece 2024"
    assert tip["details"].startswith("The full title of the piece · June 2024 · reporting")
    assert 'data-ref="1"' in topic
    index = pages["sources/index.md"]
    assert "| [Piece 2024](src-a.md) | The full title of the piece | A. Writer |" in index
    assert pages["sources/src-a.md"].startswith("# The full title of the piece\n")
    item = json.loads(to_json(bibliography(analysis)))[0]
    assert (item["title"], item["title-short"]) == ("The full title of the piece", "Piece 2024")


def _topic_citing_src_a(briefs: Briefs, templates: Path = ROOT / "templates") -> str:
    """The topic page, as a reviewer reads it, of a note citing `src-a` once."""
    briefs.note("n", "It is so [@src-a].\n")
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == []
    pages = render_site(analysis, templates).pages
    return next(p.expanded() for p in pages if p.path == "topics/pact.md")


def test_references_are_generated_html_out_of_search_with_each_field_escaped(
    briefs: Briefs,
) -> None:
    briefs.write(
        "sources/src-a.md",
        "---\ntitle: Doctorow 2024\ntitle-short: Doctorow 2024\nissued: 2024-06\n"
        "type: commentary\nreliability: E\n"
        "author: [Ann <b>Bold</b>]\npublisher: Post & Wire\n---\nText.\n",
    )
    topic = _topic_citing_src_a(briefs)
    references = topic[topic.index("## References") :]
    # The title is the label: no colon, the authors and outlet follow it; nothing unescaped.
    assert (
        '<div class="references" data-search-exclude>\n<ol>\n'
        '<li><a href="../../sources/src-a/">Doctorow 2024</a>, Ann &lt;b&gt;Bold&lt;/b&gt;, '
        "Post &amp; Wire, June 2024. Commentary; reliability "
        '<span class="grade grade-e" title="Reliability E: unreliable">E</span> unreliable.</li>'
        "\n</ol>\n</div>"
    ) in references


def test_a_references_template_of_ones_own_still_gets_each_entry(
    briefs: Briefs, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "_references.md.j2").write_text(
        "{% for ref in references %}\n{{ ref.number }}. [{{ ref.label }}]({{ ref.url }})"
        " ({{ ref.grade }})\n{% endfor %}\n",
        encoding="utf-8",
    )
    topic = _topic_citing_src_a(briefs, templates)
    label = source_labels(load_briefing(briefs.root)[0].sources)["src-a"]
    assert f"\n1. [{label}](../sources/src-a.md) (C)\n" in topic
    assert '<div class="references"' not in topic
