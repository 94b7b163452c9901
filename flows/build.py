"""Prefect flows that build briefing papers. Wiring only: every stage lives in
briefings.pipeline."""

from __future__ import annotations

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from briefings.pipeline import FORMATS, BuildRequest, build_many
from briefings.project import Project
from briefings.tasks import as_task


def _artifact(project: Project, editions) -> None:
    lines = ["| Paper | Edition | Format | File |", "|---|---|---|---|"]
    for edition in editions:
        for fmt, path in sorted(edition.files.items()):
            lines.append(
                f"| {edition.paper_id} | {edition.edition_id} | {fmt} "
                f"| [{path.name}]({path.resolve().as_uri()}) |"
            )
    create_markdown_artifact(
        markdown="\n".join(lines), key="briefing-editions", description="Editions built by this run"
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


@flow(name="build_paper", log_prints=False)
def build_paper(
    paper: str,
    formats: list[str] | None = None,
    final: bool = False,
    allow_open: bool = False,
    root: str | None = None,
) -> dict:
    """Build and publish one paper's editions (draft unless final)."""
    project = Project.locate(root)
    request = BuildRequest(paper, tuple(formats or FORMATS), final, allow_open)
    editions = build_many(project, [request], report=get_run_logger().info, stage=as_task)
    _artifact(project, editions)
    return _result(editions)[0]


@flow(name="build_series", log_prints=False)
def build_series(
    papers: list[str] | None = None,
    formats: list[str] | None = None,
    final: bool = False,
    root: str | None = None,
) -> list[dict]:
    """Build every paper (or the named ones); errors of all papers are reported together."""
    project = Project.locate(root)
    requests = [
        BuildRequest(p, tuple(formats or FORMATS), final) for p in (papers or project.paper_ids())
    ]
    editions = build_many(project, requests, report=get_run_logger().info, stage=as_task)
    _artifact(project, editions)
    return _result(editions)
