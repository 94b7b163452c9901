"""Shared fixtures: a private copy of the project per test, one Prefect harness per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Prefect reads its settings at import: point it at a private home before any test imports it.
_PREFECT_HOME = Path(tempfile.mkdtemp(prefix="briefings-prefect-home-"))
os.environ["PREFECT_HOME"] = str(_PREFECT_HOME)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_TO_API_BATCH_INTERVAL"] = "0.3"
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("BRIEFINGS_ROSTER_DIR", None)


def copy_project(dest: Path) -> Path:
    """A copy of the repository's sources and templates, with an empty outputs/."""
    for name in ("paper_sources", "templates"):
        shutil.copytree(
            REPO / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "reviews")
        )
    (dest / "outputs").mkdir()
    return dest


@pytest.fixture
def project(tmp_path):
    from briefings.project import Project

    return Project(copy_project(tmp_path / "project"))


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """The sample paper built once (all three draft editions) for tests that only read editions."""
    from briefings.pipeline import BuildRequest, build_paper
    from briefings.project import Project

    project = Project(copy_project(tmp_path_factory.mktemp("built")))
    edition = build_paper(project, BuildRequest("2023-tech-regulation"))
    return project, edition


@pytest.fixture(scope="session")
def prefect_home() -> Path:
    return _PREFECT_HOME


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield _PREFECT_HOME
