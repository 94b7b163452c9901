"""The DOCX edition's page layout, edited in the OOXML tree after pandoc.

A title page of its own, a contents list whose entries show before anyone updates a field,
tables whose rows never split, and quotes kept with their attribution. Heading styles keep with
the next paragraph in the house reference document; caption numbers come from pandoc's
`native_numbering` (SEQ fields), so they match the PDF's and the HTML's.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

TITLE_BLOCK = ("Title", "Subtitle", "Author", "Date")
CONTENTS_LEVELS = {"Heading1": "TOC1", "Heading2": "TOC2"}
CONTENTS_FIELD = ' TOC \\o "1-2" \\h \\z \\u '


def _style(paragraph) -> str | None:
    found = paragraph.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    return None if found is None else found.get(qn("w:val"))


def _ppr(paragraph):
    ppr = paragraph.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        paragraph.insert(0, ppr)
    return ppr


def _set_flag(paragraph, tag: str) -> None:
    """Add an on/off paragraph property (keepNext, pageBreakBefore...) in schema order."""
    ppr = _ppr(paragraph)
    if ppr.find(qn(f"w:{tag}")) is not None:
        return
    flag = OxmlElement(f"w:{tag}")
    # pPr children order: pStyle, keepNext, keepLines, pageBreakBefore, ...
    order = ["pStyle", "keepNext", "keepLines", "pageBreakBefore"]
    rank = order.index(tag)
    position = 0
    for i, child in enumerate(ppr):
        name = child.tag.split("}")[1]
        if name in order and order.index(name) < rank:
            position = i + 1
    ppr.insert(position, flag)


def _paragraph(style: str, text: str = "") -> BaseOxmlElement:
    paragraph = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    pstyle = OxmlElement("w:pStyle")
    pstyle.set(qn("w:val"), style)
    ppr.append(pstyle)
    paragraph.append(ppr)
    if text:
        paragraph.append(_run(text))
    return paragraph


def _run(text: str):
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


def _field_char(kind: str):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        char.set(qn("w:dirty"), "false")
    run.append(char)
    return run


def title_page(body, series: str, draft_mark: str | None) -> object | None:
    """Series above the title, draft mark below the date; returns the page's last paragraph."""
    block = []
    for child in body:
        if child.tag == qn("w:p") and _style(child) in TITLE_BLOCK:
            block.append(child)
        elif child.tag == qn("w:p"):
            break
    if not block:
        return None
    if series:
        block[0].addprevious(_paragraph("Series", series))
    last = block[-1]
    if draft_mark:
        mark = _paragraph("DraftMark", draft_mark)
        last.addnext(mark)
        last = mark
    return last


def contents(body, after, title: str = "Contents") -> None:
    """A TOC field after `after` (the title page), its result filled with linked headings.

    Word and LibreOffice show a field's last result as it is stored, so the entries are there on
    first opening; page numbers are left to the reader's "update field" (they cannot be known
    before the document is laid out). The first heading after the contents starts a new page.
    """
    headings = [p for p in body.iter(qn("w:p")) if _style(p) in CONTENTS_LEVELS]
    if not headings:
        return
    sdt = OxmlElement("w:sdt")
    sdt_pr = OxmlElement("w:sdtPr")
    part = OxmlElement("w:docPartObj")
    gallery = OxmlElement("w:docPartGallery")
    gallery.set(qn("w:val"), "Table of Contents")
    part.append(gallery)
    part.append(OxmlElement("w:docPartUnique"))
    sdt_pr.append(part)
    sdt.append(sdt_pr)
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    heading = _paragraph("TOCHeading", title)
    _set_flag(heading, "pageBreakBefore")
    content.append(heading)
    next_id = _next_bookmark_id(body)
    for index, target in enumerate(headings):
        anchor, next_id = _bookmark_of(target, next_id)
        entry = _paragraph(CONTENTS_LEVELS[_style(target) or ""])
        if index == 0:
            entry.append(_field_char("begin"))
            instruction = OxmlElement("w:r")
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = CONTENTS_FIELD
            instruction.append(instr)
            entry.append(instruction)
            entry.append(_field_char("separate"))
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), anchor)
        link.set(qn("w:history"), "1")
        link.append(_run(_text(target)))
        entry.append(link)
        content.append(entry)
    end = OxmlElement("w:p")
    end.append(_field_char("end"))
    content.append(end)
    after.addnext(sdt)
    _set_flag(headings[0], "pageBreakBefore")


def _text(paragraph) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _next_bookmark_id(body) -> int:
    ids = [int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart"))]
    return max(ids, default=0) + 1


def _bookmark_of(heading, next_id: int) -> tuple[str, int]:
    """The bookmark pandoc put on the heading (its id), else a new one around its text."""
    sibling = heading.getprevious()
    while sibling is not None and sibling.tag == qn("w:bookmarkStart"):
        return sibling.get(qn("w:name")), next_id
    inner = heading.find(qn("w:bookmarkStart"))
    if inner is not None:
        return inner.get(qn("w:name")), next_id
    name = f"_Toc{next_id:08d}"
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(next_id))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(next_id))
    _ppr(heading).addnext(start)
    heading.append(end)
    return name, next_id + 1


def keep_together(body) -> None:
    """Rows never split across pages; quotes stay with their attribution, figures with captions."""
    for row in body.iter(qn("w:tr")):
        tr_pr = row.find(qn("w:trPr"))
        if tr_pr is None:
            tr_pr = OxmlElement("w:trPr")
            row.insert(0, tr_pr)
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))  # CT_TrPr: cantSplit before tblHeader
    for group in _quote_groups(body):
        for paragraph in group[:-1]:
            _set_flag(paragraph, "keepNext")
    for paragraph in body.iter(qn("w:p")):
        if _style(paragraph) in ("CaptionedFigure", "TableCaption"):
            _set_flag(paragraph, "keepNext")


def _quote_groups(body) -> list[list]:
    """Runs of consecutive block-quote paragraphs; a bookmark start (a new quote's div) splits."""
    groups: list[list] = []
    current: list = []
    for child in body:
        if child.tag == qn("w:p") and _style(child) == "BlockText":
            current.append(child)
            continue
        if child.tag == qn("w:bookmarkEnd") and current:
            continue
        if current:
            groups.append(current)
        current = []
    if current:
        groups.append(current)
    return groups


def single_caption_bookmarks(body) -> None:
    """native_numbering repeats the table's bookmark inside its caption: keep the outer one only.

    Two bookmarks with one name are invalid OOXML; Word drops one, LibreOffice renames one.
    """
    seen: set[str] = set()
    for start in list(body.iter(qn("w:bookmarkStart"))):
        name = start.get(qn("w:name"))
        if name not in seen:
            seen.add(name)
            continue
        ident = start.get(qn("w:id"))
        parent = start.getparent()
        for end in parent.iter(qn("w:bookmarkEnd")):
            if end.get(qn("w:id")) == ident:
                end.getparent().remove(end)
                break
        parent.remove(start)


PICTURE_NAME = "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"


def picture_descriptions(body) -> None:
    """The picture's own description is its alt text, not its source.

    pandoc writes an image's source into `pic:cNvPr/@descr`: for an embedded image that is the
    whole base64 payload (bloat, and read aloud by some clients); the drawing's alt text
    (`wp:docPr/@descr`) takes its place.
    """
    for drawing in body.iter(qn("w:drawing")):
        alt = next((d.get("descr", "") for d in drawing.iter(qn("wp:docPr"))), "")
        for picture in drawing.iter(PICTURE_NAME):
            if picture.get("descr", "").startswith("data:"):
                picture.set("descr", alt)
