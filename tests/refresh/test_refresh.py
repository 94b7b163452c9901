"""The whole refresh: snapshots, history, change detection by content, papers affected, offline."""

from __future__ import annotations

import json

import pytest

from briefings.errors import SourceError
from briefings.refresh import (
    recent_developments,
    refresh,
    regulatory_status,
    render_changes_markdown,
)
from briefings.refresh.history import history_path, read_history
from briefings.refresh.snapshot import read_snapshot, snapshot_path
from tests.refresh.refresh_fakes import COMMITTEE_ROUTES, data, fixture_bytes

TRACKED = ["eu-ai-act", "uk-business-rates-bill", "uk-nisr-2015-404", "us-carrier-tariffs"]


def bill_moves_to_committee(sources) -> None:
    for path, name in COMMITTEE_ROUTES.items():
        sources.routes[path] = data(fixture_bytes(name))


def test_first_refresh_snapshots_every_tracked_instrument(project, config, sources):
    report = refresh(project, config=config)
    assert report.ok and sorted(report.checked) == TRACKED and report.manual == ["coe-cets-225"]
    assert report.changed_instruments == TRACKED
    assert all(snapshot_path(project, i).is_file() for i in TRACKED)
    assert not snapshot_path(project, "coe-cets-225").exists()
    assert {line.instrument for line in read_history(project)} == set(TRACKED)
    assert report.papers_affected == ["paper-eu", "paper-uk", "paper-us"]


def test_unchanged_refresh_reports_no_change_and_rewrites_nothing(project, config, sources):
    refresh(project, config=config)
    before = {i: snapshot_path(project, i).read_bytes() for i in TRACKED}
    history = history_path(project).read_bytes()
    report = refresh(project, config=config)
    assert report.ok and report.changes == [] and sorted(report.unchanged) == TRACKED
    assert report.papers_affected == []
    assert {i: snapshot_path(project, i).read_bytes() for i in TRACKED} == before
    assert history_path(project).read_bytes() == history
    assert "No changes." in render_changes_markdown(report)


def test_a_bill_changing_stage_shows_in_history_snapshot_and_status(project, config, sources):
    refresh(project, config=config)
    bill_moves_to_committee(sources)
    report = refresh(project, config=config)
    assert report.changed_instruments == ["uk-business-rates-bill"]
    assert report.papers_affected == ["paper-uk"]
    (status_line,) = [c for c in report.changes if c.field == "status"]
    assert (status_line.old, status_line.new) == (
        "Bill: 2nd reading (Commons)",
        "Bill: Committee stage (Commons)",
    )
    assert status_line.source_url == "https://bills.parliament.uk/bills/2818"

    assert (
        read_snapshot(project, "uk-business-rates-bill").snapshot.status
        == "Bill: Committee stage (Commons)"
    )
    lines = [json.loads(raw) for raw in history_path(project).read_text().splitlines()]
    recorded = [(x["instrument"], x["old"], x["new"]) for x in lines if x["field"] == "status"]
    assert recorded[-1] == (
        "uk-business-rates-bill",
        "Bill: 2nd reading (Commons)",
        "Bill: Committee stage (Commons)",
    )

    status = regulatory_status(project)["uk-business-rates-bill"]
    assert (
        status.status == "Bill: Committee stage (Commons)"
        and status.origin == "snapshot"
        and not status.stale
    )
    recent = recent_developments(project, ["uk-business-rates-bill"], limit=3)
    assert recent[0].instrument == "uk-business-rates-bill"
    assert "Committee stage" in " ".join(line.description for line in recent)
    table = render_changes_markdown(report)
    assert (
        "| uk-business-rates-bill "
        "| Status: Bill: 2nd reading (Commons) → Bill: Committee stage (Commons) |" in table
    )


def test_history_is_only_ever_appended(project, config, sources):
    refresh(project, config=config)
    first = history_path(project).read_bytes()
    bill_moves_to_committee(sources)
    refresh(project, config=config)
    assert history_path(project).read_bytes().startswith(first)


def test_offline_refresh_makes_no_network_call(project, config, sources):
    report = refresh(project, offline=True, config=config)
    assert report.offline and report.changes == [] and sources.log == []
    assert not snapshot_path(project, "eu-ai-act").exists()


def test_refresh_of_some_instruments_only(project, config, sources):
    report = refresh(project, ["eu-ai-act", "coe-cets-225"], config=config)
    assert report.checked == ["eu-ai-act"] and report.manual == ["coe-cets-225"]
    assert {h.path for h in sources.log} == {"/webapi/rdf/sparql"}
    with pytest.raises(SourceError, match="unknown instrument"):
        refresh(project, ["no-such-act"], config=config)


def test_status_falls_back_to_the_registry_for_curated_and_unfetched(project, config, sources):
    statuses = regulatory_status(project)
    manual = statuses["coe-cets-225"]
    assert (manual.status, manual.as_of.isoformat(), manual.origin) == (
        "Curated status text",
        "2025-01-15",
        "registry",
    )
    assert statuses["eu-ai-act"].origin == "registry"
    refresh(project, config=config)
    after = regulatory_status(project)["eu-ai-act"]
    assert (
        after.origin == "snapshot"
        and after.in_force is True
        and after.status.startswith("In force since")
    )


@pytest.fixture
def threaded_sources():
    """Fake sources on a threaded server, so that concurrent requests can be observed."""
    import re

    from pytest_httpserver import HTTPServer

    from tests.refresh.refresh_fakes import FakeSources, make_config

    server = HTTPServer(threaded=True)
    server.start()
    fake = FakeSources()
    fake.serve_defaults()
    server.expect_request(re.compile(r"^/.*")).respond_with_handler(fake.dispatch)
    yield fake, make_config(server.url_for("/").rstrip("/"))
    server.clear()
    server.stop()


@pytest.mark.parametrize("workers", [1, 2])
def test_sources_are_read_concurrently_within_the_bound(project, threaded_sources, workers):
    import threading

    sources, config = threaded_sources
    in_flight, peak, lock, release = [0], [0], threading.Lock(), threading.Event()

    def slow(inner):
        def respond(request):
            with lock:
                in_flight[0] += 1
                peak[0] = max(peak[0], in_flight[0])
                if in_flight[0] >= workers:
                    release.set()
            release.wait(timeout=2)  # hold until `workers` requests are in flight at once
            with lock:
                in_flight[0] -= 1
            return inner(request)

        return respond

    for path in (
        "/api/v1/documents.json",
        "/webapi/rdf/sparql",
        "/nisr/2015/404/contents/data.xml",
        "/api/v1/Bills/2818",
    ):
        sources.routes[path] = slow(sources.routes[path])
    report = refresh(project, max_workers=workers, config=config)
    assert report.ok and peak[0] == workers
