"""`briefings serve`: run the deployments of prefect.yaml, schedules included, until stopped.

Prefect's scheduler only runs inside a real server (the temporary server a bare flow run starts
does not schedule), so serve connects to $PREFECT_API_URL or starts a local server in the
background once and reuses it on later calls.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from .errors import BriefingError
from .project import Project

DEFAULT_PORT = 4200
POOL = "briefings"


def _healthy(api_url: str, timeout: float = 2.0) -> bool:
    import requests

    try:
        return requests.get(api_url.rstrip("/") + "/health", timeout=timeout).ok
    except requests.RequestException:
        return False


def _prefect() -> list[str]:
    return [sys.executable, "-m", "prefect"]


def ensure_server(port: int = DEFAULT_PORT, wait: float = 120.0) -> str:
    """The API URL of a running Prefect server: $PREFECT_API_URL, or a local one started once."""
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        if not _healthy(configured):
            raise BriefingError(f"PREFECT_API_URL={configured}: no Prefect server answers there")
        return configured
    api_url = f"http://127.0.0.1:{port}/api"
    if _healthy(api_url):
        return api_url  # started earlier by serve: reuse it
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
    home.mkdir(parents=True, exist_ok=True)
    log = open(home / "briefings-server.log", "ab")
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    process = subprocess.Popen(
        _prefect() + ["server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True,
    )
    (home / "briefings-server.pid").write_text(str(process.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BriefingError(f"prefect server exited with code {process.returncode}; see {home / 'briefings-server.log'}")
        if _healthy(api_url, timeout=1.0):
            return api_url
        time.sleep(0.5)
    raise BriefingError(f"prefect server did not answer within {wait:.0f} s; see {home / 'briefings-server.log'}")


def deploy(project: Project, api_url: str) -> None:
    """Create the work pool and every deployment of prefect.yaml on the server at api_url."""
    env = {**os.environ, "PREFECT_API_URL": api_url, "BRIEFINGS_ROOT": str(project.root)}
    pool = subprocess.run(_prefect() + ["work-pool", "inspect", POOL], env=env, capture_output=True, text=True)
    if pool.returncode != 0:
        _run(_prefect() + ["work-pool", "create", POOL, "--type", "process"], env, project)
    _run(_prefect() + ["--no-prompt", "deploy", "--all", "--prefect-file", str(project.root / "prefect.yaml")], env, project)


def _run(command: list[str], env: dict, project: Project) -> None:
    done = subprocess.run(command, env=env, cwd=project.root, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise BriefingError(f"{' '.join(command[2:5])}: failed: {tail[0]}")


def cmd_serve(args, project: Project) -> int:
    api_url = ensure_server(args.port)
    print(f"Prefect server: {api_url}", file=sys.stderr)
    deploy(project, api_url)
    print("deployed prefect.yaml; serving the work pool (Ctrl-C to stop)", file=sys.stderr, flush=True)
    env = {**os.environ, "PREFECT_API_URL": api_url, "BRIEFINGS_ROOT": str(project.root)}
    command = _prefect() + ["worker", "start", "--pool", POOL, "--type", "process"]
    if args.once:
        command.append("--run-once")
    return subprocess.call(command, env=env, cwd=project.root)


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="serve the prefect.yaml deployments (with schedules) on a Prefect server")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port of the local server started when PREFECT_API_URL is unset")
    p.add_argument("--once", action="store_true", help="pick up due runs once, then exit (for tests and cron)")
    p.set_defaults(handler=cmd_serve)
