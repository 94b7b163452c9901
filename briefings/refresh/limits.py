"""Hard limits on what one source can cost: a deadline that cuts a trickling answer, a size cap.

Socket timeouts bound each wait for a byte, not a whole answer: a server sending one byte a
second never trips them. So every connection a session opens is registered, and when a
request's deadline passes a timer shuts those sockets down; the blocked read then fails and the
request is reported as past its deadline. A body is read in chunks and abandoned as soon as it
is larger than the cap (decoded size, so a compressed bomb is caught too).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

CHUNK = 64 * 1024


class TooLarge(requests.RequestException):
    """The answer is larger than the configured cap; it was not read to the end."""

    def __init__(self, cap: int):
        super().__init__(f"answer larger than {cap:,} bytes (max_response_bytes); not read")


class WatchedAdapter(HTTPAdapter):
    """An HTTPAdapter whose open sockets can all be shut down from another thread."""

    def __init__(self) -> None:
        self.sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _watched_pools(self.sockets)

    def proxy_manager_for(self, *args, **kwargs):
        manager = super().proxy_manager_for(*args, **kwargs)
        manager.pool_classes_by_scheme = _watched_pools(self.sockets)
        return manager

    def cut(self) -> None:
        """Shut every socket down: a read blocked in another thread returns at once."""
        for sock in list(self.sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _watched_pools(registry: weakref.WeakSet) -> dict[str, type]:
    def watched(base: Any) -> type:
        def connect(self) -> None:
            base.connect(self)
            registry.add(self.sock)

        return type(f"Watched{base.__name__}", (base,), {"connect": connect})

    return {
        "http": type(
            "WatchedPool", (HTTPConnectionPool,), {"ConnectionCls": watched(HTTPConnection)}
        ),
        "https": type(
            "WatchedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": watched(HTTPSConnection)}
        ),
    }


@contextlib.contextmanager
def deadline(adapter: BaseAdapter | None, seconds: float) -> Iterator[threading.Event]:
    """Cut the adapter's connections after `seconds`; the yielded event says whether it did."""
    fired = threading.Event()
    if not isinstance(adapter, WatchedAdapter):
        yield fired
        return

    def cut() -> None:
        fired.set()
        adapter.cut()

    timer = threading.Timer(max(0.0, seconds), cut)
    timer.daemon = True
    timer.start()
    try:
        yield fired
    finally:
        timer.cancel()


def capped_reader(cap: int):
    """A response hook that reads the body in chunks, refusing more than `cap` bytes.

    Hooks run inside `Session.send`, before requests or requests-cache read the body
    themselves, so neither ever holds more than the cap.
    """

    def read(response: requests.Response, *args, **kwargs) -> requests.Response:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            response.close()
            raise TooLarge(cap)
        body = bytearray()
        for chunk in response.iter_content(CHUNK):
            body += chunk
            if len(body) > cap:
                response.close()
                raise TooLarge(cap)
        response._content = bytes(body)  # what `response.content` returns from now on
        return response

    return read
