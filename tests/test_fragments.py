"""The generator's own HTML behind placeholders (output/fragments.py): Python-Markdown's stash
(output/fragment_stash.py), which the site uses, and `fill`, which `Page.expanded` uses.

Each fragment reaches the page exactly as written and where its placeholder stood, in
whatever Markdown surrounds it; Markdown never parses it; no brief can forge one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import markdown
import pytest

from briefing.output import fragment_stash
from briefing.output.annotate import note_markdown
from briefing.output.dialect import MARKDOWN_EXTENSIONS
from briefing.output.fragment_stash import FragmentStash
from briefing.output.fragments import (
    SENTINEL,
    Fragments,
    escape_sentinels,
    fill,
    swap_placeholders,
)
from briefing.output.markup import heading_text, md_escape, template_environment
from briefing.output.render import render_site
from briefing.output.sanitize import clean_html
from briefing.pipeline import analyse_dir
from conftest import FIXTURE, ROOT, Briefs

CONFIGS: dict[str, dict[str, Any]] = {"toc": {"permalink": True}}
"""The site's configuration of its Markdown dialect (mkdocs.yml)."""

FORGED = "\ue000\ue010\ue002 \ue001\ue010\ue002"
"""What Fragments writes for fragment 0, inline and block: written by a brief instead."""

STASH_MARK = re.compile("\x02|\x03|wzxhzdk|klzzwxh")
"""What is left of a placeholder of Python-Markdown's stash that nothing restored."""


def stashed(text: str, fragments: Sequence[str]) -> str:
    """The page as the site converts it: the fragments through Markdown's stash."""
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, FragmentStash(fragments=fragments)],
        extension_configs=CONFIGS,
    )
    return md.convert(text)


def filled(text: str, fragments: Sequence[str]) -> str:
    """The page converted first, the fragments swapped in after (`fill`)."""
    md = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=CONFIGS)
    return fill(md.convert(text), fragments)


CONVERT: dict[str, Callable[[str, Sequence[str]], str]] = {"stash": stashed, "fill": filled}
both = pytest.mark.parametrize("convert", CONVERT.values(), ids=CONVERT.keys())


def leftovers(html: str) -> list[str]:
    """Placeholder characters of either kind left in the output."""
    return SENTINEL.findall(html) + STASH_MARK.findall(html)


# ---------------------------------------------------------------- as written, where it stood


@both
def test_an_inline_fragment_reaches_the_page_as_written(
    convert: Callable[[str, Sequence[str]], str],
) -> None:
    fragments = Fragments()
    cite = '<sup class="cite"><a href="../sources/a.md" title="A &amp; B">1</a></sup>'
    text = f"The price rose{fragments.inline(cite)}. It fell again."
    assert convert(text, fragments.items) == f"<p>The price rose{cite}. It fell again.</p>"


@both
def test_a_block_fragment_standing_alone_is_not_wrapped_in_a_paragraph(
    convert: Callable[[str, Sequence[str]], str],
) -> None:
    fragments = Fragments()
    block = '<ul class="cited-by">\n<li><a href="#a-1">A</a>: “x”</li>\n</ul>'
    text = f"## Cited by\n\n{fragments.block(block)}\n\nAfter."
    html = convert(text, fragments.items)
    assert f"\n{block}\n<p>After.</p>" in html
    assert "<p><ul" not in html and "</ul></p>" not in html


@both
def test_an_inline_fragment_alone_in_a_paragraph_keeps_the_paragraph(
    convert: Callable[[str, Sequence[str]], str],
) -> None:
    fragments = Fragments()
    text = fragments.inline('<span class="statement" id="a-1"></span>')
    assert convert(text, fragments.items) == '<p><span class="statement" id="a-1"></span></p>'


def test_a_block_fragment_must_open_with_a_block_level_tag() -> None:
    """Python-Markdown unwraps a lone placeholder's paragraph only for block-level HTML: a
    "block" that is not would keep its <p> (`fill` drops it), so it is refused instead."""
    fragments = Fragments()
    text = fragments.block('<a href="#x">not a block</a>')
    with pytest.raises(ValueError, match="block-level"):
        stashed(text, fragments.items)
    for opening in ("<div>", '<ul class="x">', "<section>", "<details open>", "<!-- c -->"):
        fragments = Fragments()
        assert stashed(fragments.block(opening + "x"), fragments.items) == opening + "x"


@both
def test_markdown_does_not_parse_the_html_of_a_fragment(
    convert: Callable[[str, Sequence[str]], str],
) -> None:
    inline = "<span>*a* _b_ **c** __d__ `e` [f](g) <h> \\* &amp; &copy; 2 * 3 _x_y_</span>"
    block = "\n".join(
        (
            '<div class="archived-text">',
            "<p># not a heading</p>",
            "- not a list",
            "    not code",
            "| not | a table |",
            "!!! note",
            "*[abbr]: not an abbreviation",
            "<p>*emphasis* and_snake_case_</p>",
            "</div>",
        )
    )
    fragments = Fragments()
    text = f"Text{fragments.inline(inline)} with *emphasis*.\n\n{fragments.block(block)}\n"
    html = convert(text, fragments.items)
    assert html == f"<p>Text{inline} with <em>emphasis</em>.</p>\n{block}"


@both
def test_abbreviations_of_the_page_do_not_reach_into_fragments(
    convert: Callable[[str, Sequence[str]], str],
) -> None:
    fragments = Fragments()
    text = f"The DPRK said{fragments.inline('<i>DPRK</i>')}.\n\n*[DPRK]: North Korea\n"
    html = convert(text, fragments.items)
    assert html == '<p>The <abbr title="North Korea">DPRK</abbr> said<i>DPRK</i>.</p>'


# ---------------------------------------------------------------- numbering


@both
@pytest.mark.parametrize("count", [9, 10, 11, 100, 101, 1001])
def test_each_of_many_fragments_goes_to_its_own_placeholder(
    convert: Callable[[str, Sequence[str]], str], count: int
) -> None:
    fragments = Fragments()
    text = " ".join(f"w{n}" + fragments.inline(f'<i id="f{n}">{n}</i>') for n in range(count))
    assert len(set(text.split())) == count  # every placeholder differs
    html = convert(text, fragments.items)
    assert html == "<p>" + " ".join(f'w{n}<i id="f{n}">{n}</i>' for n in range(count)) + "</p>"


@pytest.mark.parametrize("count", [1, 10, 11, 100, 101, 1001])
def test_placeholders_give_back_their_index_and_kind(count: int) -> None:
    fragments = Fragments()
    made = [
        (fragments.block if n % 3 == 0 else fragments.inline)(f"<div>{n}</div>")
        for n in range(count)
    ]
    seen: list[tuple[int, bool]] = []

    def swap(index: int, block: bool) -> str:
        seen.append((index, block))
        return f"[{index}]"

    assert swap_placeholders("|".join(made), swap) == "|".join(f"[{n}]" for n in range(count))
    assert seen == [(n, n % 3 == 0) for n in range(count)]
    assert all(SENTINEL.fullmatch(c) for p in made for c in p)


def test_a_placeholder_the_table_does_not_hold_is_left_as_written() -> None:
    fragments = Fragments()
    first, second = fragments.inline("<b>0</b>"), fragments.inline("<b>1</b>")
    assert stashed(f"a{first} b{second}", fragments.items[:1]) == f"<p>a<b>0</b> b{second}</p>"
    assert swap_placeholders(f"a{first}", lambda index, block: None) == f"a{first}"


def test_without_fragments_the_markdown_is_untouched() -> None:
    """Hand-written docs/ pages get no table: their text is theirs, whatever it holds."""
    assert stashed(f"A {FORGED} B", ()) == markdown.Markdown(
        extensions=MARKDOWN_EXTENSIONS, extension_configs=CONFIGS
    ).convert(f"A {FORGED} B")


# ---------------------------------------------------------------- in any Markdown


def _contexts() -> list[tuple[str, Callable[[Fragments], str], str]]:
    """(name, Markdown around placeholders, HTML the fragment must sit in)."""
    i = '<span class="statement" id="s-1"></span>'
    b = '<div class="box">B</div>'
    return [
        ("code span", lambda f: f"Run `x {f.inline(i)} y` now.", f"<code>x {i} y</code>"),
        ("fenced code", lambda f: f"```\nx {f.inline(i)}\n```", f"x {i}\n</code></pre>"),
        ("indented code", lambda f: f"Text.\n\n    x {f.inline(i)}\n", f"<code>x {i}\n</code>"),
        (
            "table cell",
            lambda f: f"| a | b |\n|---|---|\n| x{f.inline(i)} | y |",
            f"<td>x{i}</td>",
        ),
        (
            "table header",
            lambda f: f"| a{f.inline(i)} | b |\n|---|---|\n| x | y |",
            f"<th>a{i}</th>",
        ),
        (
            "admonition",
            lambda f: f'!!! note "T"\n    Said{f.inline(i)} so.\n\n    {f.block(b)}\n',
            f"<p>Said{i} so.</p>\n{b}\n</div>",
        ),
        ("admonition title", lambda f: f'!!! note "T{f.inline(i)}"\n    x', f"T{i}</p>"),
        ("closed box", lambda f: f'??? note "T"\n    Said{f.inline(i)} so.\n', f"Said{i} so."),
        ("tight list", lambda f: f"- one{f.inline(i)}\n- two\n", f"<li>one{i}</li>"),
        ("loose list", lambda f: f"- one{f.inline(i)}\n\n- two\n", f"<li>\n<p>one{i}</p>"),
        ("nested list", lambda f: f"1. a\n    - b{f.inline(i)}\n", f"<li>b{i}</li>"),
        ("list block", lambda f: f"- a\n\n    {f.block(b)}\n", f"<li>\n<p>a</p>\n{b}\n</li>"),
        ("block quote", lambda f: f"> Said{f.inline(i)} so.\n", f"<p>Said{i} so.</p>"),
        ("emphasis", lambda f: f"*a{f.inline(i)}b* and **c{f.inline(i)}**", f"<em>a{i}b</em>"),
        ("link text", lambda f: f"[a{f.inline(i)}](x.md)", f'<a href="x.md">a{i}</a>'),
        ("raw html", lambda f: f"<div>\nx {f.inline(i)}\n</div>", f"<div>\nx {i}\n</div>"),
        (
            "markdown in html",
            lambda f: f"<div markdown>\n\n*x*{f.inline(i)}\n\n</div>",
            f"<p><em>x</em>{i}</p>",
        ),
        ("attr list", lambda f: f"Said{f.inline(i)} so.\n{{: .lead }}", f'class="lead">Said{i}'),
    ]


CONTEXTS = _contexts()


@pytest.mark.parametrize(
    ("make", "where"), [(m, w) for _, m, w in CONTEXTS], ids=[n for n, _, _ in CONTEXTS]
)
def test_a_fragment_sits_where_its_placeholder_stood(
    make: Callable[[Fragments], str], where: str
) -> None:
    """In code, tables, boxes, lists, quotes and raw HTML alike; the stash and `fill` give
    the same page (the site moved from one to the other without a byte changing)."""
    fragments = Fragments()
    text = make(fragments)
    html = stashed(text, fragments.items)
    assert where in html, html
    assert leftovers(html) == []
    assert html == filled(text, fragments.items)


def test_a_fragment_in_a_heading_is_in_the_heading_and_not_in_the_contents() -> None:
    """Python-Markdown gives the table of contents the heading's text with the fragment's
    tags left out, as for raw HTML; `fill` came too late for it and left placeholder
    characters there (no generated heading holds a fragment)."""
    fragments = Fragments()
    mark = '<span class="release-mark release-added">new</span>'
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, FragmentStash(fragments=fragments.items)],
        extension_configs=CONFIGS,
    )
    html = md.convert(f"## A heading{fragments.inline(mark)}\n\nText.")
    assert re.fullmatch(rf'<h2 id="[a-z-]+">A heading{mark}<a class="headerlink".*</h2>\n.*', html)
    tokens = cast(Any, md).toc_tokens
    assert tokens[0]["name"] == "A headingnew"
    assert leftovers(str(tokens)) == []


# ---------------------------------------------------------------- forgery


def test_escape_sentinels_writes_every_placeholder_character_as_a_reference() -> None:
    text = "".join(chr(c) for c in range(0xE000, 0xE020))
    escaped = escape_sentinels(f"a{text}b")
    assert SENTINEL.search(escaped) is None
    assert escaped == "a" + "".join(f"&#x{c:X};" for c in range(0xE000, 0xE020)) + "b"
    assert escape_sentinels("\ue020 \uf8ff plain") == "\ue020 \uf8ff plain"  # others are text


def test_each_way_text_from_briefs_enters_markdown_escapes_placeholders(tmp_path: Path) -> None:
    """markup.md_escape, markup.heading_text and the templates' `e`, `md`, `heading` and
    plain `{{ }}`: no placeholder character survives any of them."""
    assert SENTINEL.search(md_escape(FORGED)) is None
    assert SENTINEL.search(heading_text(FORGED)) is None
    (tmp_path / "t.j2").write_text(
        "{{ x }}|{{ x | e }}|{{ x | escape }}|{{ x | md }}|{{ x | heading }}", encoding="utf-8"
    )
    rendered = template_environment(tmp_path).get_template("t.j2").render(x=FORGED)
    assert SENTINEL.search(rendered) is None
    assert rendered.count("&#xE000;&#xE010;&#xE002;") == 5


def test_placeholder_characters_in_a_note_body_are_written_as_references(briefs: Briefs) -> None:
    """render.note_markdown: the only placeholder characters left are the generator's."""
    briefs.note("forged", f"Forged {FORGED} here [@src-a].\n\n`{FORGED}` in code [@src-a].\n")
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == []
    fragments = Fragments()
    text = note_markdown(analysis.notes[0], lambda group: "<sup>1</sup>", fragments.inline)
    assert len(_placeholders(text)) == len(fragments.items) == 4  # 2 anchors, 2 citations
    assert "".join(_placeholders(text)) == "".join(SENTINEL.findall(text))
    assert "Forged &#xE000;&#xE010;&#xE002; &#xE001;&#xE010;&#xE002; here" in text


def _placeholders(text: str) -> list[str]:
    return re.findall("[\ue000\ue001][\ue010-\ue019]+\ue002", text)


@both
def test_references_to_placeholder_characters_stay_text(
    convert: Callable[[str, Sequence[str]], str],
) -> None:
    """A brief's placeholder characters, written as references, are text to Markdown and
    characters again after the sanitiser; none becomes fragment 0."""
    fragments = Fragments()
    secret = '<b class="fragment-0">generated</b>'
    text = escape_sentinels(f"Forged {FORGED} here") + fragments.inline(secret)
    html = convert(text, fragments.items)
    assert html.count(secret) == 1
    assert "Forged &#xE000;&#xE010;&#xE002; &#xE001;&#xE010;&#xE002; here<b" in html
    assert clean_html(html).count(secret) == 1
    assert f"Forged {FORGED} here<b" in clean_html(html)


def test_a_brief_cannot_forge_a_placeholder_of_markdowns_stash() -> None:
    """STX/ETX in Markdown are dropped by Python-Markdown before the stash is filled; in a
    fragment's HTML (an archived text) they are stored as `&#x2;`, so the stash does not
    restore the placeholder it spells, and the sanitiser writes the character back."""
    fragments = Fragments()
    secret = '<b class="fragment-0">generated</b>'
    spelled = "\x02wzxhzdk:0\x03"
    archived = f'<div class="archived-text">\n<p>Text {spelled} here</p>\n</div>'
    text = f"Body {spelled} here{fragments.inline(secret)}\n\n{fragments.block(archived)}\n"
    html = stashed(text, fragments.items)
    assert html.count(secret) == 1
    assert "<p>Body wzxhzdk:0 here<b" in html
    assert "Text &#x2;wzxhzdk:0\x03 here" in html
    assert clean_html(html) == clean_html(filled(text, fragments.items))


def test_a_forged_briefing_renders_each_fragment_once(briefs: Briefs) -> None:
    """Placeholder characters in a note, a topic title, a source's title and its archived
    text (with a spelled stash placeholder too): each page, converted as the site converts
    it, holds each fragment once, and the forged characters as text."""
    briefs.write(
        "briefing.yml",
        (briefs.root / "briefing.yml")
        .read_text(encoding="utf-8")
        .replace("title: The pact", f'title: "The pact {FORGED}"'),
    )
    source = briefs.root / "sources" / "src-a.md"
    source.write_text(
        source.read_text(encoding="utf-8")
        .replace("title: A source", f'title: "A source {FORGED}"')
        .replace("so said the writer.", f"so said the writer {FORGED} \x02wzxhzdk:0\x03."),
        encoding="utf-8",
    )
    briefs.note("forged", f"Forged {FORGED} here [@src-a].\n")
    analysis = analyse_dir(briefs.root)
    assert analysis.errors == []
    pages = {page.path: page for page in render_site(analysis, ROOT / "templates").pages}
    html = {path: clean_html(stashed(p.markdown, p.fragments)) for path, p in pages.items()}
    for path, page in pages.items():
        assert len(_placeholders(page.markdown)) == len(page.fragments), path
        converted = stashed(page.markdown, page.fragments)
        for fragment in page.fragments:
            assert converted.count(fragment.replace("\x02", "&#x2;")) == 1, path
    assert html["topics/pact.md"].count('class="statement" id="forged-1"') == 1
    assert f"Forged {FORGED} here<sup" in html["topics/pact.md"]
    assert f"The pact {FORGED}" in html["topics/pact.md"]
    source_page = html["sources/src-a.md"]
    assert f"A source {FORGED}" in source_page
    assert f"so said the writer {FORGED} \x02wzxhzdk:0\x03." in source_page
    assert source_page.count('class="cited-by"') == 1


# ---------------------------------------------------------------- the real pages


@pytest.mark.parametrize("briefing", [ROOT, FIXTURE], ids=["seed", "harbour"])
def test_every_generated_page_converts_as_fill_made_it(briefing: Path) -> None:
    """The site's pages through the stash are the pages `fill` made, byte for byte."""
    analysis = analyse_dir(briefing / "briefs")
    site = render_site(analysis, ROOT / "templates", directory_urls=False)
    assert sum(len(page.fragments) for page in site.pages) > 20
    for page in site.pages:
        html = stashed(page.markdown, page.fragments)
        assert html == filled(page.markdown, page.fragments), page.path
        assert leftovers(html) == [], page.path


# ---------------------------------------------------------------- how MkDocs gets it


def test_the_extension_loads_by_name_with_its_table_as_configuration() -> None:
    """As mkdocs.yml (or any tool running Python-Markdown extensions) would load it."""
    fragments = Fragments()
    text = f"a{fragments.inline('<b>*x*</b>')}"
    md = markdown.Markdown(
        extensions=[fragment_stash.NAME],
        extension_configs={fragment_stash.NAME: {"fragments": fragments.items}},
    )
    assert md.convert(text) == "<p>a<b>*x*</b></p>"
