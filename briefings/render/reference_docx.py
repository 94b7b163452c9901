"""Build the house `templates/reference.docx` from pandoc's default reference document.

Run `python -m briefings.render.reference_docx [OUTPUT]` to regenerate it. The result sets A4 pages,
a page-number footer, house fonts, a heading hierarchy in one accent colour and a ruled table style.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from lxml import etree

from ..pandoc_ast import pandoc_path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = f"{{{W_NS}}}"
BODY_FONT = "Calibri"
HEADING_FONT = "Georgia"
ACCENT = "1F3A5F"
MUTED = "5A6472"
RULE = "A9B4C2"
HEADER_FILL = "E8EDF3"
# (style id, size in half-points, bold, colour); everything else keeps pandoc's spacing.
HEADINGS = {
    "Title": (48, True, ACCENT),
    "Subtitle": (28, False, MUTED),
    "Author": (24, True, "262626"),
    "Date": (22, False, MUTED),
    "Heading1": (32, True, ACCENT),
    "Heading2": (26, True, ACCENT),
    "Heading3": (23, True, ACCENT),
    "Heading4": (22, True, "262626"),
    "Heading5": (22, False, "262626"),
    "Heading6": (22, False, MUTED),
}
A4 = {"w": "11906", "h": "16838"}  # twentieths of a point
MARGINS = {
    "top": "1418",
    "right": "1361",
    "bottom": "1418",
    "left": "1361",
    "header": "709",
    "footer": "709",
    "gutter": "0",
}
FOOTER_PART = "word/footer1.xml"
_RUN = f'<w:r><w:rPr><w:color w:val="{MUTED}"/><w:sz w:val="18"/></w:rPr>{{}}</w:r>'
PAGE_FIELD = "".join(
    _RUN.format(part)
    for part in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    )
)
FOOTER_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{W_NS}" '
    f'xmlns:r="{R_NS}"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>{PAGE_FIELD}</w:p></w:ftr>'
)


def default_reference() -> bytes:
    """pandoc's own reference.docx, as bytes."""
    done = subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
    )
    return done.stdout


# Schema order of the children we touch: Word rejects parts whose children are out of order.
ORDER = {
    "rPr": [
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "color",
        "spacing",
        "sz",
        "szCs",
        "u",
        "lang",
    ],
    "tblPr": [
        "tblStyle",
        "tblW",
        "jc",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    ],
    "tcPr": ["tcW", "tcBorders", "shd", "noWrap", "tcMar", "vAlign"],
    "tblBorders": ["top", "left", "bottom", "right", "insideH", "insideV"],
}


def _reorder(parent: etree._Element) -> None:
    """Sort parent's children into schema order (unknown ones keep their place at the end)."""
    order = ORDER[etree.QName(parent).localname]
    rank = {name: i for i, name in enumerate(order)}
    children = sorted(parent, key=lambda c: rank.get(etree.QName(c).localname, len(order)))
    parent[:] = children


def _child(parent: etree._Element, tag: str, first: bool = False) -> etree._Element:
    """The child `w:tag` of parent, created if missing."""
    found = parent.find(W + tag)
    if found is None:
        found = etree.Element(W + tag)
        parent.insert(0, found) if first else parent.append(found)
    return found


def _set_fonts(rpr: etree._Element, font: str) -> None:
    # Theme attributes (asciiTheme, hAnsiTheme...) win over named fonts, so they must go.
    fonts = _child(rpr, "rFonts", first=True)
    for name in list(fonts.attrib):
        if name.endswith("Theme") or name.endswith("theme"):
            del fonts.attrib[name]
    for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(W + attr, font)
    _reorder(rpr)


def _set_run(rpr: etree._Element, size: int, bold: bool, colour: str) -> None:
    for tag in ("b", "color", "sz", "szCs"):
        for old in rpr.findall(W + tag):
            rpr.remove(old)
    bold_run = etree.SubElement(rpr, W + "b")
    if not bold:  # explicit "off", or the style inherits bold from Title
        bold_run.set(W + "val", "0")
    etree.SubElement(rpr, W + "color").set(W + "val", colour)
    etree.SubElement(rpr, W + "sz").set(W + "val", str(size))
    etree.SubElement(rpr, W + "szCs").set(W + "val", str(size))
    _reorder(rpr)


def _border(parent: etree._Element, side: str, size: int, colour: str) -> None:
    edge = _child(parent, side)
    edge.attrib.update(
        {W + "val": "single", W + "sz": str(size), W + "space": "0", W + "color": colour}
    )


def style_sheet(xml: bytes) -> bytes:
    """House fonts, sizes and colours, and a ruled table style, applied to styles.xml."""
    root = etree.fromstring(xml)
    defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    _set_fonts(defaults, BODY_FONT)
    for tag, val in (("sz", "21"), ("szCs", "21")):
        _child(defaults, tag).set(W + "val", val)
    _child(defaults, "lang").set(W + "val", "en-GB")
    _reorder(defaults)
    for style in root.findall(W + "style"):
        style_id = style.get(W + "styleId")
        rpr = style.find(W + "rPr")
        # "Heading1Char" and the like are the character twins of the paragraph styles.
        paragraph_style = style_id.removesuffix("Char")
        if paragraph_style in HEADINGS:
            rpr = rpr if rpr is not None else etree.SubElement(style, W + "rPr")
            _set_fonts(rpr, HEADING_FONT)
            _set_run(rpr, *HEADINGS[paragraph_style])
            jc = style.find(f"{W}pPr/{W}jc")
            if jc is not None:
                jc.set(W + "val", "left")
        elif rpr is not None and rpr.find(W + "rFonts") is not None:
            _set_fonts(rpr, BODY_FONT)
        if style_id == "Hyperlink":
            colour = rpr.find(W + "color")
            colour.attrib.clear()
            colour.set(W + "val", ACCENT)
        if style_id == "Table":
            _table_style(style)
        if style_id in TITLE_PAGE_SPACING:  # Subtitle, Author and Date inherit from Title
            _child(_child(style, "pPr"), "spacing").set(W + "before", TITLE_PAGE_SPACING[style_id])
    for style_id, name, run in EXTRA_STYLES:
        if root.find(f"{W}style[@{W}styleId='{style_id}']") is None:
            root.append(_paragraph_style(style_id, name, run))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Space above each line of the title page (twentieths of a point): the title a quarter of the
# way down, the organisation and date well below the subtitle.
TITLE_PAGE_SPACING = {"Title": "2400", "Subtitle": "160", "Author": "2400", "Date": "60"}

# Paragraph styles pandoc's reference lacks: the title page's series line and draft mark, and
# the contents entries (Word's built-in "toc 1"/"toc 2", so updating the field keeps them).
EXTRA_STYLES = (
    ("Series", "Series", (22, False, MUTED)),
    ("DraftMark", "Draft Mark", (24, True, "B3261E")),
    ("TOC1", "toc 1", (21, True, "262626")),
    ("TOC2", "toc 2", (21, False, "262626")),
)


def _paragraph_style(style_id: str, name: str, run: tuple[int, bool, str]) -> etree._Element:
    style = etree.Element(W + "style")
    style.set(W + "type", "paragraph")
    style.set(W + "styleId", style_id)
    etree.SubElement(style, W + "name").set(W + "val", name)
    etree.SubElement(style, W + "basedOn").set(W + "val", "Normal")
    etree.SubElement(style, W + "next").set(W + "val", "BodyText")
    etree.SubElement(style, W + "uiPriority").set(
        W + "val", "39" if name.startswith("toc") else "9"
    )
    etree.SubElement(style, W + "qFormat")
    ppr = etree.SubElement(style, W + "pPr")
    spacing = etree.SubElement(ppr, W + "spacing")
    spacing.attrib.update({W + "before": "60", W + "after": "60"})
    if style_id == "TOC2":
        etree.SubElement(ppr, W + "ind").set(W + "left", "360")
    rpr = etree.SubElement(style, W + "rPr")
    _set_run(rpr, *run)
    if style_id == "Series":
        caps = etree.Element(W + "caps")
        rpr.insert(0, caps)
        _reorder(rpr)
    return style


def _table_style(style: etree._Element) -> None:
    """Top and bottom rules, light horizontal lines, a shaded bold header row."""
    tblpr = style.find(W + "tblPr")
    borders = _child(tblpr, "tblBorders")
    _border(borders, "top", 8, ACCENT)
    _border(borders, "bottom", 8, ACCENT)
    _border(borders, "insideH", 4, RULE)
    rpr = style.find(W + "rPr")
    if rpr is None:
        rpr = etree.Element(W + "rPr")
        style.insert(list(style).index(tblpr), rpr)
    _child(rpr, "sz").set(W + "val", "19")
    _child(rpr, "szCs").set(W + "val", "19")
    _reorder(rpr)
    _reorder(borders)
    _reorder(tblpr)
    first = style.find(f"{W}tblStylePr[@{W}type='firstRow']")
    _child(first, "rPr", first=True).append(etree.Element(W + "b"))
    shade = _child(first.find(W + "tcPr"), "shd")
    shade.attrib.update({W + "val": "clear", W + "color": "auto", W + "fill": HEADER_FILL})
    _reorder(first.find(W + "tcPr"))


def document(xml: bytes, footer_rel: str) -> bytes:
    """Give the body an A4 section with house margins and the page-number footer."""
    root = etree.fromstring(xml)
    body = root.find(W + "body")
    for old in body.findall(W + "sectPr"):
        body.remove(old)
    sect = etree.SubElement(body, W + "sectPr")
    ref = etree.SubElement(sect, W + "footerReference")
    ref.set(W + "type", "default")
    ref.set(f"{{{R_NS}}}id", footer_rel)
    etree.SubElement(sect, W + "pgSz").attrib.update({W + k: v for k, v in A4.items()})
    etree.SubElement(sect, W + "pgMar").attrib.update({W + k: v for k, v in MARGINS.items()})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build(source: bytes) -> bytes:
    """The house reference document made from pandoc's default one."""
    with zipfile.ZipFile(io.BytesIO(source)) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    footer_rel = "rIdHouseFooter"
    parts["word/styles.xml"] = style_sheet(parts["word/styles.xml"])
    parts["word/document.xml"] = document(parts["word/document.xml"], footer_rel)
    parts[FOOTER_PART] = FOOTER_XML.encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    footer = f'<Relationship Id="{footer_rel}" Type="{R_NS}/footer" Target="footer1.xml"/>'
    rels = rels.replace("</Relationships>", footer + "</Relationships>")
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace(
        "</Types>",
        '<Override PartName="/word/footer1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            # a fixed timestamp keeps the committed file byte-stable across regenerations
            stamp = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            zout.writestr(stamp, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write the house reference document (default: templates/reference.docx under cwd)."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path("templates") / "reference.docx"
    target.write_bytes(build(default_reference()))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
