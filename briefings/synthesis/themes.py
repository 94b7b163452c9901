"""Count themes by distinct companies and rank them; a sub-theme's excerpts count for its
parents."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..sources.models import Codebook, Interview, InterviewExcerpt


@dataclass
class ThemeTally:
    """Who raised a theme: distinct companies, participants and excerpts."""

    companies: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    excerpts: list[tuple[Interview, InterviewExcerpt]] = field(default_factory=list)


def ancestors(codebook: Codebook, theme_id: str) -> list[str]:
    """The theme and every parent above it, nearest first (cycles are cut)."""
    parents = {t.id: t.parent for t in codebook.themes}
    chain: list[str] = []
    current: str | None = theme_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def top_level(codebook: Codebook, theme_id: str) -> str:
    """The top-level theme a (sub-)theme belongs to."""
    return ancestors(codebook, theme_id)[-1]


def tally(codebook: Codebook, interviews: list[Interview]) -> dict[str, ThemeTally]:
    """Per theme id: who raised it, counting each excerpt once for the theme and every ancestor."""
    tallies: dict[str, ThemeTally] = defaultdict(ThemeTally)
    for interview in interviews:
        for excerpt in interview.excerpts:
            reached: list[str] = []
            for code in excerpt.themes:
                for theme_id in ancestors(codebook, code):
                    if theme_id not in reached:
                        reached.append(theme_id)
            for theme_id in reached:
                t = tallies[theme_id]
                t.companies.add(interview.company)
                t.participants.add(interview.participant)
                t.excerpts.append((interview, excerpt))
    return dict(tallies)


def rank(codebook: Codebook, tallies: dict[str, ThemeTally], theme_ids: list[str]) -> list[str]:
    """Theme ids raised by at least one company, most companies first; ties by participants, then
    codebook order."""
    order = {t.id: i for i, t in enumerate(codebook.themes)}
    raised = [t for t in theme_ids if t in tallies and tallies[t].companies]
    return sorted(
        raised, key=lambda t: (-len(tallies[t].companies), -len(tallies[t].participants), order[t])
    )
