"""Prefect flow of the scheduled regulatory refresh. Wiring only: the work lives in
briefings.refresh.

No Prefect retries here: the HTTP layer already retries each request (429/5xx, Retry-After).
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from briefings.project import Project
from briefings.refresh import refresh, render_changes_markdown
from briefings.refresh.rebuild import instruments_for, papers_to_rebuild, rebuild_papers
from briefings.tasks import TASK_OPTIONS, as_task


@task(name="read official sources", **TASK_OPTIONS)
def read_sources(project: Project, paper: str | None, offline: bool):
    return refresh(project, instruments_for(project, paper), offline=offline)


@flow(name="refresh_regulatory_context", log_prints=False)
def refresh_regulatory_context(
    paper: str | None = None, offline: bool = False, root: str | None = None
) -> dict:
    """Refresh tracked instruments (of `paper`, or all), publish the change table, rebuild
    affected drafts."""
    logger = get_run_logger()
    project = Project.locate(root)
    report = read_sources(project, paper, offline)
    table = render_changes_markdown(report)
    create_markdown_artifact(
        markdown=table,
        key="regulatory-changes",
        description="What the official sources changed in this refresh",
    )
    for failure in report.failures:
        logger.warning("%s", failure.line())
    editions = rebuild_papers(
        project, papers_to_rebuild(project, report, paper), report=logger.info, stage=as_task
    )
    report.raise_for_failures()  # the run ends Failed, after the others were refreshed and rebuilt
    return {
        "changed": report.changed_instruments,
        "rebuilt": [e.paper_id for e in editions],
        "editions": [e.edition_id for e in editions],
    }
