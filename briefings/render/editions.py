"""Render the assembled Markdown into the requested editions, concurrently."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import cache
from ..errors import Problem, RenderError
from ..pandoc_ast import Node, to_json
from .chart import ThemeChart
from .citations import resolve
from .content import Origin
from .docx import write_docx
from .html import write_html
from .language import csl_languages
from .options import FORMATS, RenderOptions
from .pandoc import PandocFailure
from .pdf import TypstFailure, write_pdf
from .prepare import fitted, for_format

log = logging.getLogger(__name__)
LONGEST = ["pdf", "docx", "html"]  # the order renders start in: the longest first


def render_editions(
    markdown: str,
    formats: Iterable[str],
    out_dir: Path,
    stem: str,
    options: RenderOptions,
    origin: Origin | None = None,
    charts: Iterable[ThemeChart] = (),
    parsed: tuple[Node, list[str]] | None = None,
    written: Callable[[Path], None] = lambda _: None,
    deferred: cache.Deferred | None = None,
) -> dict[str, Path]:
    """Write out_dir/<stem>.<format> for each format; raise RenderError naming every failed
    format.

    `origin` says which source file and line wrote each block (for content errors); each chart
    takes the place of the empty div with its figure id (`::: {#fig-themes}`); `parsed` is
    pandoc's reading of the body, when the caller has it (see `resolve`); `written` is told of
    each file as soon as it is complete (in the thread that wrote it); `deferred` takes the
    cache entries this render makes, for the caller to keep once the gate has passed.
    """
    wanted = _checked(formats, options)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = {fmt: out_dir / f"{stem}.{fmt}" for fmt in wanted}
    problems: list[Problem] = []
    figures = {chart.figure_id: chart for chart in charts}
    with tempfile.TemporaryDirectory(prefix="briefings-render-") as work:
        # Each chart is made ready beside the citation pass: its drawing (started when the
        # synthesis had its themes, see ThemeChart.start) and, for the DOCX, its PNG.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart") as drawing:
            for chart in figures.values():
                if "docx" in wanted:
                    drawing.submit(chart.png)
                if {"html", "pdf"} & set(wanted):
                    drawing.submit(chart.svg)
            ast, warnings = resolve(markdown, options, stem, Path(work), origin, parsed, deferred)
        _log(stem, "md", warnings)
        shared = to_json(fitted(ast, csl_languages(options.bibliography)))
        # Each format prepares its own copy as its job starts (the PDF's pandoc then runs while
        # the next format is prepared).
        writers: dict[str, Callable[[Node], list[str]]] = {
            "docx": lambda ast: write_docx(ast, targets["docx"], options),
            "html": lambda ast: write_html(ast, targets["html"], options),
            "pdf": lambda ast: write_pdf(ast, targets["pdf"], options, Path(work)),
        }

        def job(fmt: str) -> list[str]:
            warnings = writers[fmt](for_format(shared, fmt, figures))
            written(targets[fmt])
            return warnings

        # Each job mostly waits on a pandoc subprocess (or Typst's compiler), so threads overlap
        # well; one per core (the PDF, the longest, first): more would only share the cores,
        # each pandoc with its own ~130 MB.
        workers = max(1, min(len(wanted), os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="render") as pool:
            started = {fmt: pool.submit(job, fmt) for fmt in sorted(wanted, key=LONGEST.index)}
            for fmt in wanted:  # problems in the editions' order
                try:
                    _log(stem, fmt, started[fmt].result())
                except PandocFailure as failure:
                    problems += [
                        Problem(f"{stem}.{fmt}", f"{fmt}: pandoc: {m}") for m in failure.messages
                    ]
                except TypstFailure as failure:
                    problems += [
                        Problem(f"{stem}.{fmt}", f"{fmt}: Typst: {m}") for m in failure.messages
                    ]
                except OSError as exc:
                    # A full or read-only disk: name the file (publish makes it one line).
                    if exc.filename:
                        raise
                    raise OSError(exc.errno, exc.strerror, str(targets[fmt])) from None
    if problems:
        for path in targets.values():
            path.unlink(missing_ok=True)
        failed = sorted({p.file.rsplit(".", 1)[-1] for p in problems})
        raise RenderError(f"rendering {stem} failed ({', '.join(failed)})", problems)
    return targets


def _checked(formats: Iterable[str], options: RenderOptions) -> list[str]:
    """The requested formats in canonical order, after checking formats and templates exist."""
    wanted = list(dict.fromkeys(formats))
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        given = ", ".join(unknown) or "none given"
        raise RenderError(f"unknown edition format ({given}); choose from {', '.join(FORMATS)}")
    needed = {
        "docx": options.reference_docx,
        "pdf": options.typst_template,
        "html": options.html_template,
    }
    missing = [
        Problem(str(needed[f]), "template file is missing")
        for f in wanted
        if not needed[f].is_file()
    ]
    if not options.style.is_file():
        missing.append(Problem(str(options.style), "CSL style file is missing"))
    if missing:
        raise RenderError("render templates are missing", missing)
    return [f for f in FORMATS if f in wanted]


def _log(stem: str, fmt: str, warnings: list[str]) -> None:
    for warning in warnings:
        log.warning("%s.%s: %s", stem, fmt, warning)
