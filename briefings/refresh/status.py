"""What the paper shows: per-instrument "status as of <date>" and a "recent developments" list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..project import Project
from ..sources.loader import load_registry
from ..sources.models import RegulationEntry, TrackingSource
from .history import HistoryLine, read_history
from .snapshot import read_snapshot, read_state, snapshot_path
from .wording import status_text


class InstrumentStatus(BaseModel):
    """The status line of one instrument and how fresh it is."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    status: str  # e.g. "In force since 2024-08-01"
    as_of: dt.date  # last date the source confirmed it (or the registry's as_of when curated)
    source: TrackingSource
    origin: str  # "snapshot" (fetched) or "registry" (curated, or tracked but never fetched)
    in_force: bool | None = None
    source_url: str | None = None
    stale: bool = False  # the last refresh could not reach or read the source
    stale_reason: str | None = None
    stale_since: dt.datetime | None = None
    text: str | None = None  # the status as the paper words it (refreshed: from the snapshot)
    source_file: str | None = None  # the file the shown status comes from (snapshot or registry)


def regulatory_status(
    project: Project, entries: list[RegulationEntry] | None = None
) -> dict[str, InstrumentStatus]:
    """Status of each instrument (default: the whole registry): its snapshot when there is one, else
    its entry.

    A build passes the entries it has already validated, so the registry is not read twice.
    """
    state = read_state(project).instruments
    out: dict[str, InstrumentStatus] = {}
    if entries is None:
        entries = [entry for entry, _doc in load_registry(project).values()]
    for entry in entries:
        inst_id = entry.id
        source = entry.tracking.source
        stored = read_snapshot(project, inst_id) if source != "manual" else None
        info = state.get(inst_id)
        stale: dict[str, Any] = (
            dict(stale=info.stale, stale_reason=info.stale_reason, stale_since=info.stale_since)
            if info
            else {}
        )
        if stored is None:
            out[inst_id] = InstrumentStatus(
                instrument=inst_id,
                status=entry.status,
                as_of=entry.as_of,
                source=source,
                origin="registry",
                source_url=entry.identifiers.url,
                text=entry.status,
                source_file=project.relative(project.regulations / f"{inst_id}.yaml"),
                **stale,
            )
            continue
        checked = info.checked_at if info and info.checked_at else stored.fetched_at
        snap = stored.snapshot
        out[inst_id] = InstrumentStatus(
            instrument=inst_id,
            status=snap.status,
            as_of=checked.date(),
            source=source,
            origin="snapshot",
            in_force=snap.in_force,
            source_url=snap.source_url,
            text=status_text(snap),
            source_file=project.relative(snapshot_path(project, inst_id)),
            **stale,
        )
    return out


NOT_NEWS = frozenset({"counts", "source_url", "source"})


def recent_developments(
    project: Project, instrument_ids: list[str] | None = None, limit: int = 10
) -> list[HistoryLine]:
    """The latest changes (newest first) of `instrument_ids` (all when None), at most `limit`.

    A first observation (no old value) is where tracking began, not a development, and
    bookkeeping fields (result counts, source addresses) are not news: both are left out.
    """
    wanted = set(instrument_ids) if instrument_ids is not None else None
    lines = [
        line
        for line in read_history(project)
        if (wanted is None or line.instrument in wanted)
        and line.old is not None
        and line.field not in NOT_NEWS
    ]
    lines.reverse()  # the history is appended in time order: later lines first ...
    lines.sort(key=lambda line: line.date, reverse=True)  # ... and the sort is stable
    return lines[:limit]
