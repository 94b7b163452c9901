"""Running an external program (pandoc) with a deadline, so that it never outlives the build.

A program that runs past its deadline is killed, and so is one whose build dies: it stays in the
build's process group (Ctrl-C, or a signal to the group, reaches it) and on Linux it is killed
when the thread that started it dies, even by `kill -9`.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import functools
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import BriefingError

DEADLINE_ENV = "BRIEFINGS_TOOL_TIMEOUT"
DEFAULT_DEADLINE = 600.0  # seconds; the sample paper's slowest pandoc run takes about 1 s
SLOTS_ENV = "BRIEFINGS_PROGRAM_SLOTS"  # a folder of lock files: one per program run at once
_PR_SET_PDEATHSIG = 1


class ProgramTimeout(BriefingError):
    """The program ran past its deadline and was killed (the caller names the program)."""

    def __init__(self, seconds: float):
        super().__init__(f"did not finish within {seconds:g} s and was stopped")
        self.seconds = seconds


def deadline() -> float:
    """Seconds an external program may run: $BRIEFINGS_TOOL_TIMEOUT, else a generous default."""
    given = os.environ.get(DEADLINE_ENV, "").strip()
    if not given:
        return DEFAULT_DEADLINE
    try:
        seconds = float(given)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        raise BriefingError(f"${DEADLINE_ENV}={given!r}: expected a positive number of seconds")
    return seconds


@functools.cache
def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with_parent_hook():
    """A preexec hook that asks Linux to SIGKILL the child when its parent thread dies."""
    prctl = _prctl()
    if prctl is None:
        return None
    parent = os.getpid()

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)

    return hook


def run_program(
    argv: list[str], stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run argv to completion within the deadline; ProgramTimeout (after killing it) if not."""
    with program_slot():
        return _run(argv, stdin, cwd)


@functools.cache
def _setpriv() -> str | None:
    """util-linux's `setpriv`, which can set the parent-death signal and then run the program."""
    return shutil.which("setpriv") if sys.platform.startswith("linux") else None


def _run(argv: list[str], stdin: bytes | None, cwd: Path | None) -> subprocess.CompletedProcess:
    seconds = deadline()
    # With `setpriv` the child needs no Python code between fork and exec, so it is started with
    # vfork: no copy-on-write image of this (large) process, whose pages a memory count would
    # see twice; without it, a pre-exec hook makes the same prctl call.
    wrapper = _setpriv()
    process = subprocess.Popen(
        [wrapper, "--pdeathsig", "KILL", "--", *argv] if wrapper else argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        preexec_fn=None if wrapper else _die_with_parent_hook(),  # noqa: PLW1509 (one prctl)
    )
    try:
        stdout, stderr = process.communicate(stdin, timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise ProgramTimeout(seconds) from None
    except BaseException:  # KeyboardInterrupt, a cancelled flow run: the program goes too
        process.kill()
        process.wait()
        raise
    return subprocess.CompletedProcess(argv, process.returncode, stdout, stderr)


def make_slots(folder: Path, count: int) -> dict[str, str]:
    """`count` program slots in `folder`: the environment that makes builds share them."""
    for n in range(count):
        (folder / f"slot-{n}").touch()
    return {SLOTS_ENV: str(folder)}


@contextmanager
def program_slot() -> Iterator[None]:
    """Hold one of the slots of $BRIEFINGS_PROGRAM_SLOTS, when set, while a program runs.

    Builds run side by side (briefings.processes) share one folder of slots, one per core, so
    together they run no more programs at once than there are cores: more would only compete
    for them, each pandoc with its own memory. A slot is a file lock, which the kernel releases
    when its holder dies; without usable slots a program runs at once.
    """
    folder = os.environ.get(SLOTS_ENV, "").strip()
    held = _take_slot(sorted(Path(folder).glob("slot-*"))) if folder else None
    try:
        yield
    finally:
        if held is not None:
            os.close(held)


def _take_slot(slots: list[Path]) -> int | None:
    """A locked slot's descriptor, waiting for one to free; None if the slots are gone."""
    while slots:
        for path in slots:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                return None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            return fd
        time.sleep(0.01)
    return None
