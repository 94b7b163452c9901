"""Read a reviewed DOCX: comments, replies, tracked changes, and where each lies in the draft."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import ReviewError
from .models import Location, ReviewComment, ReviewedDocx, known_date
from .safezip import DEFAULT_LIMITS, Limits, open_docx
from .walker import DocumentWalker

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def read_review_docx(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> ReviewedDocx:
    """Read comments and tracked changes of a reviewed DOCX; any failure is one ReviewError."""
    name = os.path.basename(os.fspath(path))
    try:
        with open_docx(path, limits) as parts:
            document = parts.xml("word/document.xml")
            comments = parts.xml("word/comments.xml")
            extended = parts.xml("word/commentsExtended.xml")
            custom = parts.xml("docProps/custom.xml")
            footnotes = parts.xml("word/footnotes.xml")
            app = parts.xml("docProps/app.xml")
    except ReviewError:
        raise
    except Exception as exc:  # the promise: nothing but ReviewError escapes a hostile file
        raise ReviewError(f"{name}: unreadable DOCX ({type(exc).__name__})") from None
    try:
        return _interpret(
            os.fspath(path), document, footnotes, comments, extended, custom, _saved_by(app)
        )
    except ReviewError:
        raise
    except Exception as exc:
        raise ReviewError(
            f"{name}: unexpected DOCX structure ({type(exc).__name__}: {exc})"
        ) from None


def _interpret(path, document, footnotes, comments, extended, custom, saved_by) -> ReviewedDocx:
    name = os.path.basename(path)
    if document is None or document.tag != _w("document"):
        raise ReviewError(f"{name}: word/document.xml is not a WordprocessingML document")
    props = _custom_properties(custom)
    # A redline (briefings diff) names its own changes' author: those are not review items.
    accepted = props.get("redline-author") if props.get("redline-of") else None
    walked = DocumentWalker(accepted).walk(document, footnotes)
    notes = _comment_notes(comments)
    parents, done = _extended(extended, notes)
    if "libreoffice" in saved_by.lower():
        parents.update(_same_range_replies(notes, walked.anchors, parents))
    found: list[ReviewComment] = []
    for key, note in notes.items():
        anchor = walked.anchors.get(key)
        found.append(
            ReviewComment(
                key=key,
                author=note.author,
                initials=note.initials,
                date=note.date,
                text=note.text,
                anchor_text=anchor.text if anchor else "",
                location=anchor.location if anchor else Location(),
                anchored=bool(anchor and anchor.ranged),
                done=done.get(key, False),
                parent=parents.get(key),
            )
        )
    return ReviewedDocx(
        path=path,
        paper_id=props.get("paper-id"),
        edition_id=props.get("edition-id"),
        comments=found,
        changes=walked.changes,
        headings=walked.headings,
        blocks=walked.blocks,
    )


@dataclass
class _Note:
    author: str
    initials: str
    date: str
    text: str
    para_ids: list[str] = field(default_factory=list)


def _comment_notes(root) -> dict[str, _Note]:
    notes: dict[str, _Note] = {}
    if root is None:
        return notes
    for c in root.iter(_w("comment")):
        key = c.get(_w("id"))
        if key is None:
            continue
        paragraphs, para_ids = [], []
        for p in c.iter(_w("p")):
            paragraphs.append("".join(_text_of(p)))
            if p.get(f"{{{W14}}}paraId"):
                para_ids.append(p.get(f"{{{W14}}}paraId"))
        text = "\n".join(paragraphs).strip("\n")
        notes[key] = _Note(
            c.get(_w("author"), ""),
            c.get(_w("initials"), ""),
            known_date(c.get(_w("date"), "")),
            text,
            para_ids,
        )
    return notes


def _text_of(el) -> list[str]:
    out = []
    for t in el.iter(_w("t"), _w("tab"), _w("br")):
        out.append(t.text or "" if t.tag == _w("t") else ("\t" if t.tag == _w("tab") else "\n"))
    return out


def _extended(root, notes: dict[str, _Note]) -> tuple[dict[str, str], dict[str, bool]]:
    """Reply parents and done flags: commentsExtended keys them by the comment's last paraId."""
    parents: dict[str, str] = {}
    done: dict[str, bool] = {}
    if root is None:
        return parents, done
    by_para = {n.para_ids[-1]: key for key, n in notes.items() if n.para_ids}
    for ex in root.iter(f"{{{W15}}}commentEx"):
        key = by_para.get(ex.get(f"{{{W15}}}paraId", ""))
        if key is None:
            continue
        done[key] = ex.get(f"{{{W15}}}done") in ("1", "true", "on")
        parent = by_para.get(ex.get(f"{{{W15}}}paraIdParent", "") or "")
        if parent and parent != key:
            parents[key] = parent
    return parents, done


def _same_range_replies(notes: dict[str, _Note], anchors, parents) -> dict[str, str]:
    """LibreOffice saves a reply as a separate comment on the same range, with no thread link:
    a later comment by another author on exactly the same range replies to the first one there.
    """
    ranges: dict[tuple, list[str]] = {}
    for key in notes:
        anchor = anchors.get(key)
        if anchor is not None and key not in parents:
            ranges.setdefault((anchor.start, anchor.end, anchor.text), []).append(key)
    replies: dict[str, str] = {}
    for keys in ranges.values():  # LibreOffice writes a range's comments newest first
        order = sorted(keys, key=lambda k: notes[k].date)
        root = order[0]
        for key in order[1:]:
            if notes[key].author != notes[root].author:
                replies[key] = root
    return replies


def _saved_by(app) -> str:
    """The application that last saved the file (docProps/app.xml), e.g. LibreOffice/7.4..."""
    if app is None:
        return ""
    return next((el.text or "" for el in app.iter() if str(el.tag).endswith("}Application")), "")


def _custom_properties(root) -> dict[str, str]:
    props: dict[str, str] = {}
    if root is None:
        return props
    for prop in root.iter(f"{{{CUSTOM}}}property"):
        name = prop.get("name")
        value = "".join(prop.itertext()).strip()
        if name:
            props[name] = value
    return props


__all__ = ["read_review_docx"]
