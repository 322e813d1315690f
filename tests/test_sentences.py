"""Tests for briefing.prose.sentences: splitting inline Markdown into sentences."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing.prose.sentences import Sentence, split_sentences

Spans = Sequence[tuple[int, int]]


def parts(text: str, *, opaque: Spans = (), attachable: Spans = ()) -> list[str]:
    return [
        text[s.start : s.end] for s in split_sentences(text, opaque=opaque, attachable=attachable)
    ]


def span_of(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


# Basic boundaries


def test_two_plain_sentences_with_exact_offsets() -> None:
    assert split_sentences("He left. She stayed.") == [Sentence(0, 8), Sentence(9, 20)]


def test_surrounding_and_separating_whitespace_is_excluded() -> None:
    assert split_sentences("  He left.\n\t She stayed.  \n") == [Sentence(2, 10), Sentence(13, 24)]


def test_question_and_exclamation_marks_end_sentences() -> None:
    assert parts("Really? Yes. Stop! Go.") == ["Really?", "Yes.", "Stop!", "Go."]


def test_combined_terminators_stay_together() -> None:
    assert parts("Really?! Yes.") == ["Really?!", "Yes."]


def test_soft_line_break_counts_as_whitespace() -> None:
    assert parts("He left.\nShe stayed.") == ["He left.", "She stayed."]


def test_text_without_terminator_is_one_sentence() -> None:
    assert split_sentences("no full stop here") == [Sentence(0, 17)]


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n"])
def test_whitespace_only_text_yields_nothing(text: str) -> None:
    assert split_sentences(text) == []


def test_lowercase_after_full_stop_does_not_start_a_sentence() -> None:
    assert parts("He left. and then stayed.") == ["He left. and then stayed."]


def test_terminator_without_following_space_does_not_split() -> None:
    assert parts("See example.com/A.B for more.") == ["See example.com/A.B for more."]


# Closing characters after the terminator


def test_closing_curly_quote_belongs_to_the_sentence() -> None:
    assert parts("He said “no.” Then he left.") == ["He said “no.”", "Then he left."]


def test_closing_straight_quotes_belong_to_the_sentence() -> None:
    assert parts("He said \"no.\" Then 'yes.' Fine.") == ['He said "no."', "Then 'yes.'", "Fine."]


def test_closing_curly_single_quote_belongs_to_the_sentence() -> None:
    assert parts("She said ‘odd.’ Next") == ["She said ‘odd.’", "Next"]


def test_closing_parenthesis_belongs_to_the_sentence() -> None:
    assert parts("He left. (As noted.) Next") == ["He left.", "(As noted.)", "Next"]


def test_closing_bold_markers_belong_to_the_sentence() -> None:
    assert parts("**Done.** Next") == ["**Done.**", "Next"]


def test_closing_underscore_emphasis_belongs_to_the_sentence() -> None:
    assert parts("_Done._ Next") == ["_Done._", "Next"]


def test_closing_html_tag_belongs_to_the_sentence() -> None:
    assert parts("<em>Done.</em> Next") == ["<em>Done.</em>", "Next"]


# Sentence starts


@pytest.mark.parametrize(
    ("text", "second"),
    [
        ("He left. 2024 was long.", "2024 was long."),
        ("He left. “Why?” she asked.", "“Why?” she asked."),
        ('He left. "Why?" she asked.', '"Why?" she asked.'),
        ("He left. (Later) she stayed.", "(Later) she stayed."),
        ("He left. [The report](u) says so.", "[The report](u) says so."),
        ("He left. *Nobody* stayed.", "*Nobody* stayed."),
        ("He left. **Nobody** stayed.", "**Nobody** stayed."),
        ("He left. _Nobody_ stayed.", "_Nobody_ stayed."),
        ("He left. <b>Nobody</b> stayed.", "<b>Nobody</b> stayed."),
        ("He left. `git` stayed.", "`git` stayed."),
        ("He left. @doctorow-2024-06 argues so.", "@doctorow-2024-06 argues so."),
        ("Он ушёл. Она осталась.", "Она осталась."),
    ],
)
def test_sentence_may_begin_with_digit_opener_emphasis_or_capital(text: str, second: str) -> None:
    assert parts(text)[1:] == [second]


def test_opening_quote_followed_by_lowercase_does_not_start_a_sentence() -> None:
    assert parts("He left. “and so” on.") == ["He left. “and so” on."]


# Abbreviations and initials

_ALWAYS_ABBREVIATIONS = [
    "U.S.", "U.N.", "U.K.", "e.g.", "i.e.", "E.g.", "a.m.", "U.S.A.",
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Gen.", "Col.", "Lt.", "Sen.", "Rep.", "St.",
    "Gov.", "Capt.", "Maj.", "Sgt.", "Adm.", "Rev.", "Hon.",
    "vs.", "v.", "cf.", "Cf.", "al.", "approx.", "ca.", "viz.",
    "Art.", "Arts.", "No.", "Nos.", "para.", "Para.", "paras.", "p.", "pp.",
    "vol.", "Vol.", "vols.", "ch.", "Ch.", "sec.", "Sec.", "fig.", "Fig.", "figs.",
    "Inc.", "Ltd.", "Co.", "Corp.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.",
    "Nov.", "Dec.",
]  # fmt: skip


@pytest.mark.parametrize("abbreviation", _ALWAYS_ABBREVIATIONS)
def test_known_abbreviation_before_capital_does_not_split(abbreviation: str) -> None:
    text = f"See {abbreviation} Smith today."
    assert parts(text) == [text]


@pytest.mark.parametrize("abbreviation", _ALWAYS_ABBREVIATIONS)
def test_known_abbreviation_before_number_does_not_split(abbreviation: str) -> None:
    text = f"See {abbreviation} 4 today."
    assert parts(text) == [text]


def test_us_embassy_is_one_sentence() -> None:
    assert parts("Staff at the U.S. Embassy in Seoul left.") == [
        "Staff at the U.S. Embassy in Seoul left."
    ]


def test_sentence_ending_in_acronym_stays_joined_to_next() -> None:
    assert parts("He moved to the U.S. He liked it.") == ["He moved to the U.S. He liked it."]


def test_sentence_ending_in_title_abbreviation_stays_joined_to_next() -> None:
    assert parts("They founded Acme Inc. The firm grew.") == [
        "They founded Acme Inc. The firm grew."
    ]


def test_abbreviation_with_leading_markup_is_recognised() -> None:
    assert parts("(Dr. Smith) and **Mr. Jones** met.") == ["(Dr. Smith) and **Mr. Jones** met."]


def test_etc_before_lowercase_does_not_split() -> None:
    assert parts("Apples, pears, etc. and plums.") == ["Apples, pears, etc. and plums."]


def test_etc_before_capital_ends_the_sentence() -> None:
    assert parts("Apples, pears, etc. Then plums.") == ["Apples, pears, etc.", "Then plums."]


def test_lowercase_no_is_a_word_unless_a_number_follows() -> None:
    assert parts("He said no. Then he left.") == ["He said no.", "Then he left."]
    assert parts("See no. 5 and art. 3 here.") == ["See no. 5 and art. 3 here."]


def test_lowercase_art_is_a_word_before_capital() -> None:
    assert parts("He studied art. Then he left.") == ["He studied art.", "Then he left."]


def test_initials_do_not_split() -> None:
    assert parts("J. R. R. Tolkien wrote it.") == ["J. R. R. Tolkien wrote it."]


def test_middle_initial_does_not_split() -> None:
    assert parts("Vyacheslav V. Nikonov spoke.") == ["Vyacheslav V. Nikonov spoke."]


def test_middle_initial_i_after_capitalised_name_does_not_split() -> None:
    assert parts("Vyacheslav I. Nikonov spoke.") == ["Vyacheslav I. Nikonov spoke."]


def test_pronoun_i_after_lowercase_word_ends_the_sentence() -> None:
    assert parts("So did I. Then we left.") == ["So did I.", "Then we left."]


def test_decimals_and_thousands_do_not_split() -> None:
    assert parts("It cost 3.5 billion. Next 1.000 units came.") == [
        "It cost 3.5 billion.",
        "Next 1.000 units came.",
    ]


def test_number_at_end_of_sentence_still_splits() -> None:
    assert parts("It happened in 2024. Then it stopped.") == [
        "It happened in 2024.",
        "Then it stopped.",
    ]


# Ellipses


def test_ellipsis_before_lowercase_does_not_split() -> None:
    assert parts("the pledge … to deploy troops.") == ["the pledge … to deploy troops."]


def test_three_dot_ellipsis_before_lowercase_does_not_split() -> None:
    assert parts("the pledge ... to deploy troops.") == ["the pledge ... to deploy troops."]


def test_three_dot_ellipsis_before_capital_splits() -> None:
    assert parts("It ended ... Then it began.") == ["It ended ...", "Then it began."]


def test_unicode_ellipsis_before_capital_splits() -> None:
    assert parts("It ended… Then it began.") == ["It ended…", "Then it began."]


def test_leading_ellipsis_inside_quote_does_not_split() -> None:
    assert parts("He spoke of “ …co-operation between them.”") == [
        "He spoke of “ …co-operation between them.”"
    ]


def test_leading_ellipsis_inside_quote_before_capital_does_not_split() -> None:
    assert parts("He said “… Moscow agreed.”") == ["He said “… Moscow agreed.”"]


def test_ellipsis_opening_the_text_does_not_split() -> None:
    assert parts("… And then it ended.") == ["… And then it ended."]


# Terminators inside quotes


def test_question_inside_quotes_followed_by_lowercase_is_one_sentence() -> None:
    assert parts('"Is it?" he asked.') == ['"Is it?" he asked.']


def test_exclamation_inside_curly_quotes_followed_by_lowercase_is_one_sentence() -> None:
    assert parts("“Stop!” she shouted. He did.") == ["“Stop!” she shouted.", "He did."]


# Opaque spans


def test_never_splits_inside_opaque_span() -> None:
    text = "Run `a. B` now. Next."
    assert parts(text, opaque=[span_of(text, "`a. B`")]) == ["Run `a. B` now.", "Next."]


def test_terminator_inside_opaque_span_does_not_split_after_it() -> None:
    text = "See [x](http://a.example/b.) Then more."
    assert parts(text, opaque=[span_of(text, "(http://a.example/b.)")]) == [text]


def test_citation_locator_is_not_split_when_opaque() -> None:
    text = "He left [see @a, p. 4; Dr. B]. She stayed."
    group = span_of(text, "[see @a, p. 4; Dr. B]")
    assert parts(text, opaque=[group]) == ["He left [see @a, p. 4; Dr. B].", "She stayed."]


def test_invalid_spans_are_tolerated() -> None:
    text = "He left. She stayed."
    spans = [(-5, 3), (30, 40), (7, 2), (4, 4)]
    assert parts(text, opaque=spans, attachable=spans) == ["He left.", "She stayed."]


# Attachable citations


def test_citation_after_sentence_end_belongs_to_preceding_sentence() -> None:
    text = "Text. [@a] Next [@b]."
    spans = [span_of(text, "[@a]"), span_of(text, "[@b]")]
    assert split_sentences(text, opaque=spans, attachable=spans) == [
        Sentence(0, 10),
        Sentence(11, 21),
    ]


def test_several_citations_after_sentence_end_all_attach() -> None:
    text = "Text. [@a]\n[@b] Next."
    spans = [span_of(text, "[@a]"), span_of(text, "[@b]")]
    assert parts(text, attachable=spans) == ["Text. [@a]\n[@b]", "Next."]


def test_citation_glued_to_full_stop_attaches() -> None:
    text = "Text.[@a] Next."
    assert parts(text, attachable=[span_of(text, "[@a]")]) == ["Text.[@a]", "Next."]


def test_citation_after_sentence_end_at_end_of_text_stays_in_last_sentence() -> None:
    text = "One. Two. [@a]"
    assert parts(text, attachable=[span_of(text, "[@a]")]) == ["One.", "Two. [@a]"]


def test_citation_followed_by_lowercase_does_not_create_a_boundary() -> None:
    text = "Text. [@a] and more."
    assert parts(text, attachable=[span_of(text, "[@a]")]) == [text]


def test_citation_before_full_stop_needs_no_attaching() -> None:
    text = "Text [@a]. Next [@b]."
    spans = [span_of(text, "[@a]"), span_of(text, "[@b]")]
    assert parts(text, opaque=spans, attachable=spans) == ["Text [@a].", "Next [@b]."]


def test_citation_not_after_a_sentence_end_stays_where_it_is() -> None:
    text = "Text [@a] Next."
    assert parts(text, attachable=[span_of(text, "[@a]")]) == [text]


# Large input (speed itself is measured by the benchmark, not asserted here)


def test_one_megabyte_splits_into_the_expected_sentences() -> None:
    paragraph = (
        "Mr. Smith met the U.S. envoy on Jan. 5 [@a, p. 4]. He said “no.” Then, e.g. in "
        "the U.K., talks resumed … to deploy 3.5 units. Really? Yes! It ended ... Then "
        "it began. **Done.** Next (As noted.) "
    )
    text = paragraph * (1_000_000 // len(paragraph))
    sentences = split_sentences(text)
    assert len(sentences) == 9 * (1_000_000 // len(paragraph))


def test_dense_candidate_boundaries_cover_the_whole_text() -> None:
    text = "A. a. … " * 20_000
    sentences = split_sentences(text)
    assert sentences[0].start == 0 and sentences[-1].end == len(text.rstrip())


# Properties

_PIECES = st.sampled_from(
    [*'.?!…"”’)*Aa1 \n', "...", "U.S.", "e.g.", "Mr.", "“", "(", "[@a]", "J. "]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)


def _spans(size: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    bound = st.integers(-2, size + 2)
    return st.lists(st.tuples(bound, bound), max_size=4)


def _assert_invariants(text: str, sentences: list[Sentence]) -> None:
    previous_end = 0
    for sentence in sentences:
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert text[previous_end : sentence.start].strip() == ""
        assert not text[sentence.start].isspace()
        assert not text[sentence.end - 1].isspace()
        previous_end = sentence.end
    assert text[previous_end:].strip() == ""
    inside = "".join(text[s.start : s.end] for s in sentences)
    assert "".join(inside.split()) == "".join(text.split())


@settings(max_examples=200)
@given(_TEXT)
def test_splitter_never_drops_or_duplicates_non_whitespace(text: str) -> None:
    _assert_invariants(text, split_sentences(text))


@settings(max_examples=200)
@given(st.data())
def test_opaque_spans_are_never_split_and_invariants_hold(data: st.DataObject) -> None:
    text = data.draw(_TEXT)
    opaque = data.draw(_spans(len(text)))
    attachable = data.draw(_spans(len(text)))
    sentences = split_sentences(text, opaque=opaque, attachable=attachable)
    _assert_invariants(text, sentences)
    for before, after in pairwise(sentences):
        for start, end in opaque:
            assert not (start < end and start < after.start and end > before.end)


@settings(max_examples=200)
@given(st.text(max_size=80))
def test_splitter_never_raises_on_arbitrary_text(text: str) -> None:
    _assert_invariants(text, split_sentences(text))
