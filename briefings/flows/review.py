"""Prefect flow of the reviewer round trip. Wiring only: the work lives in briefings.review."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.runtime import flow_run

from briefings.errors import BriefingError, Problem, ReviewError
from briefings.flows.tasks import TASK_OPTIONS
from briefings.form import EVERY_PAPER, Text, chosen, paper_or_every_choice
from briefings.project import Project
from briefings.review import ingest, review_markdown, write_review_report
from briefings.review.inbox import InboxOutcome, ingest_inbox, paper_inbox, waiting
from briefings.review.models import IngestReport

PROJECT = Project.locate()  # the deployment's folder, or $BRIEFINGS_ROOT
PaperOrEvery = paper_or_every_choice(PROJECT)


def _files(count: int) -> str:
    return f"{count} file" + ("" if count == 1 else "s")


def _run_name() -> str:
    parameters = flow_run.parameters
    paper, files = chosen(parameters.get("paper")), parameters.get("files")
    if files:
        return f"review {paper}: {_files(len(files))}"
    try:
        count = sum(len(waiting(PROJECT, p)) for p in ([paper] if paper else PROJECT.paper_ids()))
    except BriefingError:  # the run itself reports what is wrong
        return f"review {paper or 'inbox'}"
    return f"review {paper or 'inbox'}: {_files(count)}"


@task(name="ingest reviewed drafts", **TASK_OPTIONS)
def ingest_files(project: Project, paper: str, files: list[str]) -> IngestReport:
    return ingest(project, paper, files)


@task(name="ingest the review inbox", **TASK_OPTIONS)
def ingest_from_inbox(project: Project, paper: str) -> list[InboxOutcome]:
    return ingest_inbox(project, paper)


@task(name="write review report", **TASK_OPTIONS)
def write_report(project: Project, paper: str) -> list[str]:
    written = write_review_report(project, paper, project.outputs / paper / "review")
    create_markdown_artifact(
        markdown=review_markdown(project, paper),
        key=f"review-{paper}",
        description=f"Review items of {paper}",
    )
    return [project.relative(p) for p in written]


@flow(name="ingest_review", flow_run_name=_run_name, log_prints=False)
def ingest_review(
    paper: PaperOrEvery = EVERY_PAPER,  # type: ignore[valid-type]
    files: list[Text] = [],  # noqa: B006 (never mutated; the form shows an empty list)
) -> dict:
    """Read reviewers' comments and tracked changes back from returned DOCX drafts.

    Args:
        paper: The paper the returned drafts are editions of, or every paper's inbox.
        files: Leave empty to ingest every new DOCX in the review inbox (each is then moved to its
            processed/ folder with the outcome). Or the paths of returned drafts on the worker.
    """
    logger = get_run_logger()
    paper = chosen(paper)
    if files:
        if not paper:
            raise ReviewError("files given without a paper: choose the paper they are drafts of")
        report = ingest_files(PROJECT, paper, files)
        logger.info("%s: %s", paper, report.summary())
        return {"paper": paper, "added": report.added, "report": write_report(PROJECT, paper)}
    refused: list[Problem] = []
    result = {}
    for each in [paper] if paper else PROJECT.paper_ids():
        outcomes = ingest_from_inbox(PROJECT, each)
        for outcome in outcomes:
            logger.info("%s: %s", each, outcome.line())
            refused += [
                Problem(f"{paper_inbox(PROJECT, each)}/{outcome.name}", line)
                for line in outcome.lines
                if not outcome.ingested
            ]
        if any(o.ingested for o in outcomes):
            write_report(PROJECT, each)
        result[each] = {o.name: o.lines for o in outcomes}
    if refused:  # the run ends Failed, after every other draft was ingested
        raise ReviewError("\n".join(str(problem) for problem in refused), refused)
    return result
