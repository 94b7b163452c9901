"""A CLI build as a tracked Prefect flow run (PREFECT_API_URL set), as quiet as one in-process.

Prefect's own records — state lines, the tracebacks of a failure — go to the run's logs on the
server and not to the terminal. The terminal shows what an in-process build shows (the progress
lines, then the paths); a failure shows one line per problem and the run's URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from .errors import BriefingError, Problem
from .flows import load_flow
from .interrupts import ctrl_c_held
from .pipeline import BuildRequest, with_problems
from .project import Project
from .publish import Edition

if TYPE_CHECKING:
    from prefect.states import State

# Run loggers whose records Prefect also sends to the terminal through the root logger.
RUN_LOGGERS = ("prefect.flow_runs", "prefect.task_runs")


class TrackedRunError(BriefingError):
    """A tracked build failed: its problems, then where the run's logs are."""

    def __init__(self, failures: list[BriefingError], urls: list[str]):
        problems = [p for exc in failures for p in exc.problems]
        super().__init__(f"{len(problems)} problem(s)", problems)
        self.urls = urls

    def lines(self) -> list[str]:
        return [*(str(p) for p in self.problems), *(f"run logs: {url}" for url in self.urls)]


def build_tracked(
    project: Project, requests: list[BuildRequest], report: Callable[[str], None]
) -> list[Edition]:
    """Run the build_paper flow once per request; every paper's errors are reported together."""
    from prefect.utilities.urls import url_for

    from .pipeline import gather

    with ctrl_c_held():  # Prefect runs the flow's script: a Ctrl-C inside came out of pydantic
        build_paper = load_flow(project, "build", "build_paper")  # as a ScriptError traceback
    known = set(project.paper_ids())
    editions: list[Edition] = []
    failures: list[BriefingError] = []
    urls: list[str] = []
    with _progress_on_terminal(report):
        for r in requests:
            if r.paper_id not in known:  # the form's choices would refuse it: say it as we do
                try:
                    gather(project, r.paper_id)
                except BriefingError as exc:
                    failures.append(with_problems(exc, r.paper_id))
                continue
            # A flow loaded at run time has no static return type; Prefect's overloads would
            # then type the call as returning None.
            state = cast(
                "State[dict[str, Any]]",
                build_paper(
                    paper=r.paper_id,
                    formats=list(r.formats),
                    final=r.final,
                    allow_open=r.allow_open,
                    allow_unverified=r.allow_unverified,
                    force=r.force,
                    return_state=True,
                ),
            )
            try:
                result = state.result()
            except Exception as exc:  # noqa: BLE001 (its traceback is in the run's logs)
                if _interrupted(exc):
                    raise KeyboardInterrupt from None
                failures.append(_as_briefing_error(exc, r.paper_id))
                url = url_for("flow-run", obj_id=state.state_details.flow_run_id)
                if url:
                    urls.append(url)
                continue
            path = project.outputs / r.paper_id / result["edition"]
            files = {f: path / n for f, n in result["files"].items()}
            editions.append(Edition(r.paper_id, result["edition"], path, files))
    if failures:
        raise TrackedRunError(failures, urls)
    return editions


def _interrupted(exc: BaseException) -> bool:
    """Whether the run failed because of a Ctrl-C: Prefect's engine, taking a KeyboardInterrupt
    as it created a task run, raised "ValueError: Task run is not set" over it, and the run
    failed with that (the CLI printed it as an error and exited 1)."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _as_briefing_error(exc: Exception, paper_id: str) -> BriefingError:
    """The failure with its problems; a crash is named by its exception type."""
    if isinstance(exc, BriefingError):
        return with_problems(exc, paper_id)
    return BriefingError(str(exc), [Problem(paper_id, f"{type(exc).__name__}: {exc}")])


class _Progress(logging.Handler):
    """Passes the build's progress records (briefings.flows.tasks.PROGRESS) to `report`."""

    def __init__(self, report: Callable[[str], None]):
        super().__init__()
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        from .flows.tasks import PROGRESS

        if getattr(record, PROGRESS, False):
            self.report(record.getMessage())


@contextmanager
def _progress_on_terminal(report: Callable[[str], None]) -> Iterator[None]:
    """Run records stay in the run's logs (Prefect's API handler); progress reaches `report`."""
    loggers = [logging.getLogger(name) for name in RUN_LOGGERS]
    saved = [logger.propagate for logger in loggers]
    handler = _Progress(report)
    for logger in loggers:
        logger.propagate = False
    loggers[0].addHandler(handler)
    try:
        yield
    finally:
        loggers[0].removeHandler(handler)
        for logger, propagate in zip(loggers, saved, strict=True):
            logger.propagate = propagate
