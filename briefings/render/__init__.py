"""Render stage: one assembled Markdown document into DOCX, PDF (Typst) and HTML editions."""

from .editions import render_editions
from .options import DRAFT_MARK, FORMATS, RenderOptions

__all__ = ["DRAFT_MARK", "FORMATS", "RenderOptions", "render_editions"]
