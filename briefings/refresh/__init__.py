"""Gather: refresh the regulatory context from official sources, with snapshots and history.

Attributes load lazily so that `briefings.refresh.cli` stays cheap to import (no requests, no
Prefect).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "refresh": "run",
    "RefreshReport": "run",
    "SourceFailure": "run",
    "papers_citing": "run",
    "render_changes_markdown": "report",
    "regulatory_status": "status",
    "recent_developments": "status",
    "InstrumentStatus": "status",
    "HistoryLine": "history",
    "RefreshConfig": "config",
    "load_config": "config",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:  # pragma: no cover
    from .config import RefreshConfig as RefreshConfig
    from .config import load_config as load_config
    from .history import HistoryLine as HistoryLine
    from .report import render_changes_markdown as render_changes_markdown
    from .run import RefreshReport as RefreshReport
    from .run import SourceFailure as SourceFailure
    from .run import papers_citing as papers_citing
    from .run import refresh as refresh
    from .status import InstrumentStatus as InstrumentStatus
    from .status import recent_developments as recent_developments
    from .status import regulatory_status as regulatory_status


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
