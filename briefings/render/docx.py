"""The DOCX edition: pandoc with the house reference document, then title page, contents, marks."""

from __future__ import annotations

import tempfile
from pathlib import Path

import docx
from docx.shared import Pt, RGBColor

from ..pandoc_ast import Node, pandoc_version, text, to_json
from .docx_layout import (
    contents,
    keep_together,
    picture_descriptions,
    single_caption_bookmarks,
    title_page,
)
from .docx_package import settle, settled
from .options import DRAFT_MARK, RenderOptions
from .pandoc import run_pandoc


def write_docx(ast: Node, target: Path, options: RenderOptions) -> list[str]:
    """Write the DOCX edition of `ast` to target; return pandoc's warnings.

    pandoc's package (over twice the final size: little compression) is finished in a
    temporary folder; the edition's folder only ever holds the final bytes.
    """
    with tempfile.TemporaryDirectory(prefix="briefings-docx-") as work:
        draft = Path(work) / target.name
        run = run_pandoc(
            [
                "--from",
                "json",
                "--to",
                "docx+native_numbering",
                "--reference-doc",
                str(options.reference_docx),
                "--output",
                str(draft),
                *options.strict_args(),
            ],
            to_json(ast),
        )
        series = text(ast["meta"].get("series", {}))
        finish(draft, options.draft, series=series)
        settle_docx(draft, options)
        target.write_bytes(draft.read_bytes())
    return run.warnings


def settle_docx(target: Path, options: RenderOptions) -> None:
    """Fix the DOCX's dates and zip entries to the build time: call after any rewrite."""
    settle(target, options.built_at, f"briefings with pandoc {pandoc_version()}")


def settled_docx(parts: list[tuple[str, bytes]], options: RenderOptions) -> bytes:
    """The package `settle_docx` would leave, made from parts in memory (one zip write)."""
    return settled(parts, options.built_at, f"briefings with pandoc {pandoc_version()}")


def finish(path: Path, draft: bool, series: str = "") -> None:
    """Title page, contents, rows and quotes kept together, the publisher as modifier, marks."""
    document = docx.Document(str(path))
    # Word fills "last modified by" from the user otherwise: the publisher, never a person.
    document.core_properties.last_modified_by = document.core_properties.author
    body = document.element.body
    single_caption_bookmarks(body)
    picture_descriptions(body)
    keep_together(body)
    title_end = title_page(body, series, DRAFT_MARK if draft else None)
    if title_end is not None:
        contents(body, title_end)
    if draft:
        mark_draft(document)
    document.save(str(path))


def mark_draft(document) -> None:
    """Put a red 'DRAFT' line in the page header of every section of the document."""
    for section in document.sections:
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph.text = ""
        run = paragraph.add_run(DRAFT_MARK)
        run.bold = True
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0xB3, 0x26, 0x1E)
    document.core_properties.category = "Draft"
