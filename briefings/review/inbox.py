"""The review inbox: a folder per paper where editors drop the drafts reviewers sent back.

`<inbox>/<paper>/*.docx` are ingested one by one; each is then moved to `<inbox>/<paper>/processed/`
with a `.txt` beside it saying what happened (added items, or why it was refused), so nothing is
ingested twice and nothing is lost. The inbox holds reviewers' files, which may name people: it
must be outside the git working tree ($BRIEFINGS_REVIEW_INBOX, default
~/.local/share/briefings/review-inbox).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefingError, ReviewError
from ..project import Project
from .service import ingest

INBOX_ENV = "BRIEFINGS_REVIEW_INBOX"
PROCESSED = "processed"
SETTLE_SECONDS = 5.0  # a file changed more recently may still be being copied: left for next time


@dataclass(frozen=True)
class InboxOutcome:
    """What became of one returned draft."""

    name: str
    ingested: bool
    lines: list[str]  # the ingest summary, or the reasons it was refused

    def line(self) -> str:
        return f"{self.name}: {'; '.join(self.lines)}"


def inbox_root(project: Project) -> Path:
    """The configured inbox, refused when it lies inside the project's git working tree."""
    given = os.environ.get(INBOX_ENV, "").strip()
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    root = Path(given).expanduser() if given else Path(data_home) / "briefings" / "review-inbox"
    root = root.resolve()
    for folder in (root, *root.parents):
        if (folder / ".git").exists() or folder == project.root.resolve():
            raise ReviewError(
                f"review inbox {root} is inside {folder}: returned drafts may name people and "
                f"must never be committed; set ${INBOX_ENV} to a folder outside the repository"
            )
    return root


def paper_inbox(project: Project, paper_id: str) -> Path:
    return inbox_root(project) / paper_id


def prepare_inboxes(project: Project) -> Path:
    """Create each paper's inbox folder (so editors see where to drop files); the inbox root."""
    root = inbox_root(project)
    for paper_id in project.paper_ids():
        (root / paper_id).mkdir(parents=True, exist_ok=True)
    return root


def waiting(project: Project, paper_id: str) -> list[Path]:
    """Returned drafts in the paper's inbox not yet ingested (Word's ~$ lock files skipped)."""
    folder = paper_inbox(project, paper_id)
    if not folder.is_dir():
        return []
    settled = time.time() - SETTLE_SECONDS
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() == ".docx"
        and not p.name.startswith((".", "~$"))
        and p.stat().st_mtime <= settled
    )


def ingest_inbox(project: Project, paper_id: str) -> list[InboxOutcome]:
    """Ingest every waiting draft on its own, then move it to processed/ with its outcome."""
    outcomes = []
    for path in waiting(project, paper_id):
        try:
            report = ingest(project, paper_id, [path])
            outcome = InboxOutcome(path.name, True, [report.summary()])
        except BriefingError as exc:
            outcome = InboxOutcome(path.name, False, ["refused: " + line for line in exc.lines()])
        _file_away(path, outcome)
        outcomes.append(outcome)
    return outcomes


def _file_away(path: Path, outcome: InboxOutcome) -> None:
    processed = path.parent / PROCESSED
    processed.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kind = "ingested" if outcome.ingested else "refused"
    target = processed / f"{stamp}-{kind}-{path.name}"
    (processed / f"{target.name}.txt").write_text("\n".join(outcome.lines) + "\n", encoding="utf-8")
    os.replace(path, target)
