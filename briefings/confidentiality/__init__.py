"""Confidentiality gate: no participant, company or alias from the roster leaves in any edition."""

from .extract import Chunk, extract
from .gate import check_edition, check_text, scan_chunks
from .names import RosterNames, Term, mask
from .normalise import fold, tokens, words

__all__ = [
    "Chunk",
    "RosterNames",
    "Term",
    "check_edition",
    "check_text",
    "extract",
    "fold",
    "mask",
    "scan_chunks",
    "tokens",
    "words",
]
