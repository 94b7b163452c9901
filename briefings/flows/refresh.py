"""Prefect flow of the scheduled regulatory refresh. Wiring only: the work is in briefings.refresh.

No Prefect retries here: the HTTP layer already retries each request (429/5xx, Retry-After).
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from briefings.errors import BriefingError
from briefings.flows.tasks import TASK_OPTIONS, as_task, progress
from briefings.form import EVERY_PAPER, chosen, paper_or_every_choice
from briefings.pipeline import BuildRequest, build_many
from briefings.project import Project
from briefings.refresh import RefreshReport, refresh, render_changes_markdown
from briefings.refresh.rebuild import instruments_for, papers_to_rebuild
from briefings.sources.loader import load_registry

PROJECT = Project.locate()  # the deployment's folder, or $BRIEFINGS_ROOT
PaperOrEvery = paper_or_every_choice(PROJECT)


def _run_name() -> str:
    paper = chosen(flow_run.parameters.get("paper"))
    try:
        ids = instruments_for(PROJECT, paper)
        count = len(load_registry(PROJECT) if ids is None else ids)
    except BriefingError:  # the run itself reports what is wrong
        return f"refresh {paper}" if paper else "refresh"
    return f"refresh {paper}: {count} instruments" if paper else f"refresh: {count} instruments"


@task(name="read official sources", **TASK_OPTIONS)
def read_sources(project: Project, paper: str | None, offline: bool) -> RefreshReport:
    return refresh(project, instruments_for(project, paper), offline=offline)


@flow(name="refresh_regulatory_context", flow_run_name=_run_name, log_prints=False)
def refresh_regulatory_context(
    paper: PaperOrEvery = EVERY_PAPER,  # type: ignore[valid-type]
    offline: bool = False,
) -> dict:
    """Refresh tracked instruments, publish the change table, rebuild the drafts citing a change.

    Args:
        paper: Refresh only the instruments this paper cites, or every tracked instrument.
        offline: Read nothing from the network: rebuild the drafts from the stored snapshots.
    """
    logger = get_run_logger()
    paper = chosen(paper)
    report = read_sources(PROJECT, paper, offline)
    table = render_changes_markdown(report)
    create_markdown_artifact(
        markdown=table,
        key="regulatory-changes",
        description="What the official sources changed in this refresh",
    )
    for failure in report.failures:
        logger.warning("%s", failure.line())
    drafts = [BuildRequest(p) for p in papers_to_rebuild(PROJECT, report, paper)]
    editions = build_many(PROJECT, drafts, report=progress(), stage=as_task)
    report.raise_for_failures()  # the run ends Failed, after the others were refreshed and rebuilt
    return {
        "changed": report.changed_instruments,
        "rebuilt": [e.paper_id for e in editions],
        "editions": [e.edition_id for e in editions],
    }
