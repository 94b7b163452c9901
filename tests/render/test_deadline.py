"""pandoc has a deadline, and never outlives the build that started it (issue 8 item 3)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from briefings.errors import BriefingError
from briefings.programs import DEADLINE_ENV, deadline
from briefings.render.pandoc import PandocFailure, run_pandoc

# pandoc's Markdown reader is exponential in bracket nesting: 15 levels run for hours.
NESTED = ("[" * 15 + "x" + "]" * 15).encode()


def processes_with(marker: str) -> list[int]:
    """Pids of running pandoc processes whose command line holds `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            program = cmdline.split(b"\0", 1)[0]
            if marker.encode() in cmdline and program.endswith(b"/pandoc"):
                found.append(int(entry.name))
    return found


def wait_until(condition, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_pandoc_past_its_deadline_is_stopped_with_one_line(monkeypatch):
    monkeypatch.setenv(DEADLINE_ENV, "2")
    marker = f"marker={uuid.uuid4().hex}"
    started = time.monotonic()
    with pytest.raises(PandocFailure) as caught:
        run_pandoc(["--from", "markdown", "--to", "json", "--metadata", marker], NESTED)
    assert time.monotonic() - started < 10
    (message,) = caught.value.messages
    assert message.startswith("pandoc did not finish within 2 s and was stopped")
    assert "\n" not in message
    assert processes_with(marker) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux's")
def test_pandoc_dies_with_a_build_killed_by_sigkill(tmp_path):
    marker = f"marker={uuid.uuid4().hex}"
    script = (
        "import sys\n"
        "from briefings.render.pandoc import run_pandoc\n"
        f"run_pandoc(['--from', 'markdown', '--to', 'json', '--metadata', {marker!r}], "
        "sys.stdin.buffer.read())\n"
    )
    build = subprocess.Popen(
        [sys.executable, "-c", script],
        stdin=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    build.stdin.write(NESTED)
    build.stdin.close()
    try:
        assert wait_until(lambda: processes_with(marker), 30), "pandoc never started"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(10)
        assert wait_until(lambda: not processes_with(marker), 10), "pandoc outlived the build"
    finally:
        build.kill()
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf", "nan"])
def test_a_bad_deadline_setting_is_one_line(monkeypatch, value):
    monkeypatch.setenv(DEADLINE_ENV, value)
    with pytest.raises(BriefingError, match=DEADLINE_ENV):
        deadline()
