"""Word-format reviewed drafts, built by hand: no Word is available where these tests run.

What Word 2016+ writes when a reviewer comments, replies, resolves and tracks changes, built
from the published schemas rather than recorded from Word:
- ECMA-376 Part 1 (5th ed.) §17.13.4 comments (w:comment, w:commentRangeStart/End,
  w:commentReference), §17.13.5 revisions (w:ins, w:del/w:delText, w:moveFrom/w:moveTo with
  w:moveFromRangeStart/End and w:moveToRangeStart/End, w:rPrChange, w:pPrChange);
- [MS-DOCX] 2.5.44 commentsExtended (w15:commentEx: w15:paraId of the comment's last paragraph,
  w15:paraIdParent for a reply, w15:done for a resolved thread), 2.5.43 commentsIds
  (w16cid:commentId, durable ids), 2.5.56 people (w15:person with w15:presenceInfo);
- a reply is its own w:comment anchored on the same range as its parent, as Word saves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tests.review import review_kit as kit

W, W14, W15 = kit.W, kit.W14, kit.W15
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PARTS = {
    "comments.xml": (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    ),
    "commentsExtended.xml": (
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
    ),
    "commentsIds.xml": (
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml",
    ),
    "people.xml": (
        "http://schemas.microsoft.com/office/2011/relationships/people",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
    ),
}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def run(text: str, deleted: bool = False) -> etree._Element:
    r = etree.Element(w("r"))
    t = etree.SubElement(r, w("delText") if deleted else w("t"))
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


@dataclass
class WordReview:
    """A reviewed copy of a draft, edited as Word would save it."""

    parts: dict[str, bytes]
    document: etree._Element = field(init=False)
    comments: etree._Element = field(init=False)
    extended: etree._Element = field(init=False)
    ids: etree._Element = field(init=False)
    people: etree._Element = field(init=False)
    next_id: int = 100
    next_para: int = 0x3E000001

    footnotes: etree._Element | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.document = etree.fromstring(self.parts["word/document.xml"])
        if "word/footnotes.xml" in self.parts:
            self.footnotes = etree.fromstring(self.parts["word/footnotes.xml"])
        nsmap = {"w": W, "w14": W14, "w15": W15, "w16cid": W16CID}
        self.comments = etree.Element(w("comments"), nsmap=nsmap)
        self.extended = etree.Element(f"{{{W15}}}commentsEx", nsmap=nsmap)
        self.ids = etree.Element(f"{{{W16CID}}}commentsIds", nsmap=nsmap)
        self.people = etree.Element(f"{{{W15}}}people", nsmap=nsmap)

    @classmethod
    def of(cls, draft: Path) -> WordReview:
        return cls(kit.read_zip(draft))

    def paragraph(self, text: str) -> etree._Element:
        """The first paragraph (body, then footnotes) whose text contains `text`."""
        roots = [self.document] + ([self.footnotes] if self.footnotes is not None else [])
        for p in (p for root in roots for p in root.iter(w("p"))):
            if text in "".join(t.text or "" for t in p.iter(w("t"))):
                return p
        raise KeyError(text)

    def _isolate(self, p: etree._Element, phrase: str) -> etree._Element:
        """A run holding exactly `phrase`, split out of the paragraph's plain runs."""
        for r in p.iter(w("r")):
            ts = r.findall(w("t"))
            if len(ts) == 1 and phrase in (ts[0].text or ""):
                before, after = (ts[0].text or "").split(phrase, 1)
                ts[0].text = phrase
                ts[0].set(XML_SPACE, "preserve")
                for text, where in ((before, "addprevious"), (after, "addnext")):
                    if text:
                        twin = etree.fromstring(etree.tostring(r))
                        twin.find(w("t")).text = text
                        getattr(r, where)(twin)
                return r
        raise KeyError(phrase)

    def person(self, author: str, user_id: str) -> None:
        person = etree.SubElement(self.people, f"{{{W15}}}person")
        person.set(f"{{{W15}}}author", author)
        presence = etree.SubElement(person, f"{{{W15}}}presenceInfo")
        presence.set(f"{{{W15}}}providerId", "AD")
        presence.set(f"{{{W15}}}userId", user_id)

    def comment(
        self,
        in_paragraph: str,
        phrase: str,
        thread: list[tuple[str, str, str]],
        done: bool = False,
    ) -> None:
        """A thread on `phrase`: (author, date, text) for the comment, then each reply."""
        target = self._isolate(self.paragraph(in_paragraph), phrase)
        parent_para = None
        for author, date, text in thread:
            key = str(self.next_id)
            self.next_id += 1
            para_id = f"{self.next_para:08X}"
            self.next_para += 1
            start = etree.Element(w("commentRangeStart"))
            start.set(w("id"), key)
            end = etree.Element(w("commentRangeEnd"))
            end.set(w("id"), key)
            reference = etree.Element(w("r"))
            etree.SubElement(reference, w("commentReference")).set(w("id"), key)
            target.addprevious(start)
            target.addnext(end)
            end.addnext(reference)
            c = etree.SubElement(self.comments, w("comment"))
            c.set(w("id"), key)
            c.set(w("author"), author)
            c.set(w("date"), date)
            c.set(w("initials"), "".join(part[0] for part in author.split()))
            p = etree.SubElement(c, w("p"))
            p.set(f"{{{W14}}}paraId", para_id)
            p.set(f"{{{W14}}}textId", "77777777")
            p.append(run(text))
            ex = etree.SubElement(self.extended, f"{{{W15}}}commentEx")
            ex.set(f"{{{W15}}}paraId", para_id)
            if parent_para:
                ex.set(f"{{{W15}}}paraIdParent", parent_para)
            ex.set(f"{{{W15}}}done", "1" if done else "0")
            cid = etree.SubElement(self.ids, f"{{{W16CID}}}commentId")
            cid.set(f"{{{W16CID}}}paraId", para_id)
            cid.set(f"{{{W16CID}}}durableId", f"{0x5A000000 + int(key):08X}")
            parent_para = parent_para or para_id

    def _change(self, tag: str, author: str, date: str) -> etree._Element:
        el = etree.Element(w(tag))
        el.set(w("id"), str(self.next_id))
        el.set(w("author"), author)
        el.set(w("date"), date)
        self.next_id += 1
        return el

    def insert(self, in_paragraph: str, after: str, text: str, author: str, date: str) -> None:
        target = self._isolate(self.paragraph(in_paragraph), after)
        ins = self._change("ins", author, date)
        ins.append(run(text))
        target.addnext(ins)

    def delete(self, in_paragraph: str, phrase: str, author: str, date: str) -> None:
        target = self._isolate(self.paragraph(in_paragraph), phrase)
        d = self._change("del", author, date)
        target.addprevious(d)
        d.append(target)
        for t in target.findall(w("t")):
            t.tag = w("delText")

    def move(self, source: str, phrase: str, destination: str, author: str, date: str) -> None:
        """Move `phrase` out of one paragraph to the end of another (Word's w:moveFrom/To)."""
        target = self._isolate(self.paragraph(source), phrase)
        mark = self.next_id
        self.next_id += 1
        from_start = self._change("moveFromRangeStart", author, date)
        from_start.set(w("name"), f"move{mark}")
        from_end = etree.Element(w("moveFromRangeEnd"))
        from_end.set(w("id"), from_start.get(w("id")))
        moved_from = self._change("moveFrom", author, date)
        target.addprevious(from_start)
        from_start.addnext(moved_from)
        moved_from.append(target)
        moved_from.addnext(from_end)
        for t in target.findall(w("t")):
            t.tag = w("delText")
        dest = self.paragraph(destination)
        to_start = self._change("moveToRangeStart", author, date)
        to_start.set(w("name"), f"move{mark}")
        to_end = etree.Element(w("moveToRangeEnd"))
        to_end.set(w("id"), to_start.get(w("id")))
        moved_to = self._change("moveTo", author, date)
        moved_to.append(run(" " + phrase))
        dest.extend([to_start, moved_to, to_end])

    def bold(self, in_paragraph: str, phrase: str, author: str, date: str) -> None:
        """A tracked formatting change: `phrase` made bold (w:rPrChange keeps the old rPr)."""
        target = self._isolate(self.paragraph(in_paragraph), phrase)
        rpr = target.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            target.insert(0, rpr)
        old = etree.fromstring(etree.tostring(rpr))
        etree.SubElement(rpr, w("b"))
        change = self._change("rPrChange", author, date)
        old.tag = w("rPr")
        change.append(old)
        rpr.append(change)

    def save(self, path: Path) -> Path:
        parts = dict(self.parts)
        parts["word/document.xml"] = etree.tostring(
            self.document, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        if self.footnotes is not None:
            parts["word/footnotes.xml"] = etree.tostring(
                self.footnotes, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        for name, root in (
            ("comments.xml", self.comments),
            ("commentsExtended.xml", self.extended),
            ("commentsIds.xml", self.ids),
            ("people.xml", self.people),
        ):
            parts[f"word/{name}"] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
        types = etree.fromstring(parts["[Content_Types].xml"])
        have = {r.get("Target") for r in rels}
        overrides = {o.get("PartName") for o in types}
        pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
        ct = "http://schemas.openxmlformats.org/package/2006/content-types"
        for n, (target, (rel_type, content_type)) in enumerate(PARTS.items()):
            if target not in have:
                rel = etree.SubElement(rels, f"{{{pkg}}}Relationship")
                rel.set("Id", f"rIdWord{n}")
                rel.set("Type", rel_type)
                rel.set("Target", target)
            if f"/word/{target}" not in overrides:
                o = etree.SubElement(types, f"{{{ct}}}Override")
                o.set("PartName", f"/word/{target}")
                o.set("ContentType", content_type)
        parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True)
        parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True)
        return kit.write_zip(path, parts)
