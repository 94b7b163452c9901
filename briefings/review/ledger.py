"""The review ledger: append-only JSON Lines in paper_sources/<paper>/reviews/ledger.jsonl.

Item records are keyed by a fingerprint of content and anchor (never w:id, which every save
renumbers); replies, resolutions and decisions are appended as events; state is their fold.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ReviewError
from ..project import Project
from .models import Reply, ReviewItem, known_date

LEDGER_NAME = "ledger.jsonl"
ID_LENGTH = 12


def ledger_path(project: Project, paper_id: str) -> Path:
    return project.paper_dir(paper_id) / "reviews" / LEDGER_NAME


def normalise(text: str) -> str:
    """Unicode NFC, whitespace collapsed: what survives a round trip through Word or LibreOffice."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def fingerprint(*parts: str) -> str:
    """sha256 over normalised parts, unit-separated."""
    return hashlib.sha256("\x1f".join(normalise(p) for p in parts).encode("utf-8")).hexdigest()


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def read_records(path: Path) -> list[dict]:
    """Every record of the ledger, in order; an empty list when there is none yet."""
    if not path.exists():
        return []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path.name}: unreadable ledger ({exc})") from None
    records = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            raise ReviewError(f"{path}:{number}: not a JSON line ({exc})") from None
        if not isinstance(record, dict) or "type" not in record:
            raise ReviewError(f"{path}:{number}: a ledger record needs a 'type'")
        records.append(record)
    return records


def fold(records: list[dict]) -> dict[str, ReviewItem]:
    """Current state of every item: its record, then its replies, resolutions and decisions."""
    items: dict[str, ReviewItem] = {}
    seen_replies: set[str] = set()
    for r in records:
        kind = r["type"]
        if kind == "item" and r.get("id") not in items:
            items[r["id"]] = ReviewItem(
                id=r["id"],
                kind=r.get("kind", "comment"),
                author=r.get("author", ""),
                date=known_date(r.get("date", "")),  # a ledger written before dates were checked
                text=r.get("text", ""),
                anchor_text=r.get("anchor_text", ""),
                section_id=r.get("section_id"),
                section_title=r.get("section_title"),
                source=r.get("source"),
                edition=r.get("edition"),
                field=r.get("field"),
                bookmark=r.get("bookmark"),
                place=r.get("place") or "paragraph",
                untraced=r.get("untraced"),
                context=r.get("context"),
                initials=r.get("initials", ""),
                subsection_id=r.get("subsection_id"),
                subsection_title=r.get("subsection_title"),
                resolved=bool(r.get("resolved", False)),
            )
        item = items.get(r.get("item", ""))
        if item is None:
            continue
        if kind == "reply" and r.get("id", "") not in seen_replies:
            seen_replies.add(r.get("id", ""))
            item.replies.append(
                Reply(r.get("author", ""), known_date(r.get("date", "")), r.get("text", ""))
            )
        elif kind == "resolved":
            item.resolved = True
        elif kind == "decision":
            item.status = r.get("status", "open")
            item.note = r.get("note")
    return items


def known_ids(records: list[dict]) -> set[str]:
    """Ids of items and replies already recorded."""
    return {r["id"] for r in records if r.get("type") in ("item", "reply") and "id" in r}


def append(path: Path, records: list[dict]) -> None:
    """Append whole lines at once, fsync'd; on any failure the file is cut back to its old size.

    Items and replies another ingest recorded meanwhile are dropped under the lock.
    """
    if not records:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            size = handle.seek(0, os.SEEK_END)
            try:
                if size and not _ends_with_newline(path, size):
                    raise ReviewError(f"{path}: last line is incomplete; repair the ledger first")
                known = known_ids(read_records(path)) if size else set()
                fresh = [
                    r
                    for r in records
                    if r.get("type") not in ("item", "reply") or r["id"] not in known
                ]
                data = "".join(
                    json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in fresh
                )
                handle.write(data.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            except BaseException:
                handle.truncate(size)
                handle.flush()
                raise
    except OSError as exc:
        raise ReviewError(f"{path}: cannot write the ledger ({exc.strerror or exc})") from None


def _ends_with_newline(path: Path, size: int) -> bool:
    with open(path, "rb") as handle:
        handle.seek(size - 1)
        return handle.read(1) == b"\n"
