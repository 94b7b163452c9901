"""The append-only record of every detected change (JSON Lines, one a line, never rewritten)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..atomic import file_mode, folder_mode, make_folder
from ..project import Project
from .snapshot import refresh_dir

FIELD_LABELS = {
    "status": "Status",
    "in_force": "In force",
    "dates": "Dates",
    "title": "Title",
    "documents": "Related documents",
    "amendments": "Amendments",
    "counts": "Counts",
    "identifiers": "Identifiers",
    "source_url": "Source page",
    "source": "Source",
}


class HistoryLine(BaseModel):
    """One change of one field of one instrument, as detected by a refresh."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.datetime  # when the change was detected (UTC)
    instrument: str
    field: str
    old: Any = None
    new: Any = None
    source_url: str

    @property
    def description(self) -> str:
        return self.describe()

    def describe(self) -> str:
        """One readable line, e.g. 'Status: 2nd reading (Commons) → Committee stage (Commons)'."""
        label = FIELD_LABELS.get(self.field, self.field)
        if self.old is None:
            return f"{label}: {_short(self.new)}"
        return f"{label}: {_short(self.old)} → {_short(self.new)}"


def _short(value: Any, limit: int = 120) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        first = value[0]
        label = first.get("title") or first.get("id") or first.get("description") or ""
        text = f"{len(value)} item(s), latest: {label}"
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def history_path(project: Project) -> Path:
    return refresh_dir(project) / "history.jsonl"


def append_history(project: Project, lines: list[HistoryLine]) -> None:
    """Append `lines` and fsync, so a crash after this call cannot lose them."""
    if not lines:
        return
    path = history_path(project)
    make_folder(path.parent, folder_mode())
    new = not path.exists()
    payload = "".join(line.model_dump_json() + "\n" for line in lines)
    if _ends_torn(path):
        payload = "\n" + payload  # a torn line from a crash stays alone on its line
    with open(path, "a", encoding="utf-8", newline="\n") as handle:
        if new:
            os.fchmod(handle.fileno(), file_mode())  # readable by a web server, like snapshots
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())


def _ends_torn(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) != b"\n"


def read_history(project: Project) -> list[HistoryLine]:
    """Every line in file order; a torn last line (crash mid-append) is skipped, not fatal."""
    path = history_path(project)
    if not path.is_file():
        return []
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            try:
                lines.append(HistoryLine.model_validate_json(raw))
            except ValueError:
                continue
    return lines
