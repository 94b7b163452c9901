"""Which papers a refresh rebuilds, and the rebuild itself (draft editions, via the pipeline)."""

from __future__ import annotations

from collections.abc import Callable

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


def rebuild_papers(
    project: Project,
    paper_ids: list[str],
    report: Callable[[str], None] = lambda _: None,
    stage: Callable[..., object] | None = None,
) -> list:
    """Build the draft editions of `paper_ids` (all tried; errors raised together by the
    pipeline)."""
    if not paper_ids:
        return []
    from ..pipeline import (  # imported only when there is work
        BuildRequest,
        build_many,
        direct,
    )

    requests = [BuildRequest(paper_id, final=False) for paper_id in paper_ids]
    return build_many(project, requests, report=report, stage=stage or direct)
