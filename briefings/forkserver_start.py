"""Imported first by multiprocessing's fork server (see `processes`): from here on it ignores
Ctrl-C, which the process that started it answers by stopping the workers.

The fork server is started with SIGINT blocked, so a Ctrl-C while it starts waits here; setting
SIGINT to "ignore" drops it. multiprocessing's own resource tracker starts the same way.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
