"""What the flows share: stages as Prefect tasks, progress in the run's logs, the editions artifact.

Imported only by the flows (it imports Prefect). Results are never persisted, so nothing a stage
returns — sources, findings, Markdown — is written into Prefect's storage, and there are no
Prefect retries: the HTTP layer of the refresh retries requests itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, ParamSpec, TypedDict, TypeVar
from urllib.parse import quote

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE, CachePolicy

from ..errors import BriefingError, Problem
from ..pipeline import BuildRequest, build_paper, editions_of, with_problems
from ..project import Project
from ..publish import Edition
from ..site import file_url, paper_url, public_url

if TYPE_CHECKING:
    from ..diff.run import DiffResult

P = ParamSpec("P")
R = TypeVar("R")


class TaskOptions(TypedDict):
    cache_policy: CachePolicy
    persist_result: bool
    log_prints: bool
    retries: int


TASK_OPTIONS = TaskOptions(cache_policy=NO_CACHE, persist_result=False, log_prints=False, retries=0)
# Marks a run-log record as the build's progress: what a CLI build prints (briefings.tracked).
PROGRESS = "briefings_progress"


def as_task(name: str, fn: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """Run `fn(*args, **kwargs)` as a Prefect task named `name` (a pipeline `Stage`)."""
    return task(name=name, **TASK_OPTIONS)(fn)(*args, **kwargs)


@task(name="build-paper", **TASK_OPTIONS)
def build_paper_task(project: Project, request: BuildRequest) -> Edition:
    """One paper's build, its stages as tasks inside this one, its progress in the run's logs."""
    return build_paper(project, request, report=progress(), stage=as_task)


def build_each(project: Project, requests: list[BuildRequest]) -> list[Edition]:
    """Each paper built by a `build-paper` task on the flow's task runner (worker processes,
    where the flow asks for them); every paper's errors are reported together at the end."""
    futures = [build_paper_task.submit(project, r) for r in requests]
    outcomes: list[Edition | BriefingError] = []
    for request, future in zip(requests, futures, strict=True):
        try:
            outcomes.append(future.result())
        except BriefingError as exc:
            outcomes.append(with_problems(exc, request.paper_id))
        except Exception as exc:  # noqa: BLE001 (a worker that died: its traceback is logged)
            message = f"its build stopped: {type(exc).__name__}: {exc}"
            outcomes.append(BriefingError(message, [Problem(request.paper_id, message)]))
    return editions_of(outcomes)


def asked_on() -> str:
    """Where the run was asked for (BuildRequest.asked_on): a deployment's form, or code."""
    from prefect.runtime import deployment

    return "form" if deployment.id else "cli"


@contextmanager
def problems_shown() -> Iterator[None]:
    """A failure's message becomes its one-line problems, so the run's state in the UI says
    what is wrong (not only "2 problem(s) in paper …"); the traceback stays in the run's logs."""
    try:
        yield
    except BriefingError as exc:
        if exc.problems:
            exc.args = ("\n".join(exc.lines()),)
        raise


def progress() -> Callable[[str], None]:
    """A pipeline `report` writing to the run's logs, each line marked as progress."""
    logger = get_run_logger()
    return lambda message: logger.info("%s", message, extra={PROGRESS: True})


def editions_artifact(
    project: Project, editions: Iterable[Edition], redlines: Iterable[DiffResult] = ()
) -> None:
    """The `briefing-editions` artifact: every file the run published, linked.

    Links point at the editions site ($BRIEFINGS_PUBLIC_URL, which `briefings serve` sets for
    its worker); without one they are file paths, which open only on the worker's machine.
    """
    base = public_url()
    lines = ["| Paper | Edition | Format | File |", "|---|---|---|---|"]
    for edition in editions:
        paper = edition.paper_id
        if base:
            paper = f"[{paper}]({paper_url(base, paper)})"
        for fmt, path in sorted(edition.files.items()):
            link = (
                file_url(base, edition.paper_id, edition.edition_id, path.name)
                if base
                else path.resolve().as_uri()
            )
            lines.append(f"| {paper} | {edition.edition_id} | {fmt} | [{path.name}]({link}) |")
    for redline in redlines:
        for path in redline.files[:2]:  # the DOCX and HTML redlines
            paper_id = path.parents[2].name
            link = (
                f"{paper_url(base, paper_id)}changes/{quote(path.parent.name)}/{quote(path.name)}"
                if base
                else path.resolve().as_uri()
            )
            label = f"changes since {redline.old}"
            lines.append(f"| {paper_id} | {redline.new} | {label} | [{path.name}]({link}) |")
    create_markdown_artifact(
        markdown="\n".join(lines), key="briefing-editions", description="Editions built by this run"
    )
