"""`briefings serve` refusals and server start-up faults: one-line errors, nothing left running."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from briefings.errors import BriefingError
from briefings.prefect_server import Server, start_local_server, stop_server
from briefings.serve import deploy
from tests.integration.conftest import free_port


def test_serve_refuses_a_prefect_api_url_where_no_server_answers(project):
    url = f"http://127.0.0.1:{free_port()}/api"
    done = subprocess.run(
        [sys.executable, "-m", "briefings.cli", "--root", str(project.root), "serve", "--once"],
        env={**os.environ, "PREFECT_API_URL": url},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"error: PREFECT_API_URL={url}: no Prefect server answers there"
    ]


def test_deploy_needs_the_project_prefect_yaml(project):
    with pytest.raises(BriefingError, match="no prefect.yaml"):
        deploy(project, "http://127.0.0.1:9/api")  # refused before any server is asked


@pytest.mark.integration
def test_a_server_that_cannot_start_is_reported_with_its_log(tmp_path):
    with socket.socket() as taken:  # something else listens on the port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            BriefingError, match=r"prefect server exited with code 1: .*already in use"
        ) as caught:
            start_local_server(port, tmp_path, wait=120, ui=False)
    assert str(tmp_path / "briefings-server.log") in str(caught.value)


def test_stopping_a_server_serve_did_not_start_is_a_no_op():
    stop_server(Server("http://127.0.0.1:9/api"))  # reused servers are never stopped by pid
