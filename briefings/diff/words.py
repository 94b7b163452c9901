"""Word-level differences inside one paragraph, as pandoc insertion/deletion spans.

Inline content is cut into word tokens, each remembering the formatting around it (emphasis,
links, spans), so a change of one word inside a link or bold phrase stays a change of one
word. Citations, footnotes, code and maths are atomic: they are kept or replaced whole, never
split, so a citation inside changed text still resolves.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

Inline = dict[str, Any]
SPACE: Inline = {"t": "Space"}
# A number for display only (recommendations are numbered in print order): a renumbering is
# tracked in the redline, so *reject all* restores the old numbers, but it is not a change of
# content in the summary.
PRINT_NUMBER = "print-number"
# Below this share of words in common, a paragraph reads as rewritten and is replaced whole.
REWRITE_BELOW = 0.5

# Formatting that wraps words: each word inside carries it.
_WRAPPERS = ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps")


@dataclass(frozen=True)
class Token:
    key: str  # what is compared: the word and its formatting
    wrappers: tuple[str, ...]  # JSON of each enclosing element's head, outermost first
    leaf: Inline


@dataclass(frozen=True)
class Revision:
    """Who and when every tracked change of a redline is attributed to."""

    author: str
    date: str  # ISO 8601, UTC

    def attr(self, kind: str) -> list:
        return ["", [kind], [["author", self.author], ["date", self.date]]]


def tokens(inlines: list[Inline], wrappers: tuple[str, ...] = ()) -> list[Token]:
    out: list[Token] = []
    for node in inlines:
        t = node["t"]
        if t in ("Space", "SoftBreak"):
            out.append(Token(" ", wrappers, SPACE))
        elif t in _WRAPPERS:
            out += tokens(node["c"], (*wrappers, json.dumps([t])))
        elif t == "Span" and PRINT_NUMBER in node["c"][0][1]:  # kept whole, never split
            out.append(Token(f"{'|'.join(wrappers)}\x00{json.dumps(node)}", wrappers, node))
        elif t == "Span":
            out += tokens(node["c"][1], (*wrappers, json.dumps(["Span", node["c"][0]])))
        elif t == "Link":
            head = ["Link", node["c"][0], node["c"][2]]
            out += tokens(node["c"][1], (*wrappers, json.dumps(head)))
        else:  # Str, Cite, Note, Code, Math, Quoted, Image, LineBreak, RawInline: atomic
            if t == "Str":
                key = node["c"]
            elif t == "Cite":  # its keys and how it reads; not citeproc's per-run counters
                ids = [c["citationId"] for c in node["c"][0]]
                key = json.dumps(["Cite", ids, node["c"][1]], sort_keys=True)
            else:
                key = json.dumps(node, sort_keys=True)
            out.append(Token(f"{'|'.join(wrappers)}\x00{key}", wrappers, node))
    return out


def rebuild(toks: list[Token]) -> list[Inline]:
    """Inline content from tokens, re-nesting runs of tokens that share their formatting."""
    return _nest([(t.wrappers, t.leaf) for t in toks], 0)


def _nest(items: list[tuple[tuple[str, ...], Inline]], depth: int) -> list[Inline]:
    out: list[Inline] = []
    i = 0
    while i < len(items):
        wrappers, leaf = items[i]
        if len(wrappers) <= depth:
            out.append(leaf)
            i += 1
            continue
        head = wrappers[depth]
        j = i
        while j < len(items) and len(items[j][0]) > depth and items[j][0][depth] == head:
            j += 1
        out.append(_wrap(json.loads(head), _nest(items[i:j], depth + 1)))
        i = j
    return out


def _wrap(head: list, content: list[Inline]) -> Inline:
    t = head[0]
    if t == "Span":
        return {"t": "Span", "c": [head[1], content]}
    if t == "Link":
        return {"t": "Link", "c": [head[1], content, head[2]]}
    return {"t": t, "c": content}


def diff_inlines(old: list[Inline], new: list[Inline], rev: Revision) -> tuple[list[Inline], int]:
    """NEW's inlines with every word-level change since OLD as a tracked change; and their count."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, [t.key for t in a], [t.key for t in b], autojunk=False)
    opcodes = matcher.get_opcodes()
    if matcher.ratio() < REWRITE_BELOW:  # rewritten: old text out, new text in, not word salad
        opcodes = [("replace", 0, len(a), 0, len(b))]
    out: list[Inline] = []
    changes = 0
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            out += rebuild(b[j1:j2])
            continue
        changes += 1
        if i2 > i1:
            out.append({"t": "Span", "c": [rev.attr("deletion"), rebuild(a[i1:i2])]})
        if j2 > j1:
            out.append({"t": "Span", "c": [rev.attr("insertion"), rebuild(b[j1:j2])]})
    return out, changes
