"""Builders for review tests: a pandoc draft with the build's bookmarks, comments, changes."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import pypandoc
from docx import Document  # noqa: F401  (used by tests as kit.Document)
from lxml import etree

from briefings.project import Project

PAPER = "2023-tech-regulation"
EDITION = "draft-1"
SRC = f"paper_sources/{PAPER}"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"

INTRO = "Artificial intelligence changes how companies meet their human rights duties."
EU_SUMMARY = "The EU AI Act sorts AI systems into four tiers of risk."
FINDINGS_PLAIN = "Most companies lack a process for assessing AI risks."
QUOTE = "We need legal clarity before we can invest in safeguards."
REC = "Companies should run human rights impact assessments before deployment."


def markdown(paper: str = PAPER, edition: str = EDITION, rec: str = REC) -> str:
    return f"""---
title: Technology regulation and human rights
paper-id: {paper}
edition-id: {edition}
---

# Introduction {{#sec-introduction}}

::: {{#p-introduction-01}}
{INTRO}
:::

# Regulatory context {{#sec-regulatory-context}}

## EU AI Act {{#sec-reg-eu-ai-act}}

::: {{#p-reg-eu-ai-act-summary}}
{EU_SUMMARY}
:::

# Findings {{#sec-findings}}

{FINDINGS_PLAIN}

::: {{#p-quote-P07-03}}
{QUOTE}
:::

# Recommendations {{#sec-recommendations}}

::: {{#p-rec-04}}
{rec}
:::
"""


def source_map() -> dict:
    def entry(section, title, source, field=None):
        return {"section": section, "section_title": title, "source": source, "field": field}

    return {
        "sec-introduction": entry(
            "introduction", "Introduction", f"{SRC}/sections/introduction.md"
        ),
        "p-introduction-01": entry(
            "introduction", "Introduction", f"{SRC}/sections/introduction.md", "p-introduction-01"
        ),
        "sec-regulatory-context": entry(
            "regulatory-context",
            "Regulatory context",
            "templates/sections/regulatory-context.md.j2",
        ),
        "sec-reg-eu-ai-act": entry(
            "regulatory-context", "Regulatory context", "paper_sources/regulations/eu-ai-act.yaml"
        ),
        "p-reg-eu-ai-act-summary": entry(
            "regulatory-context",
            "Regulatory context",
            "paper_sources/regulations/eu-ai-act.yaml",
            "summary",
        ),
        "sec-findings": entry("findings", "Findings", "templates/sections/findings.md.j2"),
        "p-quote-P07-03": entry("findings", "Findings", f"{SRC}/interviews/P07.yaml", "P07-03"),
        "sec-recommendations": entry(
            "recommendations", "Recommendations", f"{SRC}/recommendations.yaml"
        ),
        "p-rec-04": entry(
            "recommendations", "Recommendations", f"{SRC}/recommendations.yaml", "rec-04"
        ),
    }


def pandoc_docx(md: str, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "docx", "-o", str(out)],
        input=md.encode("utf-8"),
        check=True,
    )
    return out


def build_edition(project: Project, edition: str, rec: str = REC) -> Path:
    """outputs/<paper>/<edition>/ with the DOCX and a manifest, as the build writes them."""
    folder = project.outputs / PAPER / edition
    docx = pandoc_docx(markdown(PAPER, edition, rec), folder / f"{PAPER}.docx")
    (folder / "manifest.json").write_text(
        json.dumps({"paper": PAPER, "edition": edition, "source_map": source_map()}),
        encoding="utf-8",
    )
    return docx


def paragraph(doc, text: str):
    return next(p for p in doc.paragraphs if text in p.text)


def comment(
    doc, text_in_paragraph: str, body: str, author: str, initials: str = "", date: str | None = None
):
    """A python-docx comment on the whole paragraph containing `text_in_paragraph`."""
    c = doc.add_comment(
        paragraph(doc, text_in_paragraph).runs, text=body, author=author, initials=initials
    )
    if date:
        c._comment_elm.set(f"{{{W}}}date", date)
    return c


def _run(text: str, deleted: bool = False):
    r = etree.Element(f"{{{W}}}r")
    t = etree.SubElement(r, f"{{{W}}}delText" if deleted else f"{{{W}}}t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def track_insertion(
    doc, text_in_paragraph: str, inserted: str, author: str, date: str, change_id: int
) -> None:
    """Raw OOXML: append a tracked insertion at the end of a paragraph."""
    p = paragraph(doc, text_in_paragraph)._p
    ins = etree.SubElement(
        p,
        f"{{{W}}}ins",
        {f"{{{W}}}id": str(change_id), f"{{{W}}}author": author, f"{{{W}}}date": date},
    )
    ins.append(_run(inserted))


def track_deletion(
    doc, text_in_paragraph: str, deleted: str, author: str, date: str, change_id: int
) -> None:
    """Raw OOXML: mark `deleted` (inside a one-run paragraph) as a tracked deletion."""
    para = paragraph(doc, text_in_paragraph)
    run = para.runs[0]._r
    text = "".join(para.runs[0].text)
    before, after = text.split(deleted, 1)
    d = etree.Element(
        f"{{{W}}}del",
        {f"{{{W}}}id": str(change_id), f"{{{W}}}author": author, f"{{{W}}}date": date},
    )
    d.append(_run(deleted, deleted=True))
    for piece in (_run(before), d, _run(after)):
        run.addprevious(piece)  # in place, so comment ranges around the run still hold it
    run.getparent().remove(run)


def save(doc, path: Path) -> Path:
    doc.save(str(path))
    return path


def thread(path: Path, replies: dict[int, int], done: set[int] = frozenset()) -> None:
    """Raw OOXML: give comments paraIds and write commentsExtended.xml (reply -> parent, done)."""
    parts = read_zip(path)
    comments = etree.fromstring(parts["word/comments.xml"])
    ex = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15})
    for c in comments.iter(f"{{{W}}}comment"):
        key = int(c.get(f"{{{W}}}id"))
        para_id = f"{key + 1:08X}"
        c.findall(f"{{{W}}}p")[-1].set(f"{{{W14}}}paraId", para_id)
        attrs = {f"{{{W15}}}paraId": para_id, f"{{{W15}}}done": "1" if key in done else "0"}
        if key in replies:
            attrs[f"{{{W15}}}paraIdParent"] = f"{replies[key] + 1:08X}"
        etree.SubElement(ex, f"{{{W15}}}commentEx", attrs)
    parts["word/comments.xml"] = etree.tostring(
        comments, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    parts["word/commentsExtended.xml"] = etree.tostring(
        ex, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdEx1" Type="http://schemas.microsoft.com/'
        'office/2011/relationships/commentsExtended" Target="commentsExtended.xml"/>'
        "</Relationships>",
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    ct = (
        parts["[Content_Types].xml"]
        .decode()
        .replace(
            "</Types>",
            '<Override PartName="/word/commentsExtended.xml"'
            ' ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.commentsExtended+xml"/></Types>',
        )
    )
    parts["[Content_Types].xml"] = ct.encode()
    write_zip(path, parts)


def read_zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_zip(path: Path, parts: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def reviewed(draft: Path, out: Path) -> Path:
    """A reviewed copy: comments (one with a reply, one done), an insertion and a deletion."""
    doc = Document(str(draft))
    comment(
        doc, REC, "Too vague: say which assessments.", "Ana Ortiz", "AO", "2024-05-03T10:00:00Z"
    )
    comment(
        doc, EU_SUMMARY, "Cite Article 6 for the tiers.", "Ben Okafor", "BO", "2024-05-04T09:30:00Z"
    )
    comment(
        doc,
        QUOTE,
        "Is consent to quote on file?\nPlease check.",
        "Ana Ortiz",
        "AO",
        "2024-05-03T11:00:00Z",
    )
    comment(
        doc,
        FINDINGS_PLAIN,
        "Give the number of companies.",
        "Ben Okafor",
        "BO",
        "2024-05-04T09:40:00Z",
    )
    comment(
        doc, QUOTE, "Agreed, consent is on file.", "Carla Diaz", "CD", "2024-05-05T08:00:00Z"
    )  # reply to 2
    track_insertion(
        doc, INTRO, " and their supply chains", "Ben Okafor", "2024-05-04T10:00:00Z", 901
    )
    track_deletion(doc, REC, "before deployment", "Ana Ortiz", "2024-05-03T12:00:00Z", 902)
    save(doc, out)
    thread(out, replies={4: 2}, done={3})
    return out


def read_zip_bytes(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def paragraph_at(doc, bookmark: str):
    """The paragraph a build bookmark marks: pandoc puts the bookmark just before it."""
    from docx.text.paragraph import Paragraph

    for start in doc.element.body.iter(f"{{{W}}}bookmarkStart"):
        if start.get(f"{{{W}}}name") == bookmark:
            el = start if start.getparent().tag != f"{{{W}}}p" else start.getparent()
            while el.tag != f"{{{W}}}p":
                el = el.getnext()
            return Paragraph(el, doc._body)
    raise KeyError(bookmark)


def unique_snippet(doc, text: str, size: int = 36) -> str:
    """A piece of `text` found exactly once in the whole document."""
    whole = "\n".join(p.text for p in doc.paragraphs)
    for begin in range(0, max(1, len(text) - size)):
        piece = text[begin : begin + size]
        if whole.count(piece) == 1:
            return piece
    raise ValueError(f"no unique snippet in {text[:40]!r}")


def comment_on(doc, para, body: str, author: str, initials: str = ""):
    return doc.add_comment(para.runs, text=body, author=author, initials=initials)


def run_phrase(draft, bookmark: str, words: int = 3, skip: int = 0) -> str:
    """A few words from one plain run of the paragraph a bookmark marks, unique in the draft."""
    doc = Document(str(draft))
    whole = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    para = paragraph_at(doc, bookmark)
    for r in para.runs:
        tokens = r.text.split()
        for i in range(skip, len(tokens) - words + 1):
            piece = " ".join(tokens[i : i + words])
            if len(piece) > 10 and whole.count(piece) == 1 and piece in r.text:
                return piece
    raise ValueError(f"no unique phrase in {bookmark}")
