"""pandoc's reading of the assembled document, section by section, each reading kept.

Reading Markdown is the largest part of assembling (pandoc's reader, ~0.3 s for a paper). Each
section (`# Title {#sec-…}` and its body) is read on its own: a section read before — by an
earlier build, or the preview — comes from the project's cache (briefings.cache), named by its
text and pandoc's version; the others are read in at most two pandoc runs side by side.

Sections read apart make the same document as the whole read at once when no construct
reaches across them. One could: a reference link or footnote defined in another section, a
link to another section's heading by its text (`[Heading]`), an example list (`(@)`) numbered
on from another section, or one heading id given twice (pandoc would number the second). When
any might, the whole document is read in one run, as before. Citations' note numbers, which
pandoc counts through the document, are shifted by what earlier sections counted.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .. import cache
from ..pandoc_ast import (
    LEAVES,
    MARKDOWN,
    Node,
    from_json,
    ids,
    nodes,
    pandoc_version,
    parse_markdown,
    to_json,
)

SHOWN = "the assembled document"
# Lines that define something the whole document may use: `[label]: url`, `[^note]: text`.
_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:", re.MULTILINE)
_EXAMPLE_LIST = re.compile(r"\(@[\w-]*\)")


def read_sections(
    sections: list[str], folder: Path | None
) -> tuple[Node, list[str], cache.Deferred]:
    """The AST of the sections joined by blank lines, pandoc's warnings, and the readings made
    now, for the caller to keep once the text has passed the gate."""
    if not _separable(sections):
        return _whole(sections)
    keys = [_key(text) for text in sections]
    readings: dict[int, list] = {}  # section -> [blocks, warnings, pandoc-api-version]
    for i, key in enumerate(keys):
        if (found := cache.read(folder, key)) is not None:
            readings[i] = from_json(found)
    batches = _batches([i for i in range(len(sections)) if i not in readings], sections)
    made = cache.Deferred()
    with ThreadPoolExecutor(max_workers=2) as pool:
        read = pool.map(lambda b: parse_markdown("\n".join(sections[i] for i in b), SHOWN), batches)
        for batch, (ast, warnings) in zip(batches, read, strict=True):
            parts = _split_at_sections(ast["blocks"], len(batch))
            if parts is None:  # a section did not start where expected: read it all at once
                return _whole(sections)
            before = 0  # numbers the batch's earlier sections gave out: kept as if read alone
            for n, (i, part) in enumerate(zip(batch, parts, strict=True)):
                _renumber(part, -before)
                before += _numbered(part)
                # A batch's warnings are said once, with its first section.
                readings[i] = [part, warnings if n == 0 else [], ast["pandoc-api-version"]]
                if folder is not None:
                    made.add(folder, keys[i], to_json(readings[i]))
    blocks = []
    offset = 0  # pandoc numbers notes and citations outside notes through the whole document
    for i in range(len(sections)):
        part = readings[i][0]  # this build's own objects: what is kept was serialised above
        _renumber(part, offset)
        blocks += part
        offset += _numbered(part)
    seen: set[str] = set()
    for ident in (ident for block in blocks for ident in ids(block)):
        if ident in seen:  # pandoc would have renamed the second: read it all at once
            return _whole(sections)
        seen.add(ident)
    warnings = [w for i in range(len(sections)) for w in readings[i][1]]
    api = readings[0][2] if readings else parse_markdown("", SHOWN)[0]["pandoc-api-version"]
    return {"pandoc-api-version": api, "meta": {}, "blocks": blocks}, warnings, made


def _whole(sections: list[str]) -> tuple[Node, list[str], cache.Deferred]:
    """The sections read in one run, as pandoc reads a whole document (nothing to keep)."""
    return (*parse_markdown("\n".join(sections), SHOWN), cache.Deferred())


def _numbered(node: Any) -> int:
    """How many numbers pandoc's reader gave out in `node`: one per note, one per citation
    outside a note (a citation in a note takes the note's number: `citationNoteNum`)."""
    count = 0
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            kind = item.get("t")
            if kind in ("Note", "Cite"):
                count += 1
            elif kind not in LEAVES:
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return count


def _renumber(blocks: list, offset: int) -> None:
    """Shift every citation's note number by the numbers earlier sections gave out."""
    if offset:
        for cite in nodes(blocks, "Cite"):
            for citation in cite["c"][0]:
                citation["citationNoteNum"] += offset


def _key(text: str) -> str:
    return cache.key_of(["section reading", MARKDOWN, pandoc_version(), text])


def _separable(sections: list[str]) -> bool:
    """Whether no construct can reach from one section into another (see the module's notes)."""
    whole = "\n".join(sections)
    if _DEFINITION.search(whole) or _EXAMPLE_LIST.search(whole):
        return False
    # `[Heading]` links to the heading of that text (pandoc's implicit header references).
    titles = {
        re.sub(r"\s*\{[^}]*\}$", "", m.group(1)).strip()
        for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", whole, re.MULTILINE)
    }
    return not any(
        re.search(re.escape(f"[{title}]") + r"(?!\()", whole, re.IGNORECASE) for title in titles
    )


def _batches(missing: list[int], sections: list[str]) -> list[list[int]]:
    """The sections to read, in order, in at most two runs of about equal length."""
    if len(missing) < 2:
        return [missing] if missing else []
    total = sum(len(sections[i]) for i in missing)
    first: list[int] = []
    size = 0
    for i in missing:
        if size >= total / 2:
            break
        first.append(i)
        size += len(sections[i])
    second = missing[len(first) :]
    return [first, second] if second else [first]


def _split_at_sections(blocks: list, count: int) -> list[list] | None:
    """A batch's blocks cut before each level-1 heading with a `sec-` id; None unless there
    are exactly `count` pieces, each starting with one."""
    starts = [
        n
        for n, b in enumerate(blocks)
        if b["t"] == "Header" and b["c"][0] == 1 and b["c"][1][0].startswith("sec-")
    ]
    if len(starts) != count or (starts and starts[0] != 0):
        return None
    return [blocks[a:b] for a, b in zip(starts, [*starts[1:], len(blocks)], strict=True)]
