"""Extractors read every place a name can hide in real DOCX, HTML and PDF files."""

from __future__ import annotations

import re
import zipfile

import pytest

from briefings.confidentiality import extract, scan_chunks
from briefings.roster import RosterNames
from briefings.sources.models import RosterEntry
from tests.confidentiality.editions import docx_with_header, pandoc_edition, typst_pdf
from tests.confidentiality.gate_project import ALLOWLIST, ROSTER

NAMES = RosterNames([RosterEntry(**e) for e in ROSTER], ALLOWLIST)


def hits(path) -> set[tuple[str, str]]:
    """(masked name, part of the file) for every hit."""
    return {
        (term.masked, part) for term, _f, part, _l in scan_chunks(NAMES, path.name, extract(path))
    }


@pytest.fixture(scope="module")
def docx_hits(tmp_path_factory):
    path = pandoc_edition(tmp_path_factory.mktemp("docx"), "docx")
    with zipfile.ZipFile(path) as z:
        assert "word/comments.xml" in z.namelist()  # pandoc really wrote a comment part
    return hits(path)


@pytest.fixture(scope="module")
def html_hits(tmp_path_factory):
    return hits(pandoc_edition(tmp_path_factory.mktemp("html"), "html"))


@pytest.mark.parametrize(
    "name, part",
    [
        ("N*****e", "word/footnotes.xml"),  # footnote, the name split across two runs
        ("B*********r", "word/document.xml attributes"),  # image alt text (wp:docPr descr)
        ("K*****l", "word/_rels/document.xml.rels attributes"),  # link target
        ("I****d", "docProps/core.xml"),  # author property
        ("T****z", "docProps/custom.xml"),  # custom metadata property
        ("N******s", "word/comments.xml"),  # comment text
    ],
)
def test_docx_parts(docx_hits, name, part):
    assert (name, part) in docx_hits


def test_docx_header(tmp_path):
    assert ("B*********r", "word/header1.xml") in hits(
        docx_with_header(tmp_path, "Brightwater Telecom")
    )
    assert hits(docx_with_header(tmp_path / "clean", "The Roundtable")) == set()


@pytest.mark.parametrize(
    "name, part",
    [
        ("N*****e", "text"),  # Nor<strong>vale</strong>
        ("B*********r", "attribute alt"),
        ("K*****l", "attribute title"),
        ("K*****l", "attribute href"),
        ("I****d", "attribute content"),  # <meta name="author" content=...>
    ],
)
def test_html_text_and_attributes(html_hits, name, part):
    assert (name, part) in html_hits


def test_pdf_text_header_footnote_and_metadata(tmp_path):
    body = "The participants worked for extraordinarily Brightwater companies. " * 3
    found = hits(
        typst_pdf(
            tmp_path, author="Ingrid Sørensen", header="Norvale", body=body, note="Kestrel said so"
        )
    )
    assert {("N*****e", "page 1"), ("K*****l", "page 1"), ("B*********r", "page 1")} <= found
    assert ("I*************n", "metadata /Author") in found
    assert ("I*************n", "XMP metadata") in found


def test_pdf_hyphenated_name_is_found(tmp_path):
    body = "Participants worked for extraordinarily Brightwater companies. " * 3
    path = typst_pdf(tmp_path, body=body)
    pages = " ".join(c.text for c in extract(path) if c.part.startswith("page"))
    assert re.search(
        r"Bri\w*\u00ad\n\w*ter", pages
    )  # Typst did hyphenate it: the join is exercised
    assert ("B*********r", "page 1") in hits(path)


def test_file_names(tmp_path):
    path = tmp_path / "notes-for-kestrel.png"
    path.write_bytes(b"\x89PNG")
    assert hits(path) == {("K*****l", "file name")}


def test_clean_files_have_no_hits(tmp_path):
    assert hits(typst_pdf(tmp_path, body="A rose is a rose.")) == set()


@pytest.mark.parametrize(
    "body",
    [
        "K&#x435;strel",  # Cyrillic е as a character reference
        "ᴋᴇsᴛʀᴇʟ",  # small capitals
        "x &#x202e;lertseK&#x202c; y",  # right-to-left override
        "Kes<!-- hidden -->trel",  # split by a comment
        "Kes&#x2011;trel",  # non-breaking hyphen
        "Kes<b>trel</b>",  # split across elements
        "Ke&#xe0041;strel",  # tag character
        '<a href="https://example.org/Kes%74rel">link</a>',  # percent-encoded link target
    ],
)
def test_html_disguises_a_reader_reads_through_are_found(tmp_path, body):
    """Each of these shows the name in Chromium (checked by screenshot when written)."""
    path = tmp_path / "edition.html"
    path.write_text(f"<!doctype html><p>{body}</p>", encoding="utf-8")
    assert "K*****l" in {masked for masked, _part in hits(path)}
