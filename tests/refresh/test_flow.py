"""The Prefect flow, run for real against the session's temporary Prefect server."""

from __future__ import annotations

import pytest

import briefings.pipeline
from briefings.flows import load_flow
from briefings.refresh.config import ENV_VARS
from tests.refresh.refresh_fakes import data

pytestmark = pytest.mark.prefect


@pytest.fixture
def flow_project(project, httpserver, sources, monkeypatch, prefect_harness):
    (project.sources / "refresh.yaml").write_text("attempts: 2\nbackoff: 0.01\n", encoding="utf-8")
    for var in ENV_VARS.values():
        monkeypatch.setenv(var, httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv("BRIEFINGS_HTTP_CACHE_DIR", "off")
    built: list[str] = []
    monkeypatch.setattr(
        briefings.pipeline,
        "build_many",
        lambda project_, requests, report=None, stage=None: (
            built.extend(r.paper_id for r in requests) or []
        ),
    )
    return project, built


def test_flow_refreshes_publishes_the_change_table_and_fails_on_a_failing_source(
    flow_project, sources
):
    from prefect.client.orchestration import get_client

    project, built = flow_project
    flow = load_flow(project, "refresh", "refresh_regulatory_context")
    result = flow(paper="paper-uk")
    assert result["changed"] == ["uk-business-rates-bill", "uk-nisr-2015-404"] and built == [
        "paper-uk"
    ]
    with get_client(sync_client=True) as client:
        artifact = client.read_latest_artifacts()  # newest per key
        names = [run.name for run in client.read_flow_runs()]
    assert "refresh paper-uk: 2 instruments" in names  # runs are named after their work
    table = next(a for a in artifact if a.key == "regulatory-changes")
    assert "uk-business-rates-bill" in table.data

    sources.routes["/api/v1/Bills/2818"] = data(b"down", 500)
    state = flow(paper="paper-uk", return_state=True)
    assert state.is_failed()
    assert "uk_bills: uk-business-rates-bill: HTTP 500 after 2 attempt(s)" in state.message
