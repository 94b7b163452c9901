"""The HTML edition: one self-contained file with the house CSS, a contents list and accessible
tables."""

from __future__ import annotations

import html
import re
from pathlib import Path

from .options import DRAFT_MARK, RenderOptions
from .pandoc import run_pandoc

THEAD = re.compile(r"<thead>.*?</thead>", re.S)
HEADER_CELL = re.compile(r"<th(?=[\s>])(?![^>]*\bscope=)")
BODY_OPEN = re.compile(r"<body[^>]*>")


def write_html(ast_json: bytes, target: Path, options: RenderOptions) -> list[str]:
    """Write the HTML edition to target; return pandoc's warnings."""
    run = run_pandoc(
        [
            "--from",
            "json",
            "--to",
            "html5",
            "--standalone",
            "--embed-resources",
            "--toc",
            "--toc-depth=2",
            "--variable",
            "toc-title=Contents",
            "--css",
            str(options.html_css),
            *options.strict_args(),
            *options.resource_args(),
        ],
        ast_json,
    )
    page = accessible_tables(run.output.decode("utf-8"))
    if options.draft:
        page = with_draft_banner(page)
    target.write_text(page, encoding="utf-8")
    return run.warnings


def accessible_tables(page: str) -> str:
    """Mark every header-row cell as a column header (pandoc writes a bare <th>)."""
    return THEAD.sub(lambda m: HEADER_CELL.sub('<th scope="col"', m.group(0)), page)


def with_draft_banner(page: str) -> str:
    """Insert a draft banner as the first thing in <body>."""
    banner = f'\n<p class="draft-banner" role="note">{html.escape(DRAFT_MARK)}</p>'
    match = BODY_OPEN.search(page)
    if match is None:
        return banner + page
    return page[: match.end()] + banner + page[match.end() :]
