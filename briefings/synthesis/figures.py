"""The counts a paper's data determines, named, so prose states them as variables, never by hand.

`figures.<name>` in a prose section; `briefings check` compares any count typed by hand in
prose with these (see briefings/synthesis/prose_counts.py). docs/sources.md lists them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..sources.loader import PaperSources
from ..wording import number_words
from .findings import Findings


@dataclass(frozen=True)
class Figures:
    """Every figure documented for prose (docs/sources.md, "Figures")."""

    interviews: int
    participants: int
    companies: int
    companies_with_several_interviewees: int  # companies where more than one person was interviewed
    excerpts: int
    quotable_excerpts: int  # excerpts whose authors consented to quotation
    quotes: int  # quotes printed in the findings
    themes: int  # top-level themes raised by at least one company
    challenges: int
    opportunities: int
    sub_themes: int  # sub-themes raised by at least one company
    recommendations: int
    instruments: int
    k: int  # smallest number of companies a printed attribution may describe

    @property
    def anonymity_rule(self) -> str:
        """The one statement of the attribution rule, from the paper's `k_anonymity`."""
        return (
            "a combination of descriptors is printed only when at least "
            f"{number_words(self.k)} {'company shares' if self.k == 1 else 'companies share'} it; "
            "otherwise it is made more general or left out"
        )


def figures_of(sources: PaperSources, findings: Findings) -> Figures:
    people = Counter(i.company for i in {i.participant: i for i in sources.interviews}.values())
    raised_subs = [s for t in findings.themes for s in _subs(t)]
    return Figures(
        interviews=findings.interviews,
        participants=findings.participants,
        companies=findings.companies,
        companies_with_several_interviewees=sum(1 for n in people.values() if n > 1),
        excerpts=findings.excerpts,
        quotable_excerpts=sum(
            1 for i in sources.interviews for e in i.excerpts if e.consent_to_quote
        ),
        quotes=len(findings.quotes),
        themes=len(findings.themes),
        challenges=len(findings.challenges),
        opportunities=len(findings.opportunities),
        sub_themes=len(raised_subs),
        recommendations=len(sources.recommendations),
        instruments=len(sources.instruments),
        k=findings.k,
    )


def _subs(theme):
    for sub in theme.sub_themes:
        if sub.companies:
            yield sub
            yield from _subs(sub)
