"""The build flows under Prefect: real flow runs on the session's test harness."""

from __future__ import annotations

import pytest

from briefings.cli import main
from briefings.flows_loader import load_flow

pytestmark = pytest.mark.prefect
PAPER = "2023-tech-regulation"


def test_build_series_flow_publishes_every_paper_with_an_artifact(project, prefect_harness):
    from prefect.client.orchestration import get_client

    build_series = load_flow(project, "build", "build_series")
    results = build_series(formats=["html", "docx"], root=str(project.root))
    assert {r["paper"] for r in results} == set(project.paper_ids())
    for r in results:
        edition = project.outputs / r["paper"] / r["edition"]
        assert (edition / r["files"]["html"]).is_file() and (edition / "manifest.json").is_file()
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs()
        series = [run for run in runs if run.name and run.state and run.state.is_completed()]
        assert series
        task_runs = client.read_task_runs()
        names = {t.name.split("-")[0] for t in task_runs}
        assert {"gather", "assemble", "render", "publish"} <= names
        artifacts = client.read_artifacts()
        assert any(a.key == "briefing-editions" and PAPER in (a.data or "") for a in artifacts)


def test_cli_build_is_a_tracked_flow_run_when_an_api_is_configured(
    project, prefect_harness, capsys, monkeypatch
):
    import prefect.settings
    from prefect.client.orchestration import get_client

    monkeypatch.setenv("PREFECT_API_URL", prefect.settings.PREFECT_API_URL.value())
    with get_client(sync_client=True) as client:
        before = len(client.read_flow_runs())
    assert main(["--root", str(project.root), "build", PAPER, "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert f"outputs/{PAPER}/" in out and out.strip().endswith(".html")
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs()
    assert len(runs) == before + 1


def test_a_failing_build_is_a_failed_flow_run_with_the_one_line_reasons(project, prefect_harness):
    (project.regulations / "eu-dsa.yaml").write_text(
        "id: eu-dsa\ntitle: [unclosed\n", encoding="utf-8"
    )
    build_paper = load_flow(project, "build", "build_paper")
    with pytest.raises(Exception) as info:
        build_paper(paper=PAPER, formats=["html"], root=str(project.root))
    assert any("eu-dsa.yaml" in line and "malformed YAML" in line for line in info.value.lines())
    assert not (project.outputs / PAPER / "LATEST").exists()
