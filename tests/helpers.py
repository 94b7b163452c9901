"""Small helpers shared by tests of several stages."""

from __future__ import annotations

from pathlib import Path


def tree_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, to prove nothing changed."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
