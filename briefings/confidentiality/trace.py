"""Find which source file and field a leaked name came from, so the editor knows what to fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..project import Project
from ..roster import RosterNames, Term
from ..sources.roster import load_roster
from ..sources.yamlio import YamlSyntaxError, read_yaml

_TEXT = {
    ".yaml",
    ".yml",
    ".md",
    ".markdown",
    ".j2",
    ".typ",
    ".html",
    ".css",
    ".bib",
    ".json",
    ".csl",
    ".txt",
}


@dataclass(frozen=True)
class Origin:
    file: str  # as shown to editors
    field: str | None
    line: int | None


def source_files(project: Project, paper_id: str) -> list[Path]:
    """Every text file an edition of the paper can draw on, except the roster itself."""
    _entries, roster = load_roster(project, paper_id)
    roots = [project.paper_dir(paper_id), project.regulations, project.templates]
    files = [p for r in roots if r.is_dir() for p in sorted(r.rglob("*")) if p.is_file()]
    shared = project.sources / "references.yaml"
    files += [shared] if shared.is_file() else []
    skip = {roster.resolve()} if roster else set()
    skip.add((project.paper_dir(paper_id) / "interviews" / "roster.yaml").resolve())
    return [p for p in files if p.suffix.lower() in _TEXT and p.resolve() not in skip]


def trace(
    project: Project, paper_id: str, names: RosterNames, terms: list[Term]
) -> dict[tuple, list[Origin]]:
    """For each term, the source files (and YAML fields) that contain it."""
    origins: dict[tuple, list[Origin]] = {t.words: [] for t in terms}
    for path in source_files(project, paper_id):
        text = path.read_text(encoding="utf-8", errors="replace")
        present = {t.words: t for t in names.find(text)}
        hits = [t for t in terms if t.words in present]
        if not hits:
            continue
        shown = project.relative(path)
        for term in hits:
            origins[term.words] += _fields(path, shown, text, names, term)
    return origins


def _fields(path: Path, shown: str, text: str, names: RosterNames, term: Term) -> list[Origin]:
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            doc = read_yaml(path, shown)
        except YamlSyntaxError:
            doc = None
        if doc is not None:
            found = [
                Origin(shown, ".".join(map(str, loc)) or None, doc.line_of(loc))
                for loc, value in _leaves(doc.data, ())
                if term in names.find(value)
            ]
            if found:
                return found
    return [Origin(shown, None, names.line_of(text, term))]


def _leaves(data, loc: tuple):
    if isinstance(data, dict):
        for key, value in data.items():
            yield loc + (key,), str(key)
            yield from _leaves(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, loc + (i,))
    elif data is not None:
        yield loc, str(data)
