"""Prefect flow of the reviewer round trip. Wiring only: the work lives in briefings.review."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from briefings.flows.tasks import TASK_OPTIONS
from briefings.form import Text, paper_choice
from briefings.project import Project
from briefings.review import ingest, review_markdown, write_review_report

PROJECT = Project.locate()  # the deployment's folder, or $BRIEFINGS_ROOT
Paper = paper_choice(PROJECT)


def _run_name() -> str:
    parameters = flow_run.parameters
    return f"review {parameters['paper']}: {len(parameters.get('files') or [])} files"


@task(name="ingest reviewed drafts", **TASK_OPTIONS)
def ingest_files(project: Project, paper: str, files: list[str]):
    return ingest(project, paper, files)


@task(name="write review report", **TASK_OPTIONS)
def write_report(project: Project, paper: str) -> list[str]:
    return [
        project.relative(p)
        for p in write_review_report(project, paper, project.outputs / paper / "review")
    ]


@flow(name="ingest_review", flow_run_name=_run_name, log_prints=False)
def ingest_review(paper: Paper, files: list[Text]) -> dict:  # type: ignore[valid-type]
    """Read reviewers' comments and tracked changes back from returned DOCX drafts.

    Args:
        paper: The paper the returned drafts are editions of.
        files: The returned DOCX files, as paths on the worker's machine.
    """
    report = ingest_files(PROJECT, paper, files)
    get_run_logger().info("%s: %s", paper, report.summary())
    written = write_report(PROJECT, paper)
    create_markdown_artifact(
        markdown=review_markdown(PROJECT, paper),
        key=f"review-{paper}",
        description=f"Review items of {paper}",
    )
    return {
        "paper": paper,
        "added": report.added,
        "known": report.known,
        "replies_added": report.replies_added,
        "report": written,
    }
