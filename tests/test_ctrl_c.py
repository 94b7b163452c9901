"""Ctrl-C as an editor presses it: the CLI stops without a traceback and ends killed by SIGINT
(a calling shell shows 130 and stops its own loop); after the work is done, it stays quiet and
keeps the command's status. Series builds and their fork server: tests/pipeline/test_series.py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import from_a_terminal, python_from_a_terminal

SCRIPT = Path(sys.executable).with_name("briefings")  # the installed console script


def test_ctrl_c_during_a_build_run_by_the_briefings_script_is_a_quiet_death_by_sigint(project):
    build = subprocess.Popen(
        from_a_terminal([SCRIPT, "--root", project.root, "build", "2023-tech-regulation"]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(0.5)  # loading or gathering: a build takes about a second here
    os.killpg(build.pid, signal.SIGINT)
    _, err = build.communicate(timeout=120)
    assert build.returncode == -signal.SIGINT, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert not list(project.outputs.glob("*/*/manifest.json"))  # nothing half-published


def test_a_shell_loop_of_builds_stops_at_the_first_ctrl_c(project):
    """What ending by SIGINT is for: bash stops a loop whose command died of SIGINT, and goes on
    after one that caught it and exited 130 (as the CLI did)."""
    loop = (
        f'for round in 1 2 3; do echo "round $round" >&2; "{SCRIPT}" --root "{project.root}" '
        "build 2023-tech-regulation --force >/dev/null 2>&1; done; echo 'loop went on' >&2"
    )
    shell = subprocess.Popen(
        from_a_terminal(["/bin/bash", "-c", loop]),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(0.5)
    os.killpg(shell.pid, signal.SIGINT)
    _, err = shell.communicate(timeout=120)
    assert err.splitlines() == ["round 1"], err
    assert shell.returncode == -signal.SIGINT


def test_a_ctrl_c_while_python_shuts_down_after_the_work_is_quiet_and_keeps_the_status(project):
    """Prefect's services drain their queues as Python shuts down, after a tracked build's work:
    a Ctrl-C then printed 'Exception ignored in ...' with a KeyboardInterrupt traceback. Sent
    here exactly then, from an exit handler."""
    program = (
        "import atexit, os, signal, sys, time\n"
        "import briefings.cli\n"
        "def drain():\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "    time.sleep(5)  # interrupted\n"
        "atexit.register(drain)\n"
        f"sys.argv = ['briefings', '--root', {str(project.root)!r}, 'list']\n"
        "briefings.cli.run()\n"
    )
    done = python_from_a_terminal(program)
    assert done.returncode == 0, done.stderr  # the work was done: `list` succeeded
    assert "2023-tech-regulation" in done.stdout
    assert done.stderr == "", done.stderr
