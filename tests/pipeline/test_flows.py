"""The build flows under Prefect: real flow runs on the session's test harness."""

from __future__ import annotations

import re
import sys

import pytest
import yaml

from briefings.cli import main
from briefings.flows import load_flow
from briefings.form import EVERY_PAPER
from briefings.pipeline import FORMATS

pytestmark = pytest.mark.prefect
PAPER = "2023-tech-regulation"
FLOWS = {
    "build": ("build_paper", "build_series"),
    "refresh": ("refresh_regulatory_context",),
    "review": ("ingest_review",),
}


def test_every_deployment_names_a_flow_of_the_installed_package(project, monkeypatch):
    """prefect.yaml names flows by module path: Prefect's loader imports them in the project."""
    from prefect.flows import load_flow_from_entrypoint

    from tests.conftest import REPO

    deployments = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))["deployments"]
    named = {d["entrypoint"] for d in deployments}
    assert named == {f"briefings.flows.{m}.{n}" for m, names in FLOWS.items() for n in names}
    monkeypatch.chdir(project.root)  # as the deployments' pull step does
    for entrypoint in sorted(named):
        flow = load_flow_from_entrypoint(entrypoint, use_placeholder_flow=False)
        assert flow.name == entrypoint.rsplit(".", 1)[1]


def _run_names(client) -> list[str]:
    return [run.name for run in client.read_flow_runs()]


def test_the_run_forms_offer_choices_and_describe_every_field(project):
    from prefect.utilities.callables import parameter_schema

    schemas = {
        name: parameter_schema(load_flow(project, module, name)).model_dump()["properties"]
        for module, names in FLOWS.items()
        for name in names
    }
    for name, fields in schemas.items():
        assert "root" not in fields, name  # internal: not on the form
        undescribed = [f for f, spec in fields.items() if not spec.get("description")]
        assert undescribed == [], name
        # No "str | None" toggles: the UI shows an optional value as a choice of types.
        assert [f for f, spec in fields.items() if "anyOf" in spec] == [], name
    build = schemas["build_paper"]
    assert build["paper"]["enum"] == project.paper_ids()  # a dropdown
    assert build["formats"]["items"]["enum"] == list(FORMATS)  # a multi-choice
    assert build["formats"]["default"] == list(FORMATS)
    assert schemas["build_series"]["papers"]["items"]["enum"] == project.paper_ids()
    for name in ("refresh_regulatory_context", "ingest_review"):  # one paper, or every one
        paper = schemas[name]["paper"]
        assert (paper["enum"], paper["default"]) == (
            [EVERY_PAPER, *project.paper_ids()],
            EVERY_PAPER,
        )


def test_the_form_trims_text_and_a_new_paper_joins_the_choices(project, tmp_path):
    import shutil

    from briefings.project import Project
    from tests.conftest import copy_project

    build_paper = load_flow(project, "build", "build_paper")
    assert build_paper.validate_parameters({"paper": f" {PAPER}\t"})["paper"] == PAPER
    other = Project(copy_project(tmp_path / "other"))
    shutil.copytree(other.paper_dir(PAPER), other.paper_dir("2025-new-paper"))
    from prefect.utilities.callables import parameter_schema

    schema = parameter_schema(load_flow(other, "build", "build_paper")).model_dump()
    assert "2025-new-paper" in schema["properties"]["paper"]["enum"]


def test_build_series_flow_publishes_every_paper_with_an_artifact(project, prefect_harness):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    build_series = load_flow(project, "build", "build_series")
    state = build_series(formats=["html", "docx"], return_state=True)
    results = state.result()
    assert {r["paper"] for r in results} == set(project.paper_ids())
    for r in results:
        edition = project.outputs / r["paper"] / r["edition"]
        assert (edition / r["files"]["html"]).is_file() and (edition / "manifest.json").is_file()
    with get_client(sync_client=True) as client:
        assert "build series: 2 paper(s) (draft)" in _run_names(client)
        ours = FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id]))
        task_runs = client.read_task_runs(flow_run_filter=ours)
        artifacts = client.read_artifacts()
    # Each paper is a build-paper task run (in a worker process), its stages task runs inside.
    papers = {t.id for t in task_runs if t.name.startswith("build-paper")}
    assert len(papers) == 2
    stages = {t.name.split("-")[0]: t for t in task_runs if t.id not in papers}
    assert {"gather", "assemble", "render", "publish"} <= set(stages)
    for stage in stages.values():
        assert {p.id for p in stage.task_inputs["__parents__"]} <= papers, stage.name
        assert stage.state and stage.state.is_completed()
    assert any(a.key == "briefing-editions" and PAPER in (a.data or "") for a in artifacts)


def test_build_series_reports_every_papers_errors_together(project, prefect_harness):
    for paper in project.paper_ids():
        path = project.paper_dir(paper) / "paper.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.pop("series")
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    build_series = load_flow(project, "build", "build_series")
    with pytest.raises(Exception) as info:
        build_series(formats=["html"])
    assert info.value.lines() == [
        f"paper_sources/{paper}/paper.yaml:1: series: required field is missing"
        for paper in project.paper_ids()
    ]
    assert not any(project.outputs.iterdir())


def _normalised(text: str) -> list[str]:
    """Terminal lines with edition ids and timings made comparable."""
    text = re.sub(r"\d{8}T\d{6}Z(-\d+)?", "EDITION", text)
    # two builds in one second: the second id takes a counter after its kind
    text = re.sub(r"EDITION-(draft|final)-\d+", r"EDITION-\1", text)
    return re.sub(r"in \d+\.\d s", "in N s", text).splitlines()


def test_a_tracked_cli_build_prints_what_an_in_process_build_prints(
    project, prefect_harness, capsys, monkeypatch
):
    import prefect.settings
    from prefect.client.orchestration import get_client

    # --force: the same sources again make a new edition all the same
    argv = ["--root", str(project.root), "build", PAPER, "--format", "html", "--force"]
    assert main(argv) == 0  # a first edition: the next ones also say what changed since it
    capsys.readouterr()
    assert main(argv) == 0
    in_process = capsys.readouterr()
    monkeypatch.setenv("PREFECT_API_URL", prefect.settings.PREFECT_API_URL.value())
    with get_client(sync_client=True) as client:
        before = len(client.read_flow_runs())
    assert main(argv) == 0
    tracked = capsys.readouterr()
    assert _normalised(tracked.out) == _normalised(in_process.out)
    assert _normalised(tracked.err) == _normalised(in_process.err)
    assert len(_normalised(tracked.err)) == 4  # three progress lines and the summary
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs()
    assert len(runs) == before + 1
    assert f"build {PAPER} (draft)" in [run.name for run in runs]


def test_a_failing_tracked_cli_build_is_one_line_per_problem_and_the_run_url(
    project, prefect_harness, capsys, monkeypatch
):
    import prefect.settings
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    (project.regulations / "eu-dsa.yaml").write_text(
        "id: eu-dsa\ntitle: [unclosed\n", encoding="utf-8"
    )
    monkeypatch.setenv("PREFECT_API_URL", prefect.settings.PREFECT_API_URL.value())
    assert main(["--root", str(project.root), "build", PAPER, "--format", "html"]) == 1
    out, err = capsys.readouterr()
    problem, link = err.splitlines()
    assert re.fullmatch(
        r"error: paper_sources/regulations/eu-dsa\.yaml:\d+: malformed YAML: .*", problem
    )
    run_id = re.fullmatch(
        r"error: run logs: http://127\.0\.0\.1:\d+/runs/flow-run/([0-9a-f-]{36})", link
    )
    assert run_id and out == ""
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(run_id[1])
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
    assert run.state.is_failed() and not (project.outputs / PAPER / "LATEST").exists()
    assert any(
        "Traceback" in log.message for log in logs
    )  # Prefect's records stay in the run's logs


def test_a_ctrl_c_as_a_tracked_build_starts_a_task_is_a_ctrl_c_not_an_error(
    project, prefect_harness, capsys, monkeypatch
):
    """Prefect's task engine, taking a Ctrl-C as it created a task run, raised "ValueError:
    Task run is not set" over it, and the flow run failed with that: the CLI printed
    `error: ...: ValueError: Task run is not set` and exited 1 (seen by hand, Ctrl-C 3 s into a
    tracked build). The Ctrl-C comes out as one (the CLI then ends by SIGINT, quietly). It is
    sent here exactly there: as the third task run is created (the render's)."""
    import prefect.settings
    import prefect.task_engine

    create = prefect.task_engine._create_task_run_locally
    created: list[str] = []

    def ctrl_c_at_the_third(*args, **kwargs):
        created.append("task run")
        if len(created) == 3:
            raise KeyboardInterrupt
        return create(*args, **kwargs)

    monkeypatch.setattr(prefect.task_engine, "_create_task_run_locally", ctrl_c_at_the_third)
    monkeypatch.setenv("PREFECT_API_URL", prefect.settings.PREFECT_API_URL.value())
    with pytest.raises(KeyboardInterrupt):
        main(["--root", str(project.root), "build", PAPER, "--format", "html", "--force"])
    assert len(created) == 3
    assert "error:" not in capsys.readouterr().err


def test_a_failing_build_is_a_failed_flow_run_with_the_one_line_reasons(project, prefect_harness):
    (project.regulations / "eu-dsa.yaml").write_text(
        "id: eu-dsa\ntitle: [unclosed\n", encoding="utf-8"
    )
    build_paper = load_flow(project, "build", "build_paper")
    with pytest.raises(Exception) as info:
        build_paper(paper=PAPER, formats=["html"])
    assert any("eu-dsa.yaml" in line and "malformed YAML" in line for line in info.value.lines())
    assert "eu-dsa.yaml" in str(info.value)  # the run's state message in the UI says what is wrong
    assert not (project.outputs / PAPER / "LATEST").exists()


def test_a_killed_series_flow_run_leaves_no_worker_building(project, prefect_harness):
    """kill -9 of the process running build_series: its task runner's workers and their pandoc
    go too."""
    import os
    import signal
    import subprocess
    import time

    import prefect.settings

    from tests.helpers import alive, descendants, wait_gone

    run = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from briefings.flows import load_flow; from briefings.project import "
            "Project; load_flow(Project(sys.argv[1]), 'build', 'build_series')()",
            str(project.root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PREFECT_API_URL": prefect.settings.PREFECT_API_URL.value()},
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while not any(project.outputs.glob("*/.staging/*/*")):  # a worker is rendering
        assert run.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    below = descendants(run.pid)
    assert any("multiprocessing.spawn" in line for line in below.values())  # its workers
    os.kill(run.pid, signal.SIGKILL)
    run.wait()

    assert wait_gone(below) == set(), {p: below[p] for p in alive(below)}
