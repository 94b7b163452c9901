"""Tables that fit: widths from content, constant columns in the caption, numbered captions.

Runs on pandoc's JSON AST once for every edition (`fit_tables`), then per format for what only
that format needs (break points in long identifiers, HTML scroll containers, caption labels).
"""

from __future__ import annotations

import re

from ..pandoc_ast import NO_ATTR, Node, nodes, plain, raw_inline, span, text

# Characters of body text across the text block at table size (A4, 2.4 cm margins, 9.5 pt):
# what a "reasonable column" is measured against.
LINE = 90
CELL_PADDING = 3  # characters' worth of cell inset (both sides) and of wide letters
LONG_TOKEN = 16  # identifiers and URLs longer than this get break points after / and -
# After a slash or hyphen, unless what follows is a short last piece ("…/1689/oj" keeps "1689/oj").
BREAK_AFTER = re.compile(r"(?<=[/\-])(?![/\-])(?!.{0,3}$)(?=.)")
ZERO_WIDTH_SPACE = "\u200b"  # a break opportunity Word, LibreOffice and Typst all honour


def fit_tables(ast: Node) -> None:
    """Every table: a column repeating one value goes into the caption; widths follow content."""
    for table in nodes(ast["blocks"], "Table"):
        if _simple(table):
            _constant_columns_to_caption(table)
            _widths_from_content(table)


def _rows(table: Node) -> tuple[list, list]:
    """(header rows, body rows) of a table."""
    _attr, _caption, _specs, head, bodies, _foot = table["c"]
    body_rows = [row for body in bodies for row in body[2] + body[3]]
    return head[1], body_rows


def _simple(table: Node) -> bool:
    """No merged cells: every row has one cell per column."""
    columns = len(table["c"][2])
    head, body = _rows(table)
    return all(
        len(row[1]) == columns and all(cell[2] == 1 and cell[3] == 1 for cell in row[1])
        for row in head + body
    )


def _constant_columns_to_caption(table: Node) -> None:
    """A column repeating one value in every row (of three or more) says it once, in the caption."""
    head, body = _rows(table)
    columns = len(table["c"][2])
    if len(body) < 3 or columns < 3:
        return
    for index in reversed(range(columns)):
        values = {text(row[1][index][4]).strip() for row in body}
        # A column of counts that happen to be equal (all 0) stays: it is data, not a label.
        if len(values) != 1 or not any(c.isalpha() for c in next(iter(values))):
            continue
        header = " ".join(text(row[1][index][4]).strip() for row in head).strip()
        value = body[0][1][index][4]
        _append_to_caption(table, header, value)
        del table["c"][2][index]
        for row in head + body:
            del row[1][index]


def _append_to_caption(table: Node, header: str, value_blocks: list) -> None:
    """Caption "Instruments (facts as of 26 November 2026)"."""
    caption_blocks = table["c"][1][1]
    value: list[Node] = []
    for block in value_blocks:
        if block["t"] in ("Plain", "Para"):
            value += ([{"t": "Space"}] if value else []) + block["c"]
    label = header[:1].lower() + header[1:] if header[1:2].islower() or len(header) < 2 else header
    addition = [
        {"t": "Str", "c": "("},
        *plain(label),
        {"t": "Space"},
        *value,
        {"t": "Str", "c": ")"},
    ]
    if caption_blocks and caption_blocks[-1]["t"] in ("Plain", "Para"):
        caption_blocks[-1]["c"] += [{"t": "Space"}, *addition]
    else:
        caption_blocks.append({"t": "Plain", "c": addition})


def _widths_from_content(table: Node) -> None:
    """Column widths like a browser's automatic layout, at the width of the text block.

    Each column gets at least its longest unbreakable word; what is left is shared in
    proportion to how much longer the column's longest cell is than that word.
    """
    head, body = _rows(table)
    specs = table["c"][2]
    shortest: list[int] = []  # the longest word: the column cannot be narrower
    longest: list[int] = []  # the longest cell on one line: no wider is useful
    for index in range(len(specs)):
        cells = [text(row[1][index][4]).strip() for row in head + body]
        words = [piece for cell in cells for word in cell.split() for piece in _pieces(word)]
        shortest.append(max((len(w) for w in words), default=1) + CELL_PADDING)
        longest.append(max((len(c) for c in cells), default=1) + CELL_PADDING)
    if sum(longest) <= LINE:
        widths = [float(n) for n in longest]
    elif sum(shortest) >= LINE:
        widths = [float(n) for n in shortest]
    else:
        spare = LINE - sum(shortest)
        stretch = [b - s for s, b in zip(shortest, longest, strict=True)]
        widths = [
            s + spare * d / (sum(stretch) or 1) for s, d in zip(shortest, stretch, strict=True)
        ]
    total = sum(widths)
    for spec, width in zip(specs, widths, strict=True):
        spec[1] = {"t": "ColWidth", "c": round(width / total, 4)}


def _pieces(word: str) -> list[str]:
    """A long identifier or URL breaks after / and -; other words do not break."""
    return BREAK_AFTER.split(word) if len(word) > LONG_TOKEN else [word]


def break_long_identifiers(ast: Node, fmt: str) -> None:
    """Mark break points after / and - in long tokens of table cells (`<wbr>` in HTML)."""
    for table in nodes(ast["blocks"], "Table"):
        for string in nodes(table["c"][3:], "Str"):
            word = string["c"]
            if len(word) > LONG_TOKEN and BREAK_AFTER.search(word) and fmt != "html":
                string["c"] = ZERO_WIDTH_SPACE.join(BREAK_AFTER.split(word))
        if fmt == "html":
            _html_breaks(table)


def _html_breaks(table: Node) -> None:
    from ..pandoc_ast import map_inlines

    def split(node: Node) -> list[Node] | None:
        if node["t"] != "Str" or len(node["c"]) <= LONG_TOKEN or not BREAK_AFTER.search(node["c"]):
            return None
        out: list[Node] = []
        for i, piece in enumerate(BREAK_AFTER.split(node["c"])):
            if i:
                out.append(raw_inline("html", "<wbr>"))
            out.append({"t": "Str", "c": piece})
        return out

    map_inlines(table["c"][3:], split)


def number_captions(ast: Node) -> None:
    """Prefix captions with "Table N:" / "Figure N:" in document order, as DOCX and Typst count."""
    counters = {"Table": 0, "Figure": 0}
    for kind in ("Table", "Figure"):
        for block in nodes(ast["blocks"], kind):
            caption = block["c"][1][1]
            if not caption or not text(caption).strip():
                continue
            counters[kind] += 1
            first = caption[0]
            if first["t"] not in ("Plain", "Para"):
                caption.insert(0, first := {"t": "Plain", "c": []})
            # A no-break space between word and number, as pandoc's DOCX captions have.
            label = span([{"t": "Str", "c": f"{kind}\u00a0{counters[kind]}:"}], ["caption-label"])
            first["c"][:0] = [label, {"t": "Space"}]


def scroll_containers(ast: Node) -> None:
    """Wrap each HTML table in a focusable, labelled region that scrolls sideways on its own."""
    for blocks in _block_lists(ast["blocks"]):
        for i, block in enumerate(blocks):
            if block.get("t") == "Table":
                label = text(block["c"][1][1]).strip() or "Table"
                attrs = [["role", "region"], ["tabindex", "0"], ["aria-label", label]]
                blocks[i] = {"t": "Div", "c": [["", ["table-scroll"], attrs], [block]]}


def _block_lists(blocks: list) -> list[list]:
    """Lists of blocks that may hold a table: the body and every div (not inside tables)."""
    found = [blocks]
    for block in blocks:
        if block.get("t") == "Div":
            found += _block_lists(block["c"][1])
        elif block.get("t") == "BlockQuote":
            found += _block_lists(block["c"])
    return found


__all__ = [
    "NO_ATTR",
    "break_long_identifiers",
    "fit_tables",
    "number_captions",
    "scroll_containers",
]
