"""No change, no new edition: is the newest edition of a kind already what today's inputs make?

An edition records the hash of every input file (`sources`), the list of file names under the
folders inputs come from (`input_listing`, so an added or removed file counts), the tool
versions and the request's options. A build whose inputs hash the same as the newest edition of
the same kind (paper, draft or final, set of formats, options) has nothing to build. The check
reads one manifest and hashes files; it imports none of the stages, so it answers in a few
hundredths of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from ..project import Project
from .manifest import sha256_file
from .writer import published_editions

# Tools whose version shapes the bytes (pandoc's is pypandoc-binary's): as in the manifest.
TOOLS = ("briefings", "pypandoc-binary", "typst", "jinja2", "python-docx", "pydantic")


def input_roots(project: Project, paper_id: str) -> list[Path]:
    """Folders and files an edition's inputs come from (sources, registry, templates, refresh)."""
    return [
        project.paper_dir(paper_id),
        project.sources / "references.yaml",
        project.regulations,
        project.templates,
        project.sources / "refresh",
    ]


def input_listing(project: Project, paper_id: str) -> str:
    """A hash of the names of every file under the input roots."""
    names: list[str] = []
    for root in input_roots(project, paper_id):
        if root.is_file():
            names.append(project.relative(root))
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            names += [project.relative(Path(folder) / f) for f in files if not f.startswith(".")]
    return hashlib.sha256("\n".join(sorted(names)).encode("utf-8")).hexdigest()


def roster_stamp(project: Project, paper_id: str) -> str:
    """When and how big the roster file is: a changed roster means a new check by the gate.
    (Its size and time say nothing of the names in it; its content is never recorded.)"""
    for path in project.roster_candidates(paper_id):
        if path.is_file():
            stat = path.stat()
            return f"{stat.st_size}:{stat.st_mtime_ns}"
    return "none"


def request_options(formats, final: bool, allow_open: bool, allow_unverified: bool) -> dict:
    """What of a build request shapes an edition, as the manifest records it."""
    return {
        "formats": sorted(formats),
        "final": bool(final),
        "allow_open": bool(allow_open),
        "allow_unverified": bool(allow_unverified),
    }


def up_to_date(project: Project, paper_id: str, options: dict) -> str | None:
    """The newest edition of this kind if today's inputs are the ones it recorded, else None."""
    for edition_id in reversed(published_editions(project, paper_id)):
        path = project.outputs / paper_id / edition_id / "manifest.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if manifest.get("options") != options:
            continue  # another kind: look further back
        return edition_id if _same_inputs(project, paper_id, manifest) else None
    return None


def _same_inputs(project: Project, paper_id: str, manifest: dict) -> bool:
    if manifest.get("input_listing") != input_listing(project, paper_id):
        return False
    if manifest.get("roster_stamp") != roster_stamp(project, paper_id):
        return False
    tools = manifest.get("tools", {})
    if tools.get("python") != platform.python_version():
        return False
    for dist in TOOLS:
        try:
            if tools.get(dist) != metadata.version(dist):
                return False
        except metadata.PackageNotFoundError:
            return False
    for name, digest in manifest.get("sources", {}).items():
        file = project.root / name
        if not file.is_file() or sha256_file(file) != digest:
            return False
    return True
