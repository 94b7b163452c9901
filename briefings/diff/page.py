"""The draft-only "What changed" page: counts per section since the edition reviewers last read.

A draft is compared, before it is rendered, with the assembled Markdown of the last edition
reviewers commented on (else the previous draft): both are parsed by pandoc (citations as
written, not resolved) and aligned by paragraph id exactly as `briefings diff` does.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..project import Project
from ..publish.writer import edition_key, published_editions
from ..render.pandoc import run_pandoc
from .compare import compare
from .summary import summarise
from .words import Revision


def base_edition(
    project: Project, paper_id: str, edition_id: str, reviewed: list[str]
) -> tuple[str, bool] | None:
    """The edition the draft `edition_id` is compared with (published before it: a rebuild by
    `briefings verify` finds the same one), and whether reviewers commented on it."""
    editions = [
        e for e in published_editions(project, paper_id) if edition_key(e) < edition_key(edition_id)
    ]
    for edition_id in reversed(editions):
        if edition_id in reviewed:
            return edition_id, True
    drafts = [e for e in editions if e.split("-")[1:2] == ["draft"]]
    return (drafts[-1], False) if drafts else None


def changes_since(
    project: Project, paper_id: str, edition_id: str, markdown: str, reviewed: list[str]
) -> dict[str, Any] | None:
    """What the new draft's Markdown changes since its base edition, or None without a base."""
    base = base_edition(project, paper_id, edition_id, reviewed)
    if base is None:
        return None
    old_id, was_reviewed = base
    old_path = project.outputs / paper_id / old_id / f"{paper_id}.md"
    if not old_path.is_file():
        return None
    with ThreadPoolExecutor(max_workers=2) as pool:
        old_ast, new_ast = pool.map(_parse, (old_path.read_text(encoding="utf-8"), markdown))
    redline = compare(old_ast, new_ast, Revision("briefings", ""))
    summary = summarise(redline, old_id, "this draft")
    present = {u.key for u in redline.new_units}
    for section in summary["sections"]:
        section["present"] = section["section"] in present
    summary["reviewed"] = was_reviewed
    return summary


def _parse(markdown: str) -> dict:
    run = run_pandoc(["--sandbox", "--from", "markdown", "--to", "json"], markdown.encode("utf-8"))
    return json.loads(run.output)
