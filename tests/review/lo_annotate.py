"""Run by Debian's /usr/bin/python3 (python3-uno): open a DOCX in a running LibreOffice, comment,
save.

usage: lo_annotate.py PIPE-NAME IN.docx OUT.docx JSON
JSON: a list of {"find": text to anchor on, "text": comment, "author": ..., "initials": ...}.
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


def main(pipe, source, target, spec):
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(
        uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
    )
    try:
        for i, note in enumerate(json.loads(spec)):
            search = doc.createSearchDescriptor()
            search.SearchString = note["find"]
            found = doc.findFirst(search)
            if found is None:
                sys.exit(f"text not found: {note['find']!r}")
            annotation = doc.createInstance("com.sun.star.text.textfield.Annotation")
            annotation.Author = note["author"]
            annotation.Initials = note.get("initials", "")
            annotation.Content = note["text"]
            stamp = uno.createUnoStruct("com.sun.star.util.DateTime")
            stamp.Year, stamp.Month, stamp.Day, stamp.Hours, stamp.Minutes = 2024, 5, 6, 9, i
            annotation.DateTimeValue = stamp
            found.getText().insertTextContent(found, annotation, True)  # absorb: a ranged comment
        doc.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
