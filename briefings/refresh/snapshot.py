"""Normalised snapshots of what a source says about one instrument, and where they are kept."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..atomic import atomic_write_text
from ..project import Project
from ..sources.models import OfficialSource

log = logging.getLogger(__name__)


class Snapshot(BaseModel):
    """What a source says, without volatile fields; equal content means equal hash."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: str
    source: OfficialSource
    source_url: str  # the public page of the instrument at the source
    title: str | None = None
    status: str  # one line, shown as "status as of <date>"
    in_force: bool | None = None  # None: the source does not say
    dates: dict[str, Any] = {}  # label -> ISO date or list of ISO dates
    identifiers: dict[str, str] = {}
    documents: list[dict[str, Any]] = []  # latest related documents, newest first
    amendments: list[dict[str, Any]] = []  # amending acts or effects, newest first
    counts: dict[str, int] = {}

    def content_hash(self) -> str:
        return hashlib.sha256(canonical(self.model_dump(mode="json")).encode()).hexdigest()

    def fields(self) -> dict[str, Any]:
        """The compared fields (everything but the instrument id), as JSON values."""
        data = self.model_dump(mode="json")
        data.pop("instrument")
        return data


class StoredSnapshot(BaseModel):
    """A snapshot file: content, its hash, and when it was fetched (the latter not compared)."""

    model_config = ConfigDict(extra="forbid")

    content_hash: str
    fetched_at: dt.datetime
    snapshot: Snapshot


class InstrumentState(BaseModel):
    """Per-instrument bookkeeping kept beside the snapshots (small, rewritten atomically)."""

    model_config = ConfigDict(extra="forbid")

    checked_at: dt.datetime | None = None  # last time the source answered and was read
    changed_at: dt.datetime | None = None
    stale: bool = False
    stale_reason: str | None = None
    stale_since: dt.datetime | None = None


class StateFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    instruments: dict[str, InstrumentState] = Field(default_factory=dict)


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def refresh_dir(project: Project) -> Path:
    return project.sources / "refresh"


def snapshot_path(project: Project, instrument: str) -> Path:
    return refresh_dir(project) / "snapshots" / f"{instrument}.json"


def state_path(project: Project) -> Path:
    return refresh_dir(project) / "state.json"


def read_snapshot(project: Project, instrument: str) -> StoredSnapshot | None:
    """The stored snapshot; None when there is none or it cannot be read (a warning says so).

    A torn or edited file must not stop every build: the paper falls back to the registry's
    facts and the next refresh fetches the instrument afresh and replaces the file.
    """
    return _read_model(
        project,
        snapshot_path(project, instrument),
        StoredSnapshot,
        "unreadable snapshot ({}); using the registry's facts until the next refresh",
    )


def write_snapshot(project: Project, snapshot: Snapshot, fetched_at: dt.datetime) -> Path:
    stored = StoredSnapshot(
        content_hash=snapshot.content_hash(), fetched_at=fetched_at, snapshot=snapshot
    )
    path = snapshot_path(project, snapshot.instrument)
    atomic_write_text(path, stored.model_dump_json(indent=2) + "\n")
    return path


def read_state(project: Project) -> StateFile:
    """The refresh bookkeeping; empty when there is none or it cannot be read (with a warning).

    It holds only when each instrument was last checked and whether it is stale: the next
    refresh writes it afresh.
    """
    stored = _read_model(
        project,
        state_path(project),
        StateFile,
        "unreadable refresh state ({}); ignored, the next refresh rewrites it",
    )
    return stored or StateFile()


M = TypeVar("M", bound=BaseModel)


def _read_model(project: Project, path: Path, model: type[M], unreadable: str) -> M | None:
    """`path` as a `model`; None if it is missing, or unreadable (then one warning line)."""
    if not path.is_file():
        return None
    try:
        return model.model_validate_json(path.read_bytes())
    except ValueError as exc:
        log.warning("%s: %s", project.relative(path), unreadable.format(_reason(exc)))
        return None


def _reason(exc: ValueError) -> str:
    """The first thing wrong with a file, in one line."""
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return " ".join(str(exc).split())


def write_state(project: Project, state: StateFile) -> None:
    atomic_write_text(state_path(project), state.model_dump_json(indent=2) + "\n")
