"""Editions at parity: DOCX title page, filled contents, numbered captions; tables that fit."""

from __future__ import annotations

import re
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

PAPER = "2023-tech-regulation"


@pytest.fixture(scope="module")
def edition(built_project):
    return built_project[1]


@pytest.fixture(scope="module")
def body(edition):
    return docx.Document(edition.files["docx"]).element.body


def _style(paragraph) -> str | None:
    found = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if found is None else found.get(qn("w:val"))


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t"))).replace("\u00a0", " ")


def test_docx_title_page_stands_alone(body):
    paragraphs = list(body.iter(qn("w:p")))
    first = [(_style(p), _text(p)) for p in paragraphs[:6]]
    assert [style for style, _ in first] == [
        "Series", "Title", "Subtitle", "Author", "Date", "DraftMark"
    ]  # fmt: skip
    assert first[0][1] == "2023 series"
    assert first[1][1] == "Advancing Human Rights Leadership in Technology Regulation"
    assert first[3][1] == "Roundtable on Human Rights and AI"
    assert first[4][1].startswith("30 November 2023")
    assert first[5][1] == "DRAFT — not for circulation"
    contents_heading = paragraphs[6]
    assert (_style(contents_heading), _text(contents_heading)) == ("TOCHeading", "Contents")
    assert contents_heading.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None


def test_docx_contents_is_a_filled_toc_field_of_linked_headings(body):
    (sdt,) = body.findall(qn("w:sdt"))
    instructions = "".join(i.text for i in sdt.iter(qn("w:instrText")))
    assert instructions.strip().startswith("TOC \\o")
    kinds = [c.get(qn("w:fldCharType")) for c in sdt.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    links = list(sdt.iter(qn("w:hyperlink")))
    headings = [p for p in body.iter(qn("w:p")) if _style(p) in ("Heading1", "Heading2")]
    assert [_text(link) for link in links] == [_text(h) for h in headings]
    assert len(links) > 30
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert {link.get(qn("w:anchor")) for link in links} <= bookmarks
    # The body starts on its own page after the contents.
    assert headings[0].find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None


def test_docx_captions_are_numbered_fields_like_the_pdf(edition, body):
    captions = [p for p in body.iter(qn("w:p")) if _style(p) == "TableCaption"]
    assert [_text(c).split(":")[0] for c in captions] == ["Table 1", "Table 2", "Table 3"]
    for caption in captions:
        (field,) = caption.iter(qn("w:fldSimple"))
        assert "SEQ Table" in field.get(qn("w:instr"))
    pdf = subprocess.run(
        ["pdftotext", str(edition.files["pdf"]), "-"], capture_output=True, text=True
    ).stdout
    html = edition.files["html"].read_text(encoding="utf-8")
    for caption in captions:
        number, title = _text(caption).split(": ", 1)
        assert f"{number}: {title.split()[0]}" in pdf
        label = number.replace(" ", "\u00a0")
        assert re.search(rf'caption-label">{label}:</span>\s*{re.escape(title.split()[0])}', html)
    names = [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(names) == len(set(names)), "a bookmark name is used twice"


def test_docx_rows_never_split_and_header_rows_repeat(body):
    tables = list(body.iter(qn("w:tbl")))
    assert len(tables) == 3
    for table in tables:
        rows = table.findall(qn("w:tr"))
        assert all(r.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for r in rows)
        assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_docx_quotes_keep_with_their_attribution(body):
    quotes = 0
    children = list(body)
    for i, child in enumerate(children):
        if child.tag == qn("w:p") and _text(child).startswith("— "):
            quotes += 1
            before = children[i - 1]
            assert _style(before) == "BlockText"
            assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
            assert child.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is None
    assert quotes > 10


def test_a_column_repeating_one_value_moves_into_the_caption(edition, body):
    appendix = list(body.iter(qn("w:tbl")))[2]
    header = [_text(c) for c in appendix.find(qn("w:tr")).findall(qn("w:tc"))]
    assert header == ["Instrument", "Jurisdiction", "Official identifiers"]
    html = edition.files["html"].read_text(encoding="utf-8")
    assert "Instruments and official identifiers (facts as of 26 November 2026)" in html
    assert ">Facts as of<" not in html


def test_column_widths_follow_content(body):
    findings = list(body.iter(qn("w:tbl")))[1]
    widths = [int(c.get(qn("w:w"))) for c in findings.iter(qn("w:gridCol"))]
    # Theme names are the long column; the short columns get what their words need.
    assert widths[0] == max(widths) and widths[0] / sum(widths) > 0.45
    assert min(widths) / sum(widths) > 0.1


def test_long_identifiers_break_after_slashes_only(edition, body):
    appendix = list(body.iter(qn("w:tbl")))[2]
    cell = next(t.text for t in appendix.iter(qn("w:t")) if "europa.eu" in (t.text or ""))
    assert "data.europa.eu/\u200beli/\u200breg/" in cell and "1689/oj" in cell
    html = edition.files["html"].read_text(encoding="utf-8")
    assert "data.europa.eu/<wbr>eli/<wbr>" in html


def test_findings_chart_is_in_every_format_with_its_data_in_the_alt_text(edition, body):
    alt_start = "Horizontal bar chart of 12 themes by the number of companies, out of 18"
    first_bar = "Fragmented and overlapping regulatory regimes (challenge): 15 of 18"
    # HTML: vector (inline SVG, role img, labelled and titled with the alt text), numbered caption.
    html = edition.files["html"].read_text(encoding="utf-8")
    figure = html[html.index('<figure id="fig-themes"') : html.index("</figure>")]
    svg = figure[figure.index("<svg") : figure.index(">", figure.index("<svg"))]
    assert 'role="img"' in svg and f'aria-label="{alt_start}' in svg and first_bar in svg
    assert f"<title>{alt_start}" in figure
    assert "Figure\u00a01:</span>" in figure
    # DOCX: a PNG with the same alt text, a SEQ Figure caption, kept with its caption.
    (drawing,) = body.iter(qn("wp:docPr"))
    assert drawing.get("descr").startswith(alt_start) and first_bar in drawing.get("descr")
    picture = next(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"))
    assert picture.get("descr") == drawing.get("descr")  # not the base64 source
    with zipfile.ZipFile(edition.files["docx"]) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert [package.read(n)[:8] for n in media] == [b"\x89PNG\r\n\x1a\n"]
    captions = [p for p in body.iter(qn("w:p")) if _style(p) == "ImageCaption"]
    assert [_text(c).split(":")[0] for c in captions] == ["Figure 1"]
    # PDF: the figure tagged with its alt text (PDF/UA-1 refuses an image without one).
    assert (
        "Figure 1: Themes by the number of companies"
        in subprocess.run(
            ["pdftotext", str(edition.files["pdf"]), "-"], capture_output=True, text=True
        ).stdout
    )
    alts = _struct_alts(PdfReader(edition.files["pdf"]).trailer["/Root"]["/StructTreeRoot"])
    assert [kind for kind, _ in alts] == ["/Figure"]
    assert alts[0][1].startswith(alt_start) and first_bar in alts[0][1]


def _struct_alts(node) -> list[tuple[str, str]]:
    """(structure type, alt text) of every tagged element carrying an /Alt."""
    node = node.get_object()
    if isinstance(node, list):
        return [found for kid in node for found in _struct_alts(kid)]
    if not isinstance(node, dict):
        return []
    found = [(str(node.get("/S")), str(node["/Alt"]))] if "/Alt" in node else []
    kids = node.get("/K")
    if kids is not None:
        found += _struct_alts(kids if isinstance(kids, list) else [kids])
    return found


def test_chart_bytes_depend_only_on_the_data():
    from briefings.render import chart

    bars = (chart.ThemeBar("A theme", "challenge", 3), chart.ThemeBar("Another", "opportunity", 1))
    first = chart.ThemeChart("fig-x", 4, bars)
    svg, png = first.svg(), first.png()
    chart.clear_drawings()
    again = chart.ThemeChart("fig-x", 4, bars)
    assert again.svg() == svg and again.png() == png
    assert b"<svg" in svg[:200] and b"A theme" in svg and png[:4] == b"\x89PNG"
    assert first.alt.endswith("A theme (challenge): 3 of 4; Another (opportunity): 1 of 4.")


def test_docx_carries_title_language_headings_kept_with_next(edition):
    document = docx.Document(edition.files["docx"])
    assert document.core_properties.title == (
        "Advancing Human Rights Leadership in Technology Regulation"
    )
    styles = document.styles.element
    default_lang = styles.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert default_lang.get(qn("w:val")) == "en-GB"
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert document.styles[name].paragraph_format.keep_with_next is True
    for drawing in document.element.body.iter(qn("wp:docPr")):
        assert drawing.get("descr"), "every image has alt text"
