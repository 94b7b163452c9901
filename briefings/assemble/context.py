"""The named values the section templates read besides the sources (built by the pipeline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ShownStatus:
    """An instrument's status as the paper shows it: official snapshot, else the registry."""

    status: str
    as_of: dt.date
    unverified: bool  # the registry marks it unsure and no official source confirmed it
    stale: bool  # the last refresh could not reach or read the official source
    stale_reason: str | None
    source_file: str | None  # the snapshot the status was read from, else the registry entry
