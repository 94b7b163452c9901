"""Language of parts: spans marked `lang` (a German act title in an English paper) in every format.

pandoc's DOCX and HTML writers carry a span's `lang` (as `w:lang` and `lang=`); its Typst writer
drops it on inline spans, so for Typst each such span becomes `#text(lang: ..)[...]`, which
Typst also writes into the tagged PDF as the span's language.
"""

from __future__ import annotations

import re

from ..pandoc_ast import Node, map_inlines, raw_inline

TAG = re.compile(r"^([a-z]{2,3})(?:-([A-Z]{2}))?$")


def typst_language_spans(ast: Node) -> None:
    """Replace each inline span carrying a `lang` attribute by a Typst `text(lang:)` call."""

    def mark(node: Node) -> list[Node] | None:
        if node["t"] != "Span":
            return None
        attrs = dict(node["c"][0][2])
        found = TAG.match(attrs.get("lang", ""))
        if not found:
            return None
        language, region = found.groups()
        # The paper's region (GB) must not carry over: "de-GB" is not a language anyone reads.
        args = f'lang: "{language}", region: ' + (f'"{region}"' if region else "none")
        return [raw_inline("typst", f"#text({args})["), *node["c"][1], raw_inline("typst", "]")]

    map_inlines(ast["blocks"], mark)
