"""Escaping of source values, so text from YAML can never change the document's structure."""

from __future__ import annotations

import re

from ..sources.images import CheckedImage

# Characters pandoc's Markdown reader gives meaning to inline. Every ASCII punctuation character
# may be backslash-escaped in pandoc Markdown, so escaping is always safe.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|$@~^&=!])")
# Line starts that would open a list or a definition; pandoc honours a backslash only before
# punctuation, so "1." becomes "1\." (not "\1.").
_LEADING = re.compile(r"^(\s*)(\(?(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+)?)([-+:%.)])(?=\s|$)")


def escape_md(value: object) -> str:
    """`value` as literal inline Markdown text: specials escaped, line breaks folded to spaces."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _SPECIAL.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)


def in_language(markdown: str, lang: str | None) -> str:
    """Markdown (already escaped) marked as being in `lang`, when given: `[…]{lang=de}`.

    pandoc carries the span's language into DOCX runs (`w:lang`), HTML (`lang=`) and, through
    briefings.render.language, Typst's tagged PDF.
    """
    return f"[{markdown}]{{lang={lang}}}" if lang else markdown


def image_markdown(image: CheckedImage, alt: str) -> str:
    """Markdown that puts a checked image (e.g. a generated chart) into a template's output."""
    return f"![{escape_md(alt)}]({image.data_uri})"
