"""Turn the redline markers pandoc left in a DOCX into real tracked changes (OOXML edits).

pandoc writes `insertion`/`deletion` spans as `w:ins`/`w:del` runs itself, but it cannot mark a
whole paragraph, a table row or a move, and it gives a `w:del`/`w:ins` pair the same `w:id`.
Our marker divs and spans arrive as bookmarks named `redline-<kind>-<n>`; here the paragraphs
and rows they enclose become tracked insertions, deletions and moves (with a tracked paragraph
mark, so *accept all* and *reject all* remove the paragraph itself), the markers are removed and
every revision gets an id of its own.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MARKER = re.compile(r"^redline-(del|ins|mfrom|mto|rowdel|rowins)-(\d+)$")
REVISIONS = ("ins", "del", "moveFrom", "moveTo")
RANGES = ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")
_KIND = {"del": "del", "ins": "ins", "mfrom": "moveFrom", "mto": "moveTo"}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def track_changes(docx: Path, author: str, date: str) -> int:
    """Rewrite docx in place; return the number of tracked changes it holds."""
    with zipfile.ZipFile(docx) as archive:
        parts = {info: archive.read(info) for info in archive.infolist()}
    name = next(i for i in parts if i.filename == "word/document.xml")
    root = etree.fromstring(parts[name])
    body = root.find("w:body", NS)
    _apply_markers(body, author, date)
    _lift_hyperlinks(body)
    count = _renumber(root)
    parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    tmp = docx.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in parts.items():
            out.writestr(info, data)
    tmp.replace(docx)
    return count


def _apply_markers(body: etree._Element, author: str, date: str) -> None:
    order = {el: i for i, el in enumerate(body.iter())}
    ends = {e.get(q("id")): e for e in body.iter(q("bookmarkEnd"))}
    paragraphs = list(body.iter(q("p")))
    last = {p: order[_last_descendant(p)] for p in paragraphs}
    moves: dict[str, str] = {}
    markers: list[tuple[etree._Element, etree._Element | None]] = []
    for start in list(body.iter(q("bookmarkStart"))):
        match = MARKER.match(start.get(q("name"), ""))
        if not match:
            continue
        kind, n = match.groups()
        end = ends.get(start.get(q("id")))
        lo, hi = order[start], order[end] if end is not None else order[start]
        if kind in ("rowdel", "rowins"):
            row = next(start.iterancestors(q("tr")), None)
            if row is not None:
                _mark_row(row, "del" if kind == "rowdel" else "ins", author, date)
        else:
            inside = [p for p in paragraphs if order[p] < hi and last[p] > lo]
            # nested paragraphs (table cells) are covered through their own order positions
            tag = _KIND[kind]
            for p in inside:
                _mark_paragraph(p, tag, author, date)
            for row in {r for p in inside for r in p.iterancestors(q("tr"))}:
                if order[row] > lo:
                    _mark_row(row, "del" if tag in ("del", "moveFrom") else "ins", author, date)
            if kind in ("mfrom", "mto") and inside:
                moves.setdefault(n, f"move{n}")
                _move_range(inside[0], inside[-1], tag, moves[n], author, date)
        markers.append((start, end))
    _track_contents(body, author, date)
    for start, end in markers:
        start.getparent().remove(start)
        if end is not None:
            end.getparent().remove(end)


def _track_contents(body: etree._Element, author: str, date: str) -> None:
    """The contents list's entry of an added or removed heading is tracked like the heading,
    so *reject all* gives OLD's contents list too (the entries are a field's stored result)."""
    headings: dict[str, etree._Element] = {}
    for start in body.iter(q("bookmarkStart")):
        paragraph = start.getparent() if start.getparent().tag == q("p") else start.getnext()
        while paragraph is not None and paragraph.tag == q("bookmarkStart"):
            paragraph = paragraph.getnext()
        if paragraph is not None and paragraph.tag == q("p"):
            headings[start.get(q("name"), "")] = paragraph
    for gallery in body.iter(q("docPartGallery")):
        if gallery.get(q("val")) != "Table of Contents":
            continue
        sdt = next(gallery.iterancestors(q("sdt")))
        for entry in sdt.iter(q("p")):
            link = entry.find("w:hyperlink", NS)
            heading = headings.get(link.get(q("anchor"), "")) if link is not None else None
            if heading is None:
                continue
            for tag in ("ins", "del"):
                if heading.find(f"w:pPr/w:rPr/w:{tag}", NS) is not None:
                    _mark_paragraph(entry, tag, author, date)
                    break


def _last_descendant(el: etree._Element) -> etree._Element:
    descendants = list(el.iter())
    return descendants[-1]


def _revision(tag: str, author: str, date: str) -> etree._Element:
    el = etree.Element(q(tag))
    el.set(q("id"), "0")
    el.set(q("author"), author)
    el.set(q("date"), date)
    return el


def _mark_paragraph(p: etree._Element, tag: str, author: str, date: str) -> None:
    """Wrap every run of p in a tracked change and track its paragraph mark."""
    for run in list(p.iter(q("r"))):
        parent = run.getparent()
        if etree.QName(parent).localname in REVISIONS:
            continue
        if run.find("w:fldChar", NS) is not None or run.find("w:instrText", NS) is not None:
            continue  # a field's own code (the contents list's begin/end) stays whole
        if tag == "del":
            for t in run.iter(q("t")):
                t.tag = q("delText")
            for t in run.iter(q("instrText")):
                t.tag = q("delInstrText")
        wrapper = _revision(tag, author, date)
        parent.replace(run, wrapper)
        wrapper.append(run)
    ppr = p.find("w:pPr", NS)
    if ppr is None:
        ppr = etree.Element(q("pPr"))
        p.insert(0, ppr)
    rpr = ppr.find("w:rPr", NS)
    if rpr is None:
        rpr = etree.Element(q("rPr"))
        anchor = ppr.find("w:sectPr", NS)
        if anchor is None:
            anchor = ppr.find("w:pPrChange", NS)
        if anchor is not None:
            anchor.addprevious(rpr)
        else:
            ppr.append(rpr)
    # The paragraph mark of a move is a plain deletion/insertion: LibreOffice leaves an empty
    # paragraph behind a moveFrom mark on accept, and Word reads either.
    mark = {"moveFrom": "del", "moveTo": "ins"}.get(tag, tag)
    rpr.insert(0, _revision(mark, author, date))


def _mark_row(row: etree._Element, tag: str, author: str, date: str) -> None:
    trpr = row.find("w:trPr", NS)
    if trpr is None:
        trpr = etree.Element(q("trPr"))
        anchor = row.find("w:tblPrEx", NS)
        if anchor is not None:
            anchor.addnext(trpr)
        else:
            row.insert(0, trpr)
    if trpr.find(f"w:{tag}", NS) is None:
        trpr.append(_revision(tag, author, date))
    for p in row.iter(q("p")):
        if p.find(f"w:pPr/w:rPr/w:{tag}", NS) is None:
            _mark_paragraph(p, tag, author, date)


def _move_range(
    first: etree._Element, last: etree._Element, tag: str, name: str, author: str, date: str
) -> None:
    start = etree.Element(q(f"{tag}RangeStart"))
    start.set(q("id"), "0")
    start.set(q("name"), name)
    start.set(q("author"), author)
    start.set(q("date"), date)
    end = etree.Element(q(f"{tag}RangeEnd"))
    end.set(q("id"), "0")
    ppr = first.find("w:pPr", NS)
    if ppr is not None:
        ppr.addnext(start)
    else:
        first.insert(0, start)
    last.append(end)


def _lift_hyperlinks(body: etree._Element) -> None:
    """pandoc writes a link inside a change as w:ins > w:hyperlink, which Word and LibreOffice
    drop; OOXML wants w:hyperlink > w:ins > w:r. Split each such change around its links."""
    for change in list(body.iter(*(q(t) for t in REVISIONS))):
        if (
            change.find("w:hyperlink", NS) is None
            or etree.QName(change.getparent()).localname == "rPr"
        ):
            continue
        parent, at = change.getparent(), change.getparent().index(change)
        pieces: list[etree._Element] = []
        for child in list(change):
            if child.tag == q("hyperlink"):
                runs = list(child)
                wrapper = _copy_revision(change)
                for run in runs:
                    if run.tag == q("r"):
                        wrapper.append(run)
                child.insert(0, wrapper)
                pieces.append(child)
            else:
                if not pieces or pieces[-1].tag != change.tag:
                    pieces.append(_copy_revision(change))
                pieces[-1].append(child)
        parent.remove(change)
        for k, piece in enumerate(pieces):
            parent.insert(at + k, piece)


def _copy_revision(change: etree._Element) -> etree._Element:
    copy = etree.Element(change.tag)
    for key, value in change.attrib.items():
        copy.set(key, value)
    return copy


def _renumber(root: etree._Element) -> int:
    """Give every revision and move range an id no bookmark or comment uses; count revisions."""
    used = [
        int(el.get(q("id")))
        for el in root.iter(q("bookmarkStart"), q("commentRangeStart"))
        if (el.get(q("id")) or "").isdigit()
    ]
    next_id = max(used, default=0) + 1
    count = 0
    for el in root.iter(*(q(t) for t in REVISIONS)):
        el.set(q("id"), str(next_id))
        next_id += 1
        if etree.QName(el.getparent()).localname != "rPr":
            count += 1
    pending: dict[str, list[int]] = {}
    for el in root.iter(*(q(t) for t in RANGES)):
        local = etree.QName(el).localname
        if local.endswith("Start"):
            el.set(q("id"), str(next_id))
            pending.setdefault(local.removesuffix("Start"), []).append(next_id)
            next_id += 1
        else:
            ids = pending.get(local.removesuffix("End"), [])
            el.set(q("id"), str(ids.pop(0) if ids else next_id))
    return count
