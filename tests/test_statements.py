"""Statements found in every kind of prose block, at the exact line and column."""

from __future__ import annotations

from briefing.pipeline import analyse_dir
from conftest import Briefs

NOTE = """\
First sentence [@src-a]. Second one, by Mr. Kim of the U.S. delegation [@src-a].

- A list item [@src-a].
- Another, citing Art. 4 and No. 2 [@src-a, para. 2].

| Side | Position |
|---|---|
| **Seoul** | Regret [@src-a]. |

> A quoted report, e.g. this one [@src-a].

!!! assessment "Low confidence"
    An admonition body [@src-a]. It has 3.5 sentences… no, two [@src-a].

## A heading is not a statement
"""


def test_statements_in_every_block_with_exact_positions(briefs: Briefs) -> None:
    briefs.note("kinds", NOTE)
    analysis = analyse_dir(briefs.root)
    assert analysis.findings == ()
    found = [(s.line, s.col, s.kind, s.plain) for s in analysis.statements]
    assert found == [
        (6, 1, "paragraph", "First sentence."),
        (6, 26, "paragraph", "Second one, by Mr. Kim of the U.S. delegation."),
        (8, 3, "list item", "A list item."),
        (9, 3, "list item", "Another, citing Art. 4 and No. 2."),
        (13, 15, "table cell", "Regret."),
        (15, 3, "block quote", "A quoted report, e.g. this one."),
        (18, 5, "admonition", "An admonition body."),
        (18, 34, "admonition", "It has 3.5 sentences… no, two."),
    ]


def test_table_header_bold_row_labels_and_headings_are_labels(briefs: Briefs) -> None:
    briefs.note(
        "labels", "# Heading\n\n| Uncited header | |\n|---|---|\n| **Label** | Cited [@src-a] |\n"
    )
    analysis = analyse_dir(briefs.root)
    assert analysis.findings == ()
    assert [s.plain for s in analysis.statements] == ["Cited"]


def test_citation_after_full_stop_belongs_to_the_sentence(briefs: Briefs) -> None:
    briefs.note("after", "Seoul protested. [@src-a] Tokyo did too [@src-a].\n")
    analysis = analyse_dir(briefs.root)
    assert analysis.findings == ()
    assert [s.col for s in analysis.statements] == [1, 27]


def test_uncited_sentence_in_each_block_is_found(briefs: Briefs) -> None:
    briefs.note(
        "gaps",
        "Cited [@src-a]. Not cited.\n\n- Item.\n\n> Quote.\n\n"
        '!!! assessment "High confidence"\n    Judged.\n\n| H |\n|---|\n| Cell. |\n',
    )
    findings = analyse_dir(briefs.root).findings
    assert [(f.line, f.col) for f in findings if f.rule == "uncited"] == [
        (6, 17),
        (8, 3),
        (10, 3),
        (13, 5),
        (17, 3),
    ]
