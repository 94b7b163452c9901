"""`briefings diff`: compare two published editions and write the redlines and a summary."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import folder_mode, make_folder, seal_folder
from ..project import Project
from ..render.citations import resolve
from ..render.docx import write_docx
from ..render.html import write_html
from ..render.options import RenderOptions, paper_render_options
from ..render.prepare import fitted, for_format
from ..sources.loader import PaperSources, load_paper
from .compare import compare
from .editions import PublishedEdition, choose
from .html import for_html, legend
from .summary import summarise, summary_markdown
from .track_docx import track_changes
from .units import DRAFT_ONLY_SECTIONS
from .words import Revision

AUTHOR = "briefings"


@dataclass(frozen=True)
class DiffResult:
    old: str
    new: str
    folder: Path | None  # None: the two editions say the same
    files: tuple[Path, ...]
    tracked_changes: int = 0


def changes_folder(project: Project, paper_id: str, old: str, new: str) -> Path:
    return project.outputs / paper_id / "changes" / f"{old}..{new}"


def diff_editions(
    project: Project,
    paper_id: str,
    old: str | None = None,
    new: str | None = None,
    reviewed: list[str] | None = None,
    charts_for: Callable[[PaperSources], Iterable[Any]] | None = None,
) -> DiffResult:
    """Compare OLD and NEW (defaults: see `choose`); write the redline DOCX, HTML and summary.

    `charts_for` draws the paper's charts (the editions hold only their placeholders); without
    it the redline shows none.
    """
    old_ed, new_ed = choose(project, paper_id, old, new, reviewed)
    rev = Revision(AUTHOR, _ooxml_date(new_ed.built_at))
    sources = load_paper(project, paper_id)
    options = paper_render_options(
        sources, new_ed.final, dt.datetime.fromisoformat(new_ed.built_at)
    )
    stem = f"{paper_id}-redline"
    charts = {c.figure_id: c for c in (charts_for(sources) if charts_for else ())}
    # Each edition's own citeproc run, so every citation reads as it did in its edition.
    with ThreadPoolExecutor(max_workers=2) as pool:
        old_ast, new_ast = pool.map(lambda e: _parse(e, options), (old_ed, new_ed))
    redline = compare(old_ast, new_ast, rev)
    if not [c for c in redline.changes if c.section not in DRAFT_ONLY_SECTIONS]:
        return DiffResult(old_ed.edition_id, new_ed.edition_id, None, ())
    summary = summarise(redline, old_ed.edition_id, new_ed.edition_id)
    meta = dict(new_ast.get("meta", {}))
    # Custom properties of the DOCX: review ingest reads the redline as a copy of NEW whose
    # tracked changes by AUTHOR are the edition's own text.
    meta["redline-of"] = {"t": "MetaString", "c": old_ed.edition_id}
    meta["redline-author"] = {"t": "MetaString", "c": AUTHOR}
    document = {**new_ast, "meta": meta, "blocks": redline.blocks}
    html_meta = {
        **meta,
        "subtitle": {
            "t": "MetaString",
            "c": f"Redline: what changed from edition {old_ed.edition_id} to {new_ed.edition_id}",
        },
    }
    html_doc = {
        **document,
        "meta": html_meta,
        "blocks": legend(old_ed.edition_id, new_ed.edition_id) + for_html(document["blocks"]),
    }
    target = changes_folder(project, paper_id, old_ed.edition_id, new_ed.edition_id)
    make_folder(target.parent, folder_mode())
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    try:
        docx_path, html_path = staging / f"{stem}.docx", staging / f"{stem}.html"
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [
                pool.submit(write_docx, for_format(document, "docx", charts), docx_path, options),
                pool.submit(write_html, for_format(html_doc, "html", charts), html_path, options),
            ]
            for job in jobs:
                job.result()
        count = track_changes(docx_path, rev.author, rev.date)
        (staging / "summary.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        markdown = summary_markdown(summary)
        (staging / "summary.md").write_text(markdown, encoding="utf-8")
        _gate(sources, markdown, [docx_path, html_path, staging / "summary.json"])
        seal_folder(staging)  # published modes (BRIEFINGS_UMASK), whatever the process umask
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = tuple(target / p.name for p in (docx_path, html_path)) + (
        target / "summary.md",
        target / "summary.json",
    )
    return DiffResult(old_ed.edition_id, new_ed.edition_id, target, files, count)


def redline_since_review(
    project: Project,
    paper_id: str,
    new: str,
    charts_for: Callable[[PaperSources], Iterable[Any]] | None = None,
) -> DiffResult | None:
    """The redline of edition `new` against the last earlier edition reviewers commented on
    (what a flow run links for reviewers), or None when reviewers have seen none."""
    from ..publish.writer import edition_key
    from ..review.service import reviewed_editions

    reviewed = sorted(
        (e for e in reviewed_editions(project, paper_id) if edition_key(e) < edition_key(new)),
        key=edition_key,
    )
    if not reviewed:
        return None
    return diff_editions(project, paper_id, reviewed[-1], new, charts_for=charts_for)


def _parse(edition: PublishedEdition, options: RenderOptions) -> dict:
    """An edition's assembled Markdown as pandoc's AST, citations resolved."""
    markdown = edition.markdown.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="briefings-diff-") as work:
        ast, _ = resolve(markdown, options, edition.edition_id, Path(work))
    return fitted(ast)


def _gate(sources, markdown: str, files: list[Path]) -> None:
    from ..confidentiality import check_edition

    check_edition(sources.project, sources.paper.id, markdown, files, sources.paper.allowlist)


def _ooxml_date(built_at: str) -> str:
    """2026-11-30T00:03:55+00:00 -> 2026-11-30T00:03:55Z (the form Word writes)."""
    return built_at.replace("+00:00", "Z") if built_at else "1970-01-01T00:00:00Z"
