"""`briefings diff PAPER [OLD [NEW]]`: redlines of what changed between two editions."""

from __future__ import annotations

import argparse

from ..project import Project


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `diff` command; the caller sets its handler (it knows how charts are drawn)."""
    p = sub.add_parser(
        "diff",
        help="redlines (DOCX, HTML) and a summary of what changed between two editions",
        description=(
            "Compare two published editions of PAPER paragraph by paragraph (by their stable "
            "ids) and write a DOCX redline with tracked changes, an HTML redline and a summary "
            "to outputs/PAPER/changes/OLD..NEW/. NEW defaults to the newest edition; OLD to the "
            "last edition reviewers commented on, else the edition before NEW of the same kind."
        ),
    )
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("old", nargs="?", metavar="OLD", help="edition id (default: see above)")
    p.add_argument("new", nargs="?", metavar="NEW", help="edition id (default: the newest)")
    return p


def run(args, project: Project, charts_for=None) -> int:
    from ..review.service import reviewed_editions
    from .run import diff_editions

    reviewed = reviewed_editions(project, args.paper)
    result = diff_editions(project, args.paper, args.old, args.new, reviewed, charts_for)
    if result.folder is None:
        print(f"no changes: {result.old} and {result.new} say the same")
        return 0
    for path in result.files:
        print(project.relative(path))
    return 0
