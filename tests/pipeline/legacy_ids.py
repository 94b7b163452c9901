"""The regex-based paragraph ids and section lookup the build used before pandoc's AST.

Kept verbatim (briefings/assemble at f180e86) as the definition of the ids review ledgers are
keyed by: tests/pipeline/test_source_map_ids.py assembles both sample papers both ways.
"""

from __future__ import annotations

import re

from briefings.assemble.environment import SourceMap

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
            div_depth += 1 if len(stripped.strip(":").strip()) else -1
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


def _with_sections(markdown: str, entries: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Add to each source-map entry the section (level 1) and subsection (level 2) it lies in."""
    section = subsection = None  # (id, title)
    located: dict[str, dict[str, str]] = {}
    for line in markdown.splitlines():
        heading = _HEADING_ID.match(line)
        if heading:
            level, title, ident = len(heading.group(1)), heading.group(2), heading.group(3)
            if level == 1:
                section, subsection = (ident.removeprefix("sec-"), title), None
            elif level == 2 and section:
                subsection = (ident.removeprefix("sec-"), title)
                # A comment on a heading (LibreOffice keeps heading bookmarks in the heading
                # paragraph) traces to the section's source.
                owner = entries.get(f"sec-{section[0]}", {})
                located.setdefault(
                    ident,
                    {
                        "source": owner.get("source"),
                        "field": "heading",
                        "section": section[0],
                        "section_title": section[1],
                        "subsection": subsection[0],
                        "subsection_title": title,
                    },
                )
        for token in _ids_in(line):
            if token in entries and section:
                where = {"section": section[0], "section_title": section[1]}
                if subsection and token != f"sec-{section[0]}":
                    where |= {"subsection": subsection[0], "subsection_title": subsection[1]}
                located[token] = {**entries[token], **where}
    return located


_HEADING_ID = re.compile(r"^(#{1,2}) (.*?) \{#(sec-[^}\s]+)[^}]*\}\s*$")


def _ids_in(line: str):
    start = 0
    while (i := line.find("{#", start)) != -1:
        end = line.find("}", i)
        if end == -1:
            return
        yield line[i + 2 : end].split()[0] if line[i + 2 : end].strip() else ""
        start = end
