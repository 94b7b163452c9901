"""Trace every paragraph of a reviewed draft to the place of the edition it came from.

The edition's own DOCX (as published, bookmarks intact) is read once into a `Layout`: each of
its paragraphs, in order, with its heading, subsection, paragraph bookmark, kind of place and the
source file and field the source map gives. A reviewed copy is then aligned with that layout by
the text of its paragraphs as drafted (the reviewer's tracked deletions kept, insertions left
out), so torn, unclosed or dropped bookmarks in the copy do not matter. A paragraph the copy has
and the edition does not (typed in without tracking) keeps the section around it and says why it
has no source.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from .ledger import normalise
from .models import Location
from .walker import Block

TITLE_FIELDS = {
    "Series": "series",
    "Title": "title",
    "Subtitle": "subtitle",
    "Author": "organisation",
    "Date": "date",
}
CAPTION_STYLES = ("TableCaption", "ImageCaption", "Caption", "FigureCaption")
_ITEM_ID = re.compile(r"Item `?([0-9a-f]{12})\b")  # as templates/sections/review.md.j2 writes it
_SIMILAR = 0.6  # a paragraph edited without tracking still pairs with its original


@dataclass(frozen=True)
class Trace:
    """Where one place of the draft came from."""

    bookmark: str | None  # a key for the place that holds from one edition to the next
    section_id: str | None
    section_title: str | None
    source: str | None
    field: str | None
    subsection_id: str | None = None  # level-2 heading (an instrument, a theme, an audience)
    subsection_title: str | None = None
    place: str = "paragraph"  # heading, list item, table cell, quote, reference entry, ...
    untraced: str | None = None  # why `source` is None


NOWHERE = Trace(None, None, None, None, None, untraced="outside every section of the edition")


def heading_level(style: str) -> int | None:
    """1 for "Heading1"/"Heading 1" (pandoc, Word, LibreOffice style ids), else None."""
    match = re.fullmatch(r"(?i)heading\s*(\d)", style.strip())
    return int(match.group(1)) if match else None


def contents_entry(block: Block) -> bool:
    return block.contents or bool(re.fullmatch(r"(?i)(toc|contents)\s*\d", block.style.strip()))


@dataclass
class Layout:
    """Every paragraph of one edition's DOCX, with where it came from."""

    blocks: list[Block]
    traces: list[Trace]
    # normalised heading text -> the first heading's trace, made when first asked for
    _headings: dict[str, Trace] | None = dataclasses.field(default=None, init=False, repr=False)

    @property
    def keys(self) -> list[str]:
        return [normalise(b.text) for b in self.blocks]

    def heading_trace(self, text: str) -> Trace | None:
        """The trace of the heading with this text (contents entries name a heading)."""
        if self._headings is None:
            self._headings = {}
            for block, trace in zip(self.blocks, self.traces, strict=True):
                if trace.place.startswith("heading"):
                    self._headings.setdefault(normalise(block.text), trace)
        return self._headings.get(normalise(text))


def read_layout(
    blocks: list[Block],
    source_map: dict[str, dict],
    paper_dir: str,
    references: dict[str, str] | None = None,
) -> Layout:
    """Trace each paragraph of an edition DOCX whose bookmarks are as the build made them.

    `references`: citation key -> the CSL YAML file defining it (pandoc's `ref-<key>` bookmarks).
    """
    homes = references or {}
    traces: list[Trace] = []
    section: dict = {}
    section_key: str | None = None
    tables: dict[int, tuple] = {}  # table number -> (section, ordinal in it, header texts)
    plain: dict[str, int] = {}  # unbookmarked paragraphs counted per section
    by_block: dict[int, Trace] = {}
    for block in blocks:
        if block.footnote is not None:
            traces.append(NOWHERE)  # resolved below, from the paragraph citing the footnote
            continue
        heading = next((m for m in block.marks if m.startswith("sec-") and m in source_map), None)
        if heading:
            entry = source_map[heading]
            if not entry.get("subsection"):
                section, section_key = entry, heading
            else:
                section = {**source_map.get(section_key or "", {}), **entry}
            level = heading_level(block.style)
            trace = _from_entry(heading, entry, "heading" + (f" {level}" if level else ""))
        elif contents_entry(block):
            trace = _context(section, "contents", None, untraced="the contents list headings")
        else:
            trace = _body_trace(
                block, section, section_key, source_map, paper_dir, tables, plain, homes
            )
        traces.append(trace)
        by_block[block.index] = trace
    cited = {
        ref: by_block[b.index] for b in blocks if b.index in by_block for ref in b.footnote_refs
    }
    for i, block in enumerate(blocks):
        if block.footnote is not None:
            parent = cited.get(block.footnote)
            traces[i] = replace(parent, place="footnote") if parent else NOWHERE
    layout = Layout(blocks, traces)
    for i, block in enumerate(blocks):  # the contents come before the headings they name
        if contents_entry(block):
            traces[i] = contents_trace(layout, block, traces[i])
    return layout


def contents_trace(layout: Layout, block: Block, fallback: Trace) -> Trace:
    """A contents entry belongs to the heading it names (its text, less any page number)."""
    title = re.sub(r"[\s.\d]+$", "", block.shown.split("\t")[0]).strip()
    heading = layout.heading_trace(title) if title else None
    if heading:
        return replace(heading, place="contents", bookmark=f"contents:{heading.bookmark}")
    return replace(
        fallback,
        place="contents",
        bookmark=None,
        source=None,
        field=None,
        untraced="the contents list the headings; no heading has this text",
    )


def _body_trace(block, section, section_key, source_map, paper_dir, tables, plain, homes) -> Trace:
    mark = next((m for m in reversed(block.open_marks) if m in source_map), None)
    if mark:
        return _from_entry(mark, source_map[mark], _paragraph_kind(block))
    ref = next((m for m in reversed(block.open_marks) if m.startswith("ref-")), None)
    if ref:
        key = ref[len("ref-") :]
        return _context(
            section,
            "reference entry",
            ref,
            homes.get(key),
            key,
            untraced=f"no bibliography file defines {key!r}",
        )
    if not section:
        if block.style in TITLE_FIELDS:
            return Trace(
                f"title:{TITLE_FIELDS[block.style]}",
                None,
                None,
                f"{paper_dir}/paper.yaml",
                TITLE_FIELDS[block.style],
                place="title page",
            )
        return replace(
            NOWHERE, place="title page", untraced="made by the build, not from a source field"
        )
    sec = section.get("section") or ""
    if block.cell is not None:
        return _cell_trace(block, section, source_map, tables)
    if block.style in CAPTION_STYLES:
        label = next((m for m in block.marks if m.startswith(("tbl-", "fig-"))), None)
        n = plain[f"caption:{sec}"] = plain.get(f"caption:{sec}", 0) + 1
        return _context(
            section,
            "caption",
            f"caption:{label or sec + ':' + str(n)}",
            section.get("source"),
            f"caption {label}" if label else "caption",
        )
    if sec == "review":
        found = _ITEM_ID.search(block.text)
        return _context(
            section,
            "open-items page",
            f"review:{found.group(1) if found else ''}",
            f"{paper_dir}/reviews/ledger.jsonl",
            found.group(1) if found else None,
        )
    n = plain[sec] = plain.get(sec, 0) + 1
    return _context(section, _paragraph_kind(block), f"{section_key}:{n}", section.get("source"))


def _cell_trace(block: Block, section: dict, source_map: dict, tables: dict) -> Trace:
    """A cell of a declared table: its row's source, its column's field (found by header text)."""
    assert block.cell is not None  # called for table cells only
    number, row, column = block.cell
    sec = section.get("section") or ""
    if number not in tables:
        tables[number] = (sec, sum(1 for s, _, _ in tables.values() if s == sec), {})
    sec, ordinal, headers = tables[number]
    key = f"{sec}:{ordinal}"
    if row == 0:
        headers[column] = block.text.strip()
        return _context(
            section,
            "table cell",
            f"cell:{key}:header:{block.text.strip()}",
            section.get("source"),
            f"table {ordinal + 1} header",
        )
    header = headers.get(column, "")
    row_entry = source_map.get(f"row:{key}:{row}")
    column_entry = source_map.get(f"column:{key}:{header}", {})
    if row_entry:
        field = ".".join(x for x in (row_entry.get("field"), column_entry.get("field")) if x)
        # Named by its section too: two tables may show the same field of the same source (the
        # regulatory status and the appendix both give an instrument's jurisdiction).
        return _context(
            section,
            "table cell",
            f"cell:{sec}:{row_entry['source']}:{field}",
            row_entry["source"],
            field or None,
        )
    return _context(
        section,
        "table cell",
        f"cell:{key}:{row}:{column}",
        section.get("source"),
        f"table {ordinal + 1}, row {row + 1}, column {column + 1}",
    )


def _paragraph_kind(block: Block) -> str:
    if block.list_item or block.style in ("Compact",) and block.text.strip():
        return "list item"
    if block.style in ("BlockText", "Quote", "BlockQuote", "Quotations"):
        return "attribution" if block.text.lstrip().startswith(("—", "--")) else "quote"
    if block.cell is not None:
        return "table cell"
    return "paragraph"


def _from_entry(key: str, entry: dict, place: str) -> Trace:
    return Trace(
        key,
        entry.get("section"),
        entry.get("section_title"),
        entry.get("source"),
        entry.get("field"),
        entry.get("subsection"),
        entry.get("subsection_title"),
        place,
    )


def _context(section: dict, place: str, key, source=None, field=None, untraced=None) -> Trace:
    return Trace(
        key,
        section.get("section"),
        section.get("section_title"),
        source,
        field,
        section.get("subsection"),
        section.get("subsection_title"),
        place,
        untraced if source is None else None,
    )


class Tracer:
    """Traces of one reviewed copy, aligned with its edition's layout."""

    def __init__(self, layout: Layout, blocks: list[Block]) -> None:
        self.layout = layout
        self.blocks = blocks
        self.traces = self._align()

    def trace(self, location: Location) -> Trace:
        if location.block is None or not 0 <= location.block < len(self.traces):
            return NOWHERE
        return self.traces[location.block]

    def _align(self) -> list[Trace]:
        body = [b for b in self.blocks if b.footnote is None]
        pairs = align([normalise(b.text) for b in body], self.layout.keys)
        traces: dict[int, Trace] = {}
        last: Trace = NOWHERE
        for i, block in enumerate(body):
            j = pairs.get(i)
            if j is not None:
                trace = self.layout.traces[j]
            elif contents_entry(block):
                trace = contents_trace(self.layout, block, last)
            else:
                trace = replace(
                    last,
                    bookmark=None,
                    source=None,
                    field=None,
                    place="paragraph",
                    untraced="a paragraph that is not in the edition (added or rewritten "
                    "without tracked changes)",
                )
            traces[block.index] = trace
            if not trace.place.startswith("contents"):
                last = trace
        cited = {ref: traces[b.index] for b in body for ref in b.footnote_refs}
        for block in self.blocks:
            if block.footnote is not None:
                parent = cited.get(block.footnote)
                traces[block.index] = replace(parent, place="footnote") if parent else NOWHERE
        return [traces.get(b.index, NOWHERE) for b in self.blocks]


def align(reviewed: list[str], edition: list[str]) -> dict[int, int]:
    """Reviewed paragraph index -> edition paragraph index, in order, by text."""
    pairs: dict[int, int] = {}
    matcher = SequenceMatcher(None, reviewed, edition, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs.update(zip(range(i1, i2), range(j1, j2), strict=True))
        elif op == "replace" and (i2 - i1) * (j2 - j1) <= 10_000:
            j = j1
            for i in range(i1, i2):  # each changed paragraph to its most similar, keeping order
                best, score = None, _SIMILAR
                for k in range(j, j2):
                    ratio = SequenceMatcher(None, reviewed[i], edition[k], autojunk=False).ratio()
                    if ratio > score:
                        best, score = k, ratio
                if best is not None:
                    pairs[i] = best
                    j = best + 1
    return pairs
