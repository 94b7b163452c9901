"""The HTTP layer against a real local server: retries, Retry-After, timeouts, cache, User-Agent."""

from __future__ import annotations

import threading

import pytest
import requests

from briefings.errors import FetchError
from briefings.refresh.http import Fetcher, make_session, rebase
from tests.refresh.refresh_fakes import data, make_config, sequence

OK = data(b'{"ok": true}')


def fetcher_for(config, source="uk_bills", instrument="test-bill") -> Fetcher:
    return Fetcher(make_session(config), config, source, instrument)


def test_rebase_moves_a_production_link_onto_the_configured_base():
    link = "https://www.federalregister.gov/api/v1/documents?conditions%5Bterm%5D=x&page=2"
    assert (
        rebase(link, "http://127.0.0.1:8081")
        == "http://127.0.0.1:8081/api/v1/documents?conditions%5Bterm%5D=x&page=2"
    )
    assert (
        rebase("http://legislation.data.gov.uk/changes/x/data.feed?page=2", "http://h:1/mirror")
        == "http://h:1/mirror/changes/x/data.feed?page=2"
    )


def test_503_503_200_succeeds_on_the_third_attempt(sources, config):
    sources.routes["/r"] = sequence(data(b"busy", 503), data(b"busy", 503), OK)
    response = fetcher_for(config).get(config.base("uk_bills") + "/r")
    assert response.json() == {"ok": True}
    assert len(sources.hits("/r")) == 3


def test_500_forever_fails_after_the_configured_attempts(sources, config):
    sources.routes["/r"] = data(b"oops", 500)
    with pytest.raises(FetchError) as caught:
        fetcher_for(config.model_copy(update={"attempts": 4})).get(config.base("uk_bills") + "/r")
    assert len(sources.hits("/r")) == 4
    assert "uk_bills: test-bill: HTTP 500 after 4 attempt(s)" in str(caught.value)


def test_429_retry_after_is_honoured(sources, config):
    sources.routes["/r"] = sequence(data(b"slow down", 429, **{"Retry-After": "1"}), OK)
    fetcher_for(config).get(config.base("uk_bills") + "/r")
    first, second = sources.hits("/r")
    # Backoff is 0.01 s in this config: only Retry-After explains a gap of a second (server clock).
    assert second.at - first.at >= 1.0


def test_retry_after_longer_than_allowed_fails_without_waiting(sources, config):
    sources.routes["/r"] = data(b"later", 429, **{"Retry-After": "3600"})
    with pytest.raises(FetchError, match="Retry-After beyond"):
        fetcher_for(config).get(config.base("uk_bills") + "/r")
    assert len(sources.hits("/r")) == 1


def test_client_errors_are_not_retried(sources, config):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher_for(config).get(config.base("uk_bills") + "/missing")
    assert len(sources.hits("/missing")) == 1


def test_every_request_identifies_the_client(sources, config):
    sources.routes["/r"] = OK
    fetcher_for(config).get(config.base("uk_bills") + "/r")
    assert sources.hits("/r")[0].headers["User-Agent"].startswith("briefings/")


def test_cache_revalidates_with_the_validator_the_source_sent(sources, config, tmp_path):
    def respond(request):
        from werkzeug.wrappers import Response

        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(b'{"n": 1}', content_type="application/json", headers={"ETag": '"v1"'})

    sources.routes["/r"] = respond
    cached = config.model_copy(update={"cache_dir": tmp_path / "cache"})
    first = fetcher_for(cached).get(config.base("uk_bills") + "/r")
    second = fetcher_for(cached).get(config.base("uk_bills") + "/r")
    assert first.json() == second.json() == {"n": 1}
    hits = sources.hits("/r")
    assert len(hits) == 2 and hits[1].headers.get("If-None-Match") == '"v1"'


def test_a_server_that_never_answers_fails_within_the_timeout_bound(silent_server):
    base, held = silent_server
    config = make_config(base, connect_timeout=0.2, read_timeout=0.2, attempts=2)
    outcome: list[BaseException] = []

    def call():
        try:
            fetcher_for(config).get(base + "/api/v1/Bills/2818")
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    bound = (
        config.attempts * (config.connect_timeout + config.read_timeout)
        + 2 * config.backoff_max
        + 3
    )
    worker.join(timeout=bound)
    assert not worker.is_alive(), "the request outlived its timeouts"
    assert isinstance(outcome[0], FetchError) and "timed out" in str(outcome[0])
    assert len(held) == 2  # one connection per attempt, none answered


def test_plain_requests_session_when_cache_is_off(config):
    assert type(make_session(config)) is requests.Session
