"""`briefings verify`: rebuild a published edition and compare it byte for byte with its manifest.

The rebuild uses the edition's recorded id, build time and kind (draft or final) and today's
sources, into a temporary folder; nothing is published. Files whose checksums differ are named,
with every source whose content changed since (and every tool whose version did).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .clock import parse_time
from .errors import PublishError
from .pipeline import BuildRequest, edition_inputs, gather, make_edition, open_review_items
from .project import Project
from .publish import latest_edition, tool_versions
from .publish.manifest import sha256_file


@dataclass
class Verdict:
    """What a rebuild of one edition showed."""

    paper_id: str
    edition_id: str
    differing: list[str] = field(default_factory=list)  # file names
    changed_sources: list[str] = field(default_factory=list)  # "path (changed|removed|new)"
    changed_tools: list[str] = field(default_factory=list)  # "name a -> b"

    @property
    def identical(self) -> bool:
        return not self.differing

    def lines(self) -> list[str]:
        where = f"{self.paper_id} {self.edition_id}"
        if self.identical:
            return [f"{where}: identical"]
        lines = [f"{where}: {name} differs from the published file" for name in self.differing]
        lines += [f"{where}: source {change} since the edition" for change in self.changed_sources]
        lines += [f"{where}: tool {change}" for change in self.changed_tools]
        return lines


def verify_edition(project: Project, paper_id: str, edition_id: str | None = None) -> Verdict:
    """Rebuild the edition (default: the latest) and compare every output with the manifest."""
    folder = _edition_folder(project, paper_id, edition_id)
    manifest = _read_manifest(project, folder)
    try:
        edition_id = manifest["edition"]
        built_at = parse_time(manifest["built_at"])
        final = bool(manifest["final"])
        outputs = manifest["outputs"]
        formats = tuple(entry["format"] for entry in outputs.values())
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PublishError(
            f"{project.relative(folder / 'manifest.json')}: not a manifest this version can "
            f"verify ({exc})"
        ) from None
    sources = gather(project, paper_id)
    open_review = {} if final else open_review_items(project, paper_id)
    request = BuildRequest(paper_id, formats, final, allow_open=True, allow_unverified=True)
    verdict = Verdict(paper_id, edition_id)
    with tempfile.TemporaryDirectory(prefix="briefings-verify-") as work:
        _, files = make_edition(sources, request, edition_id, built_at, Path(work), open_review)
        for name, recorded in sorted(outputs.items()):
            rebuilt = Path(work) / name
            if not rebuilt.is_file() or sha256_file(rebuilt) != recorded.get("sha256"):
                verdict.differing.append(name)
    if not verdict.identical:
        verdict.changed_sources = _changed_sources(
            project, manifest.get("sources", {}), edition_inputs(sources, final)
        )
        verdict.changed_tools = [
            f"{name} {was} -> {now}"
            for name, was in sorted(manifest.get("tools", {}).items())
            if (now := tool_versions().get(name, "absent")) != was
        ]
    return verdict


def _edition_folder(project: Project, paper_id: str, edition_id: str | None) -> Path:
    if edition_id is None:
        folder = latest_edition(project, paper_id)
        if folder is None:
            raise PublishError(f"{paper_id}: no published edition to verify")
        return folder
    folder = project.outputs / paper_id / edition_id
    if "/" in edition_id or edition_id.startswith(".") or not folder.is_dir():
        raise PublishError(f"{paper_id}: no published edition {edition_id!r}")
    return folder


def _read_manifest(project: Project, folder: Path) -> dict:
    path = folder / "manifest.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublishError(f"{project.relative(path)}: cannot read the manifest ({exc})") from None


def _changed_sources(project: Project, recorded: dict[str, str], current: list[Path]) -> list[str]:
    now = {project.relative(p): sha256_file(p) for p in current}
    changes = [
        f"{path} (changed)"
        for path in sorted(recorded)
        if path in now and now[path] != recorded[path]
    ]
    changes += [f"{path} (removed)" for path in sorted(recorded) if path not in now]
    changes += [f"{path} (new)" for path in sorted(now) if path not in recorded]
    return changes
