"""The HTML redline: the redline AST with `<ins>`/`<del>` elements and a legend."""

from __future__ import annotations

import html
from typing import Any

from .track_docx import MARKER

_TAGS = {"insertion": "ins", "deletion": "del"}
_BLOCK_TAGS = {"del": "del", "ins": "ins", "mfrom": "del", "mto": "ins"}


def _raw_inline(text: str) -> dict:
    return {"t": "RawInline", "c": ["html", text]}


def _raw_block(text: str) -> dict:
    return {"t": "RawBlock", "c": ["html", text]}


def for_html(node: Any) -> Any:
    """A copy of the redline AST in which every tracked change is an HTML ins/del element."""
    if isinstance(node, list):
        out: list = []
        for item in node:
            converted = for_html(item)
            if isinstance(converted, tuple):
                out += list(converted)
            else:
                out.append(converted)
        return out
    if not isinstance(node, dict) or "t" not in node:
        return node
    t = node["t"]
    if t == "Span":
        attr, content = node["c"]
        kind = next((k for k in attr[1] if k in _TAGS), None)
        if kind:
            tag = _TAGS[kind]
            return (_raw_inline(f"<{tag}>"), *for_html(content), _raw_inline(f"</{tag}>"))
        match = MARKER.match(attr[0])
        if match:  # a row marker: the row itself is marked below
            return ()
    if t == "Div":
        attr, content = node["c"]
        match = MARKER.match(attr[0])
        if match and match.group(1) in _BLOCK_TAGS:
            kind = match.group(1)
            tag = _BLOCK_TAGS[kind]
            moved = ' moved" title="moved' if kind in ("mfrom", "mto") else ""
            return (
                _raw_block(f'<{tag} class="redline-block{moved}">'),
                *for_html(content),
                _raw_block(f"</{tag}>"),
            )
    if t == "Table":
        return {"t": "Table", "c": for_html_rows(node["c"])}
    return {k: for_html(v) if k == "c" else v for k, v in node.items()}


def for_html_rows(c: list) -> list:
    """Rows carrying a row marker get the class redline-ins / redline-del on their <tr>."""
    attr, caption, specs, head, bodies, foot = c
    return [
        attr,
        for_html(caption),
        specs,
        [head[0], [_row(r) for r in head[1]]],
        [[b[0], b[1], [_row(r) for r in b[2]], [_row(r) for r in b[3]]] for b in bodies],
        [foot[0], [_row(r) for r in foot[1]]],
    ]


def _row(row: list) -> list:
    attr, cells = row
    kind = _row_kind(cells)
    if kind:
        attr = [attr[0], [*attr[1], f"redline-{kind}"], attr[2]]
    return [attr, for_html(cells)]


def _row_kind(cells: list) -> str | None:
    if not cells or not cells[0][4]:
        return None
    first = cells[0][4][0]
    if first["t"] in ("Plain", "Para") and first["c"] and first["c"][0]["t"] == "Span":
        match = MARKER.match(first["c"][0]["c"][0][0])
        if match and match.group(1) in ("rowdel", "rowins"):
            return "del" if match.group(1) == "rowdel" else "ins"
    return None


def legend(old_id: str, new_id: str) -> list[dict]:
    """The note at the top of the HTML redline saying how changes are shown."""
    text = (
        f'<aside class="redline-legend" aria-label="How changes are shown">'
        f"<p>Changes from edition {html.escape(old_id)} to {html.escape(new_id)}: "
        f"<ins>inserted text</ins>, <del>deleted text</del>; moved paragraphs are shown "
        f"struck out at their old place and inserted at their new one.</p></aside>"
    )
    return [_raw_block(text)]
