"""Confidentiality gate: no participant, company or alias from the roster leaves in any edition."""

from .extract import Chunk, extract
from .gate import check_edition, check_text, scan_chunks

__all__ = ["Chunk", "check_edition", "check_text", "extract", "scan_chunks"]
