"""Images in the Typst edition with their alt text.

pandoc 3.9's Typst writer drops an image's alt text (it writes `image("…")` even with `fig-alt`),
and PDF/UA-1 refuses an image without one. So each image becomes raw Typst written here:
`image("media/…", alt: "…")`, its bytes (a file from the resource path, or a `data:` URI)
copied into the compile folder.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
import urllib.parse
from pathlib import Path

from ..pandoc_ast import Node, map_inlines, raw_inline, text

LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(%|cm|mm|in|pt|em|px)$")
SUFFIXES = {"image/svg+xml": ".svg", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}


def typst_images(ast: Node, work: Path, folders: list[Path]) -> None:
    """Replace every Image by `#image(path, alt: ..)`; the bytes go into work/media/."""
    media = work / "media"

    def write(node: Node) -> list[Node] | None:
        if node["t"] != "Image":
            return None
        attr, alt_inlines, (target, _title) = node["c"]
        data, suffix = _bytes_of(target, folders)
        if data is None:
            return None  # pandoc reports a missing image itself
        media.mkdir(exist_ok=True)
        name = hashlib.sha256(data).hexdigest()[:16] + suffix
        (media / name).write_bytes(data)
        keys = dict(attr[2])
        alt = keys.get("fig-alt") or keys.get("alt") or text(alt_inlines).strip()
        args = [f'"media/{name}"', f"alt: {_string(alt)}"]
        if "width" in keys:
            args.append(f"width: {_length(keys['width'])}")
        return [raw_inline("typst", f"#box(image({', '.join(args)}))")]

    map_inlines(ast["blocks"], write)


def _bytes_of(target: str, folders: list[Path]) -> tuple[bytes | None, str]:
    if target.startswith("data:"):
        header, _, payload = target[5:].partition(",")
        mime = header.split(";")[0]
        data = (
            base64.b64decode(payload)
            if header.endswith(";base64")
            else urllib.parse.unquote_to_bytes(payload)
        )
        return data, SUFFIXES.get(mime, ".bin")
    for folder in [*folders, Path.cwd()]:
        path = Path(folder) / target
        if path.is_file():
            suffix = path.suffix.lower() or SUFFIXES.get(mimetypes.guess_type(target)[0] or "", "")
            return path.read_bytes(), suffix
    return None, ""


def _string(value: str) -> str:
    """A Typst string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _length(value: str) -> str:
    """A pandoc width attribute ("80%", "10cm", "300px") as a Typst length."""
    found = LENGTH.match(value.strip())
    if not found:
        return "auto"
    number, unit = found.groups()
    return f"{float(number) * 0.75}pt" if unit == "px" else f"{number}{unit}"
