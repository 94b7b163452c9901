"""Confidentiality gate: no participant, company or alias from the roster leaves in any edition."""

from .extract import Chunk, extract
from .gate import check_edition, check_text, scan_chunks
from .prescan import Prescan

__all__ = ["Chunk", "Prescan", "check_edition", "check_text", "extract", "scan_chunks"]
