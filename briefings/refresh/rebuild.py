"""Which papers a refresh rebuilds. The callers (CLI, flow) rebuild them through the pipeline."""

from __future__ import annotations

from ..project import Project
from .run import RefreshReport, paper_instruments


def instruments_for(project: Project, paper: str | None) -> list[str] | None:
    """The instruments a refresh of `paper` covers (its paper.yaml list), or None for all."""
    return None if paper is None else paper_instruments(project, paper)


def papers_to_rebuild(
    project: Project, report: RefreshReport, paper: str | None = None
) -> list[str]:
    """Online: papers citing a changed instrument (none if nothing changed). Offline: the asked
    papers."""
    if report.offline:
        return [paper] if paper else project.paper_ids()
    return [p for p in report.papers_affected if paper is None or p == paper]
