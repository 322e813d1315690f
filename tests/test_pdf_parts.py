"""The PDF laid out in parts (adapters/pdf_parts.py): the joined file against the same
briefing laid out whole, its structure tree, links and page numbers, read back with
pikepdf, pypdf and pdftotext."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from briefing.adapters.pdf import write_pdf
from briefing.adapters.pdf_parts import LINK_SCHEME, PART_MARK, split_parts
from briefing.output.print_document import Stamp
from briefing.pipeline import analyse_dir
from conftest import FIXTURE, ROOT
from test_pdf import flat, pdftotext

TEMPLATES = ROOT / "templates"
STAMP = Stamp("abc1234", "2024-07-01")


def _write(target: Path, templates: Path = TEMPLATES, workers: int | None = None) -> Path:
    analysis = analyse_dir(FIXTURE / "briefs")
    write_pdf(analysis, templates, target, stamp=STAMP, workers=workers)
    return target


@pytest.fixture(scope="module")
def joined(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("parts") / "parts.pdf", workers=2)


def test_a_document_without_part_marks_is_not_split() -> None:
    assert split_parts("<html><body><p>One piece</p></body></html>") is None


def test_parts_know_their_anchors_and_the_links_that_leave_them() -> None:
    html = (
        '<html lang="en"><head></head><body data-marking="x">'
        '<nav><a data-page-ref href="#two">Two</a><a href="#here" id="here">Here</a></nav>'
        f'{PART_MARK}<section id="two"><a href="#one">back</a><p id="deep">deep</p></section>'
        "</body></html>"
    )
    parts = split_parts(html)
    assert parts is not None
    first, second = parts.parts
    assert (first.ids, first.outside, first.numbered, first.opening) == (
        {"here"},
        {"two"},
        {"two"},
        None,
    )
    assert (second.ids, second.outside, second.opening) == ({"two", "deep"}, {"one"}, "two")
    # A part on its own: links out of it are addresses, numbered links carry their page.
    alone = parts.html(0, {"two": 4})
    assert alone.startswith('<html lang="en"><head></head><body data-marking="x">')
    assert f'<a data-page="5" data-page-ref href="{LINK_SCHEME}two">' in alone
    assert '<a href="#here" id="here">' in alone


def test_a_link_whose_title_holds_a_closing_bracket_still_leaves_its_part() -> None:
    html = (
        '<html><body><p><a title="2 > 1" href="#far">far</a></p>'
        f'{PART_MARK}<section id="far">Far</section></body></html>'
    )
    parts = split_parts(html)
    assert parts is not None
    assert parts.parts[0].outside == {"far"}
    assert f'<a title="2 > 1" href="{LINK_SCHEME}far">' in parts.html(0)


def test_the_joined_pdf_has_the_pages_of_the_whole_document(tmp_path: Path, joined: Path) -> None:
    """A template without part marks is laid out in one piece, as before parts: the same
    pages, with the same words on each."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    template = templates / "print.html.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(PART_MARK, ""), "utf-8")
    whole = pdftotext(_write(tmp_path / "whole.pdf", templates))
    parts = pdftotext(joined)
    assert len(whole) == len(parts)
    for number, (one, other) in enumerate(zip(whole, parts, strict=True), start=1):
        assert sorted(flat(one).split()) == sorted(flat(other).split()), number


def test_one_process_and_two_write_the_same_bytes(tmp_path: Path, joined: Path) -> None:
    assert _write(tmp_path / "one.pdf", workers=1).read_bytes() == joined.read_bytes()


def test_no_link_is_left_pointing_outside_the_file(joined: Path) -> None:
    reader = PdfReader(joined)
    names = set(reader.named_destinations)
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            uri = str((annotation.get("/A") or {}).get("/URI", ""))
            assert not uri.startswith(LINK_SCHEME), uri
            if "/Dest" in annotation:
                assert str(annotation["/Dest"]) in names


def test_the_contents_number_every_note_with_its_page(joined: Path) -> None:
    analysis = analyse_dir(FIXTURE / "briefs")
    reader = PdfReader(joined)
    pages = {
        str(name): reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }
    contents = flat(pdftotext(joined)[1])
    for note in analysis.notes:
        page = pages[f"n_{note.note.slug}"] + 1
        assert re.search(re.escape(flat(note.note.meta.title)) + rf"[ .]*{page}\b", contents)


def test_the_joined_structure_tree_maps_every_page_and_link(joined: Path) -> None:
    """One /Document; each page's /StructParents key gives the elements of that page's
    marked content, each link's /StructParent key the element that holds it; no key twice."""
    with pikepdf.open(joined) as pdf:
        root = pdf.Root.StructTreeRoot
        assert len(root.K) == 1 and root.K[0].S == "/Document"
        nums = list(root.ParentTree.Nums)
        tree = dict(zip((int(key) for key in nums[::2]), nums[1::2], strict=True))
        assert len(tree) == len(nums) // 2
        assert int(root.ParentTreeNextKey) > max(tree)
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        keys = []
        for number, page in enumerate(pdf.pages):
            key = int(page.obj.StructParents)
            keys.append(key)
            for element in tree[key]:
                assert pages[element.Pg.objgen] == number
            for annotation in page.obj.get("/Annots") or []:
                key = int(annotation.StructParent)
                keys.append(key)
                link = tree[key]
                assert link.S == "/Link"
                assert any(
                    isinstance(kid, pikepdf.Dictionary)
                    and kid.get("/Obj") is not None
                    and kid.Obj.objgen == annotation.objgen
                    for kid in link.K
                )
        assert len(keys) == len(set(keys))
        for element in root.K[0].K:
            assert element.P.objgen == root.K[0].objgen


def test_page_numbers_are_artifacts_drawn_on_every_page(joined: Path) -> None:
    with pikepdf.open(joined) as pdf:
        for page in pdf.pages:
            operations = [
                (list(operands), str(operator))
                for operands, operator in pikepdf.parse_content_stream(page)
            ]
            drawn = [i for i, (args, op) in enumerate(operations) if op == "Do"]
            assert drawn, "no frame drawn"
            last = drawn[-1]
            assert operations[last - 1][1] == "BMC"
            assert str(operations[last - 1][0][0]) == "/Artifact"
    text = pdftotext(joined)
    for number, page in enumerate(text, start=1):
        assert page.count(f"Page {number} of {len(text)}") == 1, number
