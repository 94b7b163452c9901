"""Gather: turn the coded interviews of one paper into ranked themes, counts and quotes."""

from __future__ import annotations

from ..sources.loader import PaperSources
from ..sources.models import Theme
from .attribution import Attributor
from .findings import Coarsening, Findings, Quote, ThemeFinding
from .quotes import QuoteSelector
from .themes import ThemeTally, rank, tally


def synthesise(sources: PaperSources) -> Findings:
    """Rank themes by distinct companies, select quotes and attribute them k-anonymously."""
    codebook, interviews, paper = sources.codebook, sources.interviews, sources.paper
    tallies = tally(codebook, interviews)
    by_id = {t.id: t for t in codebook.themes}
    tops = [t.id for t in codebook.themes if t.parent is None or t.parent not in by_id]
    ranked = rank(codebook, tallies, tops)
    order = [t for t in ranked if by_id[t].kind == "challenge"] + [
        t for t in ranked if by_id[t].kind == "opportunity"
    ]

    selection = QuoteSelector(interviews, paper.quotes, codebook).select(order, tallies)
    attributor = Attributor(interviews, paper.k_anonymity)
    quotes: dict[str, list[Quote]] = {}
    coarsened: list[Coarsening] = []
    for theme_id in order:
        for (interview, excerpt), pinned in selection.by_theme[theme_id]:
            attribution, dropped = attributor.attribute(interview.participant)
            quote = Quote(
                excerpt.id,
                interview.participant,
                theme_id,
                " ".join(excerpt.text.split()),
                attribution,
                pinned,
            )
            quotes.setdefault(theme_id, []).append(quote)
            if dropped:
                coarsened.append(
                    Coarsening(excerpt.id, interview.participant, dropped, attribution)
                )

    def finding(theme: Theme, subs: tuple[ThemeFinding, ...] = ()) -> ThemeFinding:
        t = tallies.get(theme.id) or ThemeTally()
        return ThemeFinding(
            theme.id,
            theme.label,
            theme.description,
            theme.kind,
            len(t.companies),
            len(t.participants),
            len(t.excerpts),
            theme.parent,
            subs,
            tuple(quotes.get(theme.id, ())),
            finding=theme.finding,
        )

    def with_subs(theme_id: str) -> ThemeFinding:
        children = [t.id for t in codebook.themes if t.parent == theme_id]
        subs = tuple(with_subs(c) for c in rank(codebook, tallies, children))
        return finding(by_id[theme_id], subs)

    themes = tuple(with_subs(t) for t in ranked)
    raised = {t.id: t for t in _walk(themes)}
    every = tuple(raised.get(t.id) or finding(t) for t in codebook.themes)
    return Findings(
        companies=len({i.company for i in interviews}),
        participants=len({i.participant for i in interviews}),
        interviews=len(interviews),
        excerpts=sum(len(i.excerpts) for i in interviews),
        themes=themes,
        quotes=tuple(q for t in order for q in quotes.get(t, ())),
        coarsened=tuple(coarsened),
        k=paper.k_anonymity,
        notes=tuple(selection.notes),
        every_theme=every,
    )


def _walk(themes):
    for theme in themes:
        yield theme
        yield from _walk(theme.sub_themes)
