"""The refresh: fetch tracked instruments concurrently, diff by content, record changes, mark
faults stale."""

from __future__ import annotations

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ..errors import BriefingError, FetchError, Problem, SourceError
from ..project import Project
from ..sources.loader import load_registry, read_paper_settings
from ..sources.models import RegulationEntry
from .config import RefreshConfig, load_config
from .history import HistoryLine, append_history
from .snapshot import (
    InstrumentState,
    Snapshot,
    read_snapshot,
    read_state,
    snapshot_path,
    write_snapshot,
    write_state,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceFailure:
    instrument: str
    source: str
    reason: str  # one line

    def line(self) -> str:
        return f"{self.source}: {self.instrument}: {self.reason}"


@dataclass
class RefreshReport:
    """What one refresh asked, what changed, what failed, and which papers cite a change."""

    started_at: dt.datetime
    offline: bool = False
    without_snapshot: list[str] = field(default_factory=list)  # offline: tracked but never fetched
    checked: list[str] = field(default_factory=list)  # tracked instruments of this run
    manual: list[str] = field(default_factory=list)  # selected but curated by hand: not fetched
    changes: list[HistoryLine] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[SourceFailure] = field(default_factory=list)
    papers_affected: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests sent, retries included

    @property
    def changed_instruments(self) -> list[str]:
        return sorted({c.instrument for c in self.changes})

    @property
    def ok(self) -> bool:
        return not self.failures

    def raise_for_failures(self) -> None:
        """FetchError with one line per failing source, if any source failed."""
        if self.failures:
            problems = [Problem(f.source, f"{f.instrument}: {f.reason}") for f in self.failures]
            raise FetchError(
                f"{len(self.failures)} source(s) failed (last snapshots kept, marked stale): "
                + "; ".join(f.line() for f in self.failures),
                problems,
            )


def refresh(
    project: Project,
    instrument_ids: list[str] | None = None,
    offline: bool = False,
    max_workers: int = 4,
    config: RefreshConfig | None = None,
) -> RefreshReport:
    """Refresh the tracked instruments (all, or `instrument_ids`); offline reads nothing from the
    network."""
    registry = load_registry(project)
    selected = _select(registry, instrument_ids)
    report = RefreshReport(started_at=_now(), offline=offline)
    report.manual = [e.id for e in selected if e.tracking.source == "manual"]
    tracked = [e for e in selected if e.tracking.source != "manual"]
    report.checked = [e.id for e in tracked]
    if offline or not tracked:
        report.without_snapshot = [
            e.id for e in tracked if not snapshot_path(project, e.id).is_file()
        ]
        return report
    config = config or load_config(project)
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="refresh") as pool:
        results = list(pool.map(lambda e: _fetch_one(e, config), tracked))
    state = read_state(project)
    now = _now()
    for entry, (snapshot, failure, requests) in zip(tracked, results, strict=True):
        report.requests += requests
        current = state.instruments.setdefault(entry.id, InstrumentState())
        if failure is not None:
            report.failures.append(failure)
            current.stale, current.stale_reason = True, failure.reason
            current.stale_since = current.stale_since or now
            continue
        assert snapshot is not None  # a fetch gives a snapshot or a failure
        lines = _record(project, snapshot, now)
        report.changes.extend(lines)
        current.checked_at, current.stale, current.stale_reason, current.stale_since = (
            now,
            False,
            None,
            None,
        )
        if lines:
            current.changed_at = now
        else:
            report.unchanged.append(entry.id)
    write_state(project, state)
    report.papers_affected = papers_citing(project, report.changed_instruments)
    return report


def _select(registry: dict, instrument_ids: list[str] | None) -> list[RegulationEntry]:
    if instrument_ids is None:
        return [entry for entry, _ in registry.values()]
    unknown = [i for i in instrument_ids if i not in registry]
    if unknown:
        raise SourceError(
            f"unknown instrument(s): {', '.join(unknown)} (not in paper_sources/regulations/)"
        )
    return [registry[i][0] for i in dict.fromkeys(instrument_ids)]


def _fetch_one(
    entry: RegulationEntry, config: RefreshConfig
) -> tuple[Snapshot | None, SourceFailure | None, int]:
    """Run one adapter in a worker thread; every fault becomes a one-line SourceFailure."""
    from .adapters import ADAPTERS
    from .http import Fetcher, make_session

    source = entry.tracking.source
    assert source != "manual"  # curated by hand: the refresh never fetches it
    session = make_session(config)
    fetcher = Fetcher(session, config, source, entry.id)
    try:
        return ADAPTERS[source](fetcher, entry), None, fetcher.requests
    except BriefingError as exc:
        reason = str(exc).removeprefix(f"{source}: {entry.id}: ")
    except ValueError as exc:  # tracking settings that cannot work (no key, bad key)
        reason = f"tracking misconfigured: {exc}"
    except Exception as exc:  # a bug in one adapter must not stop the other instruments
        log.exception("%s: %s: unexpected error", source, entry.id)
        reason = f"unexpected {type(exc).__name__}: {exc}"
    finally:
        session.close()
    return None, SourceFailure(entry.id, source, " ".join(reason.split())), fetcher.requests


def _record(project: Project, snapshot: Snapshot, now: dt.datetime) -> list[HistoryLine]:
    """Diff against the stored snapshot; append history first, then replace the snapshot file."""
    stored = read_snapshot(project, snapshot.instrument)  # unreadable: None, and replaced
    if stored is not None and stored.snapshot.content_hash() == snapshot.content_hash():
        return []
    if stored is None:
        lines = [
            HistoryLine(
                date=now,
                instrument=snapshot.instrument,
                field="status",
                old=None,
                new=snapshot.status,
                source_url=snapshot.source_url,
            )
        ]
    else:
        old, new = stored.snapshot.fields(), snapshot.fields()
        lines = [
            HistoryLine(
                date=now,
                instrument=snapshot.instrument,
                field=name,
                old=old.get(name),
                new=new.get(name),
                source_url=snapshot.source_url,
            )
            for name in new
            if old.get(name) != new.get(name)
        ]
    append_history(project, lines)
    write_snapshot(project, snapshot, now)
    return lines


def papers_citing(project: Project, instrument_ids: list[str]) -> list[str]:
    """Papers whose paper.yaml `instruments` list any of `instrument_ids`."""
    wanted = set(instrument_ids)
    if not wanted:
        return []
    return [pid for pid in project.paper_ids() if wanted & set(paper_instruments(project, pid))]


def paper_instruments(project: Project, paper_id: str) -> list[str]:
    """The instruments paper.yaml lists, validated (SourceError naming file, field and line)."""
    return read_paper_settings(project, paper_id).instruments


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
