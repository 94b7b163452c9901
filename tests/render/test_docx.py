"""The DOCX edition read back: headings, tables, bookmarks, properties, page set-up, draft mark."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

ORGANISATION = "Roundtable on Human Rights and AI"


def custom_properties(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("docProps/custom.xml"))
    return {p.get("name"): "".join(p.itertext()) for p in root}


def bookmarks(document) -> set[str]:
    return {b.get(qn("w:name")) for b in document.element.body.iter(qn("w:bookmarkStart"))}


@pytest.fixture(scope="module")
def final_docx(final):
    return docx.Document(str(final["docx"]))


def test_headings_keep_their_hierarchy(final_docx):
    by_style = {}
    for paragraph in final_docx.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Heading 1"] == [
        "Executive summary",
        "Regulatory context",
        "Recommendations",
        "References",
    ]
    assert by_style["Heading 2"] == [
        "Overview by jurisdiction",
        "Due diligence duties",
        "For companies",
    ]
    assert by_style["Title"] == ["Advancing Human Rights Leadership in Technology Regulation"]


def test_tables_use_the_house_style_and_keep_every_row(final_docx):
    instruments, themes = final_docx.tables
    assert len(instruments.rows) == 73
    assert [c.text for c in instruments.rows[0].cells] == [
        "Instrument",
        "Subject",
        "Jurisdiction",
        "Status",
    ]
    assert instruments.rows[-1].cells[0].text == "INST-072"
    assert themes.rows[1].cells[1].text == "14 of 20 companies"
    assert {t.style.name for t in final_docx.tables} == {"Table"}


def test_section_and_paragraph_ids_survive_as_bookmarks(final_docx):
    names = bookmarks(final_docx)
    assert {
        "sec-executive-summary",
        "sec-regulatory-context",
        "sec-overview",
        "sec-rec-companies",
        "sec-references",
    } <= names
    assert {"p-exec-01", "p-reg-01", "p-reg-02", "p-rec-04"} <= names


def test_bookmark_wraps_the_paragraph_it_names(final_docx):
    body = final_docx.element.body
    start = next(b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == "p-rec-04")
    texts = []
    for element in start.itersiblings():
        if element.tag == qn("w:bookmarkEnd") and element.get(qn("w:id")) == start.get(qn("w:id")):
            break
        texts.append("".join(element.itertext()))
    assert "human-rights impact assessment" in " ".join(texts)


def test_edition_identity_is_in_custom_properties(final):
    props = custom_properties(final["docx"])
    assert props["paper-id"] == "2023-tech-regulation"
    assert props["edition-id"] == "2023-11-15-e1"
    assert props["draft"] == "False"
    # build-machine paths are not carried into the edition
    assert "bibliography" not in props and "csl" not in props


def test_core_properties_name_the_organisation(final_docx):
    core = final_docx.core_properties
    assert core.author == ORGANISATION
    assert core.title == "Advancing Human Rights Leadership in Technology Regulation"


def test_pages_are_a4_with_a_page_number_footer(final_docx):
    section = final_docx.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    instructions = [t.text for t in section.footer._element.iter(qn("w:instrText"))]
    assert any(i.strip() == "PAGE" for i in instructions)


def test_citations_and_bibliography_are_rendered(final_docx):
    text = "\n".join(p.text for p in final_docx.paragraphs)
    # legislation is cited by title (no title-short or number given here), never with a year
    assert "(Directive (EU) 2024/1760 on corporate sustainability due diligence)" in text
    after_references = text.split("\nReferences\n", 1)[1]
    assert "Department for Science, Innovation and Technology (2023)" in after_references
    assert "[@" not in text and "???" not in text


def test_draft_has_a_header_mark_and_final_has_none(draft, final, final_docx):
    draft_doc = docx.Document(str(draft["docx"]))
    assert "DRAFT" in draft_doc.sections[0].header.paragraphs[0].text
    assert custom_properties(draft["docx"])["draft"] == "True"
    final_headers = " ".join(p.text for s in final_docx.sections for p in s.header.paragraphs)
    assert "DRAFT" not in final_headers
    assert "DRAFT" not in "\n".join(p.text for p in final_docx.paragraphs)
