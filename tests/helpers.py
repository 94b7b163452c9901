"""Small helpers shared by tests of several stages."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove nothing changed."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def from_a_terminal(argv: list) -> list:
    """`argv` run with Ctrl-C (SIGINT) at its default, as a terminal starts a command: the suite
    itself may run with SIGINT ignored (a shell's background job does), which its children
    would inherit and so never see a Ctrl-C."""
    restore = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    return [sys.executable, "-c", restore + "os.execv(sys.argv[1], sys.argv[1:])", *map(str, argv)]


def python_from_a_terminal(script: str) -> subprocess.CompletedProcess:
    """`python -c script` run to its end as from a terminal (see from_a_terminal)."""
    return subprocess.run(
        from_a_terminal([sys.executable, "-c", script]), capture_output=True, text=True, timeout=120
    )


# Processes as an operator sees them (Linux /proc): what a build started, and whether it ended.


def _processes() -> dict[int, tuple[int, str, str]]:
    """Every process: its parent, its state and its command line."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue  # ended while we looked
        found[int(stat.parent.name)] = (int(fields[1]), fields[0], cmdline)
    return found


def descendants(pid: int) -> dict[int, str]:
    """The processes below `pid`, with their command lines."""
    processes = _processes()
    found: dict[int, str] = {}
    parents = {pid}
    while parents:
        children = {c for c, (parent, _, _) in processes.items() if parent in parents}
        found.update({c: processes[c][2] for c in children})
        parents = children - parents
    return found


def parent_of(pid: int) -> int | None:
    return _processes().get(pid, (None,))[0]


def alive(pids) -> set[int]:
    """Those of `pids` still running (a zombie has ended)."""
    processes = _processes()
    return {p for p in pids if p in processes and processes[p][1] != "Z"}


def wait_gone(pids, seconds: float = 120) -> set[int]:
    """Wait for `pids` to end; those still alive after `seconds`."""
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive(pids)
