"""Open a DOCX without trusting it: zip checks before inflating, XML without DTDs or entities."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import ReviewError


@dataclass(frozen=True)
class Limits:
    """Bounds a reviewed DOCX must stay within; a real briefing draft is far below each."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_members: int = 2000
    max_part_bytes: int = 32 * 1024 * 1024  # declared uncompressed size of one member
    max_total_bytes: int = 256 * 1024 * 1024  # declared uncompressed size of all members
    max_ratio: float = 200.0  # uncompressed / compressed, for members over ratio_floor
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = Limits()
_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_EOCD_SEARCH = 22 + 65535  # end-of-central-directory record plus the longest zip comment
_PARSER_OPTIONS = dict(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    remove_comments=True,
    remove_pis=True,
)


def open_docx(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> DocxParts:
    """Check a file is a plausible, bounded DOCX and return a reader of its parts."""
    p = Path(path)
    name = p.name
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ReviewError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if not p.is_file():
        raise ReviewError(f"{name}: not a file")
    if size > limits.max_file_bytes:
        raise ReviewError(f"{name}: file too large ({size} bytes; limit {limits.max_file_bytes})")
    _check_directory_size(p, name, limits)
    try:
        archive = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ReviewError(f"{name}: not a DOCX (not a zip file: {exc})") from None
    try:
        _check_members(name, archive, limits)
    except ReviewError:
        archive.close()
        raise
    return DocxParts(name, archive, limits)


def _check_directory_size(path: Path, name: str, limits: Limits) -> None:
    """Count members from the end-of-directory record, before zipfile builds one object per
    member."""
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - _EOCD_SEARCH))
            tail = handle.read()
    except OSError as exc:
        raise ReviewError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise ReviewError(f"{name}: not a DOCX (not a zip file: no end-of-directory record)")
    count = int.from_bytes(tail[at + 10 : at + 12], "little")
    if count > limits.max_members:  # 0xFFFF (ZIP64) lands here too: no DOCX has that many parts
        raise ReviewError(f"{name}: too many zip members ({count}; limit {limits.max_members})")


def _check_members(name: str, archive: zipfile.ZipFile, limits: Limits) -> None:
    try:
        infos = archive.infolist()
    except Exception as exc:  # a damaged central directory
        raise ReviewError(f"{name}: damaged zip ({exc})") from None
    if len(infos) > limits.max_members:
        raise ReviewError(
            f"{name}: too many zip members ({len(infos)}; limit {limits.max_members})"
        )
    names = {i.filename for i in infos}
    if "content.xml" in names and "mimetype" in names:  # OpenDocument (LibreOffice's own format)
        raise ReviewError(
            f"{name}: an OpenDocument file (.odt), not Word: save it as Word (.docx) "
            "(LibreOffice: File > Save As, Word 2007-365) and ingest that"
        )
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise ReviewError(f"{name}: a zip file but not a DOCX (no word/document.xml)")
    total = 0
    for info in infos:
        if info.file_size > limits.max_part_bytes:
            raise ReviewError(
                f"{name}: member {info.filename!r} declares {info.file_size} bytes "
                f"uncompressed (limit {limits.max_part_bytes}): refusing a zip bomb"
            )
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise ReviewError(
                f"{name}: member {info.filename!r} compresses {ratio:.0f}:1 "
                f"(limit {limits.max_ratio:.0f}:1): refusing a zip bomb"
            )
    if total > limits.max_total_bytes:
        raise ReviewError(
            f"{name}: members declare {total} bytes uncompressed "
            f"(limit {limits.max_total_bytes}): refusing a zip bomb"
        )


class DocxParts:
    """Reads parts of a checked DOCX, never inflating more than each declares."""

    def __init__(self, name: str, archive: zipfile.ZipFile, limits: Limits):
        self.name, self._zip, self._limits = name, archive, limits

    def __enter__(self) -> DocxParts:
        return self

    def __exit__(self, *exc) -> None:
        self._zip.close()

    def xml(self, part: str) -> etree._Element | None:
        """The parsed part, or None when the DOCX has no such part."""
        try:
            info = self._zip.getinfo(part)
        except KeyError:
            return None
        data = self._read(info)
        return parse_xml(data, f"{self.name}: {part}")

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        cap = min(info.file_size, self._limits.max_part_bytes)
        try:
            with self._zip.open(info) as stream:
                data = stream.read(cap + 1)
        except Exception as exc:  # bad CRC, unsupported compression, truncated data ...
            raise ReviewError(f"{self.name}: cannot inflate {info.filename!r} ({exc})") from None
        if len(data) > cap:
            raise ReviewError(f"{self.name}: {info.filename!r} inflates beyond its declared size")
        return data


def parse_xml(data: bytes, where: str) -> etree._Element:
    """Parse XML that may be hostile: DTDs and entity declarations are refused, never resolved."""
    for marker in _MARKERS:
        for encoded in (
            marker,
            marker.decode().encode("utf-16-le"),
            marker.decode().encode("utf-16-be"),
        ):
            if encoded in data:
                raise ReviewError(f"{where}: XML declares a DTD or entities: refused")
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise ReviewError(
            f"{where}: malformed XML ({str(exc).splitlines()[0] if str(exc) else 'empty'})"
        ) from None
    if root is None:
        raise ReviewError(f"{where}: empty XML")
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise ReviewError(f"{where}: XML declares a DTD or entities: refused")
    return root
