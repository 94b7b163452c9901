"""The one writer of outputs/: stage an edition privately, then publish it in one rename.

Layout of `outputs/<paper>/`:

    .lock                  the paper's build lock (see lock.py)
    .staging/              owner-only, while a build runs: the edition, not checked yet
        <edition-id>/      already carries the published permissions, so one os.replace
                           moves it out readable
    <edition-id>/          published editions
    LATEST                 the newest complete edition (every format)

A build holds the paper's lock from reserving its edition id to publishing, so builds of one
paper are serialised, whatever is left in `.staging/` (or as `.LATEST.*.tmp`) belongs to a
build that was killed and is cleared, and edition ids increase in publication order.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..atomic import folder_mode, fsync_folder, make_folder, seal_folder, write_beside
from ..clock import now
from ..errors import Problem, PublishError
from ..project import Project
from .lock import PaperLock
from .manifest import new_edition_id

LATEST = "LATEST"
STAGING = ".staging"
EDITION_ID = re.compile(r"^(\d{8}T\d{6}Z)-(draft|final)(?:-(\d+))?$")


@dataclass(frozen=True)
class Edition:
    paper_id: str
    edition_id: str
    path: Path
    files: dict[str, Path]
    latest: bool = False  # whether LATEST now names this edition

    @property
    def manifest(self) -> dict:
        return json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))


def edition_key(edition_id: str) -> tuple[str, int]:
    """Build order of edition ids: the time stamp, then the same-second counter."""
    match = EDITION_ID.match(edition_id)
    if not match:
        return (edition_id, 0)
    return (match[1], int(match[3] or 1))


class Staging:
    """Holds the paper's lock and a private folder for one edition; `publish()` moves it out.

    On leaving the with-block the lock is released and anything unpublished is removed; if the
    paper has no published edition at all, its outputs folder goes too.
    """

    def __init__(
        self,
        project: Project,
        paper_id: str,
        final: bool,
        report: Callable[[str], None] = lambda _: None,
    ):
        self.project, self.paper_id = project, paper_id
        self.paper_root = project.outputs / paper_id
        self.private = self.paper_root / STAGING
        self.latest_reason = ""  # why publish() left LATEST where it was
        try:
            make_folder(self.paper_root, folder_mode())
            self._lock = PaperLock(self.paper_root, paper_id, report).acquire()
        except OSError as exc:
            raise self.fault(exc, "cannot prepare the paper's outputs folder") from None
        try:
            self._clear_leftovers()
            make_folder(self.private, 0o700, enforce=True)
            self.edition_id = self._reserve_id(final)
            self.path = self.private / self.edition_id
            self.path.mkdir()
            os.chmod(self.path, folder_mode())
        except BaseException as exc:
            self._lock.release()
            if isinstance(exc, OSError):
                raise self.fault(exc, "cannot stage the edition") from None
            raise

    def fault(self, exc: OSError, doing: str, path: Path | None = None) -> PublishError:
        """A file-system failure as one line naming the path; nothing has been published.

        A failed write() names no file: then `path`, else the edition's staging folder.
        """
        path = Path(exc.filename) if exc.filename else path or getattr(self, "path", None)
        where = self.project.relative(path) if path else self.paper_id
        message = f"{doing}: {exc.strerror or exc} (nothing was published)"
        return PublishError(f"{where}: {message}", [Problem(where, message)])

    def _clear_leftovers(self) -> None:
        """What killed builds left: staged editions (never checked) and half-written pointers."""
        leftovers = [*self.paper_root.glob(".staging-*"), *self.paper_root.glob(f".{LATEST}.*.tmp")]
        if self.private.is_dir():
            leftovers += list(self.private.iterdir())
        for path in leftovers:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()

    def _reserve_id(self, final: bool) -> str:
        """A new id; in a second that already has editions, the next counter (-2, -3, …)."""
        self.started = now()  # the edition id's time; the build time too unless pinned
        base = new_edition_id(final, self.started)
        stamp = edition_key(base)[0]
        taken = [n for s, n in map(edition_key, self._published()) if s == stamp]
        n = max(taken, default=0) + 1
        while (self.paper_root / (edition_id := base if n == 1 else f"{base}-{n}")).exists():
            n += 1
        return edition_id

    def _published(self) -> list[str]:
        return [
            p.name
            for p in self.paper_root.iterdir()
            if p.is_dir() and not p.name.startswith(".") and EDITION_ID.match(p.name)
        ]

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            shutil.rmtree(self.path, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.private.rmdir()  # only when empty: nothing is left behind a build
            with contextlib.suppress(OSError):
                if not self._published() and not (self.paper_root / LATEST).exists():
                    # A failed first build leaves no trace: the lock file and the folder go.
                    self._lock.remove()
                    self.paper_root.rmdir()
        finally:
            self._lock.release()
        if isinstance(exc, OSError):  # rendering into staging met a full or read-only disk
            raise self.fault(exc, "cannot write the edition") from None

    def publish(self, files: dict[str, Path], manifest: dict, complete: bool) -> Edition:
        """Move the edition into place; LATEST follows if it is `complete` and the newest.

        Everything that can fail for lack of space or rights (manifest, permissions, the new
        LATEST written beside the old) happens before the edition's rename; if replacing
        LATEST still fails, the edition is moved back, so a failed build has published nothing.
        """
        target = self.paper_root / self.edition_id
        pointer = self.paper_root / LATEST
        pending: Path | None = None
        writing = self.path / "manifest.json"  # named in the error if the disk fails here
        try:
            writing.write_text(
                json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            writing = self.path
            seal_folder(self.path)
            if not complete:
                self.latest_reason = "not every format was built"
            elif not self._is_newest(pointer):
                self.latest_reason = "it names a newer edition"
            else:
                writing = pointer
                pending = write_beside(pointer, self.edition_id + "\n")
            writing = target
            os.replace(self.path, target)
        except OSError as exc:
            if pending is not None:
                pending.unlink(missing_ok=True)
            raise self.fault(exc, "cannot publish the edition", writing) from None
        if pending is not None:
            try:
                os.replace(pending, pointer)
            except OSError as exc:
                pending.unlink(missing_ok=True)
                try:
                    os.replace(target, self.path)  # take the edition back: nothing published
                except OSError:  # a folder that cannot be renamed twice: say what is out
                    where = self.project.relative(pointer)
                    message = (
                        f"cannot move LATEST: {exc.strerror or exc}; "
                        f"{self.project.relative(target)} stays published"
                    )
                    raise PublishError(f"{where}: {message}", [Problem(where, message)]) from None
                raise self.fault(exc, "cannot move LATEST", pointer) from None
        with contextlib.suppress(OSError):  # not every file system syncs folders
            fsync_folder(self.paper_root)
        return Edition(
            self.paper_id,
            self.edition_id,
            target,
            {fmt: target / p.name for fmt, p in files.items()},
            latest=pending is not None,
        )

    def _is_newest(self, pointer: Path) -> bool:
        """LATEST only moves forward: never onto an edition older than the one it names."""
        try:
            current = pointer.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return True
        return not current or edition_key(self.edition_id) > edition_key(current)


def published_editions(project: Project, paper_id: str) -> list[str]:
    """Edition ids of a paper, oldest first (in build order)."""
    root = project.outputs / paper_id
    if not root.is_dir():
        return []
    return sorted(
        (
            p.name
            for p in root.iterdir()
            if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()
        ),
        key=edition_key,
    )


def published_edition(project: Project, paper_id: str, edition_id: str) -> Edition:
    """A published edition as a build returns it: its folder and its files by format."""
    path = project.outputs / paper_id / edition_id
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    files = {entry["format"]: path / name for name, entry in manifest["outputs"].items()}
    latest = (project.outputs / paper_id / LATEST).is_file() and (
        project.outputs / paper_id / LATEST
    ).read_text(encoding="utf-8").strip() == edition_id
    return Edition(paper_id, edition_id, path, files, latest)


def latest_edition(project: Project, paper_id: str) -> Path | None:
    pointer = project.outputs / paper_id / LATEST
    if pointer.is_file():
        edition = project.outputs / paper_id / pointer.read_text(encoding="utf-8").strip()
        if edition.is_dir():
            return edition
    return None
