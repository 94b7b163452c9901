"""The one writer of outputs/: stage an edition, then move it into place in one rename."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_write_text
from ..clock import now
from ..errors import PublishError
from ..project import Project
from .manifest import new_edition_id

LATEST = "LATEST"


@dataclass(frozen=True)
class Edition:
    paper_id: str
    edition_id: str
    path: Path
    files: dict[str, Path]

    @property
    def manifest(self) -> dict:
        return json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))


class Staging:
    """A hidden folder beside the editions; `publish()` renames it into place, else it is removed.

    Creating `.staging-<edition-id>` reserves the edition id: two builds started in the same
    second get different ids, and only the holder of the reservation publishes under it.
    """

    def __init__(self, project: Project, paper_id: str, final: bool):
        self.paper_root = project.outputs / paper_id
        self.paper_root.mkdir(parents=True, exist_ok=True)
        self.paper_id = paper_id
        self._remove_abandoned()
        self.started = now()  # the edition id's time; the build time too unless pinned
        base, n = new_edition_id(final, self.started), 1
        while True:
            self.edition_id = base if n == 1 else f"{base}-{n}"
            self.path = self.paper_root / f".staging-{self.edition_id}"
            if not (self.paper_root / self.edition_id).exists():
                try:
                    self.path.mkdir()
                    break
                except FileExistsError:
                    pass
            n += 1

    def _remove_abandoned(self, age: float = 6 * 3600) -> None:
        """Staging folders of builds killed hours ago (never checked, never published) go."""
        cutoff = time.time() - age
        for old in self.paper_root.glob(".staging-*"):
            with contextlib.suppress(OSError):
                if old.stat().st_mtime < cutoff:
                    shutil.rmtree(old)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        try:
            self.paper_root.rmdir()  # only if the failed build left it empty
        except OSError:
            pass

    def publish(self, files: dict[str, Path], manifest: dict) -> Edition:
        target = self.paper_root / self.edition_id
        (self.path / "manifest.json").write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        for handle_path in self.path.iterdir():
            with open(handle_path, "rb") as handle:
                os.fsync(handle.fileno())
        try:
            os.replace(self.path, target)
        except OSError as exc:
            raise PublishError(f"{target}: could not move the edition into place: {exc}") from exc
        atomic_write_text(self.paper_root / LATEST, self.edition_id + "\n")
        return Edition(
            self.paper_id,
            self.edition_id,
            target,
            {fmt: target / p.name for fmt, p in files.items()},
        )


def published_editions(project: Project, paper_id: str) -> list[str]:
    """Edition ids of a paper, oldest first (ids sort by build time)."""
    root = project.outputs / paper_id
    if not root.is_dir():
        return []
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()
    )


def latest_edition(project: Project, paper_id: str) -> Path | None:
    pointer = project.outputs / paper_id / LATEST
    if pointer.is_file():
        edition = project.outputs / paper_id / pointer.read_text(encoding="utf-8").strip()
        if edition.is_dir():
            return edition
    return None
