"""What the parsed document may contain, checked on pandoc's AST rather than on the Markdown text.

No source may put raw markup into an edition: raw HTML (`<script>`, `<iframe>`, comments),
raw blocks and spans (`{=html}`, `{=typst}`, `{=openxml}`, `{=latex}`) and raw TeX would go
into the HTML, DOCX or Typst output unchecked. Every image is checked and embedded as a `data:`
URI (pandoc runs sandboxed and reads none); links go only to the web, mail or the document.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from ..errors import Problem, SourceError
from ..pandoc_ast import LEAVES
from ..sources.images import FIGURES, ImageRefused, checked_figure, checked_image_bytes


class Origin(Protocol):
    """Where the parts of the document came from (the assembled paper answers this)."""

    def locate(self, block_id: str | None, text: str) -> tuple[str, int | None, str | None]:
        """Source file, line (or None) and field (or None) that wrote `text` into the block."""
        ...

    def is_prose(self, section_id: str | None) -> bool:
        """Whether the section with this heading id is an editor's prose."""
        ...


_TAG = re.compile(r"<(/?[A-Za-z][\w-]*|!--)")
_FORMAT_NAMES = {"html": "HTML", "html5": "HTML", "tex": "TeX", "latex": "LaTeX"}


@dataclass(frozen=True)
class Finding:
    """Something in the document no source may put there."""

    block: str | None  # innermost enclosing div id, else the heading before it
    message: str
    text: str  # the offending source text, to find its line (never printed)


class Place(NamedTuple):
    """Where an element lies: its innermost block id and its section (top-level heading id)."""

    block: str | None
    section: str | None


def walk(ast: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Place]]:
    """Every element of the document (metadata first) with the place it lies in, but words and
    spaces (most of the elements; nothing in them is checked here).

    Iterative, in document order: a deeply nested document cannot exhaust Python's stack.
    Only a top-level heading starts a section; one nested in a div (prose) cannot.
    """
    heading: str | None = None
    section: str | None = None
    stack: list[tuple[Any, str | None, bool]] = [
        (block, None, True) for block in reversed(ast.get("blocks", []))
    ]
    stack += [(value, None, False) for value in reversed(list(ast.get("meta", {}).values()))]
    while stack:
        node, block, top_level = stack.pop()
        if isinstance(node, list):
            stack += [
                (child, block, False)
                for child in reversed(node)
                if not (isinstance(child, dict) and child.get("t") in LEAVES)
            ]
            continue
        if not isinstance(node, dict) or "t" not in node:
            continue
        kind = node["t"]
        content: Any = node.get("c")
        if kind == "Div" and content[0][0]:
            block = content[0][0]
        elif kind == "Header" and content[1][0]:
            heading = content[1][0]
            if top_level and content[0] == 1:
                section = heading
        yield node, Place(block or heading, section)
        if isinstance(content, list):
            stack.append((content, block, False))


def findings(ast: dict[str, Any], paper_dir: Path | None, origin: Origin | None) -> list[Finding]:
    """Everything no source may put into the document, found in one walk: raw elements
    (RawBlock, RawInline), links outside the web, mail and the document, and refused images.
    Each accepted image is embedded as a `data:` URI, in place.

    In prose an image must be a file in the paper's figures/ folder; a template may also
    embed a checked image (a generated chart) as a `data:` URI. Every image needs alt text.
    """
    found = []
    for node, place in walk(ast):
        kind = node["t"]
        if kind in ("RawBlock", "RawInline"):
            found.append(_raw(node, place))
        elif kind == "Link":
            target = node["c"][2][0]
            if not target.lower().startswith(_LINK_SCHEMES):
                message = f"link target {target[:60]!r} must be an http(s) or mailto: address"
                found.append(Finding(place.block, message, target))
        elif kind == "Image":
            found += _embedded(node, place, paper_dir, origin)
    return found


def _raw(node: dict[str, Any], place: Place) -> Finding:
    fmt, text = node["c"]
    name = _FORMAT_NAMES.get(fmt.lower(), fmt)
    tag = _TAG.match(text) if name == "HTML" else None
    what = f"raw {name} ({tag.group(0)}…)" if tag else f"raw {name} markup"
    return Finding(place.block, f"{what} is not allowed; write plain Markdown", text)


_LINK_SCHEMES = ("http://", "https://", "mailto:", "#")


def _embedded(
    node: dict[str, Any], place: Place, paper_dir: Path | None, origin: Origin | None
) -> list[Finding]:
    """Check an image and embed it as a `data:` URI; the finding if it is refused."""
    src = node["c"][2][0]
    prose = origin is None or origin.is_prose(place.section)
    try:
        if src.startswith("data:") and not prose:
            image = checked_image_bytes(decoded_image(src))
        elif paper_dir is None or src.startswith("data:"):
            raise ImageRefused(f"an image must be a file in the paper's {FIGURES}/ folder")
        else:
            image = checked_figure(paper_dir, src)
        if not alt_text(node):
            raise ImageRefused(f"image {src[:60]!r} has no alt text: write ![what it shows](…)")
    except ImageRefused as why:
        return [Finding(place.block, str(why), src)]
    node["c"][2][0] = image.data_uri
    return []


def alt_text(image_node: dict[str, Any]) -> str:
    """The plain text of an Image element's alt (its inline content)."""
    words: list[str] = []
    stack: list[Any] = [image_node["c"][1]]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack += reversed(node)
        elif isinstance(node, dict):
            if node.get("t") == "Str":
                words.append(node["c"])
            elif isinstance(node.get("c"), list):
                stack.append(node["c"])
    return " ".join(words).strip()


def decoded_image(data_uri: str) -> bytes:
    """The bytes of a base64 `data:` URI (ImageRefused if it is not one)."""
    head, _, payload = data_uri.partition(",")
    if not head.endswith(";base64"):
        raise ImageRefused("an embedded image must be base64 data")
    try:
        return base64.b64decode(payload, validate=True)
    except ValueError:
        raise ImageRefused("an embedded image's data is not valid base64") from None


def refuse(findings: list[Finding], origin: Origin | None, stem: str) -> None:
    """Raise one SourceError naming the file and line of every finding."""
    if not findings:
        return
    problems: dict[tuple, Problem] = {}  # one per source line: `<b>` and `</b>` are one mistake
    for finding in findings:
        file, line, field = (
            origin.locate(finding.block, finding.text)
            if origin
            else (f"{stem}.md", None, finding.block)
        )
        key = (file, line) if line is not None else (file, field, finding.message)
        problems.setdefault(key, Problem(file, finding.message, field, line))
    raise SourceError(
        f"{len(problems)} problem(s) in the content of {stem}", list(problems.values())
    )
