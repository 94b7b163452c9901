"""The HTML edition: one self-contained file with the house template and CSS (landmarks, skip
link, contents), accessible tables."""

from __future__ import annotations

from pathlib import Path

from ..pandoc_ast import Node, nodes, to_json
from .options import DRAFT_MARK, RenderOptions
from .pandoc import run_pandoc


def write_html(ast: Node, target: Path, options: RenderOptions) -> list[str]:
    """Write the HTML edition of `ast` (changed in place) to target; return pandoc's warnings.

    Its images are `data:` URIs already and the template inlines the CSS: nothing to embed. The
    template's Content-Security-Policy forbids any load from outside the file.
    """
    run = run_pandoc(
        [
            "--from",
            "json",
            "--to",
            "html5",
            "--standalone",
            "--toc",
            "--toc-depth=2",
            "--variable",
            "toc-title=Contents",
            # The template inlines the house CSS as a partial (templates/html/briefing.css).
            "--template",
            str(options.html_template),
            *(["--variable", f"briefing-draft-mark={DRAFT_MARK}"] if options.draft else []),
            *options.strict_args(),
        ],
        to_json(accessible_tables(ast)),
    )
    target.write_bytes(run.output)
    return run.warnings


def accessible_tables(ast: Node) -> Node:
    """Mark every cell of a table's header rows as a column header, on the AST (in place):
    pandoc writes a cell's attributes, and a bare <th> otherwise."""
    for table in nodes(ast["blocks"], "Table"):
        for row in table["c"][3][1]:  # TableHead: [attr, rows]; a row: [attr, cells]
            for cell in row[1]:  # a cell: [attr, alignment, row span, column span, blocks]
                attributes = cell[0][2]
                if not any(key == "scope" for key, _ in attributes):
                    attributes.append(["scope", "col"])
    return ast
