"""Walk a DOCX body in document order: its paragraphs (blocks), comments and tracked changes.

Every paragraph becomes a `Block` with its style, its text as drafted (the reviewer's tracked
deletions kept, insertions left out) and where it sits (table cell, contents, footnote). Comment
anchors and tracked changes record the block they start in. Which section and source a block
belongs to is decided later, against the edition (`trace.py`): LibreOffice tears bookmarks when it
saves (it shrinks section bookmarks into the heading, leaves the start of a bookmark around a
bullet list without its end, drops a section bookmark right after a table), so the walker records
the bookmarks it meets but trusts none of them for containment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .models import ChangeKind, Location, TrackedChange, known_date

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEADING_PREFIX, PARAGRAPH_PREFIX = "sec-", "p-"
_CHANGES: dict[str, ChangeKind] = {
    f"{{{W}}}ins": "insertion",
    f"{{{W}}}moveTo": "move-to",
    f"{{{W}}}del": "deletion",
    f"{{{W}}}moveFrom": "move-from",
}
_INSERTED, _DELETED = ("insertion", "move-to"), ("deletion", "move-from")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_P, _TBL, _TR, _TC, _SDT = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt")
_T, _DEL_TEXT, _TAB, _BR, _TABS = _w("t"), _w("delText"), _w("tab"), _w("br"), _w("tabs")
_BOOKMARK_START, _BOOKMARK_END = _w("bookmarkStart"), _w("bookmarkEnd")
_RANGE_START, _RANGE_END = _w("commentRangeStart"), _w("commentRangeEnd")
_REFERENCE, _FOOTNOTE_REFERENCE = _w("commentReference"), _w("footnoteReference")
_ID, _NAME, _VAL, _AUTHOR, _DATE = _w("id"), _w("name"), _w("val"), _w("author"), _w("date")
_STYLE_PATH, _NUMBERED_PATH = f"{_w('pPr')}/{_w('pStyle')}", f"{_w('pPr')}/{_w('numPr')}"
_TEXT = {_T, _DEL_TEXT, _TAB, _BR}
_FORMAT_CHANGES = {_w("rPrChange"), _w("pPrChange")}
# The only elements the walk stops at (lxml skips the rest, runs and properties above all).
_WALKED = sorted(
    {_P, _TBL, _TR, _TC, _SDT, _BOOKMARK_START, _BOOKMARK_END, _RANGE_START, _RANGE_END}
    | {_REFERENCE, _FOOTNOTE_REFERENCE}
    | set(_CHANGES)
    | _FORMAT_CHANGES
    | _TEXT
)


@dataclass
class Block:
    """One paragraph of the document, in document order."""

    index: int
    style: str = ""
    list_item: bool = False
    drafted: list[str] = field(default_factory=list)  # text before the reviewer's changes
    visible: list[str] = field(default_factory=list)  # text as the reviewer left it
    marks: list[str] = field(default_factory=list)  # bookmarks starting in or just before it
    open_marks: list[str] = field(default_factory=list)  # p-/ref- bookmarks open around it
    cell: tuple[int, int, int] | None = None  # (table number, row, column), all from 0
    contents: bool = False  # inside a table-of-contents field or block
    footnote: str | None = None  # id of the footnote it belongs to
    footnote_refs: list[str] = field(default_factory=list)
    offset: int = 0  # length of the drafted text so far (while walking)
    element: etree._Element | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return "".join(self.drafted)

    @property
    def shown(self) -> str:
        return "".join(self.visible)


@dataclass
class Anchor:
    location: Location
    ranged: bool
    parts: list[str] = field(default_factory=list)
    start: tuple[int, int] = (-1, -1)  # (block, offset in its visible text)
    end: tuple[int, int] = (-1, -1)

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()


@dataclass
class _Change:
    kind: ChangeKind
    author: str
    date: str
    start: int
    location: Location
    parts: list[str] = field(default_factory=list)
    end: int = 0


@dataclass
class Walked:
    anchors: dict[str, Anchor]
    changes: list[TrackedChange]
    headings: dict[str, str]
    blocks: list[Block] = field(default_factory=list)


class DocumentWalker:
    """One pass over a body (and, optionally, the footnotes), in document order."""

    def __init__(self, accepted_author: str | None = None) -> None:
        # In a redline, the pipeline's own tracked changes are the edition's text, not review:
        # its insertions read as drafted text, its deletions as gone, and neither is an item.
        self.accepted_author = accepted_author
        self.section: str | None = None
        self.open_marks: dict[str, str] = {}  # bookmark w:id -> p-/ref- name
        self.pending_marks: list[str] = []  # bookmarks met between paragraphs
        self.blocks: list[Block] = []
        self.current: list[Block] = []  # paragraphs being walked (a text box nests one)
        self.tables: list[list[int]] = []  # [table number, row, column] of open tables
        self.table_count = 0
        self.contents = 0  # depth of open table-of-contents blocks
        self.footnote: str | None = None
        self.stack: list[_Change] = []
        self.active: dict[str, Anchor] = {}
        self.anchors: dict[str, Anchor] = {}
        self.changes: list[TrackedChange] = []
        self.headings: dict[str, str] = {}
        self.pending_anchors: list[Anchor] = []  # anchors opened between paragraphs
        self.block_changes: dict[int, list[_Change]] = {}  # changes of paragraphs still open

    def walk(self, document: etree._Element, footnotes: etree._Element | None = None) -> Walked:
        self._walk(document)
        if footnotes is not None:
            for note in footnotes.iter(_w("footnote")):
                if note.get(_w("type")) in (None, "normal"):
                    self.footnote = note.get(_w("id"))
                    self._walk(note)
            self.footnote = None
        return Walked(self.anchors, self.changes, self.headings, self.blocks)

    def _walk(self, root: etree._Element) -> None:
        start, end = self._start, self._end
        for event, el in etree.iterwalk(root, events=("start", "end"), tag=_WALKED):
            if event == "start":
                start(el)
            else:
                end(el)

    def location(self) -> Location:
        mark = next(reversed(self.open_marks.values()), None)
        block = self.current[-1].index if self.current else len(self.blocks)
        return Location(self.section, mark, block)

    def _position(self) -> tuple[int, int]:
        block = self.current[-1] if self.current else None
        return (block.index, len(block.shown)) if block else (len(self.blocks), 0)

    def _start(self, el) -> None:
        tag = el.tag
        if tag in _TEXT:  # the most frequent by far
            self._text(el)
        elif tag == _P:
            self._open_paragraph(el)
        elif tag == _TBL:
            self.tables.append([self.table_count, -1, -1])
            self.table_count += 1
        elif tag == _TR and self.tables:
            self.tables[-1][1] += 1
            self.tables[-1][2] = -1
        elif tag == _TC and self.tables:
            self.tables[-1][2] += 1
        elif tag == _SDT and _is_contents(el):
            self.contents += 1
        elif tag == _BOOKMARK_START:
            self._bookmark(el.get(_NAME) or "", el.get(_ID) or "")
        elif tag == _BOOKMARK_END:
            self.open_marks.pop(el.get(_ID) or "", None)
        elif tag == _FOOTNOTE_REFERENCE and self.current:
            self.current[-1].footnote_refs.append(el.get(_ID) or "")
        elif tag == _RANGE_START:
            key = el.get(_ID) or ""
            anchor = Anchor(self.location(), True, start=self._position())
            self.anchors[key] = self.active[key] = anchor
            if not self.current:
                self.pending_anchors.append(anchor)
        elif tag == _RANGE_END:
            ended = self.active.pop(el.get(_ID) or "", None)
            if ended is not None:
                ended.end = self._position()
        elif tag == _REFERENCE:
            key = el.get(_ID) or ""
            self.anchors.setdefault(key, Anchor(self.location(), False))
        elif tag in _CHANGES and not _is_property(el):
            start = self.current[-1].offset if self.current else 0
            self.stack.append(
                _Change(
                    _CHANGES[tag],
                    el.get(_AUTHOR, ""),
                    known_date(el.get(_DATE, "")),
                    start,
                    self.location(),
                )
            )
        elif tag in _FORMAT_CHANGES:
            self._format_change(el)

    def _open_paragraph(self, el) -> None:
        style = el.find(_STYLE_PATH)
        block = Block(
            index=len(self.blocks),
            style=style.get(_VAL, "") if style is not None else "",
            list_item=el.find(_NUMBERED_PATH) is not None,
            marks=self.pending_marks,
            open_marks=list(self.open_marks.values()),
            cell=tuple(self.tables[-1]) if self.tables else None,  # type: ignore[arg-type]
            contents=self.contents > 0,
            footnote=self.footnote,
            element=el,
        )
        self.pending_marks = []
        self.blocks.append(block)
        self.current.append(block)
        for anchor in self.pending_anchors:  # a range opened between paragraphs starts here
            anchor.location = Location(anchor.location.section_bookmark, None, block.index)
            anchor.start = (block.index, 0)
        self.pending_anchors = []

    def _bookmark(self, name: str, key: str) -> None:
        if self.current:
            self.current[-1].marks.append(name)
        else:
            self.pending_marks.append(name)
        if name.startswith((PARAGRAPH_PREFIX, "ref-")):
            self.open_marks[key] = name
            if self.current:
                self.current[-1].open_marks.append(name)
        elif name.startswith(HEADING_PREFIX):
            self.section = name

    def _format_change(self, el) -> None:
        """A tracked formatting change: the text it changed, told with its paragraph's text (at
        the paragraph's end, like insertions and deletions; one per run, as Word marks it)."""
        block = self.current[-1] if self.current else None
        # rPrChange sits in a run's rPr (the run changed), pPrChange in a paragraph's pPr.
        owner = el.getparent().getparent() if el.getparent() is not None else None
        text = "".join(t.text or "" for t in owner.iter(_T)) if owner is not None else ""
        start = block.offset if block else 0
        change = _Change(
            "formatting",
            el.get(_AUTHOR, ""),
            known_date(el.get(_DATE, "")),
            start,
            self.location(),
            [text],
            start + len(text),
        )
        if block is not None:
            self.block_changes.setdefault(block.index, []).append(change)
        else:
            self._emit(change, "")

    def _text(self, el) -> None:
        tag = el.tag
        if tag == _TAB and el.getparent() is not None and el.getparent().tag == _TABS:
            return
        text = el.text or "" if tag in (_T, _DEL_TEXT) else ("\t" if tag == _TAB else "\n")
        inserted = False
        deleted = tag == _DEL_TEXT
        if self.stack:  # inside tracked changes
            ours = [c for c in self.stack if c.author == self.accepted_author]
            if any(c.kind in _DELETED for c in ours):
                return  # deleted by the redline itself: not in the edition it shows
            theirs = [c for c in self.stack if c.author != self.accepted_author]
            inserted = any(c.kind in _INSERTED for c in theirs)
            deleted = deleted or any(c.kind in _DELETED for c in theirs)
            self.stack[-1].parts.append(text)
        block = self.current[-1] if self.current else None
        if not deleted:
            if block:
                block.visible.append(text)
            for anchor in self.active.values():
                anchor.parts.append(text)
        if not inserted and block:
            block.drafted.append(text)
            block.offset += len(text)

    def _end(self, el) -> None:
        if el.tag in _TEXT:
            return
        if el.tag == _P and self.current:
            block = self.current.pop()
            shown = block.shown.strip()
            for name in block.marks:
                if name.startswith(HEADING_PREFIX):
                    self.headings.setdefault(name, shown)
            self._emit_changes(block)
        elif el.tag == _TBL and self.tables:
            self.tables.pop()
        elif el.tag == _SDT and _is_contents(el):
            self.contents -= 1
        elif el.tag in _CHANGES and not _is_property(el) and self.stack:
            change = self.stack.pop()
            last = self.current[-1] if self.current else None
            change.end = last.offset if last else change.start
            if not "".join(change.parts) or change.author == self.accepted_author:
                return
            if last is not None:
                _merge_or_add(self.block_changes.setdefault(last.index, []), change)
            else:
                self._emit(change, "")

    def _emit_changes(self, block: Block) -> None:
        for change in self.block_changes.pop(block.index, []):
            self._emit(change, block.text)

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


def _is_contents(sdt) -> bool:
    gallery = sdt.find(f"{_w('sdtPr')}/{_w('docPartObj')}/{_w('docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(_w("val")) or "").lower()
