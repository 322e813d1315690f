"""`briefing generate`: the site as the files of a build folder (output/build_folder.py), which
plain MkDocs builds with no plugin into the pages the plugin builds.

Real folders, real `mkdocs build` runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml
from markupsafe import escape
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.utils import meta as mkdocs_meta

from briefing.adapters.cli import main
from briefing.output import fragment_stash
from briefing.output.build_folder import ConfigLoader, page_file
from briefing.output.fragments import Fragments, split_table, with_table
from briefing.output.render import Page, render_site
from briefing.pipeline import analyse_dir
from conftest import ROOT, Briefs

FOLDER = Path("build") / "briefing"


def _generate(*args: str) -> int:
    return main(["generate", *args])


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Each file of the folder: its content, inode and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def _mkdocs(config: Path, site: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- the page files


def test_a_page_file_carries_front_matter_markdown_and_its_fragments() -> None:
    fragments = Fragments()
    hostile = [
        "<b>--></b>",
        "<p>a\u2028b\x85c\ue003\ue000 \n</p>",
        '<div class="x">"quoted" \\ back</div>',
    ]
    text = "# A <title> & more\n\n" + " ".join(fragments.inline(h) for h in hostile) + "\n"
    page = Page(
        "topics/a.md",
        "A <title> & more",
        text,
        json_ld='{"@type": "WebPage", "name": "A \\u003ctitle\\u003e"}',
        fragments=tuple(fragments.items),
        tooltips='{"sources": {}}',
    )
    written = page_file(page)
    assert written.startswith('---\ntitle: "A &lt;title&gt; &amp; more"\n')
    body, meta = mkdocs_meta.get_data(written)  # as MkDocs reads front matter
    assert meta == {
        "title": "A &lt;title&gt; &amp; more",
        "briefing_json_ld": page.json_ld,
        "briefing_sources": page.tooltips,
    }
    lines = body.split("\n")
    last = [line for line in lines if line][-1]
    assert last.startswith("<!-- briefing-fragments ") and last.endswith(" -->")
    assert last.count("-->") == 1  # none inside the table
    assert all(ch not in last for ch in "\u2028\x85\ue000")  # one line, for every reader
    assert split_table(lines) == (text.rstrip("\n").split("\n") + ["", ""], hostile)


def test_the_extension_fills_and_sanitises_a_generated_page_and_leaves_a_docs_page_alone() -> None:
    fragments = Fragments()
    cite = fragments.inline('<sup class="cite"><a href="s.html">1</a></sup>')
    cited_by = fragments.block('<section class="cited-by"><p>cited</p></section>')
    generated = (
        f"Said so{cite}. "
        '<span onclick="steal()">Raw</span> <script>alert(1)</script>\n\n'
        f"{cited_by}\n"
    )
    hand_written = '<span onclick="mine()">Trusted</span> <script>ok()</script>\n'
    md = markdown.Markdown(extensions=["toc", fragment_stash.NAME])  # by name, no option
    page = md.convert(with_table(generated, fragments.items))
    assert '<sup class="cite"><a href="s.html">1</a></sup>' in page
    assert '<section class="cited-by"><p>cited</p></section>' in page
    assert "<p><section" not in page
    assert "onclick" not in page and "<script" not in page and "alert" not in page
    assert "briefing-fragments" not in page
    # The same Markdown instance, next page: one of docs/, which is trusted as written.
    assert md.reset().convert(hand_written) == (
        '<p><span onclick="mine()">Trusted</span> <script>ok()</script></p>'
    )
    # A generated page with no fragments still says so, and is still sanitised.
    assert "<script" not in md.reset().convert(with_table("<script>x()</script> Hi\n", []))


def test_a_brief_cannot_write_a_fragment_table_of_its_own(briefs: Briefs) -> None:
    table = '<!-- briefing-fragments \ue003["<script>alert(1)</script>"] -->'
    briefs.note("forged", f"A sentence [@src-a]\n{table}\n\nAnother sentence [@src-a].\n")
    analysis = analyse_dir(briefs.root)
    site = render_site(analysis, ROOT / "templates", directory_urls=False)
    page = next(p for p in site.pages if p.path == "topics/pact.md")
    written = page_file(page)
    assert table not in written and "&#xE003;" in written
    body, _ = mkdocs_meta.get_data(written)
    lines, fragments = split_table(body.split("\n")) or ([], [])
    assert fragments == list(page.fragments)  # the page's own table, not the brief's
    md = markdown.Markdown(extensions=[fragment_stash.NAME, "attr_list", "admonition"])
    assert "<script" not in md.convert(body)


# ---------------------------------------------------------------- the build folder


def test_the_folder_holds_the_pages_the_assets_the_docs_and_a_config(
    harbour: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(harbour)
    assert _generate() == 0
    folder = harbour / FOLDER
    docs = folder / "docs"
    analysis = analyse_dir(harbour / "briefs")
    site = render_site(analysis, ROOT / "templates", directory_urls=True)
    for page in site.pages:
        assert (docs / page.path).read_text(encoding="utf-8") == page_file(page), page.path
    for path, data in (*site.assets, *site.data):
        assert (docs / path).read_bytes() == data
    assert (docs / "about.md").read_bytes() == (harbour / "docs" / "about.md").read_bytes()
    assert (docs / "robots.txt").read_text(encoding="utf-8").startswith("User-agent: *")
    topic = yaml.safe_load((docs / "topics" / "plans.md").read_text().split("---\n")[1])
    assert set(topic) == {"title", "briefing_json_ld", "briefing_sources"}

    text = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    assert text.startswith("# Written by `briefing generate`")
    config = yaml.safe_load(text)
    assert config["INHERIT"] == "../../mkdocs.yml"
    assert config["docs_dir"] == "docs" and config["site_dir"] == "../../site"
    assert config["site_name"] == "Harbour Dredging in Port Elling"
    assert config["nav"][0] == {"Home": "index.md"} and config["nav"][-1] == "about.md"
    assert config["extra"]["briefing"]["marking"] == "TEST ONLY"
    assert config["extra_css"] == ["assets/briefing/briefing.css"]
    assert config["extra_javascript"] == ["assets/briefing/briefing.js"]
    assert config["plugins"] == ["search"]
    assert config["markdown_extensions"][-2:] == ["pymdownx.details", fragment_stash.NAME]


def test_the_generated_config_resolves_every_path_from_its_own_folder(tmp_path: Path) -> None:
    """INHERIT: MkDocs reads docs_dir, site_dir and theme.custom_dir from the folder of the
    inheriting file (Zensical too), so the generated config gives them again."""
    folder = tmp_path / "out"
    assert _generate("-f", str(ROOT / "mkdocs.yml"), "-o", str(folder)) == 0
    raw = yaml.safe_load((folder / "mkdocs.yml").read_text(encoding="utf-8"))
    assert not Path(raw["theme"]["custom_dir"]).is_absolute()
    config = load_config(str(folder / "mkdocs.yml"))
    assert Path(config.docs_dir) == folder / "docs"
    assert Path(config.site_dir).resolve() == ROOT / "site"
    assert Path(config.theme.custom_dir).resolve() == ROOT / "templates" / "overrides"
    assert list(config.plugins) == ["material/search", "material/offline"]  # no briefing
    assert config.theme.name == "material" and config.theme["palette"]  # the rest inherited
    assert config.extra["polyfills"] == ["assets/briefing/iframe-worker-shim.js"]
    assert config.mdx_configs["toc"] == {"permalink": True}
    assert not (ROOT / "build" / "out").exists()


def test_tags_of_the_projects_config_are_written_again(harbour: Path, tmp_path: Path) -> None:
    config = harbour / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n"
        "          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n",
        encoding="utf-8",
    )
    site_dir = tmp_path / "elsewhere"
    assert _generate("-f", str(config), "-o", str(tmp_path / "out"), "-d", str(site_dir)) == 0
    generated = tmp_path / "out" / "mkdocs.yml"
    assert "!!python/name:pymdownx.superfences.fence_code_format" in generated.read_text()
    assert yaml.load(generated.read_text(), Loader=ConfigLoader)["site_dir"] == "../elsewhere"
    from pymdownx.superfences import fence_code_format

    loaded = load_config(str(generated))
    fences = loaded.mdx_configs["pymdownx.superfences"]["custom_fences"]
    assert fences[0]["format"] is fence_code_format
    assert Path(loaded.site_dir) == site_dir


def test_a_second_run_rewrites_only_what_changed_and_removes_what_went(
    harbour: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(harbour)
    folder = harbour / FOLDER
    assert _generate() == 0
    first = _snapshot(folder)
    assert _generate() == 0
    assert _snapshot(folder) == first  # nothing changed: nothing written

    note = harbour / "briefs" / "notes" / "plans.md"
    note.write_text(
        note.read_text(encoding="utf-8") + "\nThe plan grew [@port-authority-2023].\n",
        encoding="utf-8",
    )
    assert _generate() == 0
    second = _snapshot(folder)
    changed = {path for path in first if second[path][0] != first[path][0]}
    assert "docs/topics/plans.md" in changed
    assert "docs/topics/objections.md" not in changed
    for path in set(first) - changed:
        assert second[path] == first[path], path  # same inode, same mtime: never rewritten
    assert {"mkdocs.yml", "docs/about.md", "docs/assets/briefing/briefing.css"} - changed

    # A topic goes, with its note: its page goes too.
    (harbour / "briefs" / "notes" / "objections.md").unlink()
    yml = harbour / "briefs" / "briefing.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text.replace("  - id: objections\n    title: Objections\n", ""), "utf-8")
    assert _generate() == 0
    assert not (folder / "docs" / "topics" / "objections.md").exists()
    assert (folder / "docs" / "topics" / "plans.md").is_file()


def test_errors_write_nothing(
    harbour: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(harbour)
    folder = harbour / FOLDER
    note = harbour / "briefs" / "notes" / "objections.md"
    good = note.read_text(encoding="utf-8")
    note.write_text(good + "\nAn uncited sentence.\n", encoding="utf-8")
    assert _generate() == 1
    assert "[uncited]" in capsys.readouterr().err
    assert not (harbour / "build").exists()

    note.write_text(good, encoding="utf-8")
    assert _generate() == 0
    before = _snapshot(folder)
    note.write_text(good + "\nAn uncited sentence.\n", encoding="utf-8")
    assert _generate() == 1
    assert _snapshot(folder) == before


def test_it_refuses_a_folder_it_did_not_write(
    harbour: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(harbour)
    assert _generate("-o", "docs") == 1
    assert sorted(p.name for p in (harbour / "docs").iterdir()) == ["about.md"]


# ---------------------------------------------------------------- built with no plugin


def test_the_plugin_hands_mkdocs_the_page_files_generate_writes(
    harbour: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(harbour)
    assert _generate() == 0
    config = load_config(str(harbour / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    generated = [f for f in files if f.generated_by == "briefing"]
    assert len(generated) > 10
    for file in generated:
        written = harbour / FOLDER / "docs" / file.src_uri
        assert file.content_bytes == written.read_bytes(), file.src_uri
    assert fragment_stash.NAME in config.markdown_extensions
    assert fragment_stash.NAME not in config.mdx_configs  # no per-page option any more


def test_plain_mkdocs_builds_the_pages_the_plugin_builds(
    harbour: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(harbour)
    assert _generate() == 0
    _mkdocs(harbour / "mkdocs.yml", tmp_path / "plugin")
    _mkdocs(harbour / FOLDER / "mkdocs.yml", tmp_path / "plain")
    pages = sorted(
        p.relative_to(tmp_path / "plugin") for p in (tmp_path / "plugin").rglob("*.html")
    )
    assert (
        Path("topics/plans/index.html") in pages
        and Path("sources/fishers-2023/index.html") in pages
    )
    for page in pages:
        plugin = (tmp_path / "plugin" / page).read_text(encoding="utf-8")
        assert (tmp_path / "plain" / page).read_text(encoding="utf-8") == plugin, page
    topic = (tmp_path / "plain" / "topics" / "plans" / "index.html").read_text(encoding="utf-8")
    assert '<sup class="cite" data-search-exclude="">' in topic and 'id="briefing-sources"' in topic
    assert "briefing-fragments" not in topic and "\ue000" not in topic


def test_front_matter_values_read_back_whatever_characters_they_hold() -> None:
    """Front matter is written as JSON strings, which YAML reads; YAML's own line breaks
    and unprintable characters are escaped as well."""
    awkward = 'a\u2028b\x85c\x7fd "q" \\ \t\n # : --> 😀 한국 \ufffe'
    page = Page("topics/a.md", awkward, "Text.\n", json_ld=awkward, tooltips=awkward)
    _, meta = mkdocs_meta.get_data(page_file(page))
    assert meta == {
        "title": str(escape(awkward)),
        "briefing_json_ld": awkward,
        "briefing_sources": awkward,
    }
