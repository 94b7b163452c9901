"""The `briefings` command. Errors become one line each and exit code 1; a Ctrl-C, a quiet end
by SIGINT (see run)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from .errors import BriefingError, Problem, SourceError
from .interrupts import ctrl_c_held
from .project import Project
from .render.options import FORMATS


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_list(args, project: Project) -> int:
    with ctrl_c_held():  # loading: see _load
        from .sources.loader import load_paper

    for paper_id in project.paper_ids():
        try:
            paper = load_paper(project, paper_id).paper
            print(f"{paper_id}\t{paper.series}\t{paper.title}")
        except BriefingError:
            print(f"{paper_id}\t(invalid sources: run `briefings check {paper_id}`)")
    return 0


def cmd_check(args, project: Project) -> int:
    with ctrl_c_held():  # loading: see _load
        from .pipeline import check_content, gather, with_problems
        from .sources.roster import roster_problems

    papers = project.paper_ids() if args.all else args.papers
    problems: list[Problem] = []
    for paper_id in papers:
        try:
            sources = gather(project, paper_id)
        except BriefingError as exc:
            problems.extend(with_problems(exc, paper_id).problems)
            continue
        found = roster_problems(project, paper_id, bool(sources.interviews)) + check_content(
            sources
        )
        problems.extend(found)
        if not found:
            print(f"{paper_id}: ok ({len(sources.files)} files)")
    if problems:
        raise SourceError(f"{len(problems)} problem(s)", problems)
    return 0


def cmd_build(args, project: Project) -> int:
    from .render.options import FORMATS

    papers = project.paper_ids() if args.all else args.papers
    if not papers:
        raise BriefingError("name a paper or pass --all (see `briefings list`)")
    formats = tuple(dict.fromkeys(args.format or FORMATS))
    if not args.force and _all_up_to_date(project, papers, formats, args):
        return 0
    tracked = bool(os.environ.get("PREFECT_API_URL"))
    with ctrl_c_held():  # loading: see _load
        if min(args.jobs or os.cpu_count() or 1, len(papers)) > 1 and not tracked:  # as build_many
            from .processes import start_fork_server

            start_fork_server()  # its workers' modules load while this process loads its own
        from .pipeline import BuildRequest
    requests = [
        BuildRequest(
            p,
            formats,
            args.final,
            args.allow_open,
            allow_unverified=args.allow_unverified,
            force=args.force,
        )
        for p in papers
    ]
    started = time.perf_counter()
    if tracked:  # a tracked flow run, printing what an in-process build does
        with ctrl_c_held():  # loading Prefect: see _load
            from .tracked import build_tracked

        editions = build_tracked(project, requests, report=_say)
    else:
        from .pipeline import build_many

        editions = build_many(project, requests, report=_say, jobs=args.jobs)
    for edition in editions:
        for fmt, path in edition.files.items():
            print(f"{fmt}\t{project.relative(path)}")
    _say(f"built {len(editions)} edition(s) in {time.perf_counter() - started:.1f} s")
    return 0


def _all_up_to_date(project: Project, papers: list[str], formats: tuple, args) -> bool:
    """When every paper's newest edition of this kind is what today's inputs make, say so and
    build nothing: this reads manifests and hashes files, without loading the stages."""
    from .publish.uptodate import request_options, up_to_date

    options = request_options(formats, args.final, args.allow_open, args.allow_unverified)
    current = {p: up_to_date(project, p, options) for p in papers}
    if not all(current.values()):
        return False
    for paper_id, edition_id in current.items():
        print(f"up to date: {paper_id} {edition_id}")
    return True


def cmd_diff(args, project: Project) -> int:
    with ctrl_c_held():  # loading: see _load
        from .context import paper_charts
        from .diff.cli import run

    return run(args, project, charts_for=paper_charts)


def cmd_preview(args, project: Project) -> int:
    with ctrl_c_held():  # loading: see _load
        from .preview import serve_preview

    serve_preview(project, args.paper.strip(), args.port, not args.no_pdf, _say)
    return 0


def cmd_verify(args, project: Project) -> int:
    with ctrl_c_held():  # loading: see _load
        from .verify import verify_edition

    verdict = verify_edition(project, args.paper, args.edition)
    for line in verdict.lines():
        print(line)
    return 0 if verdict.identical else 1


def cmd_refresh(args, project: Project) -> int:
    """Refresh, print the change table, rebuild the drafts citing a change; then report failures.

    The rebuild is wired here, not in the refresh: the refresh never imports the pipeline.
    """
    with ctrl_c_held():  # loading: see _load
        from .pipeline import BuildRequest, build_many
        from .refresh.cli import run

    report, targets = run(args, project)
    drafts = [BuildRequest(p) for p in targets]
    for edition in build_many(project, drafts, report=_say) if drafts else []:
        for fmt, path in sorted(edition.files.items()):
            print(f"{fmt}\t{project.relative(path)}")
    report.raise_for_failures()
    return 0


def _jobs(given: str) -> int:
    if not given.isdigit() or int(given) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of papers, 1 or more: {given!r}")
    return int(given)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefings",
        description="Build roundtable briefing papers from version-controlled sources.",
    )
    parser.add_argument(
        "--root",
        help="project folder holding paper_sources/ "
        "(default: nearest above cwd, or $BRIEFINGS_ROOT)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="list the papers in paper_sources/")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("check", help="validate a paper's sources without building")
    p.add_argument("papers", nargs="*", metavar="PAPER")
    p.add_argument("--all", action="store_true", help="check every paper")
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("build", help="build and publish editions of a paper")
    p.add_argument("papers", nargs="*", metavar="PAPER")
    p.add_argument("--all", action="store_true", help="build every paper")
    p.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        help="edition format (repeatable; default all three)",
    )
    p.add_argument(
        "--final",
        action="store_true",
        help="final edition: no draft marks, strict (any warning fails)",
    )
    p.add_argument(
        "--allow-open",
        action="store_true",
        help="with --final: build even while review items are open",
    )
    p.add_argument(
        "--allow-unverified",
        action="store_true",
        help="with --final: show unverified facts (marked, and said on the title page)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="build even when nothing changed since the newest edition of this kind",
    )
    p.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="build N papers at a time, each in its own process (default: one per core)",
    )
    p.set_defaults(handler=cmd_build)

    p = sub.add_parser(
        "verify", help="rebuild a published edition and compare it with its manifest"
    )
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("edition", nargs="?", metavar="EDITION", help="edition id (default: LATEST)")
    p.set_defaults(handler=cmd_verify)

    p = sub.add_parser(
        "preview",
        help="rebuild a preview on every save and serve it with live reload",
        description=(
            "Watch the paper's sources, the registry and the templates; on every save rebuild "
            "the HTML draft (never published; kept in .cache/preview/) and serve it on "
            "localhost, where the page reloads by itself; the PDF follows beside it. A source "
            "error is shown in the page instead of stopping the preview."
        ),
    )
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--port", type=int, default=8000, help="localhost port (default 8000; 0: any)")
    p.add_argument("--no-pdf", action="store_true", help="HTML only (faster on slow machines)")
    p.set_defaults(handler=cmd_preview)

    # Sub-commands of other stages; each module's import stays cheap.
    from . import serve
    from .diff import cli as diff_cli
    from .refresh import cli as refresh_cli
    from .review import cli as review_cli

    refresh_cli.register(sub).set_defaults(handler=cmd_refresh)
    review_cli.register(sub)
    diff_cli.register(sub).set_defaults(handler=cmd_diff)
    serve.register(sub)
    return parser


def _load(argv: list[str] | None) -> tuple[argparse.Namespace, Project]:
    """The command and its project, read with Ctrl-C held, as every loading of modules is (the
    stages' by the commands that run them): a Ctrl-C midway through an import crashed orjson's
    (SIGSEGV) and came out of pydantic's model building as a SchemaError traceback. It arrives
    when the loading ends, a moment later."""
    with ctrl_c_held():
        args = make_parser().parse_args(argv)
        return args, Project.locate(args.root)


def main(argv: list[str] | None = None) -> int:
    # Non-strict warnings (pandoc, Typst, refresh) reach editors as `warning:` lines.
    logging.basicConfig(level=logging.WARNING, format="warning: %(message)s", stream=sys.stderr)
    try:
        args, project = _load(argv)
        return args.handler(args, project) or 0
    except BriefingError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `briefings review list ... | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a disk fault no stage turned into a BriefingError: still one line
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    # A Ctrl-C (KeyboardInterrupt) goes on up: see run.


def run() -> None:
    """The program (the `briefings` script, `python -m briefings.cli`): main, and a Ctrl-C that
    prints no traceback once this module has loaded.

    A Ctrl-C that main lets through ends the process as an uncaught one ends Python: after its
    shutdown, killed by SIGINT, so a calling shell stops its own loop or script too (and shows
    status 130). An exit code of 130 instead was not even kept: Python ends by SIGINT whenever
    the Ctrl-C went through code run by exec() (dataclasses define their methods so). A Ctrl-C
    while Python shuts down, after the work (Prefect's services drain their queues then), is
    one Python reports as ignored: quiet too, and the exit status stays the command's.
    """
    shown, reported = sys.excepthook, sys.unraisablehook

    def uncaught(kind, value, traceback) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            shown(kind, value, traceback)

    def ignored(unraisable) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            reported(unraisable)

    sys.excepthook, sys.unraisablehook = uncaught, ignored
    sys.exit(main())


if __name__ == "__main__":
    run()
