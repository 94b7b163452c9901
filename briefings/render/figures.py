"""Images in the Typst edition with their alt text.

pandoc 3.9's Typst writer drops an image's alt text (it writes `image("…")` even with `fig-alt`),
and PDF/UA-1 refuses an image without one. So each image becomes raw Typst written here:
`image("media/…", alt: "…")`, its bytes copied into the compile folder. By then every image is a
checked `data:` URI (briefings.render.content): nothing here reads a file named by content.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..pandoc_ast import Node, map_inlines, raw_inline, text
from ..sources.images import checked_image_bytes
from .content import decoded_image

LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(%|cm|mm|in|pt|em|px)$")


def typst_images(ast: Node, work: Path) -> None:
    """Replace every Image by `#image(path, alt: ..)`; the bytes go into work/media/."""
    media = work / "media"

    def write(node: Node) -> list[Node] | None:
        if node["t"] != "Image":
            return None
        attr, alt_inlines, (target, _title) = node["c"]
        if not target.startswith("data:"):
            return None  # cannot happen: resolve() embedded or refused every image
        # SVG only from the pipeline's own chart: editors' images were refused unless PNG/JPEG/GIF
        image = checked_image_bytes(decoded_image(target), svg=True)
        data, suffix = image.data, "." + image.suffix
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
