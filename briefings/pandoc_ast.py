"""pandoc's JSON AST (API 1.23): reading Markdown into it, walking blocks, reading text, ids.

Below every stage: gather reads prose citations from it, assemble finds paragraphs, headings
and sections in it, render rewrites it. Nothing here knows about papers.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import Problem, SourceError
from .interrupts import ctrl_c_held
from .programs import DEADLINE_ENV, ProgramTimeout, run_program

# orjson's module init assumes its own imports (uuid, dataclasses, ...) cannot fail: a Ctrl-C
# landing in them crashed the interpreter (SIGSEGV; orjson issue #310).
with ctrl_c_held():
    import orjson

# The reader the render uses for the assembled document (its YAML header is read apart).
MARKDOWN = "markdown-yaml_metadata_block"

Node = dict[str, Any]
NO_ATTR: list = ["", [], []]


def to_json(node: Any, sort_keys: bool = False) -> bytes:
    """`node` as UTF-8 JSON (orjson: over ten times faster than the json module on an AST; a
    tree nested deeper than orjson goes is written by the json module)."""
    try:
        return orjson.dumps(node, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
    except orjson.JSONEncodeError:
        return json.dumps(node, ensure_ascii=False, sort_keys=sort_keys).encode("utf-8")


def from_json(data: bytes | str) -> Any:
    """Parsed JSON (orjson; a document nested deeper than it goes, by the json module, which
    raises RecursionError where Python's stack ends)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)  # its own error, for what is not JSON at all


# Inlines that hold no other node: most of a document's nodes, passed over by the walks below.
LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak"})

# The walks below keep their own stack (a recursive generator pays for every level on every
# node it passes up) and look at what they yielded only after the caller has seen it, so a
# caller may replace a node's content, or the blocks of a yielded list, as it goes.


def blocks_of(node: Any) -> Iterator[list]:
    """Every list of blocks below `node` (the document's, a div's, a cell's...), outermost first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if item and all(isinstance(n, dict) and "t" in n for n in item):
                yield item
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.append(item.get("c"))


def nodes(node: Any, kind: str) -> Iterator[Node]:
    """Every node of type `kind` below `node`, in document order."""
    leaves = LEAVES if kind not in LEAVES else frozenset()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            t = item.get("t")
            if t == kind:
                yield item
            if t not in leaves:
                stack.append(item.get("c"))


def map_inlines(node: Any, fn: Callable[[Node], list[Node] | None]) -> None:
    """Replace, in place, each inline `fn` returns a list for (None keeps it); children first."""
    if isinstance(node, dict):
        map_inlines(node.get("c"), fn)
    elif isinstance(node, list):
        for item in node:
            map_inlines(item, fn)
        if node and all(isinstance(n, dict) and n.get("t") in INLINES for n in node):
            replaced: list[Node] = []
            for item in node:
                new = fn(item)
                replaced.extend([item] if new is None else new)
            node[:] = replaced


INLINES = {
    "Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
    "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link",
    "Image", "Note", "Span",
}  # fmt: skip


def text(node: Any) -> str:
    """The plain text of inlines or blocks (footnotes left out)."""
    if isinstance(node, list):
        return "".join(text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    content: Any = node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return content[-1]
    if kind in ("Span", "Link", "Image", "Quoted", "Cite"):
        return text(content[1] if kind != "Cite" else content[1])
    if kind == "Note":
        return ""
    if kind in ("Para", "Plain"):
        return text(content)
    return text(content)


def plain(words: str) -> list[Node]:
    """Inlines for plain words."""
    inlines: list[Node] = []
    for i, word in enumerate(words.split(" ")):
        if i:
            inlines.append({"t": "Space"})
        if word:
            inlines.append({"t": "Str", "c": word})
    return inlines


def span(
    inlines: list[Node], classes: Sequence[str] = (), attrs: Sequence[Sequence[str]] = ()
) -> Node:
    return {"t": "Span", "c": [["", list(classes), [list(a) for a in attrs]], inlines]}


def raw_inline(fmt: str, code: str) -> Node:
    return {"t": "RawInline", "c": [fmt, code]}


# pandoc's Haskell runtime: a 16 MB allocation area and no 64 MB suggested heap (the binary's
# built-in -H64m). Measured here on the sample paper: each run is 10-30 % faster and its peak
# memory ~130 MB instead of ~175 MB (three writers run side by side).
PANDOC_RTS = ["+RTS", "-A16m", "-H1m", "-RTS"]


@functools.cache
def pandoc_path() -> str:
    """The pandoc executable shipped with pypandoc-binary (it is not on PATH), or the one
    $PYPANDOC_PANDOC names, as pypandoc would take. Found beside the pypandoc package without
    importing it (that loads urllib, http and ssl, and asks every pandoc it finds for its
    version: ~30 ms a build); pypandoc's own search where there is no bundled binary."""
    if named := os.environ.get("PYPANDOC_PANDOC"):
        return named
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations if spec else None) or []:
        bundled = Path(folder) / "files" / "pandoc"
        if bundled.is_file() and os.access(bundled, os.X_OK):
            return str(bundled)
    import pypandoc

    return pypandoc.get_pandoc_path()


@functools.cache
def pandoc_version() -> str:
    """pandoc's version ("3.9"), as pypandoc reads it: the first dotted number `--version`
    prints."""
    done = run_program([pandoc_path(), "--version"])
    done.check_returncode()
    first = done.stdout.decode("utf-8", "replace").splitlines()[:1] or [""]
    return next((tok for tok in first[0].split() if _VERSION.match(tok)), "")


_VERSION = re.compile(r"^\d+(\.\d+){1,}$")


def run_sandboxed(
    args: list[str], stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """pandoc with `args`, `--sandbox`ed (it reads only the files named on its command line,
    never one named by the document, and fetches nothing), its runtime tuned and within the
    deadline (ProgramTimeout)."""
    return run_program([pandoc_path(), *PANDOC_RTS, "--sandbox", *args], stdin, cwd)


def read_markdown(markdown: str, shown: str, reader: str = MARKDOWN) -> Node:
    """The pandoc AST of `markdown`, read as the render reads it (unless `reader` says
    otherwise); `shown` names it in errors."""
    return parse_markdown(markdown, shown, reader)[0]


def parse_markdown(markdown: str, shown: str, reader: str = MARKDOWN) -> tuple[Node, list[str]]:
    """The pandoc AST of `markdown` and the warnings pandoc gave reading it."""
    try:
        # The deadline stops pathological input.
        done = run_sandboxed(["--from", reader, "--to", "json"], markdown.encode("utf-8"))
    except ProgramTimeout as timeout:
        message = f"pandoc {timeout} (nested too deeply?); ${DEADLINE_ENV} sets it"
        raise SourceError(f"{shown}: {message}", [Problem(shown, message)]) from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[:1] or ["failed"]
        raise SourceError(f"{shown}: pandoc: {reason[0]}", [Problem(shown, f"pandoc: {reason[0]}")])
    messages = pandoc_messages(done.stderr.decode("utf-8", "replace"))
    try:
        ast = from_json(done.stdout)
    except RecursionError:
        message = "nested too deeply to read"
        raise SourceError(f"{shown}: {message}", [Problem(shown, message)]) from None
    return ast, [m for m in messages if m.startswith("[WARNING]")]


# pandoc's Haskell runtime appends call stacks to some errors: noise to an editor.
_TRACE_HEADERS = ("CallStack (from HasCallStack):", "HasCallStack backtrace:")


def pandoc_messages(stderr: str) -> list[str]:
    """pandoc's stderr as one line per message (continuation lines are indented; call stacks
    dropped)."""
    messages: list[str] = []
    in_trace = False
    for line in stderr.splitlines():
        if line.strip() in _TRACE_HEADERS:
            in_trace = True
            continue
        if in_trace and (line.startswith(" ") or not line.strip()):
            continue
        in_trace = False
        if not line.strip():
            continue
        if (
            messages
            and (line.startswith(" ") or not line.startswith("["))
            and messages[-1].startswith("[")
        ):
            messages[-1] += " " + line.strip()
        else:
            messages.append(line.strip())
    return messages


# Where each kind of node keeps its attributes ([id, classes, key-values]) in `c`.
_ATTR_AT = {
    "Header": 1,
    "Div": 0,
    "Span": 0,
    "CodeBlock": 0,
    "Code": 0,
    "Link": 0,
    "Image": 0,
    "Table": 0,
    "Figure": 0,
}


def node_id(node: Node) -> str:
    """The id of a node that carries attributes ("" when it has none)."""
    at = _ATTR_AT.get(node.get("t", ""))
    return node["c"][at][0] if at is not None else ""


def ids(node: Any) -> Iterator[str]:
    """Every id below `node` (itself included), in document order."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict) and "t" in item and item["t"] not in LEAVES:
            if ident := node_id(item):
                yield ident
            stack.append(item.get("c"))


def cite_keys(node: Any) -> Iterator[str]:
    """The key of every citation below `node`, in document order."""
    for cite in nodes(node, "Cite"):
        for citation in cite["c"][0]:
            yield citation["citationId"]
