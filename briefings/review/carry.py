"""Carry open comments into the next draft, where their anchored text still exists."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterable

from ..errors import ReviewError
from .models import ReviewItem
from .walker import DocumentWalker


def carry_comments(
    docx_path: str | os.PathLike,
    items: Iterable[ReviewItem],
    redact: Callable[[str], str] | None = None,
) -> list[str]:
    """Add each open comment, with its author and date, on its anchored text; return the ids
    carried."""
    from docx import (
        Document,  # python-docx is only needed here: keep `import` of the package cheap
    )
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    redact = redact or (lambda s: s)
    try:
        document = Document(os.fspath(docx_path))
    except Exception as exc:
        raise ReviewError(
            f"{os.path.basename(os.fspath(docx_path))}: cannot open draft ({exc})"
        ) from None
    walked = DocumentWalker().walk(document.element)
    located = [(Paragraph(p, document._body), loc) for p, loc in walked.paragraphs]
    carried = []
    for item in items:
        if item.kind != "comment" or item.status != "open" or not item.anchor_text.strip():
            continue
        runs = _anchor_runs(located, item)
        if not runs:
            continue
        comment = document.add_comment(
            runs,
            text=redact(item.text),
            author=redact(item.author),
            initials=redact(item.initials) or None,
        )
        if item.date:
            comment._comment_elm.set(qn("w:date"), item.date)
        carried.append(item.id)
    if carried:
        try:
            document.save(os.fspath(docx_path))
        except OSError as exc:
            raise ReviewError(f"{docx_path}: cannot save ({exc.strerror or exc})") from None
    return carried


def _anchor_runs(located, item: ReviewItem):
    """Runs spanning the anchored text, in the paragraph of the item's bookmark when possible."""
    anchor = item.anchor_text.strip()
    matches = [p for p, _ in located if anchor in "".join(r.text for r in p.runs)]
    preferred = [
        p
        for p, loc in located
        if p in matches
        and item.bookmark
        and item.bookmark in (loc.paragraph_bookmark, loc.section_bookmark)
    ]
    for paragraph in preferred + matches:
        text = "".join(r.text for r in paragraph.runs)
        start = text.find(anchor)
        if start < 0:
            continue
        _split_at(paragraph, start)
        _split_at(paragraph, start + len(anchor))
        covered, pos = [], 0
        for run in paragraph.runs:
            end = pos + len(run.text)
            if end > start and pos < start + len(anchor):
                covered.append(run)
            pos = end
        if covered:
            return covered
    return None


def _split_at(paragraph, offset: int) -> None:
    """Split the run holding `offset` in two, when it is plain text (else leave it whole)."""
    pos = 0
    for run in paragraph.runs:
        text = run.text
        if pos < offset < pos + len(text):
            children = [c for c in run._r if not c.tag.endswith("}rPr")]
            if len(children) == 1 and children[0].tag.endswith("}t"):
                twin = copy.deepcopy(run._r)
                run._r.addnext(twin)
                run.text = text[: offset - pos]
                twin_t = [c for c in twin if c.tag.endswith("}t")][0]
                twin_t.text = text[offset - pos :]
                twin_t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            return
        pos += len(text)
