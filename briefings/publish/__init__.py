"""Publish: manifest, atomic move into outputs/, the LATEST pointer."""

from .manifest import build_manifest, new_edition_id, tool_versions
from .writer import Edition, Staging, edition_key, latest_edition, published_editions

__all__ = [
    "Edition",
    "Staging",
    "build_manifest",
    "edition_key",
    "latest_edition",
    "new_edition_id",
    "published_editions",
    "tool_versions",
]
