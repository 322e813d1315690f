"""Hostile text in briefs (titles, marking, raw HTML in notes) never becomes live markup."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from briefing.output.sanitize import clean_html
from briefing.pipeline import analyse_dir


def _build(project: Path) -> Path:
    site = project / "site"
    result = subprocess.run(
        [sys.executable, "-m", "briefing.adapters.cli", "build", "-d", str(site)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return site


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _all_html(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html")))


def test_hostile_titles_and_marking_are_escaped_everywhere(harbour: Path) -> None:
    briefs = harbour / "briefs"
    _replace(
        briefs / "briefing.yml",
        "title: Harbour Dredging in Port Elling",
        'title: "</title><script>alert(1)</script> Harbour & Co"',
    )
    _replace(
        briefs / "briefing.yml",
        "title: Objections",
        'title: "<img src=x onerror=alert(2)>Objections"',
    )
    _replace(
        briefs / "briefing.yml", "marking: TEST ONLY", 'marking: "<b onclick=alert(3)>TEST</b>"'
    )
    _replace(
        briefs / "sources" / "fishers-2023.md",
        "title: Fishers fear for the spawning grounds",
        'title: "</title><script>alert(4)</script>Fishers"',
    )
    html = _all_html(_build(harbour))
    assert not re.search(r"<script>alert|<img src=x|<b onclick", html)
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; Harbour &amp; Co</title>" in html


def test_raw_html_inside_a_sentence_is_sanitised(harbour: Path) -> None:
    note = harbour / "briefs" / "notes" / "objections.md"
    note.write_text(
        note.read_text(encoding="utf-8")
        + (
            '\nPayload <img src="http://evil.example/x.png" onerror="alert(1)"> and '
            '<a href="javascript:alert(2)">a link</a> <script>alert(3)</script> '
            '<iframe src="https://evil.example/"></iframe> [@fishers-2023].\n'
        ),
        encoding="utf-8",
    )
    page = (_build(harbour) / "topics" / "objections" / "index.html").read_text(encoding="utf-8")
    assert "Payload" in page
    assert not re.search(r"evil\.example|alert\(|javascript:|<iframe", page)


def test_raw_html_block_in_a_note_is_an_error(harbour: Path) -> None:
    note = harbour / "briefs" / "notes" / "objections.md"
    note.write_text(
        note.read_text(encoding="utf-8") + "\n<div>\nUnchecked text.\n</div>\n", encoding="utf-8"
    )
    findings = analyse_dir(harbour / "briefs").errors
    assert [(f.line, f.rule) for f in findings] == [(13, "raw-html")]


def test_sanitiser_keeps_the_generators_markup() -> None:
    html = (
        '<p><span class="statement" id="n-1"></span>Text <sup class="cite">'
        '<a href="../sources/a/" title="A">1</a><span class="grade grade-c">C</span></sup></p>'
    )
    assert clean_html(html) == html


def test_no_payload_runs_in_a_real_browser(harbour: Path) -> None:
    """Hostile titles, marking, notes and archived text: Chromium shows no dialog and logs
    nothing from the payloads on any generated page."""
    from playwright.sync_api import sync_playwright

    from test_browser import CHROMIUM, CHROMIUM_ARGS

    briefs = harbour / "briefs"
    payload = "<script>console.log('PAYLOAD');alert(1)</script>"
    _replace(
        briefs / "briefing.yml", "title: Harbour Dredging in Port Elling", f'title: "{payload}"'
    )
    _replace(
        briefs / "briefing.yml",
        "title: Objections",
        f'title: "{payload}<img src=x onerror=alert(2)>"',
    )
    _replace(briefs / "briefing.yml", "marking: TEST ONLY", f'marking: "{payload}"')
    source = briefs / "sources" / "fishers-2023.md"
    source.write_text(
        source.read_text(encoding="utf-8") + f"{payload}\n<img src=x onerror=alert(3)>\n",
        encoding="utf-8",
    )
    note = briefs / "notes" / "objections.md"
    note.write_text(
        note.read_text(encoding="utf-8")
        + (
            "\nPayload <img src=x onerror=\"console.log('PAYLOAD');alert(4)\"> "
            '<a href="javascript:alert(5)" onclick="alert(6)">a link</a> '
            "<svg onload=alert(7)></svg> <details open ontoggle=alert(8)>x</details> [@fishers-2023].\n"
        ),
        encoding="utf-8",
    )
    site = _build(harbour)
    pages = sorted(site.rglob("*.html"))
    dialogs: list[str] = []
    messages: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: messages.append(message.text))
        for path in pages:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
        page.goto((site / "topics" / "objections" / "index.html").as_uri())
        for link in page.locator("article a").all():
            if link.inner_text().strip() == "a link":
                link.click()
        browser.close()
    assert len(pages) >= 8
    assert dialogs == []
    assert not [m for m in messages if "PAYLOAD" in m]


def test_placeholder_characters_in_briefs_cannot_forge_generated_html(harbour: Path) -> None:
    """Pages hold private-use placeholders for the generator's own HTML (fragments.py); the
    same characters in a note, a title or an author are written out as text."""
    forged = "\ue000\ue010\ue002 \ue001\ue010\ue002"
    note = harbour / "briefs" / "notes" / "objections.md"
    note.write_text(
        note.read_text(encoding="utf-8") + f"\nForged {forged} here [@fishers-2023].\n",
        encoding="utf-8",
    )
    _replace(
        harbour / "briefs" / "briefing.yml", "title: Objections", f'title: "Objections {forged}"'
    )
    _replace(
        harbour / "briefs" / "sources" / "fishers-2023.md",
        "title: Fishers fear for the spawning grounds",
        f'title: "Fishers {forged}"',
    )
    site = _build(harbour)
    page = (site / "topics" / "objections" / "index.html").read_text(encoding="utf-8")
    assert f"Forged {forged} here<sup" in page  # the sanitiser writes the references as characters
    assert f"Objections {forged}" in page
    assert f"Fishers {forged}" in (site / "sources" / "fishers-2023" / "index.html").read_text(
        "utf-8"
    )
    # The first fragment of the page (a statement anchor) appears once, where it belongs.
    assert page.count('class="statement" id="objections-1"') == 1
