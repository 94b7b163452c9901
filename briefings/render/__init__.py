"""Render stage: one assembled Markdown document into DOCX, PDF (Typst) and HTML editions.

Names load on first use, so the CLI reads FORMATS without loading pandoc, Typst or python-docx.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOMES = {
    "DRAFT_MARK": "options",
    "FORMATS": "options",
    "EditionFormat": "options",
    "RenderOptions": "options",
    "render_editions": "editions",
}
__all__ = sorted(_HOMES)

if TYPE_CHECKING:
    from .editions import render_editions as render_editions
    from .options import DRAFT_MARK as DRAFT_MARK
    from .options import FORMATS as FORMATS
    from .options import EditionFormat as EditionFormat
    from .options import RenderOptions as RenderOptions


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
