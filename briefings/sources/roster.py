"""The confidential roster: pseudonym -> person and company. Read only by the roster matcher."""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..project import ROSTER_ENV, Project
from .collect import Collector
from .models import RosterEntry


def load_roster(project: Project, paper_id: str) -> tuple[list[RosterEntry], Path | None]:
    """The confidential roster: from $BRIEFINGS_ROSTER_DIR/<paper>/roster.yaml or the paper's
    interviews/."""
    inside = project.paper_dir(paper_id) / "interviews" / "roster.yaml"
    for path in project.roster_candidates(paper_id):
        if path.exists() or path.is_symlink():
            c = Collector(project)
            # $BRIEFINGS_ROSTER_DIR is the one place outside paper_sources/ a source is read from
            doc = c.doc(path, outside_ok=path != inside)
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


def roster_problems(project: Project, paper_id: str, interviews: bool) -> list[Problem]:
    """Why a paper with interviews has no roster to check its editions against (none found, or
    one that lists no one); nothing for a paper without interviews."""
    if not interviews:
        return []
    entries, path = load_roster(project, paper_id)
    if path is None:
        return [
            Problem(
                f"paper_sources/{paper_id}/interviews",
                f"no roster.yaml here or under ${ROSTER_ENV}; "
                "the edition cannot be checked for participants' names",
            )
        ]
    if not entries:
        shown = project.relative(path)
        return [
            Problem(shown, "lists no one; a paper with interviews needs every participant here")
        ]
    return []
