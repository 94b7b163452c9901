"""Fixtures of the integration tests: one real Prefect server and one deployed project per session.

The server runs in its own process group with its own PREFECT_HOME (its own database); the
refresh's official sources are the refresh tests' fakes on a local HTTP server.
"""

from __future__ import annotations

import re
import shutil
import socket
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from pytest_httpserver import HTTPServer

from briefings.errors import BriefingError
from briefings.prefect_server import Server, start_local_server, stop_server
from briefings.project import Project
from briefings.refresh.config import ENV_VARS
from tests.conftest import REPO, copy_project
from tests.refresh.refresh_fakes import (
    FakeSources,
    cellar,
    changes_feed,
    data,
    fixture_bytes,
    make_config,
)

PAPER = "2023-tech-regulation"
SERVER_STARTUP = (
    180.0  # seconds; a first start migrates a new SQLite database, slow on a loaded machine
)
# The sample papers track these legislation.gov.uk items; the fakes answer them with the
# recorded shapes of another item (the adapter reads the shape, not the item's identity).
LEGISLATION_KEYS = ("ukpga/2015/30", "ukpga/2023/50")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory) -> Server:
    """A real `prefect server start` (UI included) on a free port; its process group is killed
    at the end."""
    home = tmp_path_factory.mktemp("prefect-server-home")
    for attempt in range(3):
        try:
            server = start_local_server(free_port(), home, wait=SERVER_STARTUP)
            break
        except BriefingError:
            if attempt == 2:  # the port was taken between probe and start, three times: give up
                raise
    assert server.pid is not None, "a server already answered on the free port"
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def fake_sources():
    """The official sources, faked on localhost for the whole session; yields (FakeSources, base
    URL)."""
    fake = FakeSources()
    fake.serve_defaults()
    for key in LEGISLATION_KEYS:
        fake.routes[f"/{key}/contents/data.xml"] = data(
            fixture_bytes("legislation_gov_uk/nisr-2015-404_contents_data.REAL.xml"),
            content_type="application/xml",
        )
        fake.routes[f"/changes/affected/{key}/data.feed"] = changes_feed()
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.expect_request(re.compile(r"^/.*")).respond_with_handler(fake.dispatch)
    server.start()
    yield fake, server.url_for("/").rstrip("/")
    server.clear()
    server.stop()


@dataclass(frozen=True)
class ServedProject:
    project: Project
    sources_env: dict[str, str]  # BRIEFINGS_*_URL pointing at the fakes


@pytest.fixture(scope="session")
def served_project(tmp_path_factory, fake_sources) -> ServedProject:
    """A copy of the project whose paper's instruments were refreshed once; then Cellar adds an
    amendment."""
    from briefings.refresh import refresh
    from briefings.refresh.rebuild import instruments_for

    fake, base = fake_sources
    project = Project(copy_project(tmp_path_factory.mktemp("served") / "project"))
    shutil.copy2(REPO / "prefect.yaml", project.root / "prefect.yaml")
    seeded = refresh(project, instruments_for(project, PAPER), config=make_config(base))
    assert seeded.ok and seeded.changed_instruments, seeded.failures
    fake.routes["/webapi/rdf/sparql"] = cellar(
        fixture_bytes("cellar/metadata_32024R1689.CONSTRUCTED.json"),
        fixture_bytes("cellar/amendments_one.CONSTRUCTED.json"),
    )
    return ServedProject(project, {var: base for var in ENV_VARS.values()})


@contextmanager
def prefect_client(api_url: str):
    """A synchronous Prefect client of the server at `api_url` (whatever else this session set)."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        yield client
