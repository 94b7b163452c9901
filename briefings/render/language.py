"""Language of parts: a German act title in an English paper is marked German in every format.

Registry titles arrive as spans with `lang` (assemble's `in_language`); bibliography entries
get their CSL item's `language` here. pandoc's DOCX and HTML writers carry `lang` (as `w:lang`
and `lang=`); its Typst writer drops it on spans and drops the region on divs (so the paper's
region would make "de-GB"), so for Typst each becomes `text(lang:, region:)`, which Typst
writes into the tagged PDF as the part's language.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..pandoc_ast import Node, blocks_of, map_inlines, raw_inline, span

TAG = re.compile(r"^([a-z]{2,3})(?:-([A-Z]{2}))?$")


def csl_languages(paths: list[Path]) -> dict[str, str]:
    """Item id -> `language` of the CSL YAML/JSON bibliographies (already validated at gather)."""
    languages: dict[str, str] = {}
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        items = data.get("references", []) if isinstance(data, dict) else data
        for item in items or []:
            if isinstance(item, dict) and item.get("language") and item.get("id"):
                languages[str(item["id"])] = str(item["language"])
    return languages


def bibliography_languages(ast: Node, languages: dict[str, str]) -> None:
    """Give each bibliography entry (citeproc's div `ref-<id>`) its item's language."""
    for blocks in blocks_of(ast["blocks"]):
        for block in blocks:
            if block.get("t") != "Div":
                continue
            ident, _classes, attrs = block["c"][0]
            language = (
                languages.get(ident.removeprefix("ref-")) if ident.startswith("ref-") else None
            )
            if language and TAG.match(language) and "lang" not in dict(attrs):
                attrs.append(["lang", language])


def typst_language_divs(ast: Node) -> None:
    """A div's `lang` moves onto its paragraphs' text, as spans (see typst_language_spans).

    pandoc's Typst writer turns it into `#set text(lang:)` without the region, in a block that
    loses the bibliography's hanging indent.
    """
    for blocks in blocks_of(ast["blocks"]):
        for block in blocks:
            if block.get("t") != "Div":
                continue
            attrs = block["c"][0][2]
            lang = dict(attrs).get("lang", "")
            if not TAG.match(lang):
                continue
            block["c"][0][2] = [a for a in attrs if a[0] != "lang"]
            for inner in blocks_of(block["c"][1]):
                for paragraph in inner:
                    if paragraph.get("t") in ("Para", "Plain"):
                        paragraph["c"] = [span(paragraph["c"], attrs=[("lang", lang)])]


def _args(language: str, region: str | None) -> str:
    # The paper's region (GB) must not carry over: "de-GB" is not a language anyone reads.
    return f'lang: "{language}", region: ' + (f'"{region}"' if region else "none")


def typst_language_spans(ast: Node) -> None:
    """Replace each inline span carrying a `lang` attribute by a Typst `text(lang:)` call."""

    def mark(node: Node) -> list[Node] | None:
        if node["t"] != "Span":
            return None
        attrs = dict(node["c"][0][2])
        found = TAG.match(attrs.get("lang", ""))
        if not found:
            return None
        args = _args(*found.groups())
        return [raw_inline("typst", f"#text({args})["), *node["c"][1], raw_inline("typst", "]")]

    map_inlines(ast["blocks"], mark)
