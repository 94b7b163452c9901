"""The PDF edition: pandoc writes Typst source with the house template, the typst package
compiles it."""

from __future__ import annotations

import re
from pathlib import Path

import typst

from ..errors import Problem, RenderError
from ..pandoc_ast import Node, to_json
from .figures import typst_images
from .options import RenderOptions
from .pandoc import run_pandoc

LOCATION = re.compile(r"┌─ [^\n]*?:(\d+):(\d+)")


class TypstFailure(RenderError):
    """Typst failed to compile (or warned, in a strict build); one message per item."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages), [Problem("Typst", m) for m in messages])
        self.messages = messages


def write_pdf(ast: Node, target: Path, options: RenderOptions, work: Path) -> list[str]:
    """Write the PDF edition of `ast` (changed in place) to target, using `work` for its
    images; return warnings."""
    typst_images(ast, work)
    ast_json = to_json(ast)
    args = [
        "--from",
        "json",
        # citeproc has already rendered the citations: keep Typst from making its own.
        "--to",
        "typst-citations",
        "--standalone",
        "--template",
        str(options.typst_template),
        "--toc",
        "--toc-depth=2",
        *options.strict_args(),
    ]
    if options.draft:
        args += ["--variable", "briefing-draft=true"]
    run = run_pandoc(args, ast_json, cwd=work)
    source = run.output
    try:
        # typst's stub binds its `Input` type variable across arguments left at their defaults,
        # so no overload matches; the call is the documented one.
        pdf, warnings = typst.compile_with_warnings(  # type: ignore[call-overload]
            source,
            root=str(work),
            ignore_system_fonts=True,
            # One clock: the PDF's dates, XMP and /ID derive from the build time.
            timestamp=options.built_at,
            # PDF/UA-1: tagged, titled, language set, every image with alt text.
            pdf_standards="ua-1",
        )
    except typst.TypstError as error:
        raise TypstFailure([describe(error, source)]) from None
    messages = [describe(w, source) for w in warnings]
    if options.strict and messages:
        raise TypstFailure(messages)
    target.write_bytes(pdf)
    return run.warnings + [f"[WARNING] Typst: {m}" for m in messages]


def describe(diagnostic: typst.TypstError | typst.TypstWarning, source: bytes) -> str:
    """A Typst diagnostic as one line: message, line of the generated source, and that line."""
    text = str(getattr(diagnostic, "message", diagnostic)).strip()
    found = LOCATION.search(getattr(diagnostic, "diagnostic", "") or "")
    if not found:
        return text
    number = int(found.group(1))
    lines = source.decode("utf-8", "replace").splitlines()
    snippet = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return f"{text} (line {number} of the generated Typst source: {snippet[:80]!r})"
