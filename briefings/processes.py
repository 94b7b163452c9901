"""Several jobs at once in worker processes, each job reporting as if it ran here.

A worker is forked from multiprocessing's fork server, which has already imported the modules
a job needs (so a worker starts in milliseconds and shares their memory), never from this
process, which may be running threads (Prefect's). A worker takes this process's environment,
working directory and log level, dies with it (Ctrl-C, kill -9: it holds the read end of a
pipe only this process writes to) and sends back, as they happen, its `report` lines and
warning records; the caller gets them together when the job ends, with what the job returned or
raised, or how its process died.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing import forkserver, resource_tracker
from multiprocessing.connection import Connection, wait
from typing import Any

from .errors import BriefingError
from .interrupts import ctrl_c_held

# What a build imports (module names only: nothing is imported here), loaded once by the fork
# server its worker processes start from.
BUILD_MODULES = (
    "briefings.pipeline",
    "briefings.confidentiality",
    "briefings.diff.page",
    "briefings.refresh.status",
    "briefings.render",
    "briefings.render.chart",
    "briefings.render.editions",
    "briefings.review",
    "briefings.review.service",
    "briefings.synthesis",
    "briefings.synthesis.figures",
    "briefings.synthesis.prose_counts",
    "docx",
    "pypdf",
    "pypdfium2",
    "typst",
    "vl_convert",
)
# Imported before them: from then on the fork server ignores Ctrl-C.
START_MODULE = "briefings.forkserver_start"

Report = Callable[[str], None]


@dataclass
class Outcome:
    """How one job ended, with what it reported on the way."""

    events: list[str | logging.LogRecord] = field(default_factory=list)
    value: Any = None
    error: BaseException | None = None
    died: str | None = None  # how its process ended without an answer: "was killed by SIGKILL"
    ended: bool = False

    def replay(self, report: Report) -> None:
        """Report the job's lines and log its warnings here, in the order they happened."""
        for event in self.events:
            if isinstance(event, str):
                report(event)
            elif (logger := logging.getLogger(event.name)).isEnabledFor(event.levelno):
                logger.handle(event)


def run_each(
    work: Callable[..., Any],
    jobs: Sequence[tuple],
    workers: int,
    preload: Sequence[str],
    done: Callable[[int, Outcome], None],
    env: dict[str, str] | None = None,
) -> None:
    """Run `work(*args, report)` for each args of `jobs` in worker processes, at most `workers`
    at a time, with this process's environment and `env`; `done(index, outcome)` is called here
    as each job ends.

    A worker takes the next job as it ends one, so what a job leaves warm in its process (the
    modules it imported on first use, compiled templates, its caches) serves the next. A worker
    that dies is one job's death; a new worker takes the jobs left.

    Whatever stops this loop — an exception from `done`, Ctrl-C — kills the running workers
    (their programs die with them) before it propagates.
    """
    context = _context(preload)
    waiting = list(enumerate(jobs))[::-1]
    running: dict[Connection, _Worker] = {}
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                # Held: a worker cut off as it starts printed an EOFError traceback.
                with ctrl_c_held():
                    worker = _Worker.start(context, work, env or {})
                    running[worker.conn] = worker
                worker.take(*waiting.pop())
            for conn in wait(list(running)):
                worker = running[conn]  # type: ignore[index]  # wait() returns what it was given
                index, outcome = worker.job
                _receive(worker.conn, outcome)
                if not outcome.ended:
                    continue
                if outcome.died is None and waiting:
                    worker.take(*waiting.pop())
                else:  # dead, or no job left for it
                    del running[worker.conn]
                    worker.stop()
                    if outcome.died is not None:
                        outcome.died = _death(worker.process.exitcode)
                done(index, outcome)
    except BaseException:
        for worker in running.values():
            worker.process.kill()
        for worker in running.values():
            worker.stop()
        raise


@dataclass
class _Worker:
    """A worker process, the connection it talks over, and the job it is doing."""

    process: Any
    conn: Connection
    held: Connection  # the write end of its lifeline: closed here, the worker dies
    job: tuple[int, Outcome] = field(default_factory=lambda: (-1, Outcome()))

    @classmethod
    def start(cls, context: Any, work: Callable, env: dict[str, str]) -> _Worker:
        ours, theirs = context.Pipe()
        lifeline, held = context.Pipe(duplex=False)
        process = context.Process(
            target=_serve, args=(theirs, lifeline, _setting(env), work), daemon=True
        )
        process.start()
        theirs.close()  # the worker's ends: EOF on ours once the worker is gone
        lifeline.close()
        return cls(process, ours, held)

    def take(self, index: int, args: tuple) -> None:
        self.job = (index, Outcome())
        self.conn.send(args)

    def stop(self) -> None:
        """Let it go (it ends when its connection closes), and wait for it."""
        self.conn.close()
        self.process.join()
        self.held.close()


def _receive(conn: Connection, outcome: Outcome) -> None:
    """Take one message of the worker into its outcome; EOF before an answer is a death."""
    try:
        kind, payload = conn.recv()
    except (EOFError, OSError):  # gone (a reset connection too: it died as it started)
        outcome.ended, outcome.died = True, ""
        return
    if kind == "event":
        outcome.events.append(payload)
    elif kind == "value":
        outcome.ended, outcome.value = True, payload
    else:
        outcome.ended, outcome.error = True, payload


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"was killed by {signal.Signals(-exitcode).name}"
    return f"exited with code {exitcode}"


def start_fork_server(preload: Sequence[str] = BUILD_MODULES) -> None:
    """Start the fork server now, so that it loads `preload` while this process goes on (the
    first worker then waits less); `run_each` uses the one already running."""
    _context(preload)


def _context(preload: Sequence[str]) -> Any:
    """The fork server where there is one (Linux, macOS), preloaded; else fresh interpreters."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # The fork server spends its first second importing `preload`, and multiprocessing protects
    # it from Ctrl-C only after that: a Ctrl-C meanwhile printed its KeyboardInterrupt
    # traceback. So it is started with SIGINT held (the blocked mask goes through exec), and
    # the first module it imports ignores and unblocks SIGINT. Held, a Ctrl-C reaches this
    # process just after (ignoring SIGINT around the start, as before, lost it).
    context.set_forkserver_preload([START_MODULE, *preload])  # read when the server first starts
    resource_tracker.ensure_running()  # it unblocks SIGINT as it starts: before, not inside
    with ctrl_c_held():
        forkserver.ensure_running()
    return context


def _setting(env: dict[str, str]) -> tuple[dict[str, str], str, int]:
    """What a worker takes from this process: the fork server started with older ones."""
    return {**os.environ, **env}, os.getcwd(), logging.getLogger().getEffectiveLevel()


class _Forward(logging.Handler):
    """Sends a worker's log records to the process that runs it, their message formatted."""

    def __init__(self, conn: Connection):
        super().__init__()
        self.conn = conn

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        record.exc_info = record.exc_text = None  # a traceback object does not pickle
        self.conn.send(("event", record))


def _die_when_cut(lifeline: Connection) -> None:
    """SIGKILL this worker once the process that runs it is gone (its end of `lifeline` closes).

    Its programs (pandoc) die with it: run_program asks Linux to kill them with their parent.
    """

    def watch() -> None:
        try:
            lifeline.recv_bytes()
        except EOFError:
            pass
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="lifeline", daemon=True).start()


def die_with_parent() -> None:
    """For a worker its parent started directly (a Prefect task runner's): SIGKILL it once the
    parent is gone, checking twice a second; its programs (pandoc) die with it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(
    conn: Connection, lifeline: Connection, setting: tuple[dict[str, str], str, int], work: Callable
) -> None:
    """A worker: each job sent to it in turn, its lines and warnings as they happen, then its
    value or error; it ends when the connection closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    _die_when_cut(lifeline)
    env, cwd, level = setting
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(_Forward(conn))
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):  # no more jobs, or the parent is gone
            return
        try:
            message = ("value", work(*args, lambda line: conn.send(("event", line))))
        except BaseException as exc:  # noqa: BLE001 (every failure goes back to the parent)
            message = ("error", _portable(exc))
        conn.send(message)


def _portable(exc: BaseException) -> BaseException:
    """The exception as it will arrive: a bug keeps its worker's traceback as a note."""
    if not isinstance(exc, BriefingError):
        exc.add_note("".join(traceback.format_exception(exc)).rstrip())
    try:
        return pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 (a class whose __init__ does not take its own args)
        if isinstance(exc, BriefingError):
            return BriefingError(str(exc), exc.problems)
        return RuntimeError(f"{type(exc).__name__}: {exc}")
