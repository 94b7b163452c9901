"""Facts an edition would show as unverified: a final edition states none unless told to.

A regulation entry's fact is unverified when it carries `unverified: true` (a key date),
`status_unverified: true` (its status, unless an official source has since confirmed it), or
says so in its own words ("… not verified here") in a text field.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .models import RegulationEntry

SAYS_UNVERIFIED = re.compile(r"\bnot (?:been )?(?:verified|confirmed)\b|\bunverified\b", re.I)
TEXT_FIELDS = ("title", "summary", "human_rights_relevance")


def unverified_facts(
    entries: list[RegulationEntry], status_unverified: dict[str, bool], regulations_dir: str
) -> list[Problem]:
    """One problem (file, field) per fact of `entries` that the paper would mark unverified."""
    problems: list[Problem] = []
    for entry in entries:
        file = f"{regulations_dir}/{entry.id}.yaml"

        def add(field: str, what: str, file: str = file) -> None:
            problems.append(Problem(file, f"unverified fact in a final edition: {what}", field))

        if status_unverified.get(entry.id):
            add("status", f'status "{entry.status}"')
        for i, when in enumerate(entry.key_dates):
            if when.unverified:
                add(f"key_dates.{i}", f"{when.label} ({when.date.day} {when.date:%B %Y})")
            elif SAYS_UNVERIFIED.search(when.label):
                add(f"key_dates.{i}.label", f'"{when.label}"')
        for name in TEXT_FIELDS:
            if match := SAYS_UNVERIFIED.search(getattr(entry, name)):
                add(name, f'says "{_around(getattr(entry, name), match)}"')
        for i, ask in enumerate(entry.ict_company_asks):
            if match := SAYS_UNVERIFIED.search(ask):
                add(f"ict_company_asks.{i}", f'says "{_around(ask, match)}"')
    return problems


def _around(text: str, match: re.Match[str], width: int = 50) -> str:
    start = max(0, match.start() - width)
    start = text.rfind(" ", 0, start) + 1 if start else 0
    prefix = "…" if start else ""
    return prefix + " ".join(text[start : match.end()].split())
