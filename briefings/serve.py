"""`briefings serve`: run the deployments of prefect.yaml, schedules included, until stopped.

It connects to $PREFECT_API_URL or starts a local Prefect server (briefings.prefect_server),
creates the work pool, deploys, serves outputs/ over HTTP (briefings.site) and runs a worker.
While it runs, adding or removing a paper redeploys, so the run forms list the papers there are.
Imports stay cheap: Prefect loads only when used.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from .errors import BriefingError
from .prefect_server import (
    DEFAULT_PORT,
    ensure_server,
    last_lines,
    prefect_command,
    ui_api_url,
)
from .project import ROOT_ENV, Project
from .site import DEFAULT_ADDRESS, PUBLIC_URL_ENV, public_url

POOL = "briefings"
# Runs one worker takes at once: a worker at its limit leaves the next run to another worker,
# so runs spread over the workers of the pool instead of all going to the first that polls.
WORKER_LIMIT = 2
PAPERS_POLL = 10.0  # seconds between looks at paper_sources/ for added or removed papers


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
        raise BriefingError(f"prefect deploy failed: {last_lines(done.stdout + done.stderr)}")
    deployments = yaml.safe_load(spec.read_text(encoding="utf-8")).get("deployments") or []
    return [d["name"] for d in deployments]


def run_worker(
    project: Project,
    env: dict[str, str],
    once: bool = False,
    limit: int = WORKER_LIMIT,
    every: Callable[[], None] | None = None,
) -> int:
    """A process worker on the pool: runs scheduled and triggered runs until stopped (or once).

    `every` is called every PAPERS_POLL seconds while the worker runs.
    """
    command = prefect_command("worker", "start", "--pool", POOL, "--type", "process")
    command += ["--limit", str(limit)]
    if once:
        command.append("--run-once")
    worker = subprocess.Popen(command, env=env, cwd=project.root, stdin=subprocess.DEVNULL)
    # A service manager's stop (SIGTERM) reaches the worker, which finishes its shutdown cleanly.
    previous = signal.signal(signal.SIGTERM, lambda *_: worker.terminate())
    try:
        while True:
            try:
                return worker.wait(timeout=PAPERS_POLL)
            except subprocess.TimeoutExpired:
                if every:
                    every()
    except KeyboardInterrupt:  # the terminal sent SIGINT to the worker too: let it shut down
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def redeploy_on_new_papers(project: Project, api_url: str) -> Callable[[], None]:
    """A check that redeploys when the set of papers changed, so the forms offer them."""
    known = project.paper_ids()

    def check() -> None:
        nonlocal known
        papers = project.paper_ids()
        if papers != known:
            try:
                deploy(project, api_url)
            except BriefingError as exc:  # keep serving; the next look tries again
                _say(f"error: redeploying for papers {', '.join(papers)}: {exc}")
                return
            known = papers
            _say(f"papers now {', '.join(papers) or 'none'}: deployments updated")

    return check


def _env(project: Project, api_url: str) -> dict[str, str]:
    # The pipeline's warnings (pandoc, Typst, refresh) go to the run's logs too.
    return {
        "PREFECT_LOGGING_EXTRA_LOGGERS": "briefings",
        **os.environ,
        "PREFECT_API_URL": api_url,
        ROOT_ENV: str(project.root),
    }


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def serve_site_only(project: Project, address: str) -> int:
    """Only the editions site, until stopped: for the machine holding the shared outputs/."""
    from .site.server import EditionsSite

    site = EditionsSite(project, address)
    _say(f"editions: {public_url() or site.url}/ (outputs/ served read-only from {site.url})")
    try:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return 0
    finally:
        site.stop()


def cmd_serve(args, project: Project) -> int:
    if args.site_only:
        return serve_site_only(project, args.editions)
    server = ensure_server(args.port)
    _say(
        f"Prefect server: {server.api_url}" + (" (started in the background)" if server.pid else "")
    )
    _say(f"Prefect UI: {server.ui_url}")
    asks = ui_api_url(server)
    if asks and asks.rstrip("/") != server.api_url.rstrip("/"):
        _say(
            f"warning: that UI asks the API at {asks}: restart the server "
            "(`prefect server stop`, then serve again) so its UI finds this one"
        )
    names = deploy(project, server.api_url)
    _say(f"deployed {', '.join(names)} to work pool {POOL!r}")
    from .review.inbox import prepare_inboxes  # imported when used: the CLI loads serve cheaply

    _say(f"review inbox: {prepare_inboxes(project)}/<paper>/ (returned drafts go there)")
    if args.deploy_only:
        return 0
    from .site.server import EditionsSite

    site = EditionsSite(project, args.editions)
    link = public_url() or site.url
    _say(f"editions: {link}/ (outputs/ served read-only from {site.url})")
    env = {**_env(project, server.api_url), PUBLIC_URL_ENV: link}
    _say("serving the work pool" + (" once" if args.once else " (Ctrl-C to stop)"))
    try:
        return run_worker(
            project,
            env,
            once=args.once,
            limit=args.limit,
            every=redeploy_on_new_papers(project, server.api_url),
        )
    finally:
        site.stop()


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
        "--editions",
        metavar="HOST:PORT",
        default=DEFAULT_ADDRESS,
        help="where outputs/ is served over HTTP (default %(default)s; port 0: any free port); "
        f"links use ${PUBLIC_URL_ENV} when set",
    )
    p.add_argument(
        "--limit",
        type=int,
        default=WORKER_LIMIT,
        metavar="N",
        help="runs the worker takes at once (default %(default)s)",
    )
    p.add_argument(
        "--once", action="store_true", help="pick up the runs due now, then exit (tests, cron)"
    )
    p.add_argument(
        "--deploy-only", action="store_true", help="deploy, then exit without starting a worker"
    )
    p.add_argument(
        "--site-only",
        action="store_true",
        help="serve only outputs/ over HTTP (no Prefect): for the machine holding shared outputs/",
    )
    p.set_defaults(handler=cmd_serve)
