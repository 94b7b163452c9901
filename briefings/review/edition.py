"""Which edition a reviewed DOCX was made from, and that edition's source map."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ReviewError
from ..project import Project
from .models import ReviewedDocx
from .reader import read_review_docx
from .trace import Layout, Tracer, read_layout

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass
class Edition:
    """One built edition: its id, bookmark -> source map (manifest.json) and its DOCX."""

    paper_id: str
    edition_id: str
    source_map: dict[str, dict]
    docx: Path | None = None
    paper_dir: str = ""
    references: dict[str, str] = field(default_factory=dict)  # citation key -> CSL YAML file
    _layout: Layout | None = field(default=None, repr=False)

    def layout(self) -> Layout:
        """Every paragraph of the edition's own DOCX, traced (read once)."""
        if self._layout is None:
            if self.docx is None or not self.docx.is_file():
                raise ReviewError(
                    f"edition {self.edition_id!r} of {self.paper_id!r} has no DOCX "
                    f"({self.paper_id}.docx) to trace the reviewed copy against"
                )
            blocks = read_review_docx(self.docx).blocks
            self._layout = read_layout(blocks, self.source_map, self.paper_dir, self.references)
        return self._layout

    def tracer(self, doc: ReviewedDocx) -> Tracer:
        """Traces for every paragraph of a reviewed copy of this edition."""
        return Tracer(self.layout(), doc.blocks)


def identify_edition(project: Project, paper_id: str, doc: ReviewedDocx) -> Edition:
    """The edition the DOCX claims to be, checked against the paper and outputs/."""
    name = doc.path.rsplit("/", 1)[-1]
    if not doc.paper_id or not doc.edition_id:
        raise ReviewError(
            f"{name}: no paper-id/edition-id document properties: "
            "not a draft built by this pipeline"
        )
    if doc.paper_id != paper_id:
        raise ReviewError(f"{name}: a draft of paper {doc.paper_id!r}, not of {paper_id!r}")
    if not _SAFE_ID.match(doc.edition_id):
        raise ReviewError(f"{name}: malformed edition id {doc.edition_id[:40]!r}")
    return load_edition(project, paper_id, doc.edition_id, name)


def load_edition(project: Project, paper_id: str, edition_id: str, shown: str = "") -> Edition:
    """Read outputs/<paper>/<edition>/manifest.json."""
    manifest = project.outputs / paper_id / edition_id / "manifest.json"
    where = shown or edition_id
    if not manifest.is_file():
        raise ReviewError(
            f"{where}: unknown edition {edition_id!r} of {paper_id!r} "
            f"(no {project.relative(manifest)})"
        )
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReviewError(f"{project.relative(manifest)}: unreadable manifest ({exc})") from None
    source_map = data.get("source_map") if isinstance(data, dict) else None
    if not isinstance(source_map, dict):
        raise ReviewError(f"{project.relative(manifest)}: no source_map in the manifest")
    clean = {k: v for k, v in source_map.items() if isinstance(k, str) and isinstance(v, dict)}
    return Edition(
        paper_id,
        edition_id,
        clean,
        manifest.parent / f"{paper_id}.docx",
        project.relative(project.paper_dir(paper_id)),
        reference_homes(project, paper_id),
    )


def reference_homes(project: Project, paper_id: str) -> dict[str, str]:
    """Citation key -> the CSL YAML file defining it (the paper's own file wins)."""
    homes: dict[str, str] = {}
    for path in (
        project.sources / "references.yaml",
        project.paper_dir(paper_id) / "references.yaml",
    ):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        refs = data.get("references") if isinstance(data, dict) else None
        for ref in refs if isinstance(refs, list) else []:
            if isinstance(ref, dict) and "id" in ref:
                homes[str(ref["id"])] = project.relative(path)
    return homes
