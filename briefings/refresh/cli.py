"""`briefings refresh [PAPER|--all] [--offline]`. Cheap to import: the work is imported in run().

The rebuild of the drafts citing a change is wired by the caller (briefings.cli), not here: the
refresh never imports the pipeline.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..project import Project
    from .run import RefreshReport


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `refresh` command to the CLI's subparsers; the caller sets its handler."""
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
    return parser


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace, project: Project) -> tuple[RefreshReport, list[str]]:
    """Refresh and print the change table; return the report and the papers to rebuild."""
    from .rebuild import instruments_for, papers_to_rebuild
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
    return report, targets
