"""The Jinja2 environment every section template and prose file is rendered in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .markdown import escape_md


@dataclass
class SourceMap:
    """Bookmark id -> where its text came from; filled while templates render."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)

    def block(self, block_id: str, source: str, field_name: str) -> str:
        """Open a fenced div with a stable id (a DOCX bookmark) and record its source."""
        if block_id in self.entries:
            raise ValueError(f"block id {block_id!r} used twice")
        self.entries[block_id] = {"source": source, "field": field_name}
        return "::: {#" + block_id + "}"


def long_date(value: dt.date | str) -> str:
    """26 November 2026 (no leading zero, English month)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def make_environment(template_dir: Path, source_map: SourceMap) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # pandoc's `{#id}` attributes would open Jinja comments: use `{## ##}` instead.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters["md"] = escape_md
    env.filters["long_date"] = long_date
    env.globals["block"] = source_map.block
    return env
