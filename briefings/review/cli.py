"""`briefings review ...`: ingest, decide, list, report. Imports stay cheap until a command runs."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from .models import STATUSES

if TYPE_CHECKING:
    from ..project import Project


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `review` and its sub-commands; each sets `handler(args, project) -> int`."""
    review = subparsers.add_parser(
        "review", help="read reviewed DOCX drafts back and track decisions"
    )
    commands = review.add_subparsers(dest="review_command", metavar="COMMAND", required=True)

    p = commands.add_parser(
        "ingest", help="add the comments and tracked changes of reviewed drafts"
    )
    p.add_argument("paper", metavar="PAPER")
    p.add_argument(
        "files",
        metavar="FILE",
        nargs="*",
        help="reviewed .docx files (none: every new one in the paper's review inbox)",
    )
    p.set_defaults(handler=run_ingest)

    p = commands.add_parser("decide", help="record a decision on one review item")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("item", metavar="ITEM-ID", help="item id (a unique prefix of 4+ characters)")
    p.add_argument("status", choices=STATUSES)
    p.add_argument("--note", metavar="TEXT", default=None)
    p.set_defaults(handler=run_decide)

    p = commands.add_parser("list", help="print the review items of a paper")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="json: one object a line"
    )
    p.add_argument("--status", choices=STATUSES, default=None, help="only items with this status")
    p.set_defaults(handler=run_list)

    p = commands.add_parser("report", help="write the review report (HTML and CSV)")
    p.add_argument("paper", metavar="PAPER")
    p.add_argument("--out", metavar="DIR", default=None, help="default: outputs/PAPER/review/")
    p.set_defaults(handler=run_report)
    return review


def run_ingest(args: argparse.Namespace, project: Project) -> int:
    from .service import ingest

    if not args.files:
        return _ingest_inbox(args.paper, project)
    report = ingest(project, args.paper, args.files)
    print(f"{args.paper}: {report.summary()}")
    return 0


def _ingest_inbox(paper: str, project: Project) -> int:
    """Every new draft of the paper's inbox; the refused ones are reported after the others."""
    from ..errors import Problem, ReviewError
    from .inbox import ingest_inbox, paper_inbox

    folder = paper_inbox(project, paper)
    outcomes = ingest_inbox(project, paper)
    for outcome in outcomes:
        if outcome.ingested:
            print(f"{paper}: {outcome.line()}")
    if not outcomes:
        print(f"{paper}: nothing new in {folder}")
    refused = [
        Problem(str(folder / o.name), line) for o in outcomes if not o.ingested for line in o.lines
    ]
    if refused:
        raise ReviewError(f"{len(refused)} returned draft problem(s)", refused)
    return 0


def run_decide(args: argparse.Namespace, project: Project) -> int:
    from .service import decide

    item = decide(project, args.paper, args.item, args.status, args.note)
    print(f"{item.id}: {item.status}")
    return 0


def run_list(args: argparse.Namespace, project: Project) -> int:
    from .redact import roster_redactor
    from .service import list_items

    redact = roster_redactor(project, args.paper)
    items = [i for i in list_items(project, args.paper) if args.status in (None, i.status)]
    for item in items:
        data = _redacted(item.as_dict(), redact)
        if args.format == "json":
            print(json.dumps(data, ensure_ascii=False, sort_keys=True))
        else:
            # outside every section: the kind of place (the title page), else "-"
            where = "/".join(x for x in (data["section_id"], data["subsection_id"]) if x) or (
                data["place"] if data["source"] else "-"
            )
            text = " ".join(data["text"].split())
            print(
                f"{data['id']}  {data['status']:<8}  {data['kind']:<9}  {where:<40}  "
                f"{data['author'][:20]:<20}  {text[:60]}"
            )
            for reply in data["replies"]:
                said = " ".join(reply["text"].split())
                print(f"{'':>14}  ↳ {reply['author'][:20]}: {said[:80]}")
    return 0


def _redacted(value, redact):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redacted(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v, redact) for k, v in value.items()}
    return value


def run_report(args: argparse.Namespace, project: Project) -> int:
    from .report import write_review_report

    out = args.out or project.outputs / args.paper / "review"
    for path in write_review_report(project, args.paper, out):
        print(project.relative(path))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m briefings.review.cli --root DIR review ...`), as the CLI
    will call it."""
    from ..errors import BriefingError
    from ..project import Project

    parser = argparse.ArgumentParser(prog="briefings")
    parser.add_argument("--root", default=None, help="project folder (default: search upwards)")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return args.handler(args, Project.locate(args.root))
    except BriefingError as exc:
        for line in exc.lines():
            print(f"error: {line}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
