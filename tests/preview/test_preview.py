"""`briefings preview`: a live preview that rebuilds on save, shows errors, never publishes."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from briefings.preview import PREVIEW_CSP, RELOAD_PATH, serve_preview

PAPER = "2024-fairness-bias"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def running(project):
    """A preview of the 2024 sample served on a free port, stopped after the test."""
    said: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=serve_preview, args=(project, PAPER, 0, False, said.append, stop), daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 120
    while not any(line.startswith("preview of") for line in said):
        assert thread.is_alive() and time.monotonic() < deadline, said
        time.sleep(0.1)
    address = said[0].split(" at ", 1)[1].split(" ", 1)[0]
    yield project, address, said
    stop.set()
    thread.join(timeout=30)


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_version(address: str, above: int, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        version = int(_get(address + "__preview/version"))
        if version > above:
            return version
        time.sleep(0.1)
    raise AssertionError(f"no rebuild after version {above}")


def test_preview_rebuilds_on_save_shows_errors_and_publishes_nothing(running):
    project, address, said = running
    page = _get(address)
    assert f'<script src="{RELOAD_PATH}" defer></script>' in page
    assert PREVIEW_CSP in page and page.count('http-equiv="Content-Security-Policy"') == 1
    intro = project.paper_dir(PAPER) / "sections" / "introduction.md"
    intro.write_text(intro.read_text().replace(" has ", " has rapidly ", 1), encoding="utf-8")
    version = _wait_version(address, 1)
    assert "has rapidly become" in _get(address)
    paper_yaml = project.paper_dir(PAPER) / "paper.yaml"
    good = paper_yaml.read_text(encoding="utf-8")
    paper_yaml.write_text(good + "bad: [\n", encoding="utf-8")
    version = _wait_version(address, version)
    page = _get(address)
    assert f"paper_sources/{PAPER}/paper.yaml:" in page and "malformed YAML" in page
    assert f'<script src="{RELOAD_PATH}" defer></script>' in page  # it will reload when fixed
    paper_yaml.write_text(good, encoding="utf-8")
    _wait_version(address, version)
    assert "has rapidly become" in _get(address)
    assert any("error: " in line for line in said)
    assert not any(project.outputs.iterdir()), "a preview is never published"
    assert (project.root / ".cache" / "preview" / PAPER).is_dir()


def test_the_browser_reloads_by_itself(running):
    """A real client: headless Chromium keeps the page open; a save alone changes what it shows."""
    node = shutil.which("node")
    modules = REPO / "node_modules"
    if (
        not node
        or not (modules / "puppeteer-core").is_dir()
        or not Path("/usr/bin/chromium").exists()
    ):
        pytest.fail(
            "needs node, `npm ci` (puppeteer-core) and Debian's chromium (.ci/run installs them)"
        )
    project, address, _ = running
    browser = subprocess.Popen(
        [
            node,
            str(Path(__file__).with_name("wait_for_text.js")),
            address,
            "freshly saved",
            "90000",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NODE_PATH": str(modules)},
    )
    assert browser.stdout.readline().strip() == "opened"
    intro = project.paper_dir(PAPER) / "sections" / "introduction.md"
    intro.write_text(intro.read_text() + "\nA freshly saved paragraph.\n", encoding="utf-8")
    out, err = browser.communicate(timeout=120)
    assert browser.returncode == 0, err
    assert out.strip().startswith("reloaded ") and int(out.split()[-1]) >= 1
