"""An edition's document as a sequence of comparable units, keyed by their stable ids.

A unit is one top-level block of the pandoc AST: a heading (`sec-…`), a paragraph div
(`p-…`, or `refs`, the bibliography), or a table or other block keyed by its position in its
section. Keys are what the review ledger and the manifest's source map use, so two editions
are aligned on them rather than on text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..pandoc_ast import to_json

Block = dict[str, Any]

# Draft-only pages describe the build, not the paper: the redline tracks their changes too (so
# *accept all* and *reject all* give the two editions exactly) but summaries leave them out.
DRAFT_ONLY_SECTIONS = ("sec-review", "sec-changes")


@dataclass(frozen=True)
class Unit:
    key: str
    kind: str  # heading | paragraph | table | block
    section: str  # id of the level-1 heading above it ("" before the first)
    block: Block

    @property
    def fingerprint(self) -> bytes:
        return to_json(self.block, sort_keys=True)


def units(ast: dict) -> list[Unit]:
    """The document's units in reading order."""
    found: list[Unit] = []
    section = ""
    counters: dict[str, int] = {}
    for block in ast.get("blocks", []):
        kind, ident = _kind(block)
        if block["t"] == "Header" and block["c"][0] == 1:
            section = ident or section
        if ident is None:
            n = counters[f"{section}/{kind}"] = counters.get(f"{section}/{kind}", 0) + 1
            ident = f"{section}#{kind}{n}"
        found.append(Unit(ident, kind, section, block))
    return found


def _kind(block: Block) -> tuple[str, str | None]:
    t = block["t"]
    if t == "Header":
        return "heading", block["c"][1][0] or None
    if t == "Div":
        return "paragraph", block["c"][0][0] or None
    if t == "Table":
        return "table", None
    return "block", None


def plain_text(node: Any) -> str:
    """The visible text of any AST node (for summaries and row keys)."""
    out: list[str] = []
    _text(node, out)
    return "".join(out).strip()


def _text(node: Any, out: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _text(item, out)
        return
    if not isinstance(node, dict) or "t" not in node:
        return
    t = node["t"]
    c: Any = node.get("c")
    if t == "Str":
        out.append(c)
    elif t in ("Space", "SoftBreak", "LineBreak"):
        out.append(" ")
    elif t in ("Code", "Math"):
        out.append(c[-1])
    elif t in ("Para", "Plain", "BlockQuote", "Header", "Div"):
        _text({"Header": lambda: c[2], "Div": lambda: c[1]}.get(t, lambda: c)(), out)
        out.append(" ")
    elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
        _text(c, out)
    elif t in ("Span", "Link", "Quoted", "Cite", "Image"):
        _text(c[1], out)
    elif t in ("BulletList",):
        for item in c:
            _text(item, out)
    elif t == "OrderedList":
        for item in c[1]:
            _text(item, out)
    elif t == "Note":
        pass
    elif isinstance(c, list):
        _text(c, out)
