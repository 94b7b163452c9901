"""The house reference document: built from pandoc's default, and the committed copy is current."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from briefings.render.reference_docx import build, default_reference

COMMITTED = Path(__file__).resolve().parents[2] / "templates" / "reference.docx"


@pytest.fixture(scope="module")
def built() -> bytes:
    return build(default_reference())


@pytest.mark.parametrize("source", ["built", "committed"])
def test_fonts_are_named_not_themed(source, built):
    data = built if source == "built" else COMMITTED.read_bytes()
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml").decode("utf-8")
    assert "asciiTheme" not in styles and "hAnsiTheme" not in styles
    assert 'w:ascii="Calibri"' in styles.split("</w:docDefaults>")[0]  # body text default
    document = docx.Document(io.BytesIO(data))
    assert document.styles["Heading 1"].font.name == "Georgia"
    assert document.styles["Title"].font.name == "Georgia"


def test_committed_copy_matches_a_fresh_build(built):
    # Regenerate with `python -m briefings.render.reference_docx` when this fails after a pandoc
    # upgrade.
    assert COMMITTED.read_bytes() == built


def test_page_setup_and_footer(built):
    section = docx.Document(io.BytesIO(built)).sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 24
    assert "PAGE" in section.footer._element.xml
