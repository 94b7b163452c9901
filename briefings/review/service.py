"""The editor's operations: ingest reviewed drafts, record decisions, list what is open."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

from ..errors import ReviewError
from ..project import Project
from . import ledger
from .carry import carried_anchor
from .edition import Edition, identify_edition
from .models import STATUSES, UNPLACED, IngestReport, ReviewedDocx, ReviewItem, is_status
from .reader import read_review_docx
from .redact import roster_redactor
from .safezip import DEFAULT_LIMITS, Limits

_PAPER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def _paper(project: Project, paper_id: str) -> None:
    if not _PAPER_ID.match(paper_id or "") or not project.paper_dir(paper_id).is_dir():
        raise ReviewError(f"unknown paper {paper_id!r} (no paper_sources/{paper_id}/)")


def ingest(
    project: Project,
    paper_id: str,
    paths: Iterable[str | os.PathLike],
    limits: Limits = DEFAULT_LIMITS,
) -> IngestReport:
    """Read every file first, then append what is new in one write: all or nothing."""
    _paper(project, paper_id)
    paths = list(paths)
    if not paths:
        raise ReviewError("no reviewed DOCX given")
    read: list[tuple[ReviewedDocx, Edition]] = []
    editions: dict[str, Edition] = {}  # each edition's layout is read once
    for path in paths:
        doc = read_review_docx(path, limits)
        edition = identify_edition(project, paper_id, doc)
        read.append((doc, editions.setdefault(edition.edition_id, edition)))
    path = ledger.ledger_path(project, paper_id)
    records = ledger.read_records(path)
    state = ledger.fold(records)
    known = ledger.known_ids(records)
    resolved = {i for i, item in state.items() if item.resolved}
    report = IngestReport(
        paper_id,
        [os.path.basename(os.fspath(p)) for p in paths],
        sorted({e.edition_id for _, e in read}),
    )
    new: list[dict] = []
    at = ledger.now()
    # The ledger lives in git: a participant's name a reviewer typed is withheld before writing.
    redact = roster_redactor(project, paper_id)
    for doc, edition in read:
        for record, replies, done in _records(doc, edition, redact, known):
            item_id = record["id"]
            if item_id in known:
                report.known += 1
            else:
                known.add(item_id)
                record.update(at=at, resolved=done)
                new.append(record)
                report.added.append(item_id)
                report.unplaced += record["section_id"] is None
                report.untraced += record["source"] is None
                if done:
                    resolved.add(item_id)
            if done and item_id not in resolved:
                resolved.add(item_id)
                new.append({"type": "resolved", "item": item_id, "at": at})
            for reply in replies:
                if reply["id"] not in known:
                    known.add(reply["id"])
                    new.append({**reply, "at": at})
                    report.replies_added += 1
    ledger.append(path, new)
    return report


def _records(
    doc: ReviewedDocx,
    edition: Edition,
    redact: Callable[[str], str],
    known: Iterable[str] = (),
):
    """(item record, reply records, done) for each thread and tracked change of a file, redacted.

    A file LibreOffice saved keeps no thread links: comments on one range are read as a first
    comment and its replies (briefings.review.reader). Where that reading and the ledger
    disagree, the ledger knows better: a "reply" that is an item of its own in the ledger (a
    second reviewer's comment on the same words) is that item, and a reply the ledger holds
    under another comment on the very same range is that reply, not a new one.
    """
    known = set(known)
    tracer = edition.tracer(doc)
    threads = [
        (_comment_item(c, tracer, edition, redact), c, replies) for c, replies in doc.threads()
    ]
    same_range: dict[tuple, list[str]] = {}
    for item, comment, _ in threads:
        same_range.setdefault((comment.location, comment.anchor_text), []).append(item["id"])
    for item, comment, replies in threads:
        own_items, reply_records = [], []
        siblings = same_range[(comment.location, comment.anchor_text)]
        for r in replies:
            as_item = _comment_item(r, tracer, edition, redact)
            if as_item["id"] != item["id"] and as_item["id"] in known:
                own_items.append((as_item, r.done))
                continue
            r_author, r_text = redact(r.author), redact(r.text)
            known_under = (p for p in siblings if _reply_id(p, r_author, r_text) in known)
            parent = next(known_under, item["id"])
            reply_records.append(
                {
                    "type": "reply",
                    "item": parent,
                    "id": _reply_id(parent, r_author, r_text),
                    "author": r_author,
                    "initials": redact(r.initials),
                    "date": r.date,
                    "text": r_text,
                }
            )
        yield item, reply_records, comment.done
        for own, done in own_items:
            yield own, [], done
    for change in doc.changes:
        trace = tracer.trace(change.location)
        author, text, paragraph = (
            redact(change.author),
            redact(change.text),
            redact(change.paragraph_text),
        )
        # A formatting change is known by its text alone, as before it was told with its
        # paragraph: items already in a ledger keep their ids.
        told_in = "" if change.kind == "formatting" else paragraph
        fp = ledger.fingerprint(
            change.kind, author, text, told_in, trace.section_id or "", str(change.offset)
        )
        item = _item(
            fp, change.kind, author, change.date, text, paragraph.strip(), trace, edition, ""
        )
        item["context"] = redact(_in_context(change))
        yield item, [], False


def _in_context(change, words: int = 5) -> str:
    """The change with a few words of the paragraph either side: "… before [change] after …",
    spaced as the paragraph is ("duties], platform" where a comma follows)."""
    # Deleted, moved-away and reformatted text is part of the paragraph as drafted.
    drafted = change.kind in ("deletion", "move-from", "formatting")
    after_at = change.offset + (len(change.text) if drafted else 0)
    before_text, after_text = (
        change.paragraph_text[: change.offset],
        change.paragraph_text[after_at:],
    )
    before, after = before_text.split(), after_text.split()
    head = ("… " if len(before) > words else "") + " ".join(before[-words:])
    tail = " ".join(after[:words]) + (" …" if len(after) > words else "")
    space_before = " " if head and (before_text[-1:].isspace() or change.text[:1].isspace()) else ""
    space_after = " " if tail and (after_text[:1].isspace() or change.text[-1:].isspace()) else ""
    return f"{head}{space_before}[{change.text.strip()}]{space_after}{tail}".strip()


def _comment_item(comment, tracer, edition: Edition, redact: Callable[[str], str]) -> dict:
    """The item record of a comment (a carried one keeps its original anchor)."""
    trace = tracer.trace(comment.location)
    original, body = carried_anchor(comment.text)
    author, text, anchor = (
        redact(comment.author),
        redact(body),
        redact(comment.anchor_text if original is None else original),
    )
    fp = ledger.fingerprint("comment", author, text, anchor, trace.section_id or "")
    return _item(
        fp, "comment", author, comment.date, text, anchor, trace, edition, redact(comment.initials)
    )


def _reply_id(item_id: str, author: str, text: str) -> str:
    return ledger.fingerprint("reply", item_id, author, text)[: ledger.ID_LENGTH]


def _item(fp, kind, author, date, text, anchor, trace, edition: Edition, initials) -> dict:
    return {
        "type": "item",
        "id": fp[: ledger.ID_LENGTH],
        "fingerprint": fp,
        "kind": kind,
        "author": author,
        "initials": initials,
        "date": date,
        "text": text,
        "anchor_text": anchor,
        "section_id": trace.section_id,
        "section_title": trace.section_title,
        "bookmark": trace.bookmark,
        "subsection_id": trace.subsection_id,
        "subsection_title": trace.subsection_title,
        "source": trace.source,
        "field": trace.field,
        "place": trace.place,
        "untraced": trace.untraced,
        "edition": edition.edition_id,
    }


def list_items(project: Project, paper_id: str) -> list[ReviewItem]:
    """Every item of the paper's ledger with its current status, in the order first seen."""
    _paper(project, paper_id)
    return list(ledger.fold(ledger.read_records(ledger.ledger_path(project, paper_id))).values())


def reviewed_editions(project: Project, paper_id: str) -> list[str]:
    """The editions reviewers commented on (from the ledger); callers put them in build order."""
    records = ledger.read_records(ledger.ledger_path(project, paper_id))
    return sorted({r["edition"] for r in records if r.get("edition")})


def decide(
    project: Project, paper_id: str, item_id: str, status: str, note: str | None = None
) -> ReviewItem:
    """Record an editor's decision on one item (a unique id prefix of 4+ characters will do)."""
    if not is_status(status):
        raise ReviewError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
    if len(item_id) < 4:
        raise ReviewError(
            f"{paper_id}: item id {item_id!r} is too short: give at least 4 characters "
            "(see briefings review list)"
        )
    items = {i.id: i for i in list_items(project, paper_id)}
    matches = [i for i in items if i.startswith(item_id)]
    if len(matches) != 1:
        problem = "no" if not matches else "more than one"
        raise ReviewError(f"{paper_id}: {problem} review item with id {item_id!r}")
    if note:
        note = roster_redactor(project, paper_id)(note)
    record = {
        "type": "decision",
        "item": matches[0],
        "status": status,
        "note": note,
        "at": ledger.now(),
    }
    ledger.append(ledger.ledger_path(project, paper_id), [record])
    item = items[matches[0]]
    item.status, item.note = status, note
    return item


def open_items_by_section(project: Project, paper_id: str) -> dict[str, list[ReviewItem]]:
    """Open items keyed by section id (items outside every section under 'unplaced')."""
    grouped: dict[str, list[ReviewItem]] = {}
    for item in list_items(project, paper_id):
        if item.status == "open":
            grouped.setdefault(item.section_id or UNPLACED, []).append(item)
    return grouped
