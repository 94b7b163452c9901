"""`briefings serve`: run the deployments of prefect.yaml, schedules included, until stopped.

Prefect's scheduler only runs inside a real server (the temporary server a bare flow run starts
does not schedule), so serve connects to $PREFECT_API_URL or starts a local server in the
background once and reuses it on later calls. Imports stay cheap: Prefect loads only when used.
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
from .project import ROOT_ENV, Project

DEFAULT_PORT = 4200
POOL = "briefings"
PID_FILE = "server.pid"  # the file `prefect server stop` reads in PREFECT_HOME
LOG_FILE = "briefings-server.log"


@dataclass(frozen=True)
class Server:
    """A Prefect server's API URL; `pid` is set only when this call started it (own process
    group)."""

    api_url: str
    pid: int | None = None


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    import requests

    try:
        return requests.get(api_url.rstrip("/") + "/health", timeout=timeout).ok
    except requests.RequestException:
        return False


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
        return Server(settings.api.url)
    return start_local_server(port, Path(settings.home).expanduser(), wait=wait)


def start_local_server(port: int, home: Path, wait: float = 120.0, ui: bool = True) -> Server:
    """A `prefect server start` on 127.0.0.1:`port`, detached; pid and log go to `home`."""
    api_url = f"http://127.0.0.1:{port}/api"
    if healthy(api_url):
        return Server(api_url)  # started by an earlier serve: reuse it
    home.mkdir(parents=True, exist_ok=True)
    log = home / LOG_FILE
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false")
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


def ensure_work_pool(api_url: str, name: str = POOL) -> bool:
    """Create the process work pool `name` unless it exists; True when it was created."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.workers.process import ProcessWorker

    with temporary_settings({PREFECT_API_URL: api_url}), get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
            return False
        except ObjectNotFound:
            pass
        template = ProcessWorker.get_default_base_job_template()
        try:
            client.create_work_pool(
                WorkPoolCreate(name=name, type="process", base_job_template=template)
            )
        except ObjectAlreadyExists:  # created meanwhile by another serve
            return False
        return True


def deploy(project: Project, api_url: str) -> list[str]:
    """Create the work pool and every deployment of the project's prefect.yaml; their names."""
    import yaml

    spec = project.root / "prefect.yaml"
    if not spec.is_file():
        raise BriefingError(f"{spec}: no prefect.yaml in the project")
    ensure_work_pool(api_url)
    # `prefect deploy` resolves the pull step's {{ $BRIEFINGS_ROOT }}: each deployment records this
    # folder.
    done = subprocess.run(
        prefect_command("--no-prompt", "deploy", "--all", "--prefect-file", str(spec)),
        env=_env(project, api_url),
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise BriefingError(f"prefect deploy failed: {_last_lines(done.stdout + done.stderr)}")
    deployments = yaml.safe_load(spec.read_text(encoding="utf-8")).get("deployments") or []
    return [d["name"] for d in deployments]


def run_worker(project: Project, api_url: str, once: bool = False) -> int:
    """A process worker on the pool: runs scheduled and triggered runs until stopped (or once)."""
    command = prefect_command("worker", "start", "--pool", POOL, "--type", "process")
    if once:
        command.append("--run-once")
    worker = subprocess.Popen(
        command, env=_env(project, api_url), cwd=project.root, stdin=subprocess.DEVNULL
    )
    # A service manager's stop (SIGTERM) reaches the worker, which finishes its shutdown cleanly.
    previous = signal.signal(signal.SIGTERM, lambda *_: worker.terminate())
    try:
        return worker.wait()
    except KeyboardInterrupt:  # the terminal sent SIGINT to the worker too: let it shut down
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _env(project: Project, api_url: str) -> dict[str, str]:
    return {**os.environ, "PREFECT_API_URL": api_url, ROOT_ENV: str(project.root)}


def _last_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " ".join(lines[-count:]) or "no output"


def _tail(path: Path) -> str:
    try:
        return _last_lines(path.read_text(encoding="utf-8", errors="replace"), 2)
    except OSError:
        return "no log"


def cmd_serve(args, project: Project) -> int:
    server = ensure_server(args.port)
    print(
        f"Prefect server: {server.api_url}"
        + (" (started in the background)" if server.pid else ""),
        file=sys.stderr,
    )
    names = deploy(project, server.api_url)
    print(f"deployed {', '.join(names)} to work pool {POOL!r}", file=sys.stderr)
    if not args.deploy_only:
        print(
            "serving the work pool" + (" once" if args.once else " (Ctrl-C to stop)"),
            file=sys.stderr,
            flush=True,
        )
        return run_worker(project, server.api_url, once=args.once)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="serve the prefect.yaml deployments (with schedules) on a Prefect server"
    )
    p.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="port of the local server started when PREFECT_API_URL is unset (default %(default)s)",
    )
    p.add_argument(
        "--once", action="store_true", help="pick up the runs due now, then exit (tests, cron)"
    )
    p.add_argument(
        "--deploy-only", action="store_true", help="deploy, then exit without starting a worker"
    )
    p.set_defaults(handler=cmd_serve)
