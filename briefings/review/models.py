"""Typed records of a review: what a reviewed DOCX holds and what the ledger keeps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, TypeGuard, get_args

ItemKind = Literal["comment", "insertion", "deletion", "move-from", "move-to", "formatting"]
ChangeKind = Literal["insertion", "deletion", "move-from", "move-to", "formatting"]
Status = Literal["open", "accepted", "rejected", "deferred"]
STATUSES: tuple[Status, ...] = get_args(Status)
UNPLACED = "unplaced"  # section key of items that lie outside every section bookmark


def is_status(value: str) -> TypeGuard[Status]:
    return value in STATUSES


def known_date(value: str) -> str:
    """A comment's or change's date as the file gives it, when it is one (ISO 8601); "" when
    it is not (LibreOffice writes "0-00-00T00:00:00Z" for a comment that has no date)."""
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return value


@dataclass(frozen=True)
class Location:
    """Where in the draft an item lies: the paragraph (block) it starts in, by document order.

    The bookmarks are what the file itself says (nearest heading bookmark, innermost open paragraph
    bookmark); tracing does not rely on them (see trace.py).
    """

    section_bookmark: str | None = None
    paragraph_bookmark: str | None = None
    block: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ReviewComment:
    """One comment of a reviewed DOCX (replies are comments with a parent)."""

    key: str  # w:id in this file only: never stored, ids change on every save
    author: str
    initials: str
    date: str
    text: str
    anchor_text: str
    location: Location
    anchored: bool
    done: bool = False
    parent: str | None = None  # key of the comment this one replies to


@dataclass(frozen=True)
class TrackedChange:
    """One tracked insertion, deletion, move or formatting change, with the text around it."""

    kind: ChangeKind
    author: str
    date: str
    text: str
    paragraph_text: str  # the paragraph as drafted: deletions kept, insertions left out
    offset: int  # position of the change in paragraph_text
    location: Location


@dataclass
class ReviewedDocx:
    """Everything read from one reviewed DOCX."""

    path: str
    paper_id: str | None
    edition_id: str | None
    comments: list[ReviewComment]
    changes: list[TrackedChange]
    headings: dict[str, str] = field(default_factory=dict)  # heading bookmark -> heading text
    blocks: list = field(default_factory=list)  # walker.Block: every paragraph, in order

    def threads(self) -> list[tuple[ReviewComment, list[ReviewComment]]]:
        """Top-level comments, each with every reply below it (replies to replies too), in file
        order."""
        parent = {c.key: c.parent for c in self.comments}

        def root(key: str) -> str:
            seen = {key}
            while (up := parent.get(key)) is not None and up in parent and up not in seen:
                key = up
                seen.add(key)
            return key

        replies: dict[str, list[ReviewComment]] = {}
        for c in self.comments:
            top = root(c.key)
            if top != c.key:
                replies.setdefault(top, []).append(c)
        return [(c, replies.get(c.key, [])) for c in self.comments if root(c.key) == c.key]


@dataclass(frozen=True)
class Reply:
    """A reply in a comment thread."""

    author: str
    date: str
    text: str


@dataclass
class ReviewItem:
    """One ledger item with its current state (the fold of its events)."""

    id: str
    kind: ItemKind
    author: str
    date: str
    text: str
    anchor_text: str
    section_id: str | None
    section_title: str | None
    source: str | None
    edition: str | None
    status: Status = "open"
    replies: list[Reply] = field(default_factory=list)
    field: str | None = None  # field of the source (e.g. rec-04, summary)
    subsection_id: str | None = None  # level-2 heading within the section (e.g. reg-eu-ai-act)
    subsection_title: str | None = None
    bookmark: str | None = None
    place: str = "paragraph"  # kind of place: heading, list item, table cell, reference entry ...
    untraced: str | None = None  # why source is None
    context: str | None = None  # a tracked change in a few words of the text around it
    initials: str = ""
    resolved: bool = False  # marked done by a reviewer in the DOCX
    note: str | None = None

    def as_dict(self) -> dict:
        """Plain data, as `review list --format json` prints it."""
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["replies"] = [r.__dict__.copy() for r in self.replies]
        return d


@dataclass
class IngestReport:
    """What one ingest did: new items and replies, and how many were already known."""

    paper_id: str
    files: list[str]
    editions: list[str]
    added: list[str] = field(default_factory=list)  # new item ids
    known: int = 0  # items already in the ledger
    replies_added: int = 0
    unplaced: int = 0  # new items outside every section (the title page, the open-items page)
    untraced: int = 0  # new items traced to no source (each says why)

    def summary(self) -> str:
        said = (
            f"{len(self.files)} file(s), {len(self.added)} new item(s), {self.known} already "
            f"in the ledger, {self.replies_added} "
            f"new repl{'y' if self.replies_added == 1 else 'ies'}"
        )
        if self.unplaced:
            said += f"; {self.unplaced} outside every section (such as the title page)"
        if self.untraced:
            said += (
                f"; {self.untraced} traced to no source (`briefings review list "
                f"{self.paper_id}` says why)"
            )
        return said
