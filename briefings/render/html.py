"""The HTML edition: one self-contained file with the house template and CSS (landmarks, skip
link, contents), accessible tables."""

from __future__ import annotations

import re
from pathlib import Path

from .options import DRAFT_MARK, RenderOptions
from .pandoc import run_pandoc

THEAD = re.compile(r"<thead>.*?</thead>", re.S)
HEADER_CELL = re.compile(r"<th(?=[\s>])(?![^>]*\bscope=)")


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
            # The template inlines the house CSS as a partial (templates/html/briefing.css).
            "--template",
            str(options.html_template),
            *(["--variable", f"briefing-draft-mark={DRAFT_MARK}"] if options.draft else []),
            *options.strict_args(),
            *options.resource_args(),
        ],
        ast_json,
    )
    page = accessible_tables(run.output.decode("utf-8"))
    target.write_text(page, encoding="utf-8")
    return run.warnings


def accessible_tables(page: str) -> str:
    """Mark every header-row cell as a column header (pandoc writes a bare <th>)."""
    return THEAD.sub(lambda m: HEADER_CELL.sub('<th scope="col"', m.group(0)), page)
