"""citeproc's work kept: a build whose citations are those of an earlier one skips citeproc.

citeproc rewrites two kinds of node and nothing else: each citation (`Cite`, whose text it
renders) and the bibliography's `::: {#refs}` div (which it fills); the metadata comes out as
pandoc reads the front matter. So an entry keeps the rewritten nodes, named by everything
citeproc reads: the style, the bibliography files, the front matter but for the fields that
name the build (BUILD_FIELDS: citeproc reads neither), pandoc's version, and every citation in
document order with the inlines on either side and whether it sits in a note (where note styles
move punctuation and make notes). An edit to any other text of the paper — the usual edit —
finds the entry: the kept nodes take the citations' places and the metadata is the front
matter's own reading (a pandoc run of a few milliseconds). Anything that could change how a
citation reads is a new name, and citeproc runs.

An entry is only made when it reproduces citeproc's own output exactly — the kept nodes put
into the document citeproc was given, with the front matter's reading as metadata (checked on
every run that makes one) — and only when citeproc warned of nothing, so a strict (final)
build meets the same warnings either way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import yaml

from .. import cache
from ..pandoc_ast import LEAVES, Node, from_json, pandoc_version, to_json
from .options import RenderOptions

FOLDER = "citations"
# Front-matter fields that differ from build to build and that citeproc does not read.
BUILD_FIELDS = ("edition-id", "date")


def _places(node: Node) -> Iterator[tuple[list, int, int]]:
    """Each node citeproc rewrites, as (the list holding it, its index, notes around it), in
    document order: every `Cite` and every div with the id `refs`."""
    stack: list[tuple[object, int]] = [(node, 0)]
    while stack:
        item, notes = stack.pop()
        if isinstance(item, list):
            later: list[tuple[object, int]] = []
            for i, child in enumerate(item):
                if not isinstance(child, dict):
                    later.append((child, notes))
                elif _rewritten(child):
                    yield item, i, notes
                elif child.get("t") not in LEAVES:
                    later.append((child.get("c"), notes + (child.get("t") == "Note")))
            stack.extend(reversed(later))
        elif isinstance(item, dict):
            stack.append((item.get("c"), notes + (item.get("t") == "Note")))


def _rewritten(node: dict) -> bool:
    t = node.get("t")
    return t == "Cite" or (t == "Div" and node["c"][0][0] == "refs")


def key(options: RenderOptions, front: str, document: Node) -> str:
    """The entry name of citeproc's run over `document` with this front matter and options."""
    places = [
        [
            notes,
            holder[i - 1] if i else None,
            holder[i],
            holder[i + 1] if i + 1 < len(holder) else None,
        ]
        for holder, i, notes in _places(document["blocks"])
    ]
    fields = yaml.safe_load(front) or {}
    shared = {k: v for k, v in fields.items() if k not in BUILD_FIELDS}
    parts: list[bytes | str] = ["citeproc", pandoc_version(), options.style.read_bytes()]
    parts.append(json.dumps(shared, ensure_ascii=False, sort_keys=True, default=str))
    parts += [path.read_bytes() for path in options.bibliography]
    parts.append(to_json(places, sort_keys=True))
    return cache.key_of(parts)


def apply(document: Node, entry: bytes, meta: Node) -> Node | None:
    """`document` (changed in place) as citeproc would have given it, from a kept entry and the
    front matter's reading `meta`; None when the entry does not fit (then citeproc runs)."""
    kept = from_json(entry)
    places = list(_places(document["blocks"]))
    if len(places) != len(kept):
        return None
    for (holder, i, _), rewritten in zip(places, kept, strict=True):
        holder[i] = rewritten
    document["meta"] = meta
    return document


def entry_of(given: Node, output: Node, meta: Node) -> bytes | None:
    """What to keep of citeproc's `output` for the document it was `given` (changed in place),
    or None when the entry would not reproduce the output exactly."""
    made = [holder[i] for holder, i, _ in _places(output["blocks"])]
    data = to_json(made)
    rebuilt = apply(given, data, meta)
    return data if rebuilt is not None and rebuilt == output else None


def folder(options: RenderOptions) -> Path | None:
    return options.cache / FOLDER if options.cache is not None else None
