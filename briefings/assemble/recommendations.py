"""Recommendations in print order: grouped by audience and numbered as they are printed.

The printed number is for display only. The id (`rec-08`) stays the key that the source map,
review tracing and comparisons between editions use, so renumbering changes no content.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sources.models import AUDIENCES, Audience, Recommendation

AUDIENCE_TITLES: dict[Audience, str] = {
    "companies": "For companies",
    "policymakers": "For policymakers",
    "civil-society": "For civil society",
    "investors": "For investors",
    "standard-setters": "For standard-setters",
}


@dataclass(frozen=True)
class NumberedRecommendation:
    number: int  # position in print order, from 1
    rec: Recommendation


@dataclass(frozen=True)
class AudienceGroup:
    audience: str
    title: str
    items: tuple[NumberedRecommendation, ...]


def in_print_order(recommendations: list[Recommendation]) -> list[AudienceGroup]:
    """Audiences in their fixed order, recommendations by id within each, numbered 1, 2, 3 …"""
    groups: list[AudienceGroup] = []
    number = 0
    for audience in AUDIENCES:
        recs = sorted((r for r in recommendations if r.audience == audience), key=lambda r: r.id)
        if not recs:
            continue
        items = []
        for rec in recs:
            number += 1
            items.append(NumberedRecommendation(number, rec))
        groups.append(AudienceGroup(audience, AUDIENCE_TITLES[audience], tuple(items)))
    return groups


def printed_numbers(groups: list[AudienceGroup]) -> dict[str, int]:
    """Recommendation id -> the number printed beside it."""
    return {item.rec.id: item.number for group in groups for item in group.items}
