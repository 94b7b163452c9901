"""Hand-written prose: give every paragraph a stable id, so review comments can be traced.

The editor's text is split at blank lines (code fences and fenced divs kept whole) and each
paragraph wrapped as written. This stays on the text, not pandoc's AST: pandoc's Markdown reader
gives no source positions, and CommonMark's (which does) reads some prose differently from the
render (a `---` block is a table to one, a rule and a heading to the other), so wrapping the
lines it names could change the document. Sections, ids and citations are read on the AST.
"""

from __future__ import annotations

import re

from .environment import SourceMap

_HEADING = re.compile(r"^(#{2,6})\s+(.*?)\s*(\{[^}]*\})?\s*$")
_FENCE = re.compile(r"^(```|~~~)")


def _blocks(text: str) -> list[str]:
    """Split Markdown at blank lines, keeping code fences and fenced divs whole."""
    blocks: list[list[str]] = [[]]
    fence: str | None = None
    div_depth = 0
    for line in text.splitlines():
        stripped = line.strip()
        if fence is None and div_depth == 0 and not stripped:
            blocks.append([])
            continue
        blocks[-1].append(line)
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
        elif _FENCE.match(stripped):
            fence = stripped[:3]
        elif stripped.startswith(":::"):
            # A stray closing fence must not glue the rest of the file into one unwrapped block
            # (that would let prose put a top-level heading between sections).
            div_depth = max(0, div_depth + (1 if stripped.strip(":").strip() else -1))
    return ["\n".join(b) for b in blocks if any(line.strip() for line in b)]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:24] or "part"


def anchor_prose(section: str, text: str, source: str, source_map: SourceMap) -> str:
    """Wrap each paragraph of a prose section in a `::: {#p-<section>-NN}` div."""
    out: list[str] = []
    number = 0
    short = section.replace("executive-summary", "summary")
    for block in _blocks(text):
        first = block.lstrip().splitlines()[0]
        heading = _HEADING.match(first) if "\n" not in block.strip() else None
        if heading:
            hashes, title, attrs = heading.groups()
            if not attrs:
                hid = f"sec-{short}-{_slug(title)}"
                source_map.entries.setdefault(hid, {"source": source, "field": f"heading {title}"})
                block = f"{hashes} {title} {{#{hid}}}"
            out.append(block)
        elif block.lstrip().startswith(("[^", ":::")):
            out.append(block)  # footnote definitions and the editor's own divs stay as written
        else:
            number += 1
            opener = source_map.block(f"p-{short}-{number:02d}", source, f"paragraph {number}")
            out.append(f"{opener}\n{block}\n:::")
    return "\n\n".join(out) + "\n"
