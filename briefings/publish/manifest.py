"""The manifest written beside every edition: inputs, tools, outputs, source map."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..clock import iso
from ..project import Project


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def new_edition_id(final: bool, now: dt.datetime | None = None) -> str:
    """Sortable and readable: 20261126T190501Z-draft."""
    now = now or dt.datetime.now(dt.UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{'final' if final else 'draft'}"


@lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """Versions of everything that shapes the output bytes."""
    from ..pandoc_ast import pandoc_version

    versions = {"python": platform.python_version()}
    for dist in ("briefings", "pypandoc-binary", "typst", "jinja2", "python-docx", "pydantic"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    try:
        versions["pandoc"] = pandoc_version()
    except (OSError, subprocess.CalledProcessError):
        pass
    return versions


def build_manifest(
    project: Project,
    paper_id: str,
    edition_id: str,
    final: bool,
    built_at: dt.datetime,
    inputs: list[Path],
    outputs: dict[str, Path],
    source_map: dict[str, dict[str, str | None]],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "paper": paper_id,
        "edition": edition_id,
        "final": final,
        "built_at": iso(built_at),
        "tools": tool_versions(),
        "sources": {project.relative(p): sha256_file(p) for p in sorted(set(inputs))},
        "outputs": {
            path.name: {"format": fmt, "sha256": sha256_file(path), "bytes": path.stat().st_size}
            for fmt, path in sorted(outputs.items())
        },
        "source_map": source_map,
        **(extra or {}),
    }
