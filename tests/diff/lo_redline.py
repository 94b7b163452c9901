"""Run by Debian's /usr/bin/python3 (python3-uno): open DOCX files in a running LibreOffice.

usage: lo_redline.py PIPE-NAME FILE.docx [FILE.docx ...]
Prints JSON, per file: {"changes": tracked changes LibreOffice lists, "text": the text as
opened, "accepted": the text after Accept All, "rejected": after Reject All (a fresh load)}.
"""

import json
import os
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
    for _ in range(attempts):
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            time.sleep(0.5)
    raise SystemExit("LibreOffice did not accept a connection")


def text_of(doc):
    # A document's last paragraph mark cannot be deleted (Word and LibreOffice alike): rejecting
    # a page added at the very end leaves one empty paragraph, which is no text.
    text = doc.getText().getString().rstrip()
    tables = doc.getTextTables()
    for i in range(tables.getCount()):
        table = tables.getByIndex(i)
        text += "\n" + "\n".join(table.getCellByName(n).getString() for n in table.getCellNames())
    return text


def main():
    ctx = connect(sys.argv[1])
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    out = {}
    for path in sys.argv[2:]:
        url = uno.systemPathToFileUrl(os.path.abspath(path))
        result = {}
        for action in ("", "Accept", "Reject"):
            doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
            if doc is None:
                raise SystemExit(f"LibreOffice could not open {path}")
            if not action:
                result["changes"] = doc.getRedlines().getCount()
                result["text"] = text_of(doc)
            else:
                frame = doc.getCurrentController().getFrame()
                dispatcher.executeDispatch(frame, f".uno:{action}AllTrackedChanges", "", 0, ())
                result["accepted" if action == "Accept" else "rejected"] = text_of(doc)
                result[f"left_after_{action.lower()}"] = doc.getRedlines().getCount()
            doc.close(True)
        out[path] = result
    print(json.dumps(out))


main()
