"""Tests for briefing.prose.citations: Pandoc bracket citation parsing."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.prose.citations import (
    CitationGroup,
    CitationItem,
    CitationSyntaxError,
    ParsedCitations,
    parse_citations,
)


def only_group(text: str) -> CitationGroup:
    parsed = parse_citations(text)
    assert parsed.errors == ()
    assert len(parsed.groups) == 1
    return parsed.groups[0]


def only_error(text: str) -> CitationSyntaxError:
    parsed = parse_citations(text)
    assert parsed.groups == ()
    assert len(parsed.errors) == 1
    return parsed.errors[0]


def signature(group: CitationGroup) -> list[tuple[str, str, str, str | None, bool]]:
    return [
        (item.key, item.prefix, item.locator, item.quote, item.suppress_author)
        for item in group.items
    ]


# Well-formed groups


def test_single_key_group_reports_bracket_and_at_offsets() -> None:
    text = "Text [@doctorow-2024-06]."
    assert parse_citations(text) == ParsedCitations(
        groups=(CitationGroup(5, 24, (CitationItem("doctorow-2024-06", 6),)),),
        errors=(),
    )
    assert text[5:24] == "[@doctorow-2024-06]"


def test_several_keys_are_separated_by_semicolons() -> None:
    group = only_group("[@a; @b;@c]")
    assert [(item.key, item.offset) for item in group.items] == [("a", 1), ("b", 5), ("c", 8)]
    assert (group.start, group.end) == (0, 11)


def test_locator_is_text_after_comma_stripped() -> None:
    assert only_group("[@a,  para. 4 ]").items == (CitationItem("a", 1, locator="para. 4"),)


def test_prefix_is_text_before_key_stripped() -> None:
    assert only_group("[ see @a, p. 4]").items == (
        CitationItem("a", 6, prefix="see", locator="p. 4"),
    )


def test_prefix_may_contain_commas() -> None:
    assert only_group("[see, e.g., @a]").items == (CitationItem("a", 12, prefix="see, e.g.,"),)


def test_each_item_has_its_own_prefix_and_locator() -> None:
    group = only_group("[see @a, p. 4; cf. @b, ch. 2]")
    assert signature(group) == [
        ("a", "see", "p. 4", None, False),
        ("b", "cf.", "ch. 2", None, False),
    ]


def test_suppressed_author_dash_before_at() -> None:
    assert only_group("[-@a]").items == (CitationItem("a", 2, suppress_author=True),)


def test_suppressed_author_after_prefix() -> None:
    assert only_group("[see -@a, p. 4]").items == (
        CitationItem("a", 6, prefix="see", locator="p. 4", suppress_author=True),
    )


def test_dash_glued_to_prefix_word_is_part_of_prefix_not_suppression() -> None:
    assert only_group("[pre-@a]").items == (CitationItem("a", 5, prefix="pre-"),)


def test_locator_without_comma_is_accepted_as_locator() -> None:
    assert only_group("[@a p. 4]").items == (CitationItem("a", 1, locator="p. 4"),)


def test_comma_with_nothing_after_gives_empty_locator() -> None:
    assert only_group("[@a, ]").items == (CitationItem("a", 1),)


def test_key_ends_at_whitespace_comma_semicolon_or_bracket() -> None:
    group = only_group("[@k1 x; @k2,y; @k3;@k4]")
    assert [item.key for item in group.items] == ["k1", "k2", "k3", "k4"]


def test_malformed_key_is_returned_for_caller_validation() -> None:
    assert only_group("[@../x]").items == (CitationItem("../x", 1),)


def test_group_may_span_soft_line_break() -> None:
    group = only_group("Claim [@a,\np. 4].")
    assert (group.start, group.end) == (6, 16)
    assert group.items == (CitationItem("a", 7, locator="p. 4"),)


def test_several_groups_in_one_text_in_order() -> None:
    parsed = parse_citations("One [@a]. Two [@b; @c]. Three [-@d].")
    assert [(g.start, g.end) for g in parsed.groups] == [(4, 8), (14, 22), (30, 35)]
    assert [[i.key for i in g.items] for g in parsed.groups] == [["a"], ["b", "c"], ["d"]]


# Quoted locators


def test_quoted_locator_with_straight_quotes() -> None:
    group = only_group('[@doctorow-2024-06, "a genuine alliance"]')
    assert group.items == (
        CitationItem(
            "doctorow-2024-06", 1, locator='"a genuine alliance"', quotes=("a genuine alliance",)
        ),
    )
    assert group.end == 41


def test_quoted_locator_with_curly_quotes() -> None:
    assert only_group("[@a, “a genuine alliance”]").items == (
        CitationItem("a", 1, locator="“a genuine alliance”", quotes=("a genuine alliance",)),
    )


def test_quoted_locator_may_contain_semicolon() -> None:
    group = only_group('[@a, "first; second"; @b]')
    assert signature(group) == [
        ("a", "", '"first; second"', "first; second", False),
        ("b", "", "", None, False),
    ]


def test_quoted_locator_may_contain_comma() -> None:
    assert only_group('[@a, "one, two"]').items[0].quote == "one, two"


def test_quoted_locator_may_contain_closing_bracket() -> None:
    group = only_group('See [@a, "odd ] bracket"] here.')
    assert (group.start, group.end) == (4, 25)
    assert group.items[0].quote == "odd ] bracket"


def test_quoted_locator_may_contain_editorial_brackets() -> None:
    assert only_group("[@a, “the [US] alliance”]").items[0].quote == "the [US] alliance"


def test_curly_quoted_locator_may_contain_straight_quote() -> None:
    assert only_group('[@a, “he said "no" twice”]').items[0].quote == 'he said "no" twice'


def test_quote_keeps_inner_text_exactly() -> None:
    assert only_group('[@a, "  two\nlines "]').items[0].quote == "  two\nlines "


def test_every_quoted_span_in_a_locator_is_a_quote_wherever_it_stands() -> None:
    group = only_group('[@a, "words" p. 4; @b, "x" "y"; @c, para. 3, “the treaty”]')
    assert [item.quotes for item in group.items] == [("words",), ("x", "y"), ("the treaty",)]
    assert [item.locator for item in group.items] == [
        '"words" p. 4',
        '"x" "y"',
        "para. 3, “the treaty”",
    ]
    assert [item.quote_only for item in group.items] == [False, False, False]


def test_a_quote_in_the_prefix_is_a_quote_too() -> None:
    assert only_group('[as "the pact" puts it, @a]').items[0].quotes == ("the pact",)


def test_a_locator_that_is_one_quote_is_quote_only() -> None:
    assert only_group('[@a, "x"]').items[0].quote_only


# Pandoc's braced keys and in-text citations


def test_braced_key_is_read_without_its_braces() -> None:
    group = only_group("[@{doctorow-2024}, p. 4]")
    assert signature(group) == [("doctorow-2024", "", "p. 4", None, False)]
    assert parse_citations(group.to_markdown()).groups[0].items == group.items


def test_braced_key_without_closing_brace_is_an_error() -> None:
    assert only_error("[@{doctorow-2024, p. 4]").message == (
        "braced citation key has no closing '}': write @{source-id}"
    )


# Brackets that are not citations


def test_markdown_link_is_not_a_citation() -> None:
    assert parse_citations("See [the report](https://example.org/r).") == ParsedCitations((), ())


def test_link_text_starting_with_at_is_not_a_citation() -> None:
    assert parse_citations("[@handle](https://example.org/handle)") == ParsedCitations((), ())


def test_bracket_without_at_is_not_a_citation() -> None:
    assert parse_citations("A [x] task and a note[^1] and [see above].") == ParsedCitations((), ())


def test_email_in_link_text_is_not_a_key() -> None:
    text = "Write to [bob@example.org](mailto:bob@example.org) or [@a]."
    parsed = parse_citations(text)
    assert parsed.errors == ()
    assert [(g.start, [i.key for i in g.items]) for g in parsed.groups] == [(54, ["a"])]


def test_email_in_plain_bracket_is_not_a_key() -> None:
    assert parse_citations("[bob@example.org]") == ParsedCitations((), ())


def test_citation_inside_code_span_is_ignored() -> None:
    parsed = parse_citations("Use `[@a]` or ``[@b]`` like [@c].")
    assert [g.items[0].key for g in parsed.groups] == ["c"]
    assert parsed.errors == ()


def test_escaped_bracket_is_not_a_citation() -> None:
    assert parse_citations(r"\[@a] but [@b]").groups[0].items[0].key == "b"
    assert len(parse_citations(r"\[@a]").groups) == 0


def test_in_text_citation_is_refused_with_the_bracketed_form() -> None:
    error = only_error("@doctorow-2024-06 says so.")
    assert (error.offset, error.message) == (
        0,
        (
            "in-text citation `@doctorow-2024-06` is not read here: write it in brackets after the "
            "words it supports, `[@doctorow-2024-06]` (for a literal @, write &#64;)"
        ),
    )


def test_in_text_citation_with_locator_is_refused_with_the_locator_in_brackets() -> None:
    error = only_error("As @smith04 [p. 33] says, it was signed.")
    assert (error.offset, error.message) == (
        3,
        (
            "in-text citation `@smith04 [p. 33]` is not read here: write it in brackets after the "
            "words it supports, `[@smith04, p. 33]` (for a literal @, write &#64;)"
        ),
    )


def test_addresses_links_and_code_with_at_signs_are_not_in_text_citations() -> None:
    text = (
        "Mail a@b.org, see https://x.org/@user, [@a](https://x.org), `@code`, "
        "\\@escaped and a lone @ sign [@b]."
    )
    parsed = parse_citations(text)
    assert parsed.errors == ()
    assert [g.items[0].key for g in parsed.groups] == ["b"]


# Malformed citations


def test_unterminated_straight_quote_points_at_the_quote() -> None:
    assert only_error('[@a, "a genuine alliance]') == CitationSyntaxError(
        5, 'unterminated quote in citation: add the closing "'
    )


def test_unterminated_curly_quote_asks_for_curly_closing_quote() -> None:
    assert only_error("Text [@a, “a genuine alliance].") == CitationSyntaxError(
        10, "unterminated quote in citation: add the closing ”"
    )


def test_unterminated_quote_blames_first_quote_even_if_later_quotes_pair_up() -> None:
    parsed = parse_citations('[@a, "genuine alliance] text "quoted" [@b].')
    assert [e.offset for e in parsed.errors] == [5]
    assert "unterminated quote" in parsed.errors[0].message
    assert [(g.start, g.items[0].key) for g in parsed.groups] == [(38, "b")]


def test_missing_closing_bracket_points_at_opening_bracket() -> None:
    assert only_error("Claim [@a, p. 4") == CitationSyntaxError(
        6, "citation has no closing ']': add ']' after its last key or locator"
    )


def test_missing_closing_bracket_before_next_citation_keeps_next_citation() -> None:
    parsed = parse_citations("One [@a, p. 4 two [@b].")
    assert [(e.offset, "closing ']'" in e.message) for e in parsed.errors] == [(4, True)]
    assert [(g.start, g.end) for g in parsed.groups] == [(18, 22)]


def test_empty_key_points_at_the_at_sign() -> None:
    assert only_error("Claim [@].") == CitationSyntaxError(
        7, "citation key is empty after '@': write the source key, e.g. [@source-id]"
    )


def test_empty_key_before_locator() -> None:
    assert only_error("[@, p. 4]").offset == 1


def test_item_without_key_in_group_with_keys_points_at_item() -> None:
    error = only_error("[@a; p. 4]")
    assert error.offset == 5
    assert error.message == (
        "citation item 'p. 4' has no @key: start it with @key, "
        "or attach it to the previous key with ',' instead of ';'"
    )


def test_leading_item_without_key_is_reported() -> None:
    assert only_error("[see above; @a]").offset == 1


def test_empty_item_after_semicolon_points_at_semicolon() -> None:
    assert only_error("[@a; ]") == CitationSyntaxError(
        3, "empty citation item: remove the extra ';'"
    )


def test_empty_first_item_points_at_following_semicolon() -> None:
    assert only_error("[; @a]").offset == 1


def test_second_key_in_one_item_asks_for_semicolon() -> None:
    assert only_error("[@a, see @b]") == CitationSyntaxError(
        9, "citation item has a second key @b after @a: separate citations with ';'"
    )


def test_second_key_without_comma_is_reported() -> None:
    assert only_error("[@a @b]").offset == 4


def test_at_sign_inside_quoted_locator_is_not_a_second_key() -> None:
    assert only_group('[@a, "email @team today"]').items[0].quote == "email @team today"


def test_empty_quoted_locator_is_reported() -> None:
    assert only_error('[@a, ""]') == CitationSyntaxError(
        5, "quoted locator is empty: put the source's exact words between the quotes"
    )


def test_every_problem_in_a_group_is_reported_and_group_dropped() -> None:
    parsed = parse_citations("[@; p. 4; @b]")
    assert parsed.groups == ()
    assert [e.offset for e in parsed.errors] == [1, 4]


def test_error_in_one_group_does_not_hide_later_groups() -> None:
    parsed = parse_citations("A [@]. B [@b].")
    assert [e.offset for e in parsed.errors] == [3]
    assert [g.items[0].key for g in parsed.groups] == ["b"]


def test_unterminated_quotes_in_long_text_stay_fast() -> None:
    parsed = parse_citations("[@a, “x]” “" * 20_000)
    assert parsed.groups == ()
    assert parsed.errors


# Translations


def test_a_translation_is_not_a_quote_and_not_part_of_the_locator() -> None:
    item = only_group('[@ko, "원문 그대로", trans. "the very words"]').items[0]
    assert (item.quotes, item.translation, item.locator) == (
        ("원문 그대로",),
        "the very words",
        '"원문 그대로"',
    )
    assert item.quote_only


def test_a_translation_stands_with_a_locator_and_a_credibility() -> None:
    item = only_group('[@ja, p. 3, "原文", trans. "the text", credibility 2]').items[0]
    assert (item.locator, item.quotes, item.translation, item.credibility) == (
        'p. 3, "原文"',
        ("原文",),
        "the text",
        2,
    )
    assert not item.quote_only


def test_trans_inside_quoted_words_is_not_a_translation() -> None:
    item = only_group('[@a, "one, trans. two"]').items[0]
    assert (item.quotes, item.translation) == (("one, trans. two",), None)


@given(
    st.sampled_from(['"원문"', 'p. 4, "原文"', "“말, 말”"]),
    st.sampled_from(['"words"', '“say "hi"”', '"a, b; c"']),
    st.sampled_from(["", ", credibility 3"]),
)
def test_translations_round_trip_through_to_markdown(
    original: str, translation: str, credibility: str
) -> None:
    group = only_group(f"[@k, {original}, trans. {translation}{credibility}; @b]")
    again = only_group(group.to_markdown())
    assert [(i.key, i.locator, i.quotes, i.translation, i.credibility) for i in again.items] == [
        (i.key, i.locator, i.quotes, i.translation, i.credibility) for i in group.items
    ]
    assert again.items[0].translation is not None


def test_a_translation_without_its_original_or_its_quotes_is_an_error() -> None:
    assert "needs the original words it translates" in only_error('[@k, trans. "words"]').message
    assert 'found "trans. words"' in only_error('[@k, "원문", trans. words]').message
    assert "given twice" in only_error('[@k, "원문", trans. "a", trans. "b"]').message


# Serialisation


def test_to_markdown_normalises_spacing() -> None:
    group = only_group("[ see  -@a ,p. 4 ;@b,“x; y”;@c q]")
    assert group.to_markdown() == "[see -@a, p. 4; @b, “x; y”; @c, q]"


# Properties

_ALPHABET = st.one_of(
    st.sampled_from([*'[]@;,"“”-() ab.\n`\\', "](u)"]),
    st.sampled_from(["[@k", "[see -@k", "; @k", ", p. 4", ', "x', '"', "“", "”", "]", "]"]),
)
_WORD = st.text(alphabet="abcXYZ0129.:/-_", min_size=1, max_size=6)
_PLAIN = st.text(alphabet="abc p.4:\n", max_size=8)


_PREFIX = st.sampled_from(["", "see ", "cf. ", "see, e.g., ", "see -", "-"])
_LOCATOR = st.one_of(
    st.just(""),
    _PLAIN.map(lambda s: f", {s}"),
    st.text(alphabet="ab ;,][“", max_size=8).map(lambda s: f', "{s}x"'),
    st.text(alphabet='ab ;,]["', max_size=8).map(lambda s: f", “{s}x”"),
)
_ITEM = st.builds(lambda p, k, loc: f"{p}@{k}{loc}", _PREFIX, _WORD, _LOCATOR)
_GROUPS = st.lists(_ITEM, min_size=1, max_size=3).map(lambda items: "[" + "; ".join(items) + "]")


def _assert_round_trips(text: str) -> None:
    for group in parse_citations(text).groups:
        again = parse_citations(group.to_markdown())
        assert again.errors == ()
        assert len(again.groups) == 1
        assert signature(again.groups[0]) == signature(group)


@settings(max_examples=200)
@given(st.lists(_ALPHABET | _GROUPS, max_size=16).map("".join))
def test_groups_from_arbitrary_text_round_trip_through_to_markdown(text: str) -> None:
    _assert_round_trips(text)


@settings(max_examples=200)
@given(st.lists(st.one_of(_GROUPS, _PLAIN), max_size=5).map(" ".join))
def test_well_formed_groups_parse_and_round_trip(text: str) -> None:
    parsed = parse_citations(text)
    assert parsed.errors == ()
    assert all(text[g.start] == "[" and text[g.end - 1] == "]" for g in parsed.groups)
    assert all(text[item.offset] == "@" for g in parsed.groups for item in g.items)
    _assert_round_trips(text)


@settings(max_examples=200)
@given(st.text(max_size=60) | st.lists(_ALPHABET, max_size=60).map("".join))
def test_parse_never_raises_and_offsets_are_in_range(text: str) -> None:
    parsed = parse_citations(text)
    for group in parsed.groups:
        assert 0 <= group.start < group.end <= len(text)
    for error in parsed.errors:
        assert 0 <= error.offset < len(text)
        assert error.message
