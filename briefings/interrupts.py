"""Ctrl-C held over a step it must not cut in two."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator


@contextlib.contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Block SIGINT in this thread for the step: a Ctrl-C meanwhile arrives when it ends (as
    KeyboardInterrupt in the main thread), neither lost nor inside the step. For a process
    started but not yet known to its parent, or a C extension whose init cannot take an
    exception. (Another thread that does not block SIGINT would take it at once: the CLI's
    build runs these steps with no other thread.)"""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
