"""Editions at parity: DOCX title page, filled contents, numbered captions; tables that fit."""

from __future__ import annotations

import re
import subprocess

import docx
import pytest
from docx.oxml.ns import qn

PAPER = "2023-tech-regulation"


@pytest.fixture(scope="module")
def edition(built_project):
    return built_project[1]


@pytest.fixture(scope="module")
def body(edition):
    return docx.Document(edition.files["docx"]).element.body


def _style(paragraph) -> str | None:
    found = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if found is None else found.get(qn("w:val"))


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).replace("\u00a0", " ")


def test_docx_title_page_stands_alone(body):
    paragraphs = list(body.iter(qn("w:p")))
    first = [(_style(p), _text(p)) for p in paragraphs[:6]]
    assert [style for style, _ in first] == [
        "Series", "Title", "Subtitle", "Author", "Date", "DraftMark"
    ]  # fmt: skip
    assert first[0][1] == "2023 series"
    assert first[1][1] == "Advancing Human Rights Leadership in Technology Regulation"
    assert first[3][1] == "Roundtable on Human Rights and AI"
    assert first[4][1].startswith("30 November 2023")
    assert first[5][1] == "DRAFT — not for circulation"
    contents_heading = paragraphs[6]
    assert (_style(contents_heading), _text(contents_heading)) == ("TOCHeading", "Contents")
    assert contents_heading.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None


def test_docx_contents_is_a_filled_toc_field_of_linked_headings(body):
    (sdt,) = body.findall(qn("w:sdt"))
    instructions = "".join(i.text for i in sdt.iter(qn("w:instrText")))
    assert instructions.strip().startswith("TOC \\o")
    kinds = [c.get(qn("w:fldCharType")) for c in sdt.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    links = list(sdt.iter(qn("w:hyperlink")))
    headings = [p for p in body.iter(qn("w:p")) if _style(p) in ("Heading1", "Heading2")]
    assert [_text(link) for link in links] == [_text(h) for h in headings]
    assert len(links) > 30
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert {link.get(qn("w:anchor")) for link in links} <= bookmarks
    # The body starts on its own page after the contents.
    assert headings[0].find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None


def test_docx_captions_are_numbered_fields_like_the_pdf(edition, body):
    captions = [p for p in body.iter(qn("w:p")) if _style(p) == "TableCaption"]
    assert [_text(c).split(":")[0] for c in captions] == ["Table 1", "Table 2", "Table 3"]
    for caption in captions:
        (field,) = caption.iter(qn("w:fldSimple"))
        assert "SEQ Table" in field.get(qn("w:instr"))
    pdf = subprocess.run(
        ["pdftotext", str(edition.files["pdf"]), "-"], capture_output=True, text=True
    ).stdout
    html = edition.files["html"].read_text(encoding="utf-8")
    for caption in captions:
        number, title = _text(caption).split(": ", 1)
        assert f"{number}: {title.split()[0]}" in pdf
        label = number.replace(" ", "\u00a0")
        assert re.search(rf'caption-label">{label}:</span>\s*{re.escape(title.split()[0])}', html)
    names = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(names) == len(set(names)), "a bookmark name is used twice"


def test_docx_rows_never_split_and_header_rows_repeat(body):
    tables = list(body.iter(qn("w:tbl")))
    assert len(tables) == 3
    for table in tables:
        rows = table.findall(qn("w:tr"))
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_docx_quotes_keep_with_their_attribution(body):
    quotes = 0
    children = list(body)
    for i, child in enumerate(children):
        if child.tag == qn("w:p") and _text(child).startswith("— "):
            quotes += 1
            before = children[i - 1]
            assert _style(before) == "BlockText"
            assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
            assert child.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is None
    assert quotes > 10


def test_a_column_repeating_one_value_moves_into_the_caption(edition, body):
    appendix = list(body.iter(qn("w:tbl")))[2]
    header = [_text(c) for c in appendix.find(qn("w:tr")).findall(qn("w:tc"))]
    assert header == ["Instrument", "Jurisdiction", "Official identifiers"]
    html = edition.files["html"].read_text(encoding="utf-8")
    assert "Instruments and official identifiers (facts as of 26 November 2026)" in html
    assert ">Facts as of<" not in html


def test_column_widths_follow_content(body):
    findings = list(body.iter(qn("w:tbl")))[1]
    widths = [int(c.get(qn("w:w"))) for c in findings.iter(qn("w:gridCol"))]
    # Theme names are the long column; "15 of 18 companies" needs no more than it takes.
    assert widths[0] > widths[2] > widths[1] * 0.9
    assert widths[0] / sum(widths) > 0.45


def test_long_identifiers_break_after_slashes_only(edition, body):
    appendix = list(body.iter(qn("w:tbl")))[2]
    cell = next(t.text for t in appendix.iter(qn("w:t")) if "europa.eu" in (t.text or ""))
    assert "data.europa.eu/\u200beli/\u200breg/" in cell and "1689/oj" in cell
    html = edition.files["html"].read_text(encoding="utf-8")
    assert "data.europa.eu/<wbr>eli/<wbr>" in html
