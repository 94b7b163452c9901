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
# Returned drafts go to a private inbox, never the developer's own (~/.local/share/briefings).
os.environ["BRIEFINGS_REVIEW_INBOX"] = tempfile.mkdtemp(prefix="briefings-review-inbox-")


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


# --- LibreOffice, the reviewer's client: one headless process for the whole session ---------

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's python: the only one that can import uno


def libreoffice_missing() -> str | None:
    """Why LibreOffice cannot be driven here, or None."""
    import subprocess

    if not shutil.which("soffice"):
        return (
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer python3-uno"
        )
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        return f"{SYSTEM_PYTHON} is missing (python3-uno is only importable by Debian's python)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode:
        return "python3-uno is not installed: apt-get install python3-uno"
    return None


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """The pipe name of a headless LibreOffice with a throw-away profile (one per session).

    CI sets BRIEFINGS_REQUIRE_LIBREOFFICE=1: there a missing LibreOffice fails the test.
    """
    import subprocess
    import uuid

    missing = libreoffice_missing()
    if missing:
        if os.environ.get("BRIEFINGS_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(f"BRIEFINGS_REQUIRE_LIBREOFFICE=1 but {missing}")
        pytest.skip(missing)
    pipe = f"briefings-{uuid.uuid4().hex[:8]}"
    profile = tmp_path_factory.mktemp("lo-profile")
    proc = subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"-env:UserInstallation={profile.as_uri()}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield pipe
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    # A terminated soffice leaves its named pipe's socket file behind.
    for leftover in Path(tempfile.gettempdir()).glob(f"OSL_PIPE_*_{pipe}"):
        leftover.unlink(missing_ok=True)
