"""Fixtures of the refresh tests: a tiny project tree and fake official sources on localhost."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest

from briefings.project import Project
from briefings.refresh.config import RefreshConfig
from tests.refresh.refresh_fakes import (
    INSTRUMENTS,
    PAPERS,
    FakeSources,
    make_config,
    write_instrument,
    write_paper,
)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    for inst_id, tracking in INSTRUMENTS.items():
        write_instrument(tmp_path, inst_id, tracking)
    for paper_id, instruments in PAPERS.items():
        write_paper(tmp_path, paper_id, instruments)
    return Project(tmp_path)


@pytest.fixture
def sources(httpserver) -> FakeSources:
    fake = FakeSources()
    fake.serve_defaults()
    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(fake.dispatch)
    return fake


@pytest.fixture
def config(httpserver) -> RefreshConfig:
    return make_config(httpserver.url_for("/").rstrip("/"))


@pytest.fixture
def silent_server():
    """A socket that accepts connections and never answers; yields its base URL."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)  # kept open, never read from or written to
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", held
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()
