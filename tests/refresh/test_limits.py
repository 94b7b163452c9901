"""Hard limits of the refresh against a real loopback server: deadlines, size cap, redirects,
broken transfers — each a one-line failure of its own instrument, never a hang or a traceback."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import time

import pytest

from briefings.errors import FetchError
from briefings.refresh import refresh
from briefings.refresh.http import Fetcher, make_session
from briefings.refresh.snapshot import snapshot_path
from tests.refresh.raw_server import RawServer
from tests.refresh.refresh_fakes import make_config

BILL = "uk-business-rates-bill"


@pytest.fixture
def raw():
    server = RawServer()
    yield server
    server.close()


def fetch(raw: RawServer, path: str, **settings) -> tuple[BaseException | None, float]:
    config = make_config(raw.url, **{"attempts": 1, **settings})
    fetcher = Fetcher(make_session(config), config, "uk_bills", "test-bill")
    started = time.monotonic()
    try:
        fetcher.get(raw.url + path)
    except BaseException as exc:  # noqa: BLE001 - the test inspects it
        return exc, time.monotonic() - started
    return None, time.monotonic() - started


def test_a_body_of_one_byte_a_second_ends_at_the_request_deadline(raw):
    raw.scripts["/slow"] = raw.trickle_body()
    # Each byte comes well within the read timeout: only the deadline can end this.
    error, took = fetch(raw, "/slow", read_timeout=5.0, request_deadline=1.5)
    assert isinstance(error, FetchError), error
    assert str(error) == (
        "uk_bills: test-bill: no complete answer within 1.5s (request_deadline) after 1 "
        f"attempt(s) at {raw.url}/slow"
    )
    assert 1.4 < took < 3.5


def test_headers_of_one_byte_a_second_end_at_the_request_deadline(raw):
    raw.scripts["/slow"] = raw.trickle_headers()
    error, took = fetch(raw, "/slow", read_timeout=5.0, request_deadline=1.5)
    assert isinstance(error, FetchError) and "within 1.5s (request_deadline)" in str(error)
    assert took < 3.5


def test_the_source_deadline_bounds_all_retries(raw):
    raw.scripts["/busy"] = raw.answer(503)
    error, took = fetch(raw, "/busy", attempts=10, backoff=0.4, backoff_max=0.4, source_deadline=1)
    assert isinstance(error, FetchError)
    assert "gave up: the source's 1s (source_deadline) ran out (last: HTTP 503)" in str(error)
    assert took < 1.5 and 1 < len(raw.paths) < 10


def test_a_declared_length_over_the_cap_is_refused_unread(raw):
    raw.scripts["/huge"] = raw.endless(declared=300_000_000)
    error, _ = fetch(raw, "/huge", max_response_bytes=1_000_000)
    assert str(error) == (
        "uk_bills: test-bill: answer larger than 1,000,000 bytes (max_response_bytes); not read "
        f"at {raw.url}/huge"
    )
    assert len(raw.paths) == 1  # a size is not retried


def test_an_undeclared_endless_body_is_abandoned_at_the_cap(raw):
    raw.scripts["/huge"] = raw.endless()
    error, _ = fetch(raw, "/huge", max_response_bytes=1_000_000)
    assert "answer larger than 1,000,000 bytes" in str(error)
    time.sleep(0.2)
    assert raw.sent < 1_000_000 + 8_000_000  # the cap plus what socket buffers held


def test_a_300_mb_answer_costs_memory_of_the_cap_not_of_the_answer(raw):
    """In a fresh process with the default cap (20 MB), peak memory stays far below 300 MB."""
    raw.scripts["/huge"] = raw.endless()
    script = textwrap.dedent(
        f"""
        from briefings.refresh.http import Fetcher, make_session
        from briefings.refresh.config import RefreshConfig
        config = RefreshConfig(cache_dir=None, attempts=1)
        try:
            Fetcher(make_session(config), config, "uk_bills", "x").get("{raw.url}/huge")
        except Exception as exc:
            print(exc)
        # VmHWM, not ru_maxrss: Linux carries the forking parent's peak into ru_maxrss.
        status = open("/proc/self/status").read()
        print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    reason, peak_mb = done.stdout.strip().splitlines()
    assert "answer larger than 20,000,000 bytes (max_response_bytes)" in reason
    assert int(peak_mb) < 100, f"peak {peak_mb} MB"


def test_a_redirect_to_another_host_is_not_followed(raw):
    # Same machine, other host name: the data would be recorded under the official URL.
    raw.scripts["/moved"] = raw.answer(302, Location=f"http://localhost:{raw.port}/elsewhere")
    error, _ = fetch(raw, "/moved")
    assert str(error) == (
        f"uk_bills: test-bill: redirected to another host (localhost:{raw.port}); not followed"
    )
    assert raw.paths == ["/moved"]


def test_a_redirect_on_the_same_host_is_followed(raw):
    # the raw server closes each connection after its answer: it says so (requests would
    # otherwise race to send the next request on the closed connection)
    raw.scripts["/moved"] = raw.answer(301, Location="/here", Connection="close")
    raw.scripts["/here"] = raw.answer(200, b'{"ok": true}')
    config = make_config(raw.url, attempts=1)
    response = Fetcher(make_session(config), config, "uk_bills", "b").get(raw.url + "/moved")
    assert response.json() == {"ok": True} and raw.paths == ["/moved", "/here"]


def test_a_redirect_loop_stops(raw):
    # the raw server closes each connection after its answer: it says so
    raw.scripts["/loop"] = raw.answer(302, Location="/loop", Connection="close")
    error, _ = fetch(raw, "/loop", max_redirects=3)
    assert str(error) == "uk_bills: test-bill: more than 3 redirects"
    assert len(raw.paths) == 4


def test_a_truncated_body_is_retried_then_one_line_without_tracebacks(raw, caplog):
    raw.scripts["/cut"] = raw.truncated()
    with caplog.at_level(logging.DEBUG):
        error, _ = fetch(raw, "/cut", attempts=2)
    assert str(error) == (
        "uk_bills: test-bill: transfer failed (ChunkedEncodingError) after 2 attempt(s) at "
        f"{raw.url}/cut"
    )
    assert len(raw.paths) == 2
    assert not [r for r in caplog.records if r.exc_info]


def test_a_trickling_source_fails_only_its_own_instrument(project, config, sources, raw):
    refresh(project, config=config)
    before = snapshot_path(project, BILL).read_bytes()
    raw.scripts["/api/v1/Bills/2818"] = raw.trickle_body()
    slow = config.model_copy(
        update={
            "base_urls": {**config.base_urls, "uk_bills": raw.url},
            "read_timeout": 5.0,
            "request_deadline": 1.0,
            "attempts": 2,
        }
    )
    started = time.monotonic()
    report = refresh(project, config=slow)
    assert time.monotonic() - started < 6
    (failure,) = report.failures
    assert failure.instrument == BILL and "(request_deadline)" in failure.reason
    assert "\n" not in failure.line()
    assert snapshot_path(project, BILL).read_bytes() == before
    assert sorted(report.unchanged) == ["eu-ai-act", "uk-nisr-2015-404", "us-carrier-tariffs"]


def test_the_cli_reports_a_broken_source_in_one_line(project, config, sources, raw):
    raw.scripts["/api/v1/Bills/2818"] = raw.truncated()
    env = {
        **os.environ,
        "BRIEFINGS_HTTP_CACHE_DIR": "off",
        **{var: config.base_urls["cellar"] for var in _env_vars()},
        "BRIEFINGS_UK_BILLS_URL": raw.url,
    }
    (project.sources / "refresh.yaml").write_text("attempts: 2\nbackoff: 0.01\n", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefings.cli",
            "--root",
            str(project.root),
            "refresh",
            "--no-rebuild",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: uk_bills: {BILL}: transfer failed (ChunkedEncodingError) after 2 attempt(s) at "
        f"{raw.url}/api/v1/Bills/2818"
    ]


def _env_vars() -> list[str]:
    from briefings.refresh.config import ENV_VARS

    return list(ENV_VARS.values())


def test_same_host_allows_an_upgrade_to_https_never_a_downgrade_or_another_name():
    from briefings.refresh.http import same_host

    assert same_host("https://www.legislation.gov.uk/a", "http://www.legislation.gov.uk/b")
    assert not same_host("http://www.legislation.gov.uk/a", "https://www.legislation.gov.uk/b")
    assert not same_host("https://legislation.gov.uk.evil.example/a", "https://legislation.gov.uk/")
    assert same_host("https://WWW.Legislation.gov.uk:443/a", "https://www.legislation.gov.uk/b")
