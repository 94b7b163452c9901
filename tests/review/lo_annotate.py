"""Run by Debian's /usr/bin/python3 (python3-uno): act as a reviewer in a running LibreOffice.

usage: lo_annotate.py PIPE-NAME IN.docx OUT.docx JSON   comment on IN, save as DOCX at OUT
       lo_annotate.py PIPE-NAME IN.docx --list          print IN's comments as JSON lines
JSON: a list of {"find": text, "text": comment, "author": ..., "initials": ...,
                 "style": paragraph style prefix, "in_table": bool, "reply_to": index,
                 "resolved": bool}.
"style"/"in_table" choose which occurrence of `find` gets the comment; "reply_to" makes the
comment a reply as LibreOffice's own UI does: another comment on the same range.
An edit with changes recorded instead of a comment: {"find": text, "track": "bold"} (a
formatting change), {"find": text, "track": "insert", "text": added after it},
{"find": text, "track": "delete"}, {"find": text, "track": "move", "before": text} (deleted
there and typed again before the other text: LibreOffice records a move).
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe, attempts=240):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(attempts):  # soffice takes a few seconds to accept connections
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.25)
    sys.exit("LibreOffice did not accept a connection")


def _style_matches(found, style):
    name = (found.getPropertyValue("ParaStyleName") or "").replace(" ", "").lower()
    return name.startswith(style.replace(" ", "").lower())


def find(doc, note):
    """The first occurrence of note["find"] of the wanted kind (findFirst/findNext ranges)."""
    search = doc.createSearchDescriptor()
    search.SearchString = note["find"]
    search.SearchCaseSensitive = True
    found = doc.findFirst(search)
    while found is not None:
        in_table = found.getPropertyValue("TextTable") is not None
        if (not note.get("style") or _style_matches(found, note["style"])) and (
            note.get("in_table") is None or in_table == note["in_table"]
        ):
            return found
        found = doc.findNext(found.getEnd(), search)
    sys.exit(f"text not found: {note['find']!r} ({note.get('style') or ''})")


def track(doc, note):
    """One edit made with changes recorded."""
    doc.RecordChanges = True
    target = find(doc, note)
    if note["track"] == "bold":
        target.CharWeight = 150.0  # com.sun.star.awt.FontWeight.BOLD
    elif note["track"] == "insert":
        target.getText().insertString(target.getEnd(), note["text"], False)
    elif note["track"] == "delete":
        target.setString("")
    elif note["track"] == "move":
        target.setString("")
        there = find(doc, {"find": note["before"]})
        there.getText().insertString(there.getStart(), note["find"], False)
    doc.RecordChanges = False


def annotate(doc, notes):
    for i, note in enumerate(notes):
        if "track" in note:
            track(doc, note)
            continue
        # a reply: the same range again (what LibreOffice's Reply does, saved as DOCX)
        target = find(doc, notes[note["reply_to"]] if "reply_to" in note else note)
        annotation = doc.createInstance("com.sun.star.text.textfield.Annotation")
        annotation.Author = note["author"]
        annotation.Initials = note.get("initials", "")
        annotation.Content = note["text"]
        stamp = uno.createUnoStruct("com.sun.star.util.DateTime")
        stamp.Year, stamp.Month, stamp.Day, stamp.Hours, stamp.Minutes = 2024, 5, 6, 9, i % 60
        annotation.DateTimeValue = stamp
        if note.get("resolved"):
            annotation.Resolved = True  # LibreOffice 7.x: saved as w15:done in commentsExtended
        text = target.getText()
        try:
            text.insertTextContent(target, annotation, True)  # absorb: a ranged comment
        except Exception:  # a range over several portions (e.g. in a cell): go through a cursor
            text.insertTextContent(text.createTextCursorByRange(target), annotation, True)


def listing(doc):
    fields = doc.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if not field.supportsService("com.sun.star.text.textfield.Annotation"):
            continue
        anchor = field.getAnchor()
        print(
            json.dumps(
                {
                    "author": field.Author,
                    "text": field.Content,
                    "anchor": anchor.getString() if anchor is not None else "",
                    "resolved": bool(getattr(field, "Resolved", False)),
                    "parent": getattr(field, "ParentName", "") or "",
                    "name": getattr(field, "Name", "") or "",
                }
            )
        )


def main(pipe, source, target, spec=None):
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
    )
    if doc is None:
        sys.exit(f"LibreOffice could not open {source}")
    try:
        if target == "--list":
            listing(doc)
            return
        annotate(doc, json.loads(spec))
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
