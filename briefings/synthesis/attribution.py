"""Attribution by descriptors only, never naming a group smaller than k companies.

A combination of descriptors is printed only when at least k distinct companies share it.
Counting companies, not people, is the stricter rule: three participants from one company do
not hide that company. Otherwise descriptors are dropped in a fixed order (region, size band,
sector); if even the role alone is shared by fewer than k companies, the attribution is omitted.
"""

from __future__ import annotations

from collections import defaultdict

from ..sources.models import Descriptors, Interview

FIELDS = ("role_type", "size_band", "sector", "region")
DROP_ORDER = ("region", "size_band", "sector", "role_type")
LABELS = {"region": "region", "size_band": "size band", "sector": "sector", "role_type": "role"}


def phrase(d: Descriptors, kept: tuple[str, ...]) -> str | None:
    """'human rights lead, large software company, Europe' with only the `kept` fields."""
    parts: list[str] = []
    if "role_type" in kept:
        parts.append(d.role_type)
    company = [d.size_band if "size_band" in kept else "", d.sector if "sector" in kept else ""]
    company = [w for w in company if w]
    if company:
        parts.append(" ".join(company) + " company")
    if "region" in kept:
        parts.append(d.region)
    return ", ".join(parts) or None


def _key(d: Descriptors, kept: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(getattr(d, f).casefold() for f in FIELDS if f in kept)


class Attributor:
    """Decides, for each participant, the most specific attribution shared by k or more
    companies."""

    def __init__(self, interviews: list[Interview], k: int):
        self.k = k
        self.by_participant = {i.participant: i.descriptors for i in interviews}
        self._groups: dict[tuple[tuple[str, ...], tuple[str, ...]], set[str]] = defaultdict(set)
        for level in range(len(DROP_ORDER)):
            kept = self._kept(level)
            for i in interviews:
                self._groups[(kept, _key(i.descriptors, kept))].add(i.company)

    @staticmethod
    def _kept(level: int) -> tuple[str, ...]:
        dropped = DROP_ORDER[:level]
        return tuple(f for f in FIELDS if f not in dropped)

    def group_size(self, participant: str, kept: tuple[str, ...]) -> int:
        """How many distinct companies share this participant's `kept` descriptors."""
        return len(self._groups[(kept, _key(self.by_participant[participant], kept))])

    def attribute(self, participant: str) -> tuple[str | None, tuple[str, ...]]:
        """(printed attribution or None, descriptor fields dropped to reach it)."""
        d = self.by_participant[participant]
        for level in range(len(DROP_ORDER)):
            kept = self._kept(level)
            if self.group_size(participant, kept) >= self.k:
                return phrase(d, kept), tuple(LABELS[f] for f in DROP_ORDER[:level])
        return None, tuple(LABELS[f] for f in DROP_ORDER)
