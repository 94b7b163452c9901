"""Walk document.xml in order, noting for each comment and change its heading and paragraph.

LibreOffice moves section bookmarks into the heading paragraph and renumbers ids when it saves,
so an item belongs to the nearest preceding heading bookmark (`sec-...`) and to the innermost
open paragraph bookmark (`p-...`), never to whatever range happens to contain it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .models import Location, TrackedChange

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADING_PREFIX, PARAGRAPH_PREFIX = "sec-", "p-"
_CHANGES = {
    f"{{{W}}}ins": "insertion",
    f"{{{W}}}moveTo": "insertion",
    f"{{{W}}}del": "deletion",
    f"{{{W}}}moveFrom": "deletion",
}
_TEXT = {f"{{{W}}}t", f"{{{W}}}delText", f"{{{W}}}tab", f"{{{W}}}br"}


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Anchor:
    location: Location
    ranged: bool
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()


@dataclass
class _Change:
    kind: str
    author: str
    date: str
    start: int
    location: Location
    parts: list[str] = field(default_factory=list)
    end: int = 0


@dataclass
class _Paragraph:
    visible: list[str] = field(default_factory=list)
    original: list[str] = field(default_factory=list)
    offset: int = 0
    headings: list[str] = field(default_factory=list)
    changes: list[_Change] = field(default_factory=list)


@dataclass
class Walked:
    anchors: dict[str, Anchor]
    changes: list[TrackedChange]
    headings: dict[str, str]
    paragraphs: list[tuple[etree._Element, Location]] = field(default_factory=list)


class DocumentWalker:
    """One pass over the body, in document order."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.pending_heading: str | None = None
        self.open_marks: dict[str, str] = {}  # bookmark w:id -> p-... name
        self.paragraphs: list[_Paragraph] = []
        self.stack: list[_Change] = []
        self.active: dict[str, Anchor] = {}
        self.anchors: dict[str, Anchor] = {}
        self.changes: list[TrackedChange] = []
        self.headings: dict[str, str] = {}
        self.paragraph_locations: list[tuple[etree._Element, Location]] = []

    def walk(self, document: etree._Element) -> Walked:
        for event, el in etree.iterwalk(document, events=("start", "end")):
            if not isinstance(el.tag, str):
                continue
            if event == "start":
                self._start(el)
            else:
                self._end(el)
        return Walked(self.anchors, self.changes, self.headings, self.paragraph_locations)

    def location(self) -> Location:
        mark = next(reversed(self.open_marks.values()), None)
        return Location(self.section, mark)

    def _start(self, el) -> None:
        tag = el.tag
        if tag == _w("p"):
            para = _Paragraph()
            if self.pending_heading:
                para.headings.append(self.pending_heading)
                self.pending_heading = None
            self.paragraphs.append(para)
            self.paragraph_locations.append((el, self.location()))
        elif tag == _w("bookmarkStart"):
            self._bookmark(el.get(_w("name")) or "", el.get(_w("id")) or "")
        elif tag == _w("bookmarkEnd"):
            self.open_marks.pop(el.get(_w("id")) or "", None)
        elif tag == _w("commentRangeStart"):
            key = el.get(_w("id")) or ""
            self.anchors[key] = self.active[key] = Anchor(self.location(), True)
        elif tag == _w("commentRangeEnd"):
            self.active.pop(el.get(_w("id")) or "", None)
        elif tag == _w("commentReference"):
            key = el.get(_w("id")) or ""
            self.anchors.setdefault(key, Anchor(self.location(), False))
        elif tag in _CHANGES and not _is_property(el):
            start = self.paragraphs[-1].offset if self.paragraphs else 0
            self.stack.append(
                _Change(
                    _CHANGES[tag],
                    el.get(_w("author"), ""),
                    el.get(_w("date"), ""),
                    start,
                    self.location(),
                )
            )
        elif tag in _TEXT:
            self._text(el)

    def _bookmark(self, name: str, key: str) -> None:
        if name.startswith(PARAGRAPH_PREFIX):
            self.open_marks[key] = name
        elif name.startswith(HEADING_PREFIX):
            self.section = name
            if self.paragraphs:
                self.paragraphs[-1].headings.append(name)
            else:
                self.pending_heading = name

    def _text(self, el) -> None:
        tag = el.tag
        if tag == _w("tab") and el.getparent() is not None and el.getparent().tag == _w("tabs"):
            return
        text = (
            el.text or ""
            if tag in (_w("t"), _w("delText"))
            else ("\t" if tag == _w("tab") else "\n")
        )
        inserted = any(c.kind == "insertion" for c in self.stack)
        deleted = tag == _w("delText") or any(c.kind == "deletion" for c in self.stack)
        if self.stack:
            self.stack[-1].parts.append(text)
        para = self.paragraphs[-1] if self.paragraphs else None
        if not deleted:
            if para:
                para.visible.append(text)
            for anchor in self.active.values():
                anchor.parts.append(text)
        if not inserted and para:
            para.original.append(text)
            para.offset += len(text)

    def _end(self, el) -> None:
        if el.tag == _w("p") and self.paragraphs:
            self._close_paragraph(self.paragraphs.pop())
        elif el.tag in _CHANGES and not _is_property(el) and self.stack:
            change = self.stack.pop()
            change.end = self.paragraphs[-1].offset if self.paragraphs else change.start
            if not "".join(change.parts):
                return
            if self.paragraphs:
                _merge_or_add(self.paragraphs[-1].changes, change)
            else:
                self._emit(change, "")

    def _close_paragraph(self, para: _Paragraph) -> None:
        visible = "".join(para.visible).strip()
        for name in para.headings:
            self.headings.setdefault(name, visible)
        original = "".join(para.original)
        for change in para.changes:
            self._emit(change, original)

    def _emit(self, change: _Change, paragraph_text: str) -> None:
        self.changes.append(
            TrackedChange(
                kind=change.kind,
                author=change.author,
                date=change.date,
                text="".join(change.parts),
                paragraph_text=paragraph_text,
                offset=change.start,
                location=change.location,
            )
        )


def _merge_or_add(changes: list[_Change], change: _Change) -> None:
    """Word splits one edit over several adjacent w:ins/w:del elements: join them again."""
    last = changes[-1] if changes else None
    if (
        last
        and (last.kind, last.author, last.date) == (change.kind, change.author, change.date)
        and last.end == change.start
    ):
        last.parts.extend(change.parts)
        last.end = change.end
    else:
        changes.append(change)


def _is_property(el) -> bool:
    """w:ins/w:del inside rPr, pPr, trPr ... mark a changed mark or row, not changed text."""
    parent = el.getparent()
    return parent is not None and isinstance(parent.tag, str) and parent.tag.endswith("Pr")
