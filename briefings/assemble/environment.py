"""The Jinja2 environment every section template and prose file is rendered in."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import cache
from ..errors import Problem, TemplateError
from ..wording import midsentence, number_words, quantity
from .dates import long_date, prose_dates
from .markdown import escape_md, in_language
from .phrasing import sub_theme_line, theme_opening

# Jinja syntax shared by section templates and prose.
_SYNTAX: dict[str, Any] = dict(
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    # pandoc's `{#id}` attributes would open Jinja comments: use `{## ##}` instead.
    comment_start_string="{##",
    comment_end_string="##}",
)
# Largest string or list an operator in prose may make (`{{ "x" * 10**9 }}` would exhaust memory).
MAX_OPERATOR_RESULT = 100_000


@dataclass
class SourceMap:
    """Bookmark id -> where its text came from; filled while templates render."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    section: str = ""  # the section being rendered
    tables: dict[str, int] = field(default_factory=dict)  # tables declared per section

    def table(self, columns: dict[str, str]) -> GeneratedTable:
        """Declare a generated table: header text -> source field of the cells below it.

        Review traces a comment on a cell to its row's source and its column's field (by header
        text, so a column dropped at render time does not shift the others). Renders nothing.
        """
        ordinal = self.tables.get(self.section, 0)
        self.tables[self.section] = ordinal + 1
        key = f"{self.section}:{ordinal}"
        for header, field_name in columns.items():
            self.entries[f"column:{key}:{header}"] = {"field": field_name}
        return GeneratedTable(self, key)

    def block(self, block_id: str, source: str, field_name: str) -> str:
        """Open a fenced div with a stable id (a DOCX bookmark) and record its source."""
        if block_id in self.entries:
            message = f"block id {block_id!r} used twice: a bookmark must be unique"
            raise TemplateError(message, [Problem(source, message, field_name)])
        self.entries[block_id] = {"source": source, "field": field_name}
        return "::: {#" + block_id + "}"


@dataclass
class GeneratedTable:
    """Rows of a declared table, numbered from 1 below the header row."""

    source_map: SourceMap
    key: str
    rows: int = 0

    def row(self, source: str, field_prefix: str = "") -> str:
        """Record where the next body row comes from; renders as nothing."""
        self.rows += 1
        self.source_map.entries[f"row:{self.key}:{self.rows}"] = {
            "source": source,
            "field": field_prefix,
        }
        return ""


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Section templates compiled once and kept between builds (checked against each template's
    source every time); a folder that cannot be written only costs the compile."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def make_environment(
    template_dir: Path, source_map: SourceMap, compiled: Path | None = None
) -> jinja2.Environment:
    """The environment of the project's own section templates (templates/sections/).

    `compiled` is a folder for their compiled code (see briefings.cache); None compiles anew.
    """
    kept = _CompiledTemplates(str(compiled)) if compiled and cache.enabled() else None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)), bytecode_cache=kept, **_SYNTAX
    )
    env.filters["md"] = escape_md
    env.filters["long_date"] = long_date
    env.filters["prose_dates"] = prose_dates
    env.filters["words"] = number_words
    env.filters["quantity"] = quantity
    env.filters["midsentence"] = midsentence
    env.filters["in_language"] = in_language
    env.globals["block"] = source_map.block
    env.globals["table"] = source_map.table
    env.globals["theme_opening"] = theme_opening
    env.globals["sub_theme_line"] = sub_theme_line
    return env


class ProseEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox editors' prose is rendered in: no attribute starting with `_`, no mutation,
    no include or import, and no operator that builds a huge value. A blocked access raises
    `jinja2.exceptions.SecurityError`."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise jinja2.exceptions.SecurityError(f"exponent {right} is too large")
        if operator == "%" and isinstance(left, str):
            raise jinja2.exceptions.SecurityError("string formatting with % is not available")
        if operator == "*" and isinstance(left, (str, list, tuple)) != isinstance(
            right, (str, list, tuple)
        ):
            size, times = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
            if isinstance(times, int) and len(size) * times > MAX_OPERATOR_RESULT:
                raise jinja2.exceptions.SecurityError("repetition makes too long a value")
        return super().call_binop(context, operator, left, right)


def make_prose_environment() -> jinja2.Environment:
    """The sandboxed environment of hand-written prose: only the documented variables reach it."""
    env = ProseEnvironment(loader=jinja2.DictLoader({}), **_SYNTAX)
    env.filters["md"] = escape_md
    env.filters["long_date"] = long_date
    env.filters["words"] = number_words
    env.filters["quantity"] = quantity
    env.filters["midsentence"] = midsentence
    return env
