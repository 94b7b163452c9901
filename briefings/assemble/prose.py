"""Hand-written prose: give every paragraph a stable id, so review comments can be traced.

pandoc reads the prose (with source positions) and says what its blocks are and which lines each
came from; the editor's lines are kept as written, each paragraph-level block wrapped in a
`::: {#p-<section>-NN}` div, each heading without an id given `{#sec-<section>-<slug>}`.
Footnote definitions and the editor's own divs stay as they are.
"""

from __future__ import annotations

import re

from ..pandoc_ast import Node, node_id, nodes, read_markdown, source_lines
from ..pandoc_ast import text as plain_text
from .environment import SourceMap

# CommonMark gives source positions; these extensions read the block syntax the prose uses.
_POSITIONS = "commonmark+sourcepos+attributes+footnotes+fenced_divs+pipe_tables+definition_lists"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:24] or "part"


def _unwrapped(block: Node) -> tuple[Node, tuple[int, int] | None]:
    """The block itself (sourcepos wraps most blocks in a div) and the lines it came from."""
    lines = source_lines(block)
    attrs = dict(block["c"][0][2]) if block["t"] == "Div" else {}
    if attrs.get("wrapper") == "1" and len(block["c"][1]) == 1:
        return block["c"][1][0], lines
    return block, lines


def _note_lines(blocks: list[Node]) -> set[int]:
    """The lines of every footnote definition (their text is read into Note nodes)."""
    lines: set[int] = set()
    for note in nodes(blocks, "Note"):
        for part in (*nodes(note["c"], "Div"), *nodes(note["c"], "Span")):  # positioned wrappers
            span = source_lines(part)
            if span:
                lines.update(range(span[0], span[1] + 1))
    return lines


def _gaps(lines: list[str]) -> list[str]:
    """Text between blocks (footnote definitions), kept as written, one chunk per run of lines."""
    chunks, current = [], []
    for line in lines:
        if line.strip():
            current.append(line)
        elif current:
            chunks.append("\n".join(current))
            current = []
    if current:
        chunks.append("\n".join(current))
    return chunks


def anchor_prose(section: str, text: str, source: str, source_map: SourceMap) -> str:
    """Wrap each paragraph-level block of a prose section in a `::: {#p-<section>-NN}` div."""
    lines = text.splitlines()
    out: list[str] = []
    number, done = 0, 0  # paragraphs numbered so far, lines emitted so far
    short = section.replace("executive-summary", "summary")
    blocks = read_markdown(text, source, _POSITIONS)["blocks"]
    in_notes = _note_lines(blocks)
    for top in blocks:
        block, span = _unwrapped(top)
        if span is None:
            continue
        first, last = span[0], min(span[1], len(lines))
        # A block's range runs on over the footnote definitions after it: they stay outside.
        while last > first and (not lines[last - 1].strip() or last in in_notes):
            last -= 1
        out += _gaps(lines[done : first - 1])
        done = max(done, last)
        chunk = "\n".join(lines[first - 1 : last])
        if block["t"] == "Header":
            if not node_id(block):
                title = plain_text(block["c"][2])
                hid = f"sec-{short}-{_slug(title)}"
                source_map.entries.setdefault(hid, {"source": source, "field": f"heading {title}"})
                head, *rest = chunk.split("\n")
                chunk = "\n".join([f"{head.rstrip()} {{#{hid}}}", *rest])
            out.append(chunk)
        elif block["t"] == "Div":
            out.append(chunk)  # the editor's own div stays as written
        else:
            number += 1
            opener = source_map.block(f"p-{short}-{number:02d}", source, f"paragraph {number}")
            out.append(f"{opener}\n{chunk}\n:::")
    out += _gaps(lines[done:])
    return "\n\n".join(out) + "\n"
