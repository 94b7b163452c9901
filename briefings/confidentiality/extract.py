"""Every piece of text an edition file carries: body, attributes, XML parts, metadata, file names.

Each extractor returns `Chunk`s labelled with where in the file the text sits, so a hit can be
reported as "report.docx: word/footnotes.xml" without ever printing the text.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

from defusedxml import ElementTree

from .media import DATA_URI, decode_data_uri, metadata_text, sniff

TEXT_SUFFIXES = {
    ".md",
    ".markdown",
    ".txt",
    ".json",
    ".yaml",
    ".yml",
    ".csv",
    ".typ",
    ".tex",
    ".xml",
    ".svg",
    ".css",
    ".js",
    ".bib",
    ".ris",
}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Chunk:
    # Where in the file, e.g. "text", "attribute alt", "word/footnotes.xml", "metadata /Author".
    part: str
    text: str
    refused: str = ""  # why the gate refuses this part whatever it holds (media not an image)


def extract(path: Path) -> list[Chunk]:
    """All text of one file, by its kind; unknown binaries contribute their name only."""
    chunks = [Chunk("file name", path.name)]
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        chunks += html_chunks(path.read_text(encoding="utf-8", errors="replace"))
    elif suffix in (".docx", ".docm", ".dotx", ".odt", ".pptx", ".xlsx"):
        chunks += zip_xml_chunks(path)
    elif suffix == ".pdf":
        chunks += pdf_chunks(path)
    elif suffix in TEXT_SUFFIXES:
        chunks.append(Chunk("text", path.read_text(encoding="utf-8", errors="replace")))
    return chunks


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.data: list[str] = []
        self.comments: list[str] = []
        self.attributes: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value:
                self.attributes.setdefault(name, []).append(value)

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.data.append(data)

    def handle_comment(self, data):  # apart: a name split by a comment reads whole without it
        self.comments.append(data)


def html_chunks(html: str) -> list[Chunk]:
    """Text (elements apart: the matcher joins a name split across them), comments, and every
    attribute."""
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    chunks = [Chunk("text", " ".join(parser.data)), Chunk("comments", "\n".join(parser.comments))]
    chunks += [
        Chunk(f"attribute {name}", "\n".join(dict.fromkeys(values)))
        for name, values in sorted(parser.attributes.items())
    ]
    return chunks


def _xml_chunks(name: str, data: bytes) -> list[Chunk]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return [Chunk(name, data.decode("utf-8", errors="replace"))]
    texts, attributes, paragraphs = [], [], []
    for element in root.iter():
        texts += [t for t in (element.text, element.tail) if t and t.strip()]
        attributes += [v for v in element.attrib.values() if v]
        if element.tag.endswith("}p"):
            paragraphs.append(_paragraph_text(element))
    # Each distinct attribute value once: "preserve", style names and widths repeat by thousands.
    distinct = "\n".join(dict.fromkeys(attributes))
    chunks = [Chunk(name, "\n".join(texts)), Chunk(f"{name} attributes", distinct)]
    if paragraphs:
        # Runs split a word ("Nor" + "vale"): read each paragraph's runs joined without spaces too.
        chunks.append(Chunk(name, "\n".join(paragraphs)))
    return chunks


def _paragraph_text(paragraph) -> str:
    parts = []
    for element in paragraph.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("t", "delText", "instrText") and element.text:
            parts.append(element.text)
        elif element.tag in (_W + "tab", _W + "br", _W + "cr"):
            parts.append(" ")
    return "".join(parts)


def zip_xml_chunks(path: Path) -> list[Chunk]:
    """Every XML part of an OOXML/ODF package (document, notes, comments, headers, props, rels)."""
    chunks: list[Chunk] = []
    with zipfile.ZipFile(path) as archive:
        chunks.append(Chunk("package part names", "\n".join(archive.namelist())))
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels", ".vml")):
                chunks += _xml_chunks(info.filename, archive.read(info))
            elif info.filename == "mimetype":  # ODF
                chunks.append(Chunk(info.filename, archive.read(info).decode("ascii", "replace")))
            elif not info.is_dir():  # word/media/*: images only
                chunks += media_chunks(info.filename, archive.read(info))
    return chunks


def media_chunks(part: str, data: bytes) -> list[Chunk]:
    """An embedded file: an image's metadata text, an SVG's text, or a refusal."""
    kind = sniff(data)
    if kind is None:
        return [Chunk(part, "", refused="embedded media that is not an image")]
    if kind == "svg":
        return _xml_chunks(part, data)
    return [Chunk(f"{part} ({kind} metadata)", metadata_text(kind, data))]


def embedded(chunks: list[Chunk], depth: int = 0) -> list[Chunk]:
    """Chunks for what every `data:` URI in `chunks` carries (an SVG may carry more of them)."""
    found = [
        chunk
        for source in chunks
        if "data:" in source.text.lower()
        for match in DATA_URI.finditer(source.text)
        for chunk in media_chunks(f"{source.part}: data: URI", decode_data_uri(match))
    ]
    return found + embedded(found, depth + 1) if found and depth < 3 else found


def pdf_chunks(path: Path) -> list[Chunk]:
    """Page text, document information, XMP metadata, bookmarks and link targets."""
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject, StreamObject

    reader = PdfReader(path)
    chunks = [Chunk(f"page {n}", text) for n, text in enumerate(_page_texts(path), 1)]
    for key, value in (reader.metadata or {}).items():
        chunks.append(Chunk(f"metadata {key}", str(value)))
    root = cast(DictionaryObject, reader.trailer["/Root"].get_object())
    if "/Metadata" in root:
        xmp = cast(StreamObject, root["/Metadata"].get_object()).get_data()
        chunks += [Chunk("XMP metadata", c.text) for c in _xml_chunks("XMP", xmp)]
    chunks.append(Chunk("bookmarks", "\n".join(_outline_titles(reader.outline))))
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            for key in ("/URI", "/D"):
                if key in action:
                    links.append(str(action[key]))
    chunks.append(Chunk("links", "\n".join(links)))
    return chunks


def _page_texts(path: Path) -> list[str]:
    """Text of every page, by PDFium (over ten times faster than pypdf's pure-Python extractor).

    PDFium marks a hyphen at a line end as U+0002 and ends lines with CRLF: turn both into a soft
    hyphen and a newline (what pypdf gives), so the normaliser joins hyphenated words.
    """
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(
                textpage.get_text_bounded().replace("\x02", "\u00ad\n").replace("\r\n", "\n")
            )
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(str(item.title))
    return titles


def readable(chunks: list[Chunk]) -> list[Chunk]:
    """The chunks as the gate reads them: each `data:` URI's payload cut from the text it sits in
    (base64 is not text anyone reads, and a large one only costs time), and what every `data:`
    URI carries added as chunks of its own."""
    cut = [
        replace(c, text=DATA_URI.sub(_payload_cut, c.text)) if "data:" in c.text.lower() else c
        for c in chunks
    ]
    return cut + embedded(chunks)


def _payload_cut(match) -> str:
    return f"data:{match[1] or ''}{match[2] or ''},"
