"""Quote selection: consented excerpts only, capped per participant, spread across descriptor
groups.

Deterministic: candidates are chosen greedily by a sort key that ends in the excerpt id, so the
same sources always select the same quotes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..sources.models import Codebook, Interview, InterviewExcerpt, QuotePolicy
from .themes import ThemeTally, top_level

Candidate = tuple[Interview, InterviewExcerpt]


def words(text: str) -> int:
    return len(text.split())


def group_of(interview: Interview) -> tuple[str, str]:
    """The descriptor group quotes are spread across: sector and size band."""
    d = interview.descriptors
    return (d.sector.casefold(), d.size_band)


@dataclass
class Selection:
    """Quotes chosen per top-level theme, plus notes for the editor (e.g. an unusable pin)."""

    by_theme: dict[str, list[tuple[Candidate, bool]]]  # theme -> [(candidate, pinned)]
    notes: list[str]


class QuoteSelector:
    """Chooses quotes theme by theme, in the order the sections are printed."""

    def __init__(self, interviews: list[Interview], policy: QuotePolicy, codebook: Codebook):
        self.policy = policy
        self.codebook = codebook
        self.excerpts = {e.id: (i, e) for i in interviews for e in i.excerpts}
        self.used: set[str] = set()
        self.per_participant: Counter[str] = Counter()
        self.group_use: Counter[tuple[str, str]] = Counter()

    def select(self, order: list[str], tallies: dict[str, ThemeTally]) -> Selection:
        chosen: dict[str, list[tuple[Candidate, bool]]] = {t: [] for t in order}
        notes = self._place_pins(order, tallies, chosen)
        for theme in order:
            # An excerpt coded with several themes illustrates its primary one only.
            pool = [c for c in tallies[theme].excerpts if self.home(c[1]) == theme]
            while len(chosen[theme]) < self.policy.per_theme:
                pick = self._best(theme, pool, chosen[theme])
                if pick is None:
                    break
                self._take(pick)
                chosen[theme].append((pick, False))
        return Selection(chosen, notes)

    def _place_pins(self, order, tallies, chosen) -> list[str]:
        notes: list[str] = []
        excluded = set(self.policy.excluded)
        for excerpt_id in self.policy.pinned:
            if excerpt_id not in self.excerpts:
                notes.append(f"pinned quote {excerpt_id}: no such excerpt")
                continue
            if excerpt_id in excluded:
                notes.append(f"pinned quote {excerpt_id}: also excluded; not quoted")
                continue
            interview, excerpt = self.excerpts[excerpt_id]
            if not excerpt.consent_to_quote:
                notes.append(f"pinned quote {excerpt_id}: no consent to quote; not quoted")
                continue
            if excerpt_id in self.used:
                continue
            home = self.home(excerpt)
            if home not in order:
                notes.append(f"pinned quote {excerpt_id}: its themes have no section; not quoted")
                continue
            self._take((interview, excerpt))
            chosen[home].append(((interview, excerpt), True))
        return notes

    def home(self, excerpt: InterviewExcerpt) -> str:
        """The top-level theme whose section may quote `excerpt`: that of its primary theme."""
        return top_level(self.codebook, excerpt.primary_theme)

    def _take(self, candidate: Candidate) -> None:
        interview, excerpt = candidate
        self.used.add(excerpt.id)
        self.per_participant[interview.participant] += 1
        self.group_use[group_of(interview)] += 1

    def eligible(self, candidate: Candidate, in_theme: list[tuple[Candidate, bool]]) -> bool:
        interview, excerpt = candidate
        p = self.policy
        here = sum(1 for (i, _), _pin in in_theme if i.participant == interview.participant)
        return (
            excerpt.consent_to_quote
            and excerpt.id not in p.excluded
            and excerpt.id not in self.used
            and p.min_words <= words(excerpt.text) <= p.max_words
            and self.per_participant[interview.participant] < p.per_participant
            and here < p.per_participant_per_section
        )

    def _best(self, theme: str, pool: list[Candidate], in_theme) -> Candidate | None:
        groups_here = Counter(group_of(i) for (i, _), _pin in in_theme)

        def key(c: Candidate):
            interview, excerpt = c
            group = group_of(interview)
            direct = (
                0 if theme in excerpt.themes else 1
            )  # coded with the theme itself, not a sub-theme
            return (
                groups_here[group],
                self.group_use[group],
                self.per_participant[interview.participant],
                direct,
                excerpt.id,
            )

        candidates = [c for c in pool if self.eligible(c, in_theme)]
        return min(candidates, key=key) if candidates else None
