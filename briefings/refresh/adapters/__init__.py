"""One adapter per official source; each turns answers into a normalised Snapshot."""

from __future__ import annotations

from collections.abc import Callable

from ...sources.models import OfficialSource, RegulationEntry
from ..http import Fetcher
from ..snapshot import Snapshot
from . import cellar, federal_register, legislation_gov_uk, uk_bills

ADAPTERS: dict[OfficialSource, Callable[[Fetcher, RegulationEntry], Snapshot]] = {
    "federal_register": federal_register.fetch,
    "cellar": cellar.fetch,
    "legislation_gov_uk": legislation_gov_uk.fetch,
    "uk_bills": uk_bills.fetch,
}
