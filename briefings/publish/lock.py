"""One build of a paper at a time: a file lock shared by the CLI, the flows and every worker.

The lock is `outputs/<paper>/.lock`, held with flock(2) for the whole build. It works between
processes and between threads of one process on one machine; on shared storage it holds only
where the file system supports locks (NFSv4 does; see docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..atomic import file_mode
from ..errors import PublishError

LOCK_FILE = ".lock"
TIMEOUT_ENV = "BRIEFINGS_LOCK_TIMEOUT"
DEFAULT_TIMEOUT = 3600.0  # seconds a build waits for another build of the same paper
POLL = 0.1

# flock(2) on NFS is emulated with POSIX locks, which are per process: threads of one process
# (Prefect runs flows in threads) are kept apart here as well.
_threads: dict[str, threading.Lock] = {}
_threads_guard = threading.Lock()


def lock_timeout() -> float:
    given = os.environ.get(TIMEOUT_ENV, "").strip()
    try:
        value = float(given) if given else DEFAULT_TIMEOUT
    except ValueError:
        value = -1.0
    if value < 0:
        raise PublishError(f"${TIMEOUT_ENV}: {given!r} is not a number of seconds")
    return value


class PaperLock:
    """Exclusive hold on one paper's outputs folder; `release()` (or the with-block) lets go."""

    def __init__(
        self, paper_root: Path, shown: str, wait_report: Callable[[str], None] = lambda _: None
    ):
        self.path = paper_root / LOCK_FILE
        self.shown = shown
        self._report = wait_report
        self._fd: int | None = None
        with _threads_guard:
            self._thread_lock = _threads.setdefault(str(self.path.resolve()), threading.Lock())

    def acquire(self, timeout: float | None = None) -> PaperLock:
        timeout = lock_timeout() if timeout is None else timeout
        deadline = time.monotonic() + timeout
        said = self._thread_lock.acquire(blocking=False) is False
        if said:
            self._report(self._waiting)
            if not self._thread_lock.acquire(timeout=timeout):
                raise self._timed_out(timeout)
        try:
            self._fd = self._flock(deadline, timeout, said)
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def _flock(self, deadline: float, timeout: float, said: bool) -> int:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, file_mode())
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                if time.monotonic() >= deadline:
                    raise self._timed_out(timeout) from None
                if not said:
                    self._report(self._waiting)
                    said = True
                time.sleep(POLL)
                continue
            except BaseException:
                os.close(fd)
                raise
            # The holder before us may have removed the file (a failed first build tidies up):
            # a lock on a removed file guards nothing, so take the lock on the file now there.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)

    @property
    def _waiting(self) -> str:
        return f"{self.shown}: waiting for another build of this paper to finish"

    def _timed_out(self, timeout: float) -> PublishError:
        return PublishError(
            f"{self.shown}: another build of this paper held its lock for more than {timeout:g} s "
            f"(${TIMEOUT_ENV})"
        )

    def remove(self) -> None:
        """Delete the lock file while holding it (waiting builds then take a new one)."""
        with contextlib.suppress(OSError):
            self.path.unlink()

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
            self._thread_lock.release()

    def __enter__(self) -> PaperLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
