"""Real edition files made with pandoc, python-docx and Typst, each hiding a name somewhere."""

from __future__ import annotations

import base64
from pathlib import Path

import pypandoc
import typst
from docx import Document

# A 1x1 PNG, so pandoc has a real image to embed.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

MARKDOWN = """---
title: A clean title
author: Ingrid Sørensen
reviewer: Tomasz Rose
---

Body text with an inline image ![Photo of the Brightwater office](pixel.png) and a
footnote.[^1] A [link](https://kestrel.example/profile "Kestrel Holdings AG profile") and a
[Ask NVS Labs]{{.comment-start id="0" author="Editor"}}commented phrase[]{{.comment-end id="0"}}.

[^1]: As told by a manager at Nor**vale**.
"""


def pandoc_edition(folder: Path, fmt: str) -> Path:
    """A DOCX or standalone HTML made by pandoc from MARKDOWN (image, footnote, link title,
    comment)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pixel.png").write_bytes(PIXEL)
    out = folder / f"edition.{fmt}"
    extra = ["--standalone", "--embed-resources"] if fmt == "html" else []
    pypandoc.convert_text(
        MARKDOWN.format(),
        fmt,
        format="markdown",
        outputfile=str(out),
        extra_args=[f"--resource-path={folder}", *extra],
    )
    return out


def docx_with_header(folder: Path, header: str, body: str = "Plain body.") -> Path:
    """A DOCX whose only sensitive text is in the page header."""
    folder.mkdir(parents=True, exist_ok=True)
    document = Document()
    document.add_paragraph(body)
    document.sections[0].header.paragraphs[0].text = header
    document.core_properties.author = "The Roundtable"
    out = folder / "header.docx"
    document.save(out)
    return out


def typst_pdf(
    folder: Path, *, author="The Roundtable", header="", body="Plain body.", note=""
) -> Path:
    """A PDF made by Typst; the body is set in a narrow justified column so long words hyphenate."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "edition.typ"
    footnote = f"#footnote[{note}]" if note else ""
    source.write_text(
        f'#set document(title: "A clean title", author: "{author}")\n'
        f"#set page(width: 6cm, height: auto, margin: 8mm, header: [{header}])\n"
        '#set par(justify: true)\n#set text(lang: "en", hyphenate: true, size: 11pt)\n'
        f"{body}{footnote}\n",
        encoding="utf-8",
    )
    out = folder / "edition.pdf"
    typst.compile(str(source), output=str(out))
    return out
