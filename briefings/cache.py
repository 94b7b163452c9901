"""A content-addressed cache of derived bytes: work a later build would otherwise repeat.

An entry is named by the SHA-256 of everything that determines it (the input, the tool and its
version, the options), so it can never be stale: a changed input is a different name. It lives
in `<project>/.cache/<kind>/` beside the sources it is derived from, never in `outputs/`.
Entries are written only for what has already passed the confidentiality gate or holds no
interview material (charts of theme counts, parses of published editions).

The cache is an accelerator and nothing else: an unreadable, unwritable or missing folder, or
`BRIEFINGS_CACHE=off`, gives exactly the same editions, only slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

CACHE_ENV = "BRIEFINGS_CACHE"  # "off" turns the cache off


def key_of(parts: Iterable[bytes | str]) -> str:
    """The entry name of these parts (each length-prefixed, so no two sequences collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def enabled() -> bool:
    return os.environ.get(CACHE_ENV, "").strip().lower() not in {"off", "0", "no", "false"}


def read(folder: Path | None, key: str) -> bytes | None:
    """The entry's bytes, or None when absent or damaged (each ends with its own SHA-256)."""
    if folder is None or not enabled():
        return None
    try:
        stored = (folder / key).read_bytes()
    except OSError:
        return None
    data, digest = stored[:-32], stored[-32:]
    return data if len(stored) >= 32 and hashlib.sha256(data).digest() == digest else None


def write(folder: Path | None, key: str, data: bytes) -> None:
    """Store an entry (complete or not at all: written beside it, then renamed)."""
    if folder is None or not enabled():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data + hashlib.sha256(data).digest())
        os.replace(tmp, folder / key)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def cached(folder: Path | None, key: str, make: Callable[[], bytes]) -> bytes:
    """The entry `key`, made (and stored) when absent."""
    found = read(folder, key)
    if found is not None:
        return found
    data = make()
    write(folder, key, data)
    return data


class Deferred:
    """Entries made before the editions have passed the confidentiality gate: held until
    `keep()` writes them, so a build the gate stops leaves none."""

    def __init__(self) -> None:
        self._entries: dict[tuple[Path, str], bytes] = {}

    def add(self, folder: Path, key: str, data: bytes) -> None:
        self._entries[(folder, key)] = data

    def __len__(self) -> int:
        return len(self._entries)

    def keep(self) -> None:
        for (folder, key), data in self._entries.items():
            write(folder, key, data)
        self._entries.clear()
