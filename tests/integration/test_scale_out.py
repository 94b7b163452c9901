"""Scale-out, for real: a PostgreSQL-backed Prefect server, two process workers, the series and
several single papers built at once. Every run completes, edition ids are unique, every edition
is whole, LATEST names each paper's newest edition, and both workers took runs.

The workers are set up as docs/deploy.md describes for several machines: each run clones the
repository (git-clone pull step), editions go to one shared outputs/ ($BRIEFINGS_OUTPUTS) and the
rosters live in one folder outside the repository ($BRIEFINGS_ROSTER_DIR).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml

from briefings.prefect_server import prefect_command, start_local_server, stop_server
from briefings.project import Project
from briefings.publish import latest_edition, published_editions
from briefings.publish.writer import edition_key
from briefings.serve import POOL, deploy
from tests.conftest import REPO, copy_project
from tests.integration.conftest import SERVER_STARTUP, free_port, prefect_client
from tests.integration.postgres import postgres_cluster

pytestmark = pytest.mark.integration

WORKERS = ("worker-a", "worker-b")
LIMIT = 2  # runs one worker takes at once (what `briefings serve` gives its worker)
RUNS_TIMEOUT = 600  # seconds for all runs on a loaded 2-core machine
PAPERS = ("2023-tech-regulation", "2024-fairness-bias")


@pytest.fixture(scope="module")
def postgres_prefect(tmp_path_factory):
    """A Prefect server whose database is a fresh PostgreSQL cluster."""
    with postgres_cluster(free_port()) as database:
        home = tmp_path_factory.mktemp("prefect-postgres-home")
        settings = {"PREFECT_API_DATABASE_CONNECTION_URL": database}
        server = start_local_server(
            free_port(), home, wait=SERVER_STARTUP, ui=False, settings=settings
        )
        try:
            yield server
        finally:
            stop_server(server)


def _repository(tmp_path: Path) -> tuple[Path, Path]:
    """The project as a git repository without its rosters, and the roster folder outside it."""
    origin, rosters = tmp_path / "origin", tmp_path / "rosters"
    copy_project(origin)
    for paper in PAPERS:
        roster = origin / "paper_sources" / paper / "interviews" / "roster.yaml"
        (rosters / paper).mkdir(parents=True)
        shutil.move(roster, rosters / paper / "roster.yaml")
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    spec["pull"] = [
        {"prefect.deployments.steps.git_clone": {
            "id": "clone", "repository": f"file://{origin}", "branch": "main"}},
        {"prefect.deployments.steps.set_working_directory": {
            "directory": "{{ clone.directory }}"}},
    ]  # fmt: skip
    (origin / "prefect.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    git = ["git", "-C", str(origin), "-c", "user.name=CI", "-c", "user.email=ci@example.org"]
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "sources"]):
        subprocess.run([*git, *command], check=True, capture_output=True, timeout=60)
    return origin, rosters


def _start_worker(name: str, api_url: str, log_path: Path, env: dict[str, str]) -> subprocess.Popen:
    env = {k: v for k, v in {**os.environ, **env}.items() if k != "BRIEFINGS_ROOT"}
    env.update(PREFECT_API_URL=api_url, PREFECT_WORKER_QUERY_SECONDS="2")
    command = prefect_command(
        "worker", "start", "--pool", POOL, "--type", "process", "--name", name,
        "--limit", str(LIMIT),
    )  # fmt: skip
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            command,
            env=env,
            cwd=log_path.parent,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(worker: subprocess.Popen) -> None:
    try:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def _sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_workers_build_the_series_and_single_papers_at_once(postgres_prefect, tmp_path):
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    origin, rosters = _repository(tmp_path)
    shared = tmp_path / "shared-outputs"
    shared.mkdir()
    project = Project(origin, outputs_dir=shared)  # what the workers publish into
    api_url = postgres_prefect.api_url
    deploy(project, api_url)  # from a checkout, as an operator does

    machine = {"BRIEFINGS_OUTPUTS": str(shared), "BRIEFINGS_ROSTER_DIR": str(rosters)}
    workers = [_start_worker(name, api_url, tmp_path / f"{name}.log", machine) for name in WORKERS]
    try:
        with prefect_client(api_url) as client:
            deadline = time.monotonic() + 120
            while len(client.read_workers_for_work_pool(POOL)) < len(WORKERS):
                assert time.monotonic() < deadline, "the workers did not come online"
                time.sleep(1)
            series = client.read_deployment_by_name("build_series/build-series")
            single = client.read_deployment_by_name("build_paper/build-paper")
            # force: the same sources built three times at once are three editions here (without
            # it a build that finds its edition up to date publishes nothing)
            runs = [client.create_flow_run_from_deployment(series.id, parameters={"force": True})]
            runs += [
                client.create_flow_run_from_deployment(
                    single.id, parameters={"paper": paper, "force": True}
                )
                for paper in (*PAPERS, *PAPERS)
            ]
            deadline = time.monotonic() + RUNS_TIMEOUT
            while True:
                states = [client.read_flow_run(run.id).state for run in runs]
                if all(state.is_final() for state in states):
                    break
                assert time.monotonic() < deadline, [s.name for s in states]
                time.sleep(2)
            finished = [client.read_flow_run(run.id) for run in runs]
            took = {}
            for run in finished:
                logs = client.read_logs(
                    log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id]))
                )
                names = {
                    m[1]
                    for log in logs
                    if (m := re.search(r"Worker '([\w-]+)' submitting", log.message))
                }
                took[run.name] = names
    finally:
        for worker in workers:
            _stop(worker)

    assert [r.state.name for r in finished] == ["Completed"] * len(runs), [
        (r.name, r.state.message) for r in finished
    ]
    assert sorted(r.name for r in finished) == sorted(
        ["build series: 2 paper(s) (draft)", *(f"build {p} (draft)" for p in PAPERS * 2)]
    )
    # Runs spread: each worker took some (a worker at its limit leaves the next to the other).
    assert Counter(name for names in took.values() for name in names).keys() == set(WORKERS), took

    for paper in PAPERS:
        editions = published_editions(project, paper)
        assert len(editions) == len(set(editions)) == 3  # the series' and two single builds
        for edition_id in editions:
            folder = project.outputs / paper / edition_id
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            assert manifest["edition"] == edition_id
            assert sorted(spec["format"] for spec in manifest["outputs"].values()) == [
                "docx", "html", "pdf"
            ]  # fmt: skip
            for name, spec in manifest["outputs"].items():
                assert _sha256(folder / name) == spec["sha256"], (paper, edition_id, name)
        newest = max(editions, key=edition_key)
        assert latest_edition(project, paper).name == newest
        assert not any((project.outputs / paper / ".staging").glob("*"))
