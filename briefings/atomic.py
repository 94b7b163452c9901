"""Atomic file writes and the permissions of what is published.

Readers see the old file or the new one, never half of one. What the pipeline publishes (editions,
`LATEST`, refresh state, snapshots, history) is readable by others — a web server running as
another user serves it — unless `BRIEFINGS_UMASK` says otherwise; nothing here follows the
process umask, so a worker started with umask 077 still publishes readable files.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import PublishError

UMASK_ENV = "BRIEFINGS_UMASK"
DEFAULT_UMASK = 0o022


def published_umask() -> int:
    """The umask applied to published files and folders: $BRIEFINGS_UMASK (octal), else 022."""
    given = os.environ.get(UMASK_ENV, "").strip()
    if not given:
        return DEFAULT_UMASK
    try:
        value = int(given, 8)
    except ValueError:
        value = -1
    if not 0 <= value <= 0o777 or value & 0o700:
        raise PublishError(
            f"${UMASK_ENV}: {given!r} is not an octal umask that leaves the owner read/write "
            "access (e.g. 022 or 027)"
        )
    return value


def file_mode() -> int:
    return 0o666 & ~published_umask()


def folder_mode() -> int:
    return 0o777 & ~published_umask()


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Write a sibling temporary file, fsync it, then os.replace it onto `path`.

    The file gets `mode` (default: the published file mode) before it appears under its name.
    """
    tmp = write_beside(path, text, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_beside(path: Path, text: str, mode: int | None = None) -> Path:
    """A complete, fsynced `.<name>.*.tmp` beside `path`, to be renamed onto it (or removed)."""
    path = Path(path)
    make_folder(path.parent, folder_mode())
    mode = file_mode() if mode is None else mode
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def make_folder(path: Path, mode: int, enforce: bool = False) -> None:
    """Create `path` (and missing parents) with `mode`, whatever the process umask.

    An existing folder keeps its mode unless `enforce`: it may belong to another user.
    """
    path = Path(path)
    for folder in [*reversed(path.parents), path]:
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        os.chmod(folder, mode)
    if enforce and path.stat().st_mode & 0o777 != mode:
        os.chmod(path, mode)


def seal_folder(folder: Path) -> None:
    """Give a staged folder and its files the published modes and flush the files to disk,
    before one os.replace publishes it."""
    for path in Path(folder).iterdir():
        with open(path, "rb") as handle:
            os.fchmod(handle.fileno(), file_mode())
            os.fsync(handle.fileno())
    os.chmod(folder, folder_mode())


def fsync_folder(path: Path) -> None:
    """Make a rename inside `path` durable (the folder's entry, not only the file's bytes)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
