"""Faults of one source: its last snapshot stays byte-identical and stale; the others refresh."""

from __future__ import annotations

import json
import threading

import pytest

from briefings.errors import FetchError
from briefings.refresh import refresh, regulatory_status
from briefings.refresh.history import history_path
from briefings.refresh.snapshot import read_state, snapshot_path
from tests.refresh.refresh_fakes import data, fixture_bytes, make_config, sequence

BILL = "uk-business-rates-bill"
DETAIL = "/api/v1/Bills/2818"
REAL_DETAIL = fixture_bytes("uk_bills/Bills_2818_detail.REAL-upstream-modified.json")


def renamed_field() -> bytes:
    body = json.loads(REAL_DETAIL)
    body["currentStageInfo"] = body.pop("currentStage")
    return json.dumps(body).encode()


FAULTS = {
    "500 forever": (data(b"error", 500), "HTTP 500 after 3 attempt(s)"),
    "truncated JSON": (data(REAL_DETAIL[: len(REAL_DETAIL) // 2]), "malformed JSON"),
    "renamed field": (data(renamed_field()), "missing field 'currentStage'"),
    "429 beyond the allowed wait": (
        data(b"", 429, **{"Retry-After": "86400"}),
        "HTTP 429 with Retry-After",
    ),
}


@pytest.fixture
def refreshed(project, config, sources):
    """A project refreshed once, with the bill's snapshot bytes and the history kept for
    comparison."""
    refresh(project, config=config)
    return snapshot_path(project, BILL).read_bytes(), history_path(project).read_bytes()


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_keeps_the_last_snapshot_and_is_reported(fault, project, config, sources, refreshed):
    snapshot_before, history_before = refreshed
    responder, reason = FAULTS[fault]
    sources.routes[DETAIL] = responder
    report = refresh(project, config=config)

    assert snapshot_path(project, BILL).read_bytes() == snapshot_before
    assert history_path(project).read_bytes() == history_before
    (failure,) = report.failures
    assert failure.instrument == BILL and failure.source == "uk_bills" and reason in failure.reason
    assert "\n" not in failure.line()
    assert sorted(report.unchanged) == ["eu-ai-act", "uk-nisr-2015-404", "us-carrier-tariffs"]

    state = read_state(project).instruments[BILL]
    assert state.stale and reason in state.stale_reason and state.stale_since is not None
    status = regulatory_status(project)[BILL]
    assert status.stale and status.status == "Bill: 2nd reading (Commons)"
    with pytest.raises(FetchError) as caught:
        report.raise_for_failures()
    assert [p.message.split(":")[0] for p in caught.value.problems] == [BILL]


def test_stale_mark_clears_when_the_source_answers_again(project, config, sources, refreshed):
    sources.routes[DETAIL] = data(b"error", 500)
    refresh(project, config=config)
    sources.routes[DETAIL] = data(REAL_DETAIL)
    report = refresh(project, config=config)
    assert report.ok and not read_state(project).instruments[BILL].stale


def test_503_503_200_refreshes_normally(project, config, sources, refreshed):
    snapshot_before, _ = refreshed
    sources.routes[DETAIL] = sequence(data(b"", 503), data(b"", 503), data(REAL_DETAIL))
    report = refresh(project, config=config)
    assert report.ok and BILL in report.unchanged
    assert len(sources.hits(DETAIL)) == 1 + 3
    assert snapshot_path(project, BILL).read_bytes() == snapshot_before


def test_429_with_retry_after_is_honoured_within_a_refresh(project, config, sources, refreshed):
    sources.routes[DETAIL] = sequence(data(b"", 429, **{"Retry-After": "1"}), data(REAL_DETAIL))
    report = refresh(project, [BILL], config=config)
    assert report.ok
    _, throttled, retried = sources.hits(DETAIL)
    assert retried.at - throttled.at >= 1.0  # measured by the server, not by the test


def test_a_source_that_never_answers_ends_the_run_within_its_timeouts(
    project, httpserver, sources, refreshed, silent_server
):
    silent, held = silent_server
    snapshot_before, _ = refreshed
    config = make_config(
        httpserver.url_for("/").rstrip("/"), connect_timeout=0.2, read_timeout=0.2, attempts=2
    )
    config = config.model_copy(update={"base_urls": {**config.base_urls, "uk_bills": silent}})
    outcome = {}
    worker = threading.Thread(
        target=lambda: outcome.update(report=refresh(project, config=config)), daemon=True
    )
    worker.start()
    bound = (
        config.attempts * (config.connect_timeout + config.read_timeout)
        + 2 * config.backoff_max
        + 5
    )
    worker.join(timeout=bound)
    assert not worker.is_alive(), "the refresh outlived the bound set by its timeouts"
    (failure,) = outcome["report"].failures
    assert failure.instrument == BILL and "timed out" in failure.reason
    assert len(held) == config.attempts
    assert snapshot_path(project, BILL).read_bytes() == snapshot_before


def test_truncated_atom_and_renamed_sparql_field_fail_their_own_instruments(
    project, config, sources, refreshed
):
    before = {i: snapshot_path(project, i).read_bytes() for i in ("uk-nisr-2015-404", "eu-ai-act")}
    feed = fixture_bytes(
        "legislation_gov_uk/changes_affected_nisr-2015-404_page1.CONSTRUCTED.atom.xml"
    )
    sources.routes["/changes/affected/nisr/2015/404/data.feed"] = data(
        feed[:900], content_type="application/atom+xml"
    )
    body = json.loads(fixture_bytes("cellar/metadata_32024R1689.CONSTRUCTED.json"))
    body["results"]["binding"] = body["results"].pop("bindings")
    sources.routes["/webapi/rdf/sparql"] = data(json.dumps(body).encode())
    report = refresh(project, config=config)
    reasons = {f.instrument: f.reason for f in report.failures}
    assert reasons["uk-nisr-2015-404"].startswith("malformed XML")
    assert "missing field 'results.bindings'" in reasons["eu-ai-act"]
    assert {i: snapshot_path(project, i).read_bytes() for i in before} == before
    assert sorted(report.unchanged) == [BILL, "us-carrier-tariffs"]
