"""Reading an edition file for the gate as soon as it is written, while the others render.

The gate itself still runs once every file is final: it uses a prescan only when the file's
bytes are still the ones read, and reads the file again otherwise. A prescan that failed is
simply read again by the gate.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .extract import Chunk, extract, readable


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(path: Path) -> tuple[str, list[Chunk]]:
    digest = _digest(path)
    return digest, readable(extract(path))


class Prescan:
    """Edition files read in the background, by path (PDFium's text extraction releases the
    GIL, and Typst's compiler releases it while the PDF is made)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prescan")
        self._read: dict[Path, Future[tuple[str, list[Chunk]]]] = {}

    def submit(self, path: Path) -> None:
        """Start reading a file that has just been written (call from any thread)."""
        self._read[Path(path)] = self._pool.submit(_read, Path(path))

    def chunks(self, path: Path) -> list[Chunk]:
        """The file's readable chunks: the prescan's if the file is unchanged since."""
        future = self._read.pop(Path(path), None)
        if future is not None:
            try:
                digest, chunks = future.result()
                if digest == _digest(path):
                    return chunks
            except Exception:  # noqa: BLE001 (read again below, where errors are reported)
                pass
        return readable(extract(path))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._read.clear()
