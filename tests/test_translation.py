"""Quotes in the original, with a translation: a Korean and a Japanese source quoted in their
own words (`[@id, "원문", trans. "the words"]`), verified against the archived text, with the
translation in the sentence and the original in the tooltip, on the source page, in the
PDF's footnotes (in a Korean and a Japanese face) and in statements.json."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from briefing.adapters.cli import main
from briefing.adapters.pdf import write_pdf
from briefing.analysis.model import Analysis
from briefing.checks.archive import digest
from briefing.output.print_document import Stamp
from briefing.output.render import render_site
from briefing.pipeline import analyse_dir
from conftest import ROOT, Briefs

TEMPLATES = ROOT / "templates"

KOREAN = """\
---
title: 외교부 대변인 정례 브리핑
issued: 2024-06-20
type: primary
reliability: B
publisher: 외교부
language: ko
---
정부는 러시아와 북한이 체결한 조약에 대해 깊은 유감을 표명한다.
양측의 군사 협력 강화는 우리 안보에 대한 명백한 위협이다.
"""

# The quoted Japanese sentence is broken across two lines, as a hand-wrapped paste would be:
# Japanese has no spaces between words, so the line break is no space either.
JAPANESE = """\
---
title: 官房長官記者会見
issued: 2024-06-20
type: primary
reliability: B
publisher: 首相官邸
language: ja
---
政府として、ロシアと北朝鮮の軍事協力の強化に
重大な懸念を持って注視している。
"""

KOREAN_BODY = KOREAN.split("---\n")[2]
KO_ORIGINAL = "우리 안보에 대한 명백한 위협"
KO_TRANSLATION = "a clear threat to our security"
JA_ORIGINAL = "軍事協力の強化に重大な懸念を持って注視している"
JA_TRANSLATION = "watching the strengthening of military cooperation with grave concern"

NOTE = f"""\
Seoul called the pact's military cooperation "{KO_TRANSLATION}" [@mofa-2024, "{KO_ORIGINAL}", trans. "{KO_TRANSLATION}"].

Tokyo said it was "{JA_TRANSLATION}" [@kantei-2024, "{JA_ORIGINAL}", trans. "{JA_TRANSLATION}", credibility 2].
"""


@pytest.fixture
def translated(briefs: Briefs) -> Briefs:
    briefs.write("sources/mofa-2024.md", KOREAN)
    briefs.write("sources/kantei-2024.md", JAPANESE)
    briefs.note("reactions", NOTE, topic="reactions")
    briefs.note("pact", 'The pact is "a genuine alliance" [@src-a, "a genuine alliance"].\n')
    assert main(["pin", "mofa-2024"]) == 0
    return briefs


def test_korean_and_japanese_originals_verify_and_are_attributions(translated: Briefs) -> None:
    analysis = analyse_dir(translated.root)
    assert analysis.findings == ()
    statements = [s for s in analysis.statements if s.note_slug == "reactions"]
    assert [
        (c.source_id, c.quotes, c.translation, c.verified) for s in statements for c in s.citations
    ] == [
        ("mofa-2024", (KO_ORIGINAL,), KO_TRANSLATION, True),
        ("kantei-2024", (JA_ORIGINAL,), JA_TRANSLATION, True),
    ]
    # The sentence quotes the translation: it reports what the source says.
    assert [s.claim for s in statements] == ["attribution", "attribution"]


def test_a_wrong_original_is_refused_whatever_its_translation(translated: Briefs) -> None:
    translated.note(
        "wrong",
        """\
        Seoul spoke of "a slight worry" [@mofa-2024, "우리 안보에 대한 사소한 걱정", trans. "a slight worry"].

        Tokyo spoke of "grave concern" [@kantei-2024, "重大な関心", trans. "grave concern"].

        Its words were "grave concern" [@kantei-2024, trans. "grave concern"].
        """,
        topic="reactions",
    )
    findings = [
        (f.line, f.rule, f.message)
        for f in analyse_dir(translated.root).findings
        if f.path.endswith("wrong.md")
    ]
    assert findings == [
        (
            6,
            "quote-not-found",
            'quoted words not found in `mofa-2024`: "우리 안보에 대한 사소한 걱정"',
        ),
        (8, "quote-not-found", 'quoted words not found in `kantei-2024`: "重大な関心"'),
        (
            10,
            "citation-syntax",
            (
                "a translation needs the original words it translates: quote "
                'them before it, [@kantei-2024, "the source\'s own words", '
                'trans. "their translation"]'
            ),
        ),
    ]


def _pages(analysis: Analysis) -> dict[str, str]:
    return {p.path: p.expanded() for p in render_site(analysis, TEMPLATES).pages}


def test_the_site_shows_the_translation_in_the_sentence_and_the_original_beside_it(
    translated: Briefs,
) -> None:
    pages = _pages(analyse_dir(translated.root))
    topic = pages["topics/reactions.md"]
    assert f'Seoul called the pact\'s military cooperation "{KO_TRANSLATION}"' in topic
    assert (
        f"original \u201c{KO_ORIGINAL}\u201d, translated \u201c{KO_TRANSLATION}\u201d" in topic
    )  # the marker's tooltip
    assert f"original \u201c{JA_ORIGINAL}\u201d, translated \u201c{JA_TRANSLATION}\u201d" in topic
    assert f'trans. "{KO_TRANSLATION}"' not in topic
    # The source pages highlight the original where it stands in the archived text; the
    # Japanese one runs across the line break.
    assert (
        f'<mark class="quoted" id="quote-1">{KO_ORIGINAL}</mark>' in pages["sources/mofa-2024.md"]
    )
    assert '<div class="archived-text" lang="ko">' in pages["sources/mofa-2024.md"]
    assert '<div class="archived-text">' in pages["sources/src-a.md"]
    kantei = pages["sources/kantei-2024.md"]
    assert '<mark class="quoted" id="quote-1">軍事協力の強化に</mark>' in kantei
    assert '<mark class="quoted">重大な懸念を持って注視している</mark>' in kantei
    assert f"SHA-256 <code>{digest(KOREAN_BODY)}</code>" in pages["sources/mofa-2024.md"]


def test_statements_json_carries_the_original_and_the_translation(translated: Briefs) -> None:
    site = render_site(analyse_dir(translated.root), TEMPLATES)
    records = json.loads(dict(site.data)["statements.json"])
    cited = {c["source"]: c for r in records for c in r["citations"]}
    assert {k: cited["mofa-2024"][k] for k in ("quote", "quotes", "translation", "verified")} == {
        "quote": KO_ORIGINAL,
        "quotes": [KO_ORIGINAL],
        "translation": KO_TRANSLATION,
        "verified": True,
    }
    assert (cited["kantei-2024"]["quote"], cited["kantei-2024"]["translation"]) == (
        JA_ORIGINAL,
        JA_TRANSLATION,
    )
    assert cited["src-a"]["translation"] is None


def test_the_pdf_prints_the_original_in_its_own_face_and_the_fingerprint(
    translated: Briefs, tmp_path: Path
) -> None:
    analysis = analyse_dir(translated.root)
    target = tmp_path / "translated.pdf"
    write_pdf(analysis, TEMPLATES, target, stamp=Stamp("abc1234", "2024-07-01"))
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(target), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    assert f"original “{KO_ORIGINAL}”, translated “{KO_TRANSLATION}”" in text
    assert f"translated “{JA_TRANSLATION}”" in text and JA_ORIGINAL in text.replace(" ", "")
    assert f"Archived copy: SHA-256 {digest(KOREAN_BODY)}, retrieved" in text
    unpinned = text[text.rindex("官房長官記者会見") : text.index("Id: kantei-2024")]
    assert "Archived copy" not in unpinned  # the Japanese record has no fingerprint
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout
    # The Korean words in the Korean face (the Japanese one has Hangul too, in other forms).
    assert "Noto-Serif-CJK-KR" in fonts and "Noto-Serif-CJK-JP" in fonts
