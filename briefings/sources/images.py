"""Images an edition may carry: checked by their bytes, never fetched, never read through a link.

Editors' images come only from the paper's own `figures/` folder: a relative path, no `..`, no
symlink, a regular file whose bytes are a PNG, JPEG or GIF. Images the pipeline makes itself
(a chart) are checked the same way — an SVG of its own only if it is self-contained: no script,
no event handler, no reference outside itself but embedded images: `checked_image_bytes`, then
`briefings.assemble.markdown.image_markdown` puts one into a template's output. The render stage
embeds every image as a `data:` URI (pandoc runs with `--sandbox` and reads no image itself).
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import SourceError

FIGURES = "figures"
MAX_IMAGE_BYTES = 20_000_000
# Leading bytes of each image type an edition may carry (every format shows them).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


class ImageRefused(SourceError):
    """An image that may not go into an edition; the message says why, in an editor's words."""


@dataclass(frozen=True)
class CheckedImage:
    """Bytes known to be a PNG, JPEG or GIF image."""

    mime: str
    suffix: str
    data: bytes

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"

    @property
    def file_name(self) -> str:
        """A name that depends only on the content (for the Typst build's media folder)."""
        return f"{hashlib.sha256(self.data).hexdigest()[:16]}.{self.suffix}"


def checked_image_bytes(data: bytes, svg: bool = False) -> CheckedImage:
    """`data` as a CheckedImage, or ImageRefused when it is not a PNG, JPEG or GIF image (or,
    with `svg` — for images the pipeline draws — a self-contained SVG)."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefused(f"image is larger than {MAX_IMAGE_BYTES // 1_000_000} MB")
    for signature, mime, suffix in _SIGNATURES:
        if data.startswith(signature):
            return CheckedImage(mime, suffix, data)
    if svg and data.lstrip().startswith(b"<"):
        return _checked_svg(data)
    raise ImageRefused("not a PNG, JPEG or GIF image (checked by its content)")


_SVG = "{http://www.w3.org/2000/svg}"
_SVG_ACTIVE = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
_EMBEDDED = ("#", "data:image/png;", "data:image/jpeg;", "data:image/gif;")


def _checked_svg(data: bytes) -> CheckedImage:
    """An SVG that can run nothing and load nothing."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(data)
    except Exception:  # defusedxml refuses entities and DTDs; any parse error is a refusal
        raise ImageRefused("not a well-formed SVG image") from None
    if root.tag != f"{_SVG}svg":
        raise ImageRefused("not an SVG image")
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1]
        if name in _SVG_ACTIVE:
            raise ImageRefused(f"SVG image has a <{name}> element")
        if name == "style" and "url(" in (element.text or "").replace("url(#", ""):
            raise ImageRefused("SVG image's style loads something from outside")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local.lower().startswith("on"):
                raise ImageRefused(f"SVG image has an event handler ({local})")
            if local == "href" and not value.strip().startswith(_EMBEDDED):
                raise ImageRefused("SVG image refers to something outside itself")
            if "url(" in value.replace("url(#", "").replace("url('#", "").replace('url("#', ""):
                raise ImageRefused("SVG image's style loads something from outside")
    return CheckedImage("image/svg+xml", "svg", data)


def checked_figure(paper_dir: Path, src: str) -> CheckedImage:
    """The editor's image `src` (as written in prose), read from the paper's figures/ folder."""
    if ":" in src.split("/", 1)[0] or src.startswith(("/", "\\")) or "\\" in src:
        raise ImageRefused(f"image {src!r} must be a relative path inside {FIGURES}/")
    parts = PurePosixPath(src).parts
    if ".." in parts or len(parts) < 2 or parts[0] != FIGURES:
        raise ImageRefused(f"image {src!r} must be a file inside the paper's {FIGURES}/ folder")
    path = Path(paper_dir)
    for part in parts:
        path = path / part
        try:
            mode = path.lstat().st_mode
        except OSError:
            raise ImageRefused(f"image {src!r} does not exist") from None
        if stat.S_ISLNK(mode):
            raise ImageRefused(f"image {src!r} is (or lies under) a symbolic link")
    if not stat.S_ISREG(mode):
        raise ImageRefused(f"image {src!r} is not a regular file")
    # O_NOFOLLOW: the file cannot be swapped for a link after the check.
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_IMAGE_BYTES + 1)
    return checked_image_bytes(data)
