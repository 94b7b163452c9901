"""The shared AST made ready for each format: fitted tables, then what each writer lacks."""

from __future__ import annotations

import copy

from ..pandoc_ast import Node, blocks_of, from_json, nodes, text
from .chart import ThemeChart
from .language import bibliography_languages, typst_language_divs, typst_language_spans
from .tables import break_long_identifiers, fit_tables, number_captions, scroll_containers


def fitted(ast: Node, languages: dict[str, str] | None = None) -> Node:
    """The document (changed in place) after the changes every edition shares (column widths,
    constant columns, the language of each bibliography entry)."""
    fit_tables(ast)
    bibliography_languages(ast, languages or {})
    return ast


def for_format(ast: Node | bytes, fmt: str, charts: dict[str, ThemeChart] | None = None) -> Node:
    """The AST as the writer of `fmt` needs it (a copy: the shared one is left untouched).

    Given the shared AST as JSON, each format parses its own copy (several times faster than
    deep-copying the tree).

    Charts take the place of their empty divs (SVG, or PNG for DOCX). DOCX numbers captions
    itself (pandoc's `native_numbering`), Typst through its figures; HTML gets the same
    "Table N:" / "Figure N:" labels here, and scroll containers for wide tables.
    """
    ast = from_json(ast) if isinstance(ast, bytes) else copy.deepcopy(ast)
    place_charts(ast, fmt, charts or {})
    break_long_identifiers(ast, fmt)
    if fmt == "html":
        number_captions(ast)
        scroll_containers(ast)
        html_charts(ast, charts or {})
    elif fmt == "pdf":
        typst_language_divs(ast)
        typst_language_spans(ast)
    return ast


def place_charts(ast: Node, fmt: str, charts: dict[str, ThemeChart]) -> None:
    """Replace each empty div whose id names a chart with that chart's figure."""
    for blocks in blocks_of(ast["blocks"]):
        for i, block in enumerate(blocks):
            if block.get("t") == "Div" and not block["c"][1] and block["c"][0][0] in charts:
                blocks[i] = charts[block["c"][0][0]].figure(fmt)


def html_charts(ast: Node, charts: dict[str, ThemeChart]) -> None:
    """Each (numbered) chart figure written as raw HTML with a plain `alt` (see ThemeChart)."""
    for blocks in blocks_of(ast["blocks"]):
        for i, block in enumerate(blocks):
            if block.get("t") == "Figure" and block["c"][0][0] in charts:
                labels = [
                    text(span["c"][1])
                    for span in nodes(block["c"][1], "Span")
                    if "caption-label" in span["c"][0][1]
                ]
                blocks[i] = charts[block["c"][0][0]].html_figure(labels[0] if labels else "")
