"""The PDF edition read back with pypdf: A4 pages, title page, contents, long tables, draft
marks."""

from __future__ import annotations

import pytest
from pypdf import PdfReader


@pytest.fixture(scope="module")
def final_pdf(final):
    return PdfReader(final["pdf"])


@pytest.fixture(scope="module")
def final_pages(final_pdf):
    return page_texts(final_pdf)


def page_texts(reader: PdfReader) -> list[str]:
    """Each page's text with line breaks folded into single spaces."""
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def page_of(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if text in page)


def test_pages_are_a4(final_pdf):
    assert len(final_pdf.pages) >= 5
    for page in final_pdf.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_title_page_then_contents(final_pages):
    title_page = final_pages[0]
    for text in (
        "Advancing Human Rights",
        "Briefing paper of the 2023 roundtable series",
        "2023 SERIES",
        "Roundtable on Human Rights and AI",
        "15 November 2023",
    ):
        assert text in title_page
    assert "Contents" in final_pages[1] and "Regulatory context" in final_pages[1]


def test_long_table_runs_over_several_pages(final_pages):
    first, last = page_of(final_pages, "INST-001"), page_of(final_pages, "INST-072")
    assert last > first
    # the header row is repeated on the continuation pages
    assert "Jurisdiction" in final_pages[last]


def test_pages_are_numbered(final_pages):
    for number, page in enumerate(final_pages[1:], start=2):
        assert page.endswith(f"Roundtable on Human Rights and AI {number}")


def test_footnotes_citations_and_references(final_pages):
    text = " ".join(final_pages)
    assert "This paper covers instruments adopted or proposed" in text
    assert "(Directive (EU) 2024/1760 on corporate sustainability due diligence)" in text
    assert page_of(
        final_pages, "Department for Science, Innovation and Technology (2023)"
    ) >= page_of(final_pages, "For companies")


def test_document_metadata_names_the_organisation(final_pdf):
    assert final_pdf.metadata.title == "Advancing Human Rights Leadership in Technology Regulation"
    assert final_pdf.metadata.author == "Roundtable on Human Rights and AI"


def test_image_is_embedded(final_pdf):
    assert sum(len(page.images) for page in final_pdf.pages) == 1


def test_draft_marked_on_every_page_final_nowhere(draft, final_pages):
    draft_pages = page_texts(PdfReader(draft["pdf"]))
    assert all("DRAFT" in page for page in draft_pages)
    assert not any("DRAFT" in page for page in final_pages)
