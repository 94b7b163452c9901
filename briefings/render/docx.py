"""The DOCX edition: pandoc with the house reference document, plus a header mark on drafts."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.shared import Pt, RGBColor

from .options import DRAFT_MARK, RenderOptions
from .pandoc import run_pandoc


def write_docx(ast_json: bytes, target: Path, options: RenderOptions) -> list[str]:
    """Write the DOCX edition to target; return pandoc's warnings."""
    run = run_pandoc(["--from", "json", "--to", "docx", "--reference-doc", str(options.reference_docx),
                      "--output", str(target), *options.strict_args(), *options.resource_args()],
                     ast_json)
    if options.draft:
        mark_draft(target)
    return run.warnings


def mark_draft(path: Path) -> None:
    """Put a red 'DRAFT' line in the page header of every section of the DOCX at path."""
    document = docx.Document(str(path))
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
    document.save(str(path))
