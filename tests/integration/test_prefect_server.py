"""Against a real local Prefect server: deploy prefect.yaml, schedule, run the refresh, serve
once."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from briefings.pipeline import FORMATS
from briefings.prefect_server import Server, prefect_command, start_local_server, ui_api_url
from briefings.project import Project
from briefings.serve import POOL, deploy
from tests.conftest import REPO, copy_project
from tests.integration.conftest import PAPER, prefect_client

pytestmark = pytest.mark.integration

REFRESH = "refresh_regulatory_context/refresh-weekly"
CHROMIUM = "/usr/bin/chromium"
DEPLOYMENTS = ["build-paper", "build-series", "refresh-weekly", "ingest-review"]
RUN_TIMEOUT = 240  # seconds for a worker to start, run the refresh and rebuild one paper
SCHEDULER_WAIT = 90  # seconds for the server's scheduler to create the upcoming runs


def _scheduled_runs(client, deployment_id) -> list:
    from prefect.client.schemas import filters
    from prefect.client.schemas.objects import StateType

    scheduled = filters.FlowRunFilterState(
        type=filters.FlowRunFilterStateType(any_=[StateType.SCHEDULED])
    )
    return client.read_flow_runs(
        deployment_filter=filters.DeploymentFilter(
            id=filters.DeploymentFilterId(any_=[deployment_id])
        ),
        flow_run_filter=filters.FlowRunFilter(state=scheduled),
    )


def _worker_env(api_url: str, sources_env: dict[str, str]) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k != "BRIEFINGS_ROOT"
    }  # the deployment must carry the root
    env.update(sources_env, PREFECT_API_URL=api_url)
    return env


def test_refresh_deployment_is_scheduled_and_runs_with_its_artifact(
    prefect_server, served_project, tmp_path
):
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        ArtifactFilterKey,
    )

    project = served_project.project
    assert deploy(project, prefect_server.api_url) == DEPLOYMENTS

    with prefect_client(prefect_server.api_url) as client:
        deployment = client.read_deployment_by_name(REFRESH)
        assert deployment.work_pool_name == POOL
        [schedule] = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone, schedule.active) == (
            "0 6 * * 1",
            "Europe/London",
            True,
        )

        # Only a real server schedules: its scheduler creates the upcoming Monday 06:00 (London)
        # runs.
        deadline = time.monotonic() + SCHEDULER_WAIT
        while (
            not (upcoming := _scheduled_runs(client, deployment.id)) and time.monotonic() < deadline
        ):
            time.sleep(1)
        assert upcoming, (
            f"the server's scheduler created no run of {REFRESH} within {SCHEDULER_WAIT} s"
        )
        first = min(run.expected_start_time for run in upcoming).astimezone(
            ZoneInfo("Europe/London")
        )
        assert (first.weekday(), first.hour, first.minute) == (0, 6, 0)
        assert first > dt.datetime.now(dt.UTC)

        run = client.create_flow_run_from_deployment(deployment.id, parameters={"paper": PAPER})

    # One pass of a process worker, started outside the project: the pull step changes into the
    # project, the entrypoint is a module of the installed package.
    worker = subprocess.run(
        prefect_command("worker", "start", "--pool", POOL, "--type", "process", "--run-once"),
        env=_worker_env(prefect_server.api_url, served_project.sources_env),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=RUN_TIMEOUT,
    )
    log = worker.stdout[-4000:] + worker.stderr[-4000:]
    assert worker.returncode == 0, log

    with prefect_client(prefect_server.api_url) as client:
        finished = client.read_flow_run(run.id)
        assert finished.state.is_completed(), (
            f"{finished.state.name}: {finished.state.message}\n{log}"
        )
        [artifact] = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["regulatory-changes"]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]),
            )
        )
    assert artifact.type == "markdown"
    # Seeded snapshots, then Cellar added an amending act to every EU instrument: 7 changed, 2 not.
    assert "Checked 9 tracked instrument(s): 7 changed, 2 unchanged, 0 failed." in artifact.data
    assert "| eu-ai-act | Amendments: [] → 1 item(s), latest: 32099R0001 |" in artifact.data
    assert "| uk-osa |" not in artifact.data
    drafts = sorted((project.outputs / PAPER).glob("*-draft"))
    assert drafts, "the paper citing the changed instruments was not rebuilt"


def test_a_running_server_is_reused_not_started_again(prefect_server, tmp_path):
    port = int(prefect_server.api_url.split(":")[2].split("/")[0])
    assert start_local_server(port, tmp_path) == Server(prefect_server.api_url, pid=None)
    assert not (tmp_path / "server.pid").exists()


def test_serve_once_deploys_to_the_configured_server_and_exits(prefect_server, served_project):
    project = served_project.project
    env = {**os.environ, "PREFECT_API_URL": prefect_server.api_url}
    env.pop("BRIEFINGS_ROOT", None)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "briefings.cli", "--root", str(project.root)),
            *("serve", "--once", "--editions", "127.0.0.1:0"),
        ],
        env=env,
        cwd=project.root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=RUN_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert f"Prefect server: {prefect_server.api_url}\n" in done.stderr  # reused, none started
    assert f"Prefect UI: {prefect_server.ui_url}\n" in done.stderr
    assert re.search(r"^editions: http://127\.0\.0\.1:\d+/ ", done.stderr, re.M)
    assert (
        "deployed build-paper, build-series, refresh-weekly, ingest-review to work pool 'briefings'"
        in done.stderr
    )
    assert "stopped!" in done.stdout + done.stderr  # the worker polled once and shut down
    with prefect_client(prefect_server.api_url) as client:
        names = sorted(d.name for d in client.read_deployments())
        pool = client.read_work_pool(POOL)
    assert names == sorted(DEPLOYMENTS) and pool.type == "process"


def test_the_ui_of_a_server_serve_started_asks_its_own_port(prefect_server):
    assert prefect_server.pid is not None  # started here, on a random port, as serve starts one
    assert ui_api_url(prefect_server) == prefect_server.api_url


def _run_form(ui_url: str, deployment_id, screenshot: Path) -> dict:
    """What headless Chromium shows on the deployment's Run form in the Prefect UI."""
    node, modules = shutil.which("node"), REPO / "node_modules"
    if not node or not (modules / "puppeteer-core").is_dir() or not Path(CHROMIUM).exists():
        pytest.fail("needs node, `npm ci` (puppeteer-core) and Debian's chromium (.ci/run)")
    shown = subprocess.run(
        [node, str(Path(__file__).with_name("run_form.js")), ui_url, str(deployment_id),
         str(screenshot)],
        env={**os.environ, "NODE_PATH": str(modules)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr[-2000:]
    return json.loads(shown.stdout)


def test_a_paper_added_while_serving_joins_the_build_form(prefect_server, tmp_path):
    from briefings.serve import redeploy_on_new_papers

    project = Project(copy_project(tmp_path / "project"))
    shutil.copy2(REPO / "prefect.yaml", project.root / "prefect.yaml")
    deploy(project, prefect_server.api_url)
    check = redeploy_on_new_papers(project, prefect_server.api_url)
    shutil.copytree(project.paper_dir(PAPER), project.paper_dir("2025-new-paper"))
    check()
    with prefect_client(prefect_server.api_url) as client:
        deployment = client.read_deployment_by_name("build_paper/build-paper")
    schema = deployment.parameter_openapi_schema
    papers = [PAPER, "2024-fairness-bias", "2025-new-paper"]
    assert schema["properties"]["paper"]["enum"] == papers and "paper" in schema["required"]

    # In the real UI: the paper is a dropdown of the three, the formats a choice of the three.
    form = _run_form(prefect_server.ui_url, deployment.id, tmp_path / "build-paper-form.png")
    choices = [s["options"] for s in form["selects"] if s["options"]]
    assert choices == [papers, list(FORMATS)], form["selects"]
    for description in (
        "The paper to build (a folder of paper_sources/).",
        "The editions to produce: DOCX (the one reviewers comment on), PDF, HTML.",
        "With final: build even while review items are still open.",
    ):
        assert description in form["text"]
    assert "root" not in form["text"].split()
