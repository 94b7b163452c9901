"""The DOCX package as the last step leaves it: true properties and one clock in every byte.

python-docx (and LibreOffice, and any other rewriter) stamps zip entries with the time of saving,
so this runs after every step that rewrites the file: it sets the core-property dates to the
build time, replaces pandoc's template statistics in `app.xml` with none, and rewrites the zip
with fixed entry times, order, permissions and compression.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from lxml import etree

from ..clock import iso

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
DCTERMS = "http://purl.org/dc/terms/"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
# Zip (DOS) times cannot be earlier than 1980.
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def settle(path: Path, built_at: dt.datetime, application: str) -> None:
    """Rewrite the DOCX at `path` so its bytes depend only on its content and `built_at`."""
    with zipfile.ZipFile(path) as package:
        parts = [(info.filename, package.read(info)) for info in package.infolist()]
    # In place, not beside: the file is in the staging folder (discarded if anything fails),
    # and a second copy would need the disk space of a second DOCX.
    path.write_bytes(settled(parts, built_at, application))


def settled(parts: list[tuple[str, bytes]], built_at: dt.datetime, application: str) -> bytes:
    """The DOCX package of `parts` (name, bytes), in order, as `settle` leaves a file."""
    stamp = max(built_at, ZIP_EPOCH).astimezone(dt.UTC)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in parts:
            if name == CORE:
                data = core_properties(data, built_at)
            elif name == APP:
                data = app_properties(application)
            info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o644 << 16
            package.writestr(info, data, compresslevel=6)
    return out.getvalue()


def core_properties(xml: bytes, built_at: dt.datetime) -> bytes:
    """core.xml with created and modified set to the build time."""
    root = etree.fromstring(xml)
    for tag in ("created", "modified"):
        for element in root.iter(f"{{{DCTERMS}}}{tag}"):
            element.text = iso(built_at)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def app_properties(application: str) -> bytes:
    """app.xml naming the real producer and claiming no statistics (pandoc's are its template's).

    Word and LibreOffice compute pages and words themselves when they open the file.
    """
    root = etree.Element(f"{{{EXTENDED}}}Properties", nsmap={None: EXTENDED})
    etree.SubElement(root, f"{{{EXTENDED}}}Application").text = application
    etree.SubElement(root, f"{{{EXTENDED}}}DocSecurity").text = "0"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
