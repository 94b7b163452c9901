"""Prefect flows that build briefing papers. Wiring only: the stages live in briefings.pipeline."""

from __future__ import annotations

from prefect import flow
from prefect.runtime import flow_run
from prefect.task_runners import ProcessPoolTaskRunner

from briefings.context import paper_charts
from briefings.flows.tasks import (
    as_task,
    asked_on,
    build_each,
    editions_artifact,
    problems_shown,
    progress,
)
from briefings.form import Format, paper_choice
from briefings.pipeline import FORMATS, BuildRequest, build_many
from briefings.processes import die_with_parent
from briefings.project import Project

# The project this module was loaded from: the deployment's folder (its pull step changes into
# it) or $BRIEFINGS_ROOT. The run form offers its papers.
PROJECT = Project.locate()
Paper = paper_choice(PROJECT)


def _edition_kind(final: bool) -> str:
    return "final" if final else "draft"


def _paper_run_name() -> str:
    parameters = flow_run.parameters
    return f"build {parameters['paper']} ({_edition_kind(parameters.get('final', False))})"


def _series_run_name() -> str:
    parameters = flow_run.parameters
    count = len(parameters.get("papers") or PROJECT.paper_ids())
    return f"build series: {count} paper(s) ({_edition_kind(parameters.get('final', False))})"


def _request(
    paper: str,
    formats: list,
    final: bool,
    allow_open: bool,
    allow_unverified: bool,
    force: bool,
) -> BuildRequest:
    """The build a run form's fields ask for (no format chosen means all three)."""
    return BuildRequest(
        paper,
        tuple(formats or FORMATS),
        final,
        allow_open,
        asked_on=asked_on(),
        allow_unverified=allow_unverified,
        force=force,
    )


def _result(editions) -> list[dict]:
    return [
        {
            "paper": e.paper_id,
            "edition": e.edition_id,
            "files": {f: p.name for f, p in e.files.items()},
        }
        for e in editions
    ]


@flow(name="build_paper", flow_run_name=_paper_run_name, log_prints=False)
def build_paper(
    paper: Paper,  # type: ignore[valid-type]
    formats: list[Format] = list(FORMATS),  # noqa: B006 (never mutated; the form shows all three ticked)
    final: bool = False,
    allow_open: bool = False,
    allow_unverified: bool = False,
    force: bool = False,
) -> dict:
    """Build and publish one paper's editions: a draft for review, or the final edition.

    Args:
        paper: The paper to build (a folder of paper_sources/).
        formats: The editions to produce: DOCX (the one reviewers comment on), PDF, HTML.
        final: A final edition: no draft marks, and any pandoc or Typst warning fails the build.
        allow_open: With final: build even while review items are still open.
        allow_unverified: With final: show facts not verified against an official source
            (marked unverified; the title page says so).
        force: Build even when nothing changed since the newest edition of this kind (without
            it, such a run publishes nothing and links that edition).
    """
    request = _request(paper, formats, final, allow_open, allow_unverified, force)
    with problems_shown():
        editions = build_many(PROJECT, [request], report=progress(), stage=as_task)
    # What changed since reviewers last read: the redline, linked beside the editions.
    from briefings.diff.run import redline_since_review

    redline = as_task(
        "redline", redline_since_review, PROJECT, paper, editions[0].edition_id, paper_charts
    )
    editions_artifact(PROJECT, editions, [redline] if redline and redline.folder else [])
    return _result(editions)[0]


@flow(
    name="build_series",
    flow_run_name=_series_run_name,
    log_prints=False,
    # One worker process per core, which dies with the flow run's process. (Prefect types the
    # argument as TaskRunner[PrefectFuture], which this runner's futures subclass.)
    task_runner=ProcessPoolTaskRunner(initializer=die_with_parent),  # type: ignore[arg-type]
)
def build_series(
    papers: list[Paper] = [],  # type: ignore[valid-type]  # noqa: B006 (never mutated)
    formats: list[Format] = list(FORMATS),  # noqa: B006 (never mutated)
    final: bool = False,
    allow_open: bool = False,
    allow_unverified: bool = False,
    force: bool = False,
) -> list[dict]:
    """Build every paper (or the chosen ones); the problems of all papers are reported together.

    Each paper is a `build-paper` task run in a worker process (one per core), its stages task
    runs inside it.

    Args:
        papers: The papers to build; none chosen builds every paper in paper_sources/.
        formats: The editions to produce for each paper: DOCX, PDF, HTML.
        final: Final editions: no draft marks, strict (any warning fails the paper).
        allow_open: With final: build even while review items are still open.
        allow_unverified: With final: show facts not verified against an official source
            (marked unverified; the title page says so).
        force: Build even the papers whose newest edition of this kind is up to date.
    """
    requests = [
        _request(p, formats, final, allow_open, allow_unverified, force)
        for p in (papers or PROJECT.paper_ids())
    ]
    with problems_shown():
        editions = build_each(PROJECT, requests)
    editions_artifact(PROJECT, editions)
    return _result(editions)
