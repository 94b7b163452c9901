"""What changed between two editions, in words an editor reads: per section, and by kind."""

from __future__ import annotations

import re
from typing import Any

from .compare import Redline
from .units import DRAFT_ONLY_SECTIONS, plain_text

_STATUS = re.compile(r"^p-reg-(?P<instrument>.+)-status$")


def summarise(redline: Redline, old_id: str, new_id: str) -> dict[str, Any]:
    titles = {
        u.key: plain_text(u.block["c"][2])
        for u in (*redline.old_units, *redline.new_units)
        if u.kind == "heading"
    }
    changes = [c for c in redline.changes if c.section not in DRAFT_ONLY_SECTIONS]
    sections: dict[str, dict[str, Any]] = {}
    for change in changes:
        entry = sections.setdefault(
            change.section,
            {
                "section": change.section,
                "title": titles.get(change.section, change.section),
                "changed": 0,
                "added": 0,
                "removed": 0,
                "moved": 0,
            },
        )
        entry[change.status] += 1

    def keyed(prefix: str, *statuses: str) -> list[str]:
        return sorted({c.key for c in changes if c.key.startswith(prefix) and c.status in statuses})

    instruments = sorted(
        {
            m.group("instrument")
            for c in changes
            if (m := _STATUS.match(c.key)) and c.status in ("changed", "added", "removed")
        }
    )
    return {
        "old": old_id,
        "new": new_id,
        "sections": list(sections.values()),
        "recommendations": {
            "added": keyed("p-rec-", "added"),
            "removed": keyed("p-rec-", "removed"),
            "reworded": keyed("p-rec-", "changed"),
            "moved": keyed("p-rec-", "moved"),
        },
        "instruments_status_changed": instruments,
        "quotes": {"entered": keyed("p-quote-", "added"), "left": keyed("p-quote-", "removed")},
        "changes": [
            {
                "id": c.key,
                "section": c.section,
                "status": c.status,
                "old": c.old_text,
                "new": c.new_text,
            }
            for c in changes
        ],
    }


def summary_markdown(summary: dict[str, Any]) -> str:
    """The summary as a short Markdown page."""
    lines = [f"# What changed from {summary['old']} to {summary['new']}", ""]
    if not summary["sections"]:
        return "\n".join([*lines, "No changes.", ""])
    lines += ["| Section | Changed | Added | Removed | Moved |", "|---|--:|--:|--:|--:|"]
    for s in summary["sections"]:
        lines.append(
            f"| {s['title']} | {s['changed']} | {s['added']} | {s['removed']} | {s['moved']} |"
        )
    lines.append("")
    recs = summary["recommendations"]
    for label, key in (
        ("Recommendations added", "added"),
        ("Recommendations removed", "removed"),
        ("Recommendations reworded", "reworded"),
        ("Recommendations moved", "moved"),
    ):
        if recs[key]:
            lines.append(f"- {label}: {', '.join(recs[key])}")
    if summary["instruments_status_changed"]:
        lines.append(
            "- Instruments whose status changed: "
            + ", ".join(summary["instruments_status_changed"])
        )
    quotes = summary["quotes"]
    if quotes["entered"]:
        lines.append(f"- Quotes that entered the synthesis: {', '.join(quotes['entered'])}")
    if quotes["left"]:
        lines.append(f"- Quotes that left the synthesis: {', '.join(quotes['left'])}")
    return "\n".join(lines).rstrip() + "\n"
