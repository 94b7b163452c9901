"""The draft-only "What changed" page: counts per section since the edition reviewers last read.

A draft is compared, before it is rendered, with the assembled Markdown of the last edition
reviewers commented on (else the previous draft): both as pandoc reads them (citations as
written, not resolved), aligned by paragraph id exactly as `briefings diff` does. The draft's
reading is the one assemble made; the older edition's is kept in the project's cache when it
is published (and read again only when the cache lacks it).
"""

from __future__ import annotations

from typing import Any

from .. import cache
from ..pandoc_ast import MARKDOWN, Node, from_json, pandoc_version, read_markdown, to_json
from ..project import Project
from ..publish.writer import edition_key, published_editions
from ..render.citations import split_front_matter
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
    project: Project, paper_id: str, edition_id: str, new_ast: Node, reviewed: list[str]
) -> dict[str, Any] | None:
    """What the new draft (pandoc's reading of its body) changes since its base edition, or
    None without a base."""
    base = base_edition(project, paper_id, edition_id, reviewed)
    if base is None:
        return None
    old_id, was_reviewed = base
    old_path = project.outputs / paper_id / old_id / f"{paper_id}.md"
    if not old_path.is_file():
        return None
    old_ast = edition_body(project, old_path.read_text(encoding="utf-8"), old_id)
    redline = compare(old_ast, new_ast, Revision("briefings", ""))
    summary = summarise(redline, old_id, "this draft")
    present = {u.key for u in redline.new_units}
    for section in summary["sections"]:
        section["present"] = section["section"] in present
    summary["reviewed"] = was_reviewed
    return summary


def edition_body(project: Project, markdown: str, shown: str) -> Node:
    """pandoc's reading of a published edition's Markdown body, kept in the project's cache
    (each build stores its own: see `remember_edition`), so a draft reads only itself."""
    body = split_front_matter(markdown)[1]
    made = cache.cached(
        project.cache / "editions",
        _body_key(body),
        lambda: to_json(read_markdown(body, shown)),
    )
    return from_json(made)


def remember_edition(project: Project, markdown: str, body_ast: Node) -> None:
    """Keep a just-published edition's reading for the next draft's "What changed" page."""
    body = split_front_matter(markdown)[1]
    data = to_json(body_ast)
    cache.write(project.cache / "editions", _body_key(body), data)


def _body_key(body: str) -> str:
    return cache.key_of(["edition body", MARKDOWN, pandoc_version(), body])
