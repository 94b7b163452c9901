"""Which edition a reviewed DOCX was made from, and that edition's source map."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..errors import ReviewError
from ..project import Project
from .models import Location, ReviewedDocx

_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class Trace:
    """What the build recorded about one place in the draft."""

    bookmark: str | None
    section_id: str | None
    section_title: str | None
    source: str | None
    field: str | None
    subsection_id: str | None = None  # level-2 heading (an instrument, a theme, an audience)
    subsection_title: str | None = None


@dataclass
class Edition:
    """One built edition: its id and bookmark -> source map (from manifest.json)."""

    paper_id: str
    edition_id: str
    source_map: dict[str, dict]

    def trace(self, location: Location, headings: dict[str, str]) -> Trace:
        """Paragraph bookmark first, else the nearest preceding heading bookmark."""
        heading = location.section_bookmark
        head = self.source_map.get(heading or "", {})
        for mark in (location.paragraph_bookmark, heading):
            entry = self.source_map.get(mark or "")
            if entry:
                section = entry.get("section") or head.get("section") or _strip(heading)
                title = (
                    entry.get("section_title")
                    or head.get("section_title")
                    or headings.get(heading or "")
                )
                return Trace(
                    mark,
                    section,
                    title,
                    entry.get("source"),
                    entry.get("field"),
                    entry.get("subsection"),
                    entry.get("subsection_title"),
                )
        if heading:
            return Trace(heading, _strip(heading), headings.get(heading), None, None)
        return Trace(None, None, None, None, None)


def _strip(bookmark: str | None) -> str | None:
    return bookmark[len("sec-") :] if bookmark and bookmark.startswith("sec-") else bookmark


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
    return Edition(paper_id, edition_id, clean)
