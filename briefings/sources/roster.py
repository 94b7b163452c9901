"""The confidential roster: pseudonym -> person and company. Read only by the gate and redaction."""

from __future__ import annotations

import os
from pathlib import Path

from ..project import Project
from .collect import Collector
from .models import RosterEntry

ROSTER_ENV = "BRIEFINGS_ROSTER_DIR"


def load_roster(project: Project, paper_id: str) -> tuple[list[RosterEntry], Path | None]:
    """The confidential roster: from $BRIEFINGS_ROSTER_DIR/<paper>/roster.yaml or the paper's
    interviews/."""
    candidates = []
    if os.environ.get(ROSTER_ENV):
        base = Path(os.environ[ROSTER_ENV])
        candidates += [base / paper_id / "roster.yaml", base / f"{paper_id}.roster.yaml"]
    candidates.append(project.paper_dir(paper_id) / "interviews" / "roster.yaml")
    for path in candidates:
        if path.is_file():
            c = Collector(project)
            doc = c.doc(path)
            entries: list[RosterEntry] = []
            if doc is not None and not isinstance(doc.data, list):
                c.add(doc, (), "expected a list of roster entries")
            elif doc is not None:
                entries = [
                    e
                    for i, item in enumerate(doc.data)
                    if (e := c.model(doc, RosterEntry, item, (i,)))
                ]
            c.fail_if_any("the roster")
            return entries, path
    return [], None
