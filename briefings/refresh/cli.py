"""`briefings refresh [PAPER|--all] [--offline]`. Cheap to import: the work is imported in run()."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `refresh` command to the CLI's subparsers; the handler is `run(args, project)`."""
    parser = subparsers.add_parser(
        "refresh",
        help="refresh the regulatory context from official sources",
        description="Read the official sources of every tracked instrument (of PAPER, or --all), "
        "record what changed, and rebuild the drafts of the papers citing a change. "
        "Exits non-zero when any source failed; its last snapshot is kept and marked stale.",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "paper", nargs="?", metavar="PAPER", help="refresh the instruments this paper cites"
    )
    which.add_argument(
        "--all", action="store_true", help="refresh every tracked instrument (the default)"
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="make no network call: rebuild the drafts from the stored snapshots",
    )
    parser.add_argument("--no-rebuild", action="store_true", help="refresh only; build no edition")
    parser.add_argument(
        "--workers", type=int, default=4, metavar="N", help="sources read at once (default 4)"
    )
    parser.set_defaults(handler=run)
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace, project) -> int:
    """Refresh, print the change table, rebuild affected drafts; FetchError if a source failed."""
    from .rebuild import instruments_for, papers_to_rebuild, rebuild_papers
    from .report import render_changes_markdown
    from .run import refresh

    paper = getattr(args, "paper", None)
    report = refresh(
        project,
        instruments_for(project, paper),
        offline=args.offline,
        max_workers=max(1, args.workers),
    )
    print(render_changes_markdown(report), end="")
    targets = [] if args.no_rebuild else papers_to_rebuild(project, report, paper)
    if not targets and not args.no_rebuild:
        _say("no paper to rebuild")
    for edition in rebuild_papers(project, targets, report=_say):
        for fmt, path in sorted(edition.files.items()):
            print(f"{fmt}\t{project.relative(path)}")
    report.raise_for_failures()
    return 0
