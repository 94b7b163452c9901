"""The one clock of a build: `SOURCE_DATE_EPOCH` when set, else now (UTC, whole seconds).

Every date written inside an edition (manifest, DOCX properties and zip entries, PDF dates, XMP
and `/ID`) comes from this one value. Edition ids do not: they record when an edition was
published, so a pinned or old epoch never makes a new edition sort before older ones.
"""

from __future__ import annotations

import datetime as dt
import os

from .errors import BriefingError, Problem

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"


def now() -> dt.datetime:
    """The wall clock, UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_time(fallback: dt.datetime | None = None) -> dt.datetime:
    """`SOURCE_DATE_EPOCH` (reproducible builds convention) if set, else `fallback` or now."""
    value = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if not value:
        return fallback or now()
    try:
        seconds = int(value)
        return dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BriefingError(
            f"${SOURCE_DATE_EPOCH} is not a time",
            [Problem(f"${SOURCE_DATE_EPOCH}", f"not a count of seconds since 1970: {value!r}")],
        ) from None


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 time as the manifest records it (`built_at`), as an aware UTC datetime."""
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def iso(moment: dt.datetime) -> str:
    """The form recorded in manifests and DOCX properties: 2026-11-30T00:03:59Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
