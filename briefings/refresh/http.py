"""HTTP for the official sources: timeouts, polite retries, an identifying User-Agent, cache."""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from .. import __version__
from ..errors import FetchError, Problem
from .config import RefreshConfig
from .limits import TooLarge, WatchedAdapter, capped_reader, deadline

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def user_agent(config: RefreshConfig) -> str:
    """'briefings/<version> (+<project url>)', so source operators know who is calling."""
    url = config.contact_url or _project_url()
    return f"briefings/{__version__}" + (f" (+{url})" if url else "")


def _project_url() -> str | None:
    try:
        from importlib.metadata import metadata

        meta = metadata("briefings")
    except Exception:  # not installed: no URL to give
        return None
    for entry in meta.get_all("Project-URL") or []:
        return entry.split(",", 1)[-1].strip()
    return (meta.get_all("Home-page") or [None])[0]


def make_session(config: RefreshConfig) -> requests.Session:
    """A Session with the User-Agent set; cached in SQLite under config.cache_dir when given."""
    if config.cache_dir is not None:
        import requests_cache

        config.cache_dir.mkdir(parents=True, exist_ok=True)
        # expire_after=0: keep a response only if it has a validator, and revalidate it on
        # every use (If-None-Match / If-Modified-Since). No source promises validators, so
        # this never serves stale facts; it only saves bytes where a source allows.
        session: requests.Session = requests_cache.CachedSession(
            str(config.cache_dir / "http"),
            backend="sqlite",
            expire_after=0,
            allowable_codes=(200,),
            allowable_methods=("GET",),
            cache_control=False,
        )
    else:
        session = requests.Session()
    session.headers["User-Agent"] = user_agent(config)
    for scheme in ("http://", "https://"):
        session.mount(scheme, WatchedAdapter())  # deadlines can cut its connections
    return session


class Fetcher:
    """GETs with timeouts, deadlines, a size cap, same-host redirects and bounded retries.

    Each request (its redirects included) must be answered in full within `request_deadline`
    seconds and everything asked of one source within `source_deadline`; an answer larger than
    `max_response_bytes` is abandoned. Retries cover 429/5xx and network faults.
    """

    def __init__(
        self,
        session: requests.Session,
        config: RefreshConfig,
        source: str,
        instrument: str,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.session, self.config, self.source, self.instrument = (
            session,
            config,
            source,
            instrument,
        )
        self.sleep = sleep
        self.requests = 0  # how many requests went out, retries included
        self.until = time.monotonic() + config.source_deadline  # the source's overall deadline

    def fail(self, message: str, url: str, field: str | None = None) -> FetchError:
        text = f"{self.source}: {self.instrument}: {message}"
        return FetchError(text, [Problem(url, f"{self.instrument}: {message}", field)])

    def get(
        self, url: str, params: dict | list | None = None, accept: str | None = None
    ) -> requests.Response:
        """The response of a GET, retried per config; FetchError naming source and instrument."""
        headers = {"Accept": accept} if accept else {}
        attempts = self.config.attempts
        for attempt in range(1, attempts + 1):
            left = self.until - time.monotonic()
            if left <= 0:
                raise self._past_source_deadline(url)
            self.requests += 1
            allowed = min(self.config.request_deadline, left)
            try:
                response = self._send(url, params, headers, allowed)
            except TooLarge as exc:
                raise self.fail(f"{exc} at {_shown(url)}", url) from None
            except _PastDeadline:
                reason = f"no complete answer within {allowed:g}s (request_deadline)"
                wait = self._backoff(attempt)
            except requests.Timeout:
                reason = (
                    f"timed out (connect {self.config.connect_timeout}s, "
                    f"read {self.config.read_timeout}s)"
                )
                wait = self._backoff(attempt)
            except requests.ConnectionError as exc:
                reason, wait = f"connection failed ({type(exc).__name__})", self._backoff(attempt)
            except requests.RequestException as exc:  # a transfer broken mid-body, bad encoding
                reason, wait = f"transfer failed ({type(exc).__name__})", self._backoff(attempt)
            else:
                if response.status_code < 400:
                    return response
                reason = f"HTTP {response.status_code}"
                if response.status_code not in RETRY_STATUSES:
                    raise self.fail(f"{reason} from {_shown(response.url)}", response.url)
                asked = self._retry_after(response, attempt)
                if asked is None:
                    raise self.fail(
                        f"{reason} with Retry-After beyond {self.config.max_retry_after:g}s", url
                    )
                wait = asked
            if attempt == attempts:
                break
            if time.monotonic() + wait >= self.until:
                raise self._past_source_deadline(url, reason)
            log.info(
                "%s: %s: %s; retry %d/%d in %.1fs",
                self.source,
                self.instrument,
                reason,
                attempt,
                attempts - 1,
                wait,
            )
            self.sleep(wait)
        raise self.fail(f"{reason} after {attempts} attempt(s) at {_shown(url)}", url)

    def _send(
        self, url: str, params: dict | list | None, headers: dict, allowed: float
    ) -> requests.Response:
        """One GET with its redirects, all within `allowed` seconds; redirects stay on the host."""
        origin = url
        hooks = {"response": [capped_reader(self.config.max_response_bytes)]}
        with deadline(self.session.get_adapter(url), allowed) as fired:
            try:
                for _ in range(self.config.max_redirects + 1):
                    response = self.session.get(
                        url,
                        params=params,
                        headers=headers,
                        timeout=self.config.timeout,
                        allow_redirects=False,
                        hooks=hooks,
                    )
                    if fired.is_set():  # cut short: headers or body ended early, not well
                        raise _PastDeadline()
                    if not response.is_redirect:
                        return response
                    target = urljoin(response.url, response.headers["Location"])
                    if not same_host(target, origin):
                        raise self.fail(
                            f"redirected to another host ({urlsplit(target).netloc}); not followed",
                            origin,
                        )
                    url, params = target, None
            except requests.RequestException:
                if fired.is_set():
                    raise _PastDeadline() from None
                raise
        raise self.fail(f"more than {self.config.max_redirects} redirects", origin)

    def _past_source_deadline(self, url: str, reason: str | None = None) -> FetchError:
        last = f" (last: {reason})" if reason else ""
        return self.fail(
            f"gave up: the source's {self.config.source_deadline:g}s (source_deadline) "
            f"ran out{last}",
            url,
        )

    def _backoff(self, attempt: int) -> float:
        base = min(self.config.backoff * 2 ** (attempt - 1), self.config.backoff_max)
        return base + random.uniform(0, base)

    def _retry_after(self, response: requests.Response, attempt: int) -> float | None:
        """Seconds the server asked for (Retry-After: seconds or HTTP date), else backoff;
        None if too long."""
        value = response.headers.get("Retry-After")
        if value is None:
            return self._backoff(attempt)
        value = value.strip()
        if value.isdigit():
            wait = float(value)
        else:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return self._backoff(attempt)
            wait = max(0.0, when.timestamp() - time.time())
        if wait > self.config.max_retry_after:
            return None
        # A little jitter on top, never less than asked, so parallel clients do not stampede.
        return wait + random.uniform(0, min(1.0, self.config.backoff))

    def pages(
        self,
        url: str,
        params: dict | list | None,
        next_url: Callable[[requests.Response], str | None],
        base: str,
        accept: str | None = None,
    ) -> Iterator[requests.Response]:
        """Each page of a paged answer, following `next_url` rewritten onto `base`, up to
        max_pages."""
        for _ in range(self.config.max_pages):
            response = self.get(url, params, accept)
            yield response
            following = next_url(response)
            if not following:
                return
            url, params = rebase(urljoin(response.url, following), base), None
        log.warning(
            "%s: %s: stopped after %d pages", self.source, self.instrument, self.config.max_pages
        )


class _PastDeadline(Exception):
    """The deadline timer cut the connection of a request still under way."""


def same_host(url: str, origin: str) -> bool:
    """Same host name, and never from https down to http."""
    to, start = urlsplit(url), urlsplit(origin)
    downgrade = start.scheme == "https" and to.scheme != "https"
    return (to.hostname or "") == (start.hostname or "") and not downgrade


def rebase(url: str, base: str) -> str:
    """`url` moved onto the scheme and host of `base` (paging links name the production host)."""
    parts, home = urlsplit(url), urlsplit(base)
    prefix = home.path.rstrip("/")
    path = parts.path if parts.path.startswith(prefix + "/") else prefix + parts.path
    return urlunsplit((home.scheme, home.netloc, path, parts.query, ""))


def _shown(url: str) -> str:
    """A URL short enough for a one-line reason: the query string is dropped."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
