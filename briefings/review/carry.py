"""Carry open comments, with their replies, into the next draft: onto the same place.

Each open comment goes back onto its anchored text in the same traced place of the new draft (the
paragraph bookmark, heading, table cell ... the ledger recorded); never onto another occurrence
elsewhere. Where that text changed or is gone, the comment goes onto the start of the place (or
its section heading) with its original anchor quoted, and the draft's open-items page marks the
item "text changed". Replies go in as a Word thread (commentsExtended.xml, commentsIds.xml), which
LibreOffice reads too. One pass over the document and one write: linear in the comments carried.
"""

from __future__ import annotations

import copy
import functools
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import ReviewError
from .models import ReviewItem
from .trace import Layout, read_layout
from .walker import DocumentWalker, W

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
TEXT_CHANGED = "Text changed since this comment was made; it was on:"
_PARTS = {
    "comments.xml": (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    ),
    "commentsExtended.xml": (
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
    ),
    "commentsIds.xml": (
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml",
    ),
}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Carried:
    """What carrying did: item ids carried, and those whose anchored text had changed."""

    ids: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)


def carry_comments(
    docx_path: str | os.PathLike,
    items: Iterable[ReviewItem],
    redact: Callable[[str], str] | None = None,
    source_map: dict[str, dict] | None = None,
    paper_dir: str = "",
    package: Callable[[list[tuple[str, bytes]]], bytes] | None = None,
) -> Carried:
    """Add each open comment (and its replies) onto its place in the draft at docx_path.

    `package` makes the file's bytes from its parts (name, bytes), in order: a build's settles
    them to its clock in the same write (default: a plain zip).
    """
    path = Path(docx_path)
    redact = functools.lru_cache(maxsize=4096)(redact or (lambda s: s))
    wanted = [i for i in items if i.kind == "comment" and i.status == "open"]
    if not wanted:
        return Carried()
    try:
        with zipfile.ZipFile(path) as z:
            parts = {info.filename: z.read(info) for info in z.infolist()}
        document = etree.fromstring(parts["word/document.xml"])
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise ReviewError(f"{path.name}: cannot open draft ({exc})") from None
    if source_map is None:
        source_map = _manifest_source_map(path)
    layout = read_layout(DocumentWalker().walk(document).blocks, source_map, paper_dir)
    writer = _CommentWriter(parts)
    places = _places(layout)
    carried = Carried()
    for item in wanted:
        target = _target(layout, places, item)
        if target is None:
            continue
        block, start, end, changed = target
        text = redact(item.text)
        if changed:
            text = f'{TEXT_CHANGED} "{redact(item.anchor_text)}"\n{text}'
            carried.text_changed.append(item.id)
        thread = [(redact(item.author), redact(item.initials), item.date, text)]
        thread += [(redact(r.author), "", r.date, redact(r.text)) for r in item.replies]
        writer.add_thread(block.element, start, end, thread, item.resolved)
        carried.ids.append(item.id)
    if carried.text_changed:
        _mark_text_changed(layout, set(carried.text_changed))
    parts["word/document.xml"] = etree.tostring(
        document, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    writer.finish()
    try:
        tmp = path.with_name(f".{path.name}.carry")
        tmp.write_bytes((package or _zipped)(list(parts.items())))
        os.replace(tmp, path)
    except OSError as exc:
        raise ReviewError(f"{path}: cannot save ({exc.strerror or exc})") from None
    return carried


def _zipped(parts: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, data)
    return buffer.getvalue()


def carried_anchor(text: str) -> tuple[str | None, str]:
    """(original anchor, text) of a comment carried with "text changed"; else (None, text)."""
    first, _, rest = text.partition("\n")
    if first.startswith(TEXT_CHANGED) and first.endswith('"'):
        quoted = first[len(TEXT_CHANGED) :].strip()
        if len(quoted) >= 2 and quoted.startswith('"'):
            return quoted[1:-1], rest
    return None, text


def _manifest_source_map(path: Path) -> dict[str, dict]:
    manifest = path.parent / "manifest.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("source_map") or {}
    except (OSError, ValueError, AttributeError):
        return {}


def _places(layout: Layout) -> dict[str, list[int]]:
    """Place key -> the indexes of its paragraphs, in order."""
    places: dict[str, list[int]] = {}
    for i, trace in enumerate(layout.traces):
        if trace.bookmark:
            places.setdefault(trace.bookmark, []).append(i)
    return places


def _target(layout: Layout, places: dict[str, list[int]], item: ReviewItem):
    """(block, start, end, text changed) for the item, or None when it has nowhere to go."""
    # LibreOffice drops comments inside a contents field when it opens a DOCX: a comment on a
    # contents entry goes onto the heading the entry names (the same text).
    key = (item.bookmark or "").removeprefix("contents:")
    found = places.get(key)
    if found is None and key.startswith("cell:") and item.section_id:
        # an item traced before a table cell's key named its section
        found = places.get(f"cell:{item.section_id}:{key.removeprefix('cell:')}")
    anchor = item.anchor_text.strip()
    if found:
        if anchor:
            for i in found:
                block = layout.blocks[i]
                at = block.shown.find(anchor)
                if at >= 0:
                    return block, at, at + len(anchor), False
        first = layout.blocks[found[0]]
        return first, 0, min(len(first.shown), 1) or 0, bool(anchor)
    heading = places.get(f"sec-{item.subsection_id}") or places.get(f"sec-{item.section_id}")
    if heading:
        block = layout.blocks[heading[0]]
        return block, 0, min(len(block.shown), 1), True
    return None


def _mark_text_changed(layout: Layout, ids: set[str]) -> None:
    """On the draft's open-items page, say which carried comments lost their text."""
    for block, trace in zip(layout.blocks, layout.traces, strict=True):
        key = (trace.bookmark or "").removeprefix("review:")
        if trace.place == "open-items page" and key in ids and block.element is not None:
            block.element.append(_run(" — text changed", italic=True))


def _run(text: str, italic: bool = False) -> etree._Element:
    run = etree.Element(_w("r"))
    if italic:
        etree.SubElement(etree.SubElement(run, _w("rPr")), _w("i"))
    t = etree.SubElement(run, _w("t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return run


_RUN_TEXT = (f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br")


def _runs(paragraph: etree._Element) -> list[list]:
    """The text runs of a paragraph (also inside hyperlinks and smart tags), each as [run, its
    text]."""
    out = []
    for run in paragraph.iter(_w("r")):
        pieces = [
            (t.text or "") if t.tag == _RUN_TEXT[0] else ("\t" if t.tag == _RUN_TEXT[1] else "\n")
            for t in run.iterchildren(*_RUN_TEXT)
        ]
        if pieces:
            out.append([run, "".join(pieces)])
    return out


def _split(run: etree._Element, text: str, at: int) -> etree._Element:
    """Split a plain-text run at `at`; return the second half (or the run when it cannot split)."""
    pieces = [c for c in run if c.tag != _w("rPr")]
    if len(pieces) != 1 or pieces[0].tag != _w("t") or not 0 < at < len(text):
        return run
    twin = copy.deepcopy(run)
    run.addnext(twin)
    pieces[0].text = text[:at]
    pieces[0].set(XML_SPACE, "preserve")
    twin_t = [c for c in twin if c.tag == _w("t")][0]
    twin_t.text = text[at:]
    twin_t.set(XML_SPACE, "preserve")
    return twin


def _covered(runs: list[list], start: int, end: int):
    """First and last run covering [start, end), splitting the runs at both ends (one pass).

    `runs` is the paragraph's [run, text] list (see `_runs`), kept in step with the splits.
    """
    end = max(end, start + 1)
    first = last = None
    pos = 0
    i = 0
    while i < len(runs):
        run, text = runs[i]
        length = len(text)
        i += 1
        if pos + length <= start or pos >= end or not length:
            pos += length
            continue
        piece, offset = run, pos
        if offset < start:  # the range begins inside this run
            piece = _split(run, text, start - offset)
            if piece is not run:
                runs[i - 1][1], text = text[: start - offset], text[start - offset :]
                runs.insert(i, [piece, text])
                i += 1
                offset = start
        if offset + len(text) > end:  # and ends inside it
            rest = _split(piece, text, end - offset)
            if rest is not piece:
                runs[i - 1][1] = text[: end - offset]
                runs.insert(i, [rest, text[end - offset :]])
                i += 1
        first = first if first is not None else piece
        last = piece
        pos += length
    return first, last


class _CommentWriter:
    """comments.xml, commentsExtended.xml and commentsIds.xml of a draft, added to in order."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self.comments = self._part("word/comments.xml", W, "comments")
        self.extended = self._part("word/commentsExtended.xml", W15, "commentsEx")
        self.ids = self._part("word/commentsIds.xml", W16CID, "commentsIds")
        used = [int(c.get(_w("id"), "0")) for c in self.comments.iter(_w("comment"))]
        self.next_id = max(used, default=-1) + 1
        self.next_para = 0x1A000000
        self.runs: dict[etree._Element, list[list] | None] = {}  # paragraph -> its text runs

    def _runs_of(self, paragraph: etree._Element) -> list[list]:
        """The paragraph's text runs as the comments before left them: read once, then kept in
        step with each split (read afresh for a paragraph in or around another, as in a text
        box, whose runs the other's comments split too)."""
        if paragraph not in self.runs:
            nested = paragraph.find(f".//{_w('p')}") is not None or any(
                True for _ in paragraph.iterancestors(_w("p"))
            )
            self.runs[paragraph] = None if nested else _runs(paragraph)
        kept = self.runs[paragraph]
        return kept if kept is not None else _runs(paragraph)

    def _part(self, name: str, ns: str, root: str) -> etree._Element:
        if name in self.parts:
            return etree.fromstring(self.parts[name])
        nsmap = {"w": W, "w14": W14, "w15": W15, "w16cid": W16CID}
        return etree.Element(f"{{{ns}}}{root}", nsmap=nsmap)

    def add_thread(self, paragraph, start: int, end: int, thread, done: bool) -> None:
        first, last = _covered(self._runs_of(paragraph), start, end)
        parent_para = None
        for author, initials, date, text in thread:
            key = str(self.next_id)
            self.next_id += 1
            para_id = f"{self.next_para:08X}"
            self.next_para += 1
            begin, finish = (
                etree.Element(_w("commentRangeStart")),
                etree.Element(_w("commentRangeEnd")),
            )
            begin.set(_w("id"), key)
            finish.set(_w("id"), key)
            reference = etree.Element(_w("r"))
            etree.SubElement(reference, _w("commentReference")).set(_w("id"), key)
            if first is None:  # an empty paragraph: a point comment at its start
                paragraph.append(begin)
                paragraph.append(finish)
                paragraph.append(reference)
            else:
                first.addprevious(begin)
                last.addnext(finish)
                finish.addnext(reference)
            self._comment(key, author, initials, date, text, para_id)
            ex = etree.SubElement(self.extended, f"{{{W15}}}commentEx")
            ex.set(f"{{{W15}}}paraId", para_id)
            if parent_para:
                ex.set(f"{{{W15}}}paraIdParent", parent_para)
            ex.set(f"{{{W15}}}done", "1" if done else "0")
            cid = etree.SubElement(self.ids, f"{{{W16CID}}}commentId")
            cid.set(f"{{{W16CID}}}paraId", para_id)
            cid.set(f"{{{W16CID}}}durableId", f"{0x2A000000 + int(key):08X}")
            parent_para = parent_para or para_id

    def _comment(self, key, author, initials, date, text, para_id) -> None:
        comment = etree.SubElement(self.comments, _w("comment"))
        comment.set(_w("id"), key)
        comment.set(_w("author"), author or "Reviewer")
        if initials:
            comment.set(_w("initials"), initials)
        if date:
            comment.set(_w("date"), date)
        lines = text.split("\n") or [""]
        for n, line in enumerate(lines):
            p = etree.SubElement(comment, _w("p"))
            if n == len(lines) - 1:  # commentsExtended keys a comment by its last paraId
                p.set(f"{{{W14}}}paraId", para_id)
                p.set(f"{{{W14}}}textId", "77777777")
            p.append(_run(line))

    def finish(self) -> None:
        for name, root in (
            ("word/comments.xml", self.comments),
            ("word/commentsExtended.xml", self.extended),
            ("word/commentsIds.xml", self.ids),
        ):
            self.parts[name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        self._register()

    def _register(self) -> None:
        """Relationships and content types for each part, added when missing."""
        rels_name = "word/_rels/document.xml.rels"
        rels = etree.fromstring(self.parts[rels_name])
        targets = {r.get("Target") for r in rels}
        ids = {r.get("Id") for r in rels}
        types = etree.fromstring(self.parts["[Content_Types].xml"])
        overrides = {o.get("PartName") for o in types}
        for n, (target, (rel_type, content_type)) in enumerate(_PARTS.items()):
            if target not in targets:
                rel = etree.SubElement(rels, f"{{{PACKAGE_RELS}}}Relationship")
                rid = next(f"rIdReview{n}{k}" for k in range(100) if f"rIdReview{n}{k}" not in ids)
                rel.set("Id", rid)
                rel.set("Type", rel_type)
                rel.set("Target", target)
            if f"/word/{target}" not in overrides:
                override = etree.SubElement(types, f"{{{CONTENT_TYPES}}}Override")
                override.set("PartName", f"/word/{target}")
                override.set("ContentType", content_type)
        for name, root in ((rels_name, rels), ("[Content_Types].xml", types)):
            self.parts[name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


__all__ = ["Carried", "carried_anchor", "carry_comments"]
