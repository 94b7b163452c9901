"""Review: read reviewed DOCX drafts back, trace each comment to its source, keep a ledger.

Names are imported on first use, so `briefings.review.cli` loads without lxml or pydantic.
"""

from __future__ import annotations

import importlib

_HOMES = {
    "carry_comments": "carry",
    "IngestReport": "models",
    "Reply": "models",
    "ReviewComment": "models",
    "ReviewedDocx": "models",
    "ReviewItem": "models",
    "TrackedChange": "models",
    "read_review_docx": "reader",
    "review_markdown": "report",
    "write_review_report": "report",
    "Limits": "safezip",
    "decide": "service",
    "ingest": "service",
    "list_items": "service",
    "open_items_by_section": "service",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
