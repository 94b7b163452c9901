"""Align two editions' units by their stable ids and mark every difference in NEW's document.

The result is NEW's block list in which:
- a paragraph whose words changed carries pandoc `insertion`/`deletion` spans (word level);
- a unit only in NEW is wrapped in a div `redline-ins-N`, one only in OLD is put back at its
  old place (its ids removed) in a div `redline-del-N`;
- a unit whose position changed is a move: `redline-mfrom-N` (OLD's text, at the old place)
  and `redline-mto-N` (NEW's text) — the DOCX writer turns these divs into tracked changes.
"""

from __future__ import annotations

import copy
import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from .units import Block, Unit, plain_text, units
from .words import PRINT_NUMBER, Revision, diff_inlines

BLOCK_MARKS = ("del", "ins", "mfrom", "mto")
ROW_MARKS = ("rowdel", "rowins")


@dataclass(frozen=True)
class UnitChange:
    """One unit that differs between the editions."""

    key: str
    kind: str
    section: str
    status: str  # changed | added | removed | moved
    old_text: str = ""
    new_text: str = ""


@dataclass
class Redline:
    blocks: list[Block]
    changes: list[UnitChange]
    new_units: list[Unit]
    old_units: list[Unit]


@dataclass
class _Marks:
    rev: Revision
    count: int = 0
    tracked: int = 0  # tracked changes written (spans, blocks, rows)
    moves: dict[str, int] = field(default_factory=dict)

    def div(self, kind: str, blocks: list[Block], pair: int | None = None) -> Block:
        self.count += 1
        self.tracked += 1
        n = pair if pair is not None else self.count
        return {"t": "Div", "c": [[f"redline-{kind}-{n}", [], []], blocks]}

    def row_marker(self, kind: str) -> dict:
        self.count += 1
        self.tracked += 1
        return {"t": "Span", "c": [[f"redline-{kind}-{self.count}", [], []], []]}


def compare(old_ast: dict, new_ast: dict, rev: Revision) -> Redline:
    old_units, new_units = units(old_ast), units(new_ast)
    marks = _Marks(rev)
    old_keys = [u.key for u in old_units]
    new_keys = [u.key for u in new_units]
    old_set, new_set = set(old_keys), set(new_keys)
    old_by_key = {u.key: u for u in old_units}
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    blocks: list[Block] = []
    changes: list[UnitChange] = []
    move_ids: dict[str, int] = {}

    def move_id(key: str) -> int:
        if key not in move_ids:
            marks.count += 1
            move_ids[key] = marks.count
        return move_ids[key]

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for old, new in zip(old_units[i1:i2], new_units[j1:j2], strict=True):
                blocks.append(_changed_unit(old, new, marks, changes))
            continue
        for old in old_units[i1:i2]:
            if old.key in new_set:  # moved: its old place
                blocks.append(marks.div("mfrom", [strip_ids(old.block)], move_id(old.key)))
            else:
                blocks.append(marks.div("del", [strip_ids(old.block)]))
                changes.append(
                    UnitChange(old.key, old.kind, old.section, "removed", plain_text(old.block))
                )
        for new in new_units[j1:j2]:
            if new.key in old_set:
                blocks.append(marks.div("mto", [new.block], move_id(new.key)))
                old = old_by_key[new.key]
                changes.append(
                    UnitChange(
                        new.key,
                        new.kind,
                        new.section,
                        "moved",
                        plain_text(old.block),
                        plain_text(new.block),
                    )
                )
            else:
                blocks.append(marks.div("ins", [new.block]))
                changes.append(
                    UnitChange(new.key, new.kind, new.section, "added", "", plain_text(new.block))
                )
    return Redline(blocks, changes, new_units, old_units)


def _changed_unit(old: Unit, new: Unit, marks: _Marks, changes: list[UnitChange]) -> Block:
    if old.fingerprint == new.fingerprint:
        return new.block
    before = marks.tracked
    marked = _diff_block(old.block, new.block, marks)
    if marked is None:  # different structure: replace the unit whole
        marked = {
            "t": "Div",
            "c": [
                ["", [], []],
                [marks.div("del", [strip_ids(old.block)]), marks.div("ins", [new.block])],
            ],
        }
    if marks.tracked == before:  # same words, other markup (e.g. a soft line break)
        return new.block
    if content_key(old.block) == content_key(new.block):  # renumbered only
        return marked
    changes.append(
        UnitChange(
            new.key, new.kind, new.section, "changed", plain_text(old.block), plain_text(new.block)
        )
    )
    return marked


def _diff_blocks(old: list[Block], new: list[Block], marks: _Marks) -> list[Block]:
    """NEW's blocks with OLD's differences marked; blocks are aligned by their text."""
    if len(old) == len(new) and all(o["t"] == n["t"] for o, n in zip(old, new, strict=True)):
        paired = [_diff_block(o, n, marks) for o, n in zip(old, new, strict=True)]
        if all(p is not None for p in paired):
            return [p for p in paired if p is not None]
    out: list[Block] = []
    matcher = difflib.SequenceMatcher(
        None, [plain_text(b) for b in old], [plain_text(b) for b in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += new[j1:j2]
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            paired = [_diff_block(o, n, marks) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)]
            if all(p is not None for p in paired):
                out += [p for p in paired if p is not None]
                continue
        if i2 > i1:
            out.append(marks.div("del", [strip_ids(b) for b in old[i1:i2]]))
        if j2 > j1:
            out.append(marks.div("ins", new[j1:j2]))
    return out


def _diff_block(old: Block, new: Block, marks: _Marks) -> Block | None:
    """NEW's block with the changes since OLD marked, or None where the two cannot be paired."""
    if old == new:
        return new
    t = new["t"]
    if old["t"] != t:
        return None
    c_old: Any = old.get("c")
    c_new: Any = new.get("c")
    if t in ("Para", "Plain"):
        return {"t": t, "c": _inlines(c_old, c_new, marks)}
    if t == "Header":
        if c_old[0] != c_new[0]:
            return None
        return {"t": t, "c": [c_new[0], c_new[1], _inlines(c_old[2], c_new[2], marks)]}
    if t == "Div":
        return {"t": t, "c": [c_new[0], _diff_blocks(c_old[1], c_new[1], marks)]}
    if t == "BlockQuote":
        return {"t": t, "c": _diff_blocks(c_old, c_new, marks)}
    if t == "BulletList":
        return {"t": t, "c": _diff_items(c_old, c_new, marks)}
    if t == "OrderedList":
        return {"t": t, "c": [c_new[0], _diff_items(c_old[1], c_new[1], marks)]}
    if t == "Table":
        return _diff_table(old, new, marks)
    return None


def _inlines(old: list, new: list, marks: _Marks) -> list:
    inlines, n = diff_inlines(old, new, marks.rev)
    marks.tracked += n
    return inlines


def _diff_items(old: list[list[Block]], new: list[list[Block]], marks: _Marks) -> list:
    """List items aligned by their text; a new or removed item is a tracked paragraph."""
    out: list[list[Block]] = []
    matcher = difflib.SequenceMatcher(
        None, [plain_text(i) for i in old], [plain_text(i) for i in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += new[j1:j2]
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            out += [_diff_blocks(o, n, marks) for o, n in zip(old[i1:i2], new[j1:j2], strict=True)]
            continue
        out += [[marks.div("del", [strip_ids(b) for b in item])] for item in old[i1:i2]]
        out += [[marks.div("ins", item)] for item in new[j1:j2]]
    return out


def _diff_table(old: Block, new: Block, marks: _Marks) -> Block | None:
    """Rows aligned by their first cell (the row key); cells diffed word by word."""
    o, n = old["c"], new["c"]  # attr, caption, colspecs, head, bodies, foot
    if len(o[2]) != len(n[2]) or len(o[4]) != len(n[4]):
        return None
    table = copy.deepcopy(new)
    c = table["c"]
    c[1] = [n[1][0], _diff_blocks(o[1][1], n[1][1], marks)]  # caption
    head = _diff_rows(o[3][1], n[3][1], marks)
    if head is None:
        return None
    c[3] = [n[3][0], head]
    for k, (ob, nb) in enumerate(zip(o[4], n[4], strict=True)):
        rows = _diff_rows(ob[3], nb[3], marks)
        if rows is None:
            return None
        c[4][k] = [nb[0], nb[1], nb[2], rows]
    return table


def _row_key(row: list) -> str:
    cells = row[1]
    return plain_text(cells[0][4]) if cells else ""


def _diff_rows(old: list, new: list, marks: _Marks) -> list | None:
    out: list = []
    matcher = difflib.SequenceMatcher(
        None, [_row_key(r) for r in old], [_row_key(r) for r in new], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for o, n in zip(old[i1:i2], new[j1:j2], strict=True):
                if len(o[1]) != len(n[1]):
                    return None
                cells = [
                    [nc[0], nc[1], nc[2], nc[3], _diff_blocks(oc[4], nc[4], marks)]
                    for oc, nc in zip(o[1], n[1], strict=True)
                ]
                out.append([n[0], cells])
            continue
        out += [_marked_row(strip_ids(r), "rowdel", marks) for r in old[i1:i2]]
        out += [_marked_row(r, "rowins", marks) for r in new[j1:j2]]
    return out


def _marked_row(row: list, kind: str, marks: _Marks) -> list:
    row = copy.deepcopy(row)
    if not row[1]:
        return row
    first = row[1][0][4]
    marker = marks.row_marker(kind)
    if first and first[0]["t"] in ("Plain", "Para"):
        first[0]["c"].insert(0, marker)
    else:
        first.insert(0, {"t": "Plain", "c": [marker]})
    return row


def content_key(node: Any) -> str:
    """A block's text with display-only numbers blanked: what a change of content changes."""

    def blank(n: Any) -> Any:
        if isinstance(n, list):
            return [blank(x) for x in n]
        if not isinstance(n, dict):
            return n
        if n.get("t") == "Span" and PRINT_NUMBER in n["c"][0][1]:
            return {"t": "Span", "c": [n["c"][0], []]}
        return {k: blank(v) for k, v in n.items()}

    return json.dumps(blank(node), sort_keys=True)


def strip_ids(node: Any) -> Any:
    """A copy of an AST node with every identifier removed (OLD's text put back into NEW)."""
    if isinstance(node, list):
        return [strip_ids(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: strip_ids(v) for k, v in node.items()}
    t = node.get("t")
    c: Any = out.get("c")
    if t in ("Div", "Span", "Link", "Image", "Code", "CodeBlock", "Table", "Figure") and c:
        c[0] = ["", *c[0][1:]]
    elif t == "Header":
        c[1] = ["", *c[1][1:]]
    return out
