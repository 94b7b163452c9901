"""What the parsed document may contain, checked on pandoc's AST rather than on the Markdown text.

No source may put raw markup into an edition: raw HTML (`<script>`, `<iframe>`, comments),
raw blocks and spans (`{=html}`, `{=typst}`, `{=openxml}`, `{=latex}`) and raw TeX would go
into the HTML, DOCX or Typst output unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import Problem, SourceError

# (source file, line or None, field or None) of a block id: given by the assemble stage.
Locate = Callable[[str | None, str], tuple[str, int | None, str | None]]

_TAG = re.compile(r"<(/?[A-Za-z][\w-]*|!--)")
_FORMAT_NAMES = {"html": "HTML", "html5": "HTML", "tex": "TeX", "latex": "LaTeX"}


@dataclass(frozen=True)
class Finding:
    """Something in the document no source may put there."""

    block: str | None  # innermost enclosing div id, else the heading before it
    message: str
    text: str  # the offending source text, to find its line (never printed)


def walk(ast: dict[str, Any]) -> Iterator[tuple[dict[str, Any], str | None]]:
    """Every element of the document (metadata first) with the id of the block it lies in.

    Iterative, in document order: a deeply nested document cannot exhaust Python's stack.
    """
    heading: list[str | None] = [None]
    stack: list[tuple[Any, str | None]] = [(ast.get("blocks", []), None)]
    stack += [(value, None) for value in reversed(list(ast.get("meta", {}).values()))]
    while stack:
        node, block = stack.pop()
        if isinstance(node, list):
            stack += [(child, block) for child in reversed(node)]
            continue
        if not isinstance(node, dict) or "t" not in node:
            continue
        kind = node["t"]
        content: Any = node.get("c")
        if kind == "Div" and content[0][0]:
            block = content[0][0]
        elif kind == "Header" and content[1][0]:
            heading[0] = content[1][0]
        yield node, block or heading[0]
        if isinstance(content, list):
            stack.append((content, block))


def raw_markup(ast: dict[str, Any]) -> list[Finding]:
    """Every raw element (RawBlock, RawInline) of the document."""
    found = []
    for node, block in walk(ast):
        if node["t"] in ("RawBlock", "RawInline"):
            fmt, text = node["c"]
            name = _FORMAT_NAMES.get(fmt.lower(), fmt)
            tag = _TAG.match(text) if name == "HTML" else None
            what = f"raw {name} ({tag.group(0)}…)" if tag else f"raw {name} markup"
            found.append(Finding(block, f"{what} is not allowed; write plain Markdown", text))
    return found


def refuse(findings: list[Finding], locate: Locate | None, stem: str) -> None:
    """Raise one SourceError naming the file and line of every finding."""
    if not findings:
        return
    problems: dict[tuple, Problem] = {}  # one per source line: `<b>` and `</b>` are one mistake
    for finding in findings:
        file, line, field = (
            locate(finding.block, finding.text) if locate else (f"{stem}.md", None, finding.block)
        )
        key = (file, line) if line is not None else (file, field, finding.message)
        problems.setdefault(key, Problem(file, finding.message, field, line))
    raise SourceError(
        f"{len(problems)} problem(s) in the content of {stem}", list(problems.values())
    )
