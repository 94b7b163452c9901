"""Interview synthesis: themes ranked by distinct companies, quotes selected and attributed
k-anonymously."""

from .findings import Coarsening, Findings, Quote, ThemeFinding, short_id
from .synthesise import synthesise

__all__ = ["Coarsening", "Findings", "Quote", "ThemeFinding", "short_id", "synthesise"]
