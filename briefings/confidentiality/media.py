"""Embedded media: `data:` URIs and binary package parts, read as the gate must see them.

An image (PNG, JPEG, GIF, WebP, checked by content) contributes the text of its metadata; an SVG
its text and attributes; anything else is refused: an edition embeds images and nothing else.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from urllib.parse import unquote_to_bytes

# data:[<media type>][;base64],<data> -- in attributes, CSS url(), Markdown links, XML.
DATA_URI = re.compile(
    r"(?<![\w-])data:([\w.+-]+/[\w.+-]+)?((?:;[\w.+-]+=?[\w.+-]*)*),([^\s\"'()<>\]]+)", re.I
)
_MAX_TEXT = 4_000_000  # bytes of metadata read from one image (a zTXt bomb stops here)
_STRINGS = re.compile(rb"[\x20-\x7e]{3,}")
_UTF16 = re.compile(rb"(?:[\x20-\x7e]\x00){3,}")


def sniff(data: bytes) -> str | None:
    """The image type of `data` by its content, or None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        return "svg"
    return None


def decode_data_uri(match: re.Match) -> bytes:
    """The bytes a `data:` URI carries (base64 or percent-encoded)."""
    payload = match[3]
    if ";base64" in (match[2] or "").lower():
        try:
            return base64.b64decode(unquote_to_bytes(payload) + b"===", validate=False)
        except (binascii.Error, ValueError):
            return unquote_to_bytes(payload)
    return unquote_to_bytes(payload)


def metadata_text(kind: str, data: bytes) -> str:
    """The text an image carries besides its pixels: PNG text chunks, JPEG comments and APP
    segments (EXIF, XMP), and for other types every printable run of bytes."""
    if kind == "png":
        return "\n".join(_png_texts(data))
    if kind == "jpeg":
        return "\n".join(_jpeg_texts(data))
    return _strings(data)


def _strings(data: bytes) -> str:
    ascii_runs = [m.decode("ascii") for m in _STRINGS.findall(data)]
    utf16_runs = [m.decode("utf-16-le") for m in _UTF16.findall(data)]
    return "\n".join(ascii_runs + utf16_runs)


def _text(data: bytes) -> str:
    """Latin-1 by the PNG specification; UTF-8 where a writer ignored it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data, _MAX_TEXT)
    except zlib.error:
        return b""


def _png_texts(data: bytes):
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"tEXt":
            yield _text(body.replace(b"\0", b"\n"))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            yield _text(key) + "\n" + _text(_inflate(rest[1:]))
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[:1] == b"\x01", rest[2:]
            language, _, rest = rest.partition(b"\0")
            translated, _, text = rest.partition(b"\0")
            text = _inflate(text) if compressed else text
            parts = (key, language, translated, text)
            yield "\n".join(p.decode("utf-8", errors="replace") for p in parts)
        elif kind not in (b"IDAT", b"IHDR", b"PLTE", b"IEND"):
            yield _strings(body)  # eXIf and any private chunk


def _jpeg_texts(data: bytes):
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA:  # start of scan: pixel data follows
            break
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        body = data[pos + 4 : pos + 2 + length]
        pos += 2 + length
        if marker == 0xFE:  # comment
            yield body.decode("utf-8", errors="replace")
        elif 0xE0 <= marker <= 0xEF:  # APPn: JFIF, EXIF, XMP, ICC, Photoshop
            yield _strings(body)
