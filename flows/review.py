"""Prefect flow of the reviewer round trip. Wiring only: the work lives in briefings.review."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact

from briefings.project import Project
from briefings.review import ingest, review_markdown, write_review_report
from briefings.tasks import TASK_OPTIONS


@task(name="ingest reviewed drafts", **TASK_OPTIONS)
def ingest_files(project: Project, paper: str, files: list[str]):
    return ingest(project, paper, files)


@task(name="write review report", **TASK_OPTIONS)
def write_report(project: Project, paper: str) -> list[str]:
    return [
        project.relative(p)
        for p in write_review_report(project, paper, project.outputs / paper / "review")
    ]


@flow(name="ingest_review", log_prints=False)
def ingest_review(paper: str, files: list[str], root: str | None = None) -> dict:
    """Ingest reviewed DOCX drafts into the paper's ledger; publish the review report as an
    artifact."""
    project = Project.locate(root)
    report = ingest_files(project, paper, files)
    get_run_logger().info("%s: %s", paper, report.summary())
    written = write_report(project, paper)
    create_markdown_artifact(
        markdown=review_markdown(project, paper),
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
