"""A Prefect server for `briefings serve`: the one named by PREFECT_API_URL, or a local one.

Prefect's scheduler only runs inside a real server (the temporary server a bare flow run starts
does not schedule), so serve connects to $PREFECT_API_URL or starts a local server in the
background once and reuses it on later calls. The local server's UI is told where its API is
(PREFECT_UI_API_URL), so it works on any port.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import BriefingError

DEFAULT_PORT = 4200
PID_FILE = "server.pid"  # the file `prefect server stop` reads in PREFECT_HOME
LOG_FILE = "briefings-server.log"


@dataclass(frozen=True)
class Server:
    """A Prefect server's API URL; `pid` is set only when this call started it (own process
    group)."""

    api_url: str
    pid: int | None = None
    ui: str | None = None  # the UI's address, when it is not the API's without /api

    @property
    def ui_url(self) -> str:
        return self.ui or self.api_url.rstrip("/").removesuffix("/api")


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    import requests

    try:
        return requests.get(api_url.rstrip("/") + "/health", timeout=timeout).ok
    except requests.RequestException:
        return False


def ui_api_url(server: Server) -> str | None:
    """The API address the server's UI asks (its /ui-settings), or None when it has no UI."""
    import requests

    try:
        answer = requests.get(server.ui_url + "/ui-settings", timeout=5)
        return answer.json().get("api_url") if answer.ok else None
    except (requests.RequestException, ValueError):
        return None


def prefect_command(*args: str) -> list[str]:
    """The Prefect CLI of this interpreter, so servers, workers and flow runs share the venv."""
    return [sys.executable, "-m", "prefect", *args]


def ensure_server(port: int = DEFAULT_PORT, wait: float = 120.0) -> Server:
    """The server named by PREFECT_API_URL (env or profile), else a local one on `port`, started
    once."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url:
        if not healthy(settings.api.url):
            raise BriefingError(
                f"PREFECT_API_URL={settings.api.url}: no Prefect server answers there"
            )
        return Server(settings.api.url, ui=settings.ui_url)
    return start_local_server(port, Path(settings.home).expanduser(), wait=wait)


def start_local_server(
    port: int,
    home: Path,
    wait: float = 120.0,
    ui: bool = True,
    settings: dict[str, str] | None = None,
) -> Server:
    """A `prefect server start` on 127.0.0.1:`port`, detached; pid and log go to `home`.

    `settings` are more Prefect settings for the server (e.g. its database URL).
    """
    api_url = f"http://127.0.0.1:{port}/api"
    if healthy(api_url):
        return Server(api_url)  # started by an earlier serve: reuse it
    home.mkdir(parents=True, exist_ok=True)
    log = home / LOG_FILE
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    # The UI asks the API at PREFECT_UI_API_URL (default: port 4200): tell it this port.
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_UI_API_URL=api_url,
    )
    env.update(settings or {})
    command = prefect_command(
        "server", "start", "--host", "127.0.0.1", "--port", str(port), "--ui" if ui else "--no-ui"
    )
    with open(log, "ab") as out:
        # A session of its own: Ctrl-C on `briefings serve` must not stop the shared server.
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=home,
            start_new_session=True,
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BriefingError(
                f"prefect server exited with code {process.returncode}: {_tail(log)} (log: {log})"
            )
        if healthy(api_url, timeout=1.0):
            # Written once it answers: the server reads an existing pid file as "already running".
            (home / PID_FILE).write_text(str(process.pid))
            return Server(api_url, process.pid)
        time.sleep(0.5)
    stop_server(Server(api_url, process.pid))
    raise BriefingError(f"prefect server did not answer within {wait:.0f} s (log: {log})")


def stop_server(server: Server, timeout: float = 15.0) -> None:
    """Stop a server this module started (its whole process group); others are left alone."""
    if server.pid is None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _reap(server.pid)
            os.killpg(server.pid, 0)  # raises once the group is gone
            time.sleep(0.1)
        os.killpg(server.pid, signal.SIGKILL)
        _reap(server.pid)
    except ProcessLookupError:
        pass


def _reap(pid: int) -> None:
    """Collect the exit status of our own child, so it does not linger as a zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child, or already collected
        pass


def last_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines[-count:]) or "no output"


def _tail(path: Path) -> str:
    try:
        return last_lines(path.read_text(encoding="utf-8", errors="replace"), 2)
    except OSError:
        return "no log"
