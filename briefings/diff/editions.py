"""Which two editions a diff compares, and checks that they are what their manifests say."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import DiffError, Problem
from ..project import Project
from ..publish.manifest import sha256_file
from ..publish.writer import edition_key, published_editions


@dataclass(frozen=True)
class PublishedEdition:
    paper_id: str
    edition_id: str
    path: Path
    manifest: dict

    @property
    def markdown(self) -> Path:
        return self.path / f"{self.paper_id}.md"

    @property
    def final(self) -> bool:
        return bool(self.manifest.get("final"))

    @property
    def built_at(self) -> str:
        return str(self.manifest.get("built_at", ""))


def load(project: Project, paper_id: str, edition_id: str) -> PublishedEdition:
    """An edition of paper_id, checked against its manifest (one-line DiffError otherwise)."""
    root = project.outputs / paper_id
    where = project.relative(root)
    path = root / edition_id
    if "/" in edition_id or edition_id.startswith(".") or not (path / "manifest.json").is_file():
        known = published_editions(project, paper_id)
        hint = f" (newest: {known[-1]})" if known else " (none published yet)"
        raise DiffError(f"{where}: no edition {edition_id!r}{hint}")
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DiffError(f"{where}/{edition_id}/manifest.json: unreadable ({exc})") from None
    if manifest.get("paper") != paper_id or manifest.get("edition") != edition_id:
        raise DiffError(
            f"{where}/{edition_id}/manifest.json: names paper {manifest.get('paper')!r} edition "
            f"{manifest.get('edition')!r}, not {paper_id!r} {edition_id!r}"
        )
    edition = PublishedEdition(paper_id, edition_id, path, manifest)
    _check_files(project, edition)
    return edition


def _check_files(project: Project, edition: PublishedEdition) -> None:
    problems = []
    files = dict(edition.manifest.get("outputs", {}))
    for name, entry in files.items():
        file = edition.path / name
        if not file.is_file():
            problems.append(Problem(project.relative(file), "listed in the manifest but missing"))
        elif sha256_file(file) != entry.get("sha256"):
            problems.append(Problem(project.relative(file), "does not match its manifest checksum"))
    if not edition.markdown.is_file():
        problems.append(Problem(project.relative(edition.markdown), "assembled Markdown missing"))
    if problems:
        raise DiffError(f"edition {edition.edition_id} does not match its manifest", problems)


def choose(
    project: Project,
    paper_id: str,
    old: str | None,
    new: str | None,
    reviewed: list[str] | None = None,
) -> tuple[PublishedEdition, PublishedEdition]:
    """OLD and NEW as the command's defaults say.

    NEW: the newest edition. OLD: the newest edition before NEW that reviewers commented on
    (from the review ledger), else the edition before NEW of the same kind (draft or final).
    """
    known = published_editions(project, paper_id)
    if not known:
        raise DiffError(f"{project.relative(project.outputs / paper_id)}: no edition published")
    new_ed = load(project, paper_id, new or known[-1])
    if old is not None:
        return load(project, paper_id, old), new_ed
    earlier = [e for e in known if edition_key(e) < edition_key(new_ed.edition_id)]
    for edition_id in reversed(earlier):
        if edition_id in set(reviewed or ()):
            return load(project, paper_id, edition_id), new_ed
    for edition_id in reversed(earlier):
        candidate = load(project, paper_id, edition_id)
        if candidate.final == new_ed.final:
            return candidate, new_ed
    raise DiffError(
        f"{paper_id}: no earlier {'final' if new_ed.final else 'draft'} edition than "
        f"{new_ed.edition_id} to compare with (name one: briefings diff {paper_id} OLD NEW)"
    )
