"""Quote normalisation and locating quoted passages in archived text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing.prose.passages import Passage, archived_html
from briefing.prose.quotes import contains_quote, find_quote, normalise

TEXT = st.text(alphabet=st.sampled_from(list("ab \n\t“”\"'‘’—–-.") + ["\u00a0"]), max_size=60)
CJK_TEXT = st.text(
    alphabet=st.sampled_from(list("a 한국\n日本語のテキスト。「」－\u3000")), max_size=60
)


@given(TEXT)
def test_normalisation_is_idempotent(text: str) -> None:
    assert normalise(normalise(text)) == normalise(text)


def _assert_slice_is_found(text: str, a: int, b: int) -> None:
    start, end = sorted((a % (len(text) + 1), b % (len(text) + 1)))
    quote = text[start:end]
    if not normalise(quote):
        return
    span = find_quote(text, quote)
    assert span is not None
    assert normalise(text[span[0] : span[1]]) == normalise(quote)


@given(TEXT, st.integers(0, 60), st.integers(0, 60))
def test_any_slice_of_a_text_is_found_where_it_is(text: str, a: int, b: int) -> None:
    _assert_slice_is_found(text, a, b)


@given(CJK_TEXT, st.integers(0, 60), st.integers(0, 60))
def test_any_slice_of_a_korean_or_japanese_text_is_found_where_it_is(
    text: str, a: int, b: int
) -> None:
    assert normalise(normalise(text)) == normalise(text)
    _assert_slice_is_found(text, a, b)


def test_japanese_broken_across_lines_is_found_and_korean_keeps_its_spaces() -> None:
    japanese = normalise("両国は包括的戦略的\nパートナーシップ条約に署名した。")
    assert contains_quote(japanese, "包括的戦略的パートナーシップ条約")
    assert not contains_quote(japanese, "包括的戦略的パートナーシップ協定")
    korean = normalise("양국은 포괄적 전략적\n동반자 관계 조약에 서명했다.")
    assert contains_quote(korean, "포괄적 전략적 동반자 관계")
    assert not contains_quote(korean, "포괄적전략적 동반자 관계")
    assert not contains_quote(korean, "포괄적 전략적 동맹 관계")


def test_only_spacing_quote_marks_and_dashes_are_ignored() -> None:
    haystack = normalise("It is “a genuine alliance” — the first.")
    assert contains_quote(haystack, '"a genuine   alliance" - the')
    assert not contains_quote(haystack, "A genuine alliance")
    assert not contains_quote(haystack, "a genuine alliance,")


def test_passage_spanning_two_lines_is_marked_in_each_paragraph() -> None:
    body = "one two\nthree four"
    html = archived_html(body, [Passage("quote-1", 4, 13)])
    assert '<p>one <mark class="quoted" id="quote-1">two</mark></p>' in html
    assert '<p><mark class="quoted">three</mark> four</p>' in html


def test_archived_text_is_escaped() -> None:
    assert "<p>&lt;script&gt;x&lt;/script&gt;</p>" in archived_html("<script>x</script>")


def test_overlapping_passages_each_get_an_anchor() -> None:
    body = "one two three four"
    html = archived_html(body, [Passage("quote-1", 0, 13), Passage("quote-2", 4, 18)])
    assert html.count('id="quote-1"') == 1 and html.count('id="quote-2"') == 1
    assert '<mark class="quoted" id="quote-1">one </mark>' in html
    assert (
        '<mark class="quoted" id="quote-2">two three</mark><mark class="quoted"> four</mark>'
        in html
    )
