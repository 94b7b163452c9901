"""The typed result of synthesis: what the findings section and the prose may print."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..wording import midsentence, share


@dataclass(frozen=True)
class Quote:
    """A selected excerpt, ready to print with its k-anonymous attribution."""

    id: str  # excerpt id, e.g. P07-01
    participant: str
    theme: str  # the top-level theme whose section quotes it
    text: str  # whitespace collapsed to one line
    attribution: str | None  # None: attribution omitted (no group of k or more)
    pinned: bool = False


@dataclass(frozen=True)
class Coarsening:
    """One printed attribution that is less specific than the participant's descriptors."""

    excerpt: str
    participant: str
    dropped: tuple[str, ...]  # descriptor fields left out, in the order they were dropped
    attribution: str | None  # what is printed instead (None: omitted)

    def __str__(self) -> str:
        shown = self.attribution or "no attribution"
        return f"{self.excerpt}: dropped {', '.join(self.dropped)} -> {shown}"


@dataclass(frozen=True)
class ThemeFinding:
    """A codebook theme with its counts, sub-themes and selected quotes."""

    id: str
    label: str
    description: str
    kind: str  # challenge | opportunity
    companies: int  # N: distinct companies raising it (sub-themes included)
    participants: int
    excerpts: int
    parent: str | None = None
    sub_themes: tuple[ThemeFinding, ...] = ()
    quotes: tuple[Quote, ...] = ()
    finding: str | None = None  # the codebook's one sentence on what participants said

    @property
    def anchor(self) -> str:
        """Heading id of the theme's section (kept within Word's 40-character bookmark limit)."""
        return short_id("sec-theme-", self.id)

    @property
    def block_id(self) -> str:
        return short_id("p-theme-", self.id)


MESSAGES = 3  # how many themes the executive summary reports
ORDINALS = ("First", "Second", "Third", "Fourth", "Fifth")


@dataclass(frozen=True)
class SummaryMessage:
    """One message of the executive summary: a leading theme and what participants said."""

    position: int  # 1, 2, 3 …
    theme: ThemeFinding
    total: int  # M, the companies interviewed

    @property
    def text(self) -> str:
        """'First, 15 of the 18 companies raised the challenge of …: participants described …'"""
        t = self.theme
        said = midsentence(t.finding or t.description).rstrip(".")
        ordinal = ORDINALS[self.position - 1] if self.position <= len(ORDINALS) else "Then"
        return (
            f"{ordinal}, {share(t.companies, self.total)} companies raised the {t.kind} of "
            f"{midsentence(t.label)}: {said}."
        )


@dataclass(frozen=True)
class Findings:
    """Everything computed from the coded interviews of one paper."""

    companies: int  # M
    participants: int
    interviews: int
    excerpts: int
    themes: tuple[ThemeFinding, ...]  # top-level themes raised by at least one company, ranked
    quotes: tuple[Quote, ...]
    coarsened: tuple[Coarsening, ...]
    k: int
    notes: tuple[str, ...] = field(default=())  # e.g. a pinned excerpt that could not be quoted
    every_theme: tuple[ThemeFinding, ...] = field(
        default=()
    )  # codebook order, zero counts included

    @property
    def challenges(self) -> tuple[ThemeFinding, ...]:
        return tuple(t for t in self.themes if t.kind == "challenge")

    @property
    def opportunities(self) -> tuple[ThemeFinding, ...]:
        return tuple(t for t in self.themes if t.kind == "opportunity")

    @property
    def top_challenge(self) -> str | None:
        return self.challenges[0].label if self.challenges else None

    @property
    def top_opportunity(self) -> str | None:
        return self.opportunities[0].label if self.opportunities else None

    @property
    def messages(self) -> tuple[SummaryMessage, ...]:
        """The executive summary's messages: the first MESSAGES themes in rank order.

        One ranking across challenges and opportunities (most companies; ties: more
        participants, then codebook order), so no message skips a theme ranked above it.
        """
        leading = self.themes[:MESSAGES]  # already ranked
        return tuple(SummaryMessage(n, t, self.companies) for n, t in enumerate(leading, 1))

    def all_themes(self) -> tuple[ThemeFinding, ...]:
        """Every codebook theme and sub-theme with its counts, in codebook order (even if never
        raised)."""
        return self.every_theme

    def theme(self, theme_id: str) -> ThemeFinding:
        """A theme or sub-theme by id, raised or not (KeyError if not in the codebook)."""
        for t in self.every_theme:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)


BOOKMARK_LIMIT = 40


def short_id(prefix: str, slug: str) -> str:
    """`prefix + slug`, shortened with a stable hash suffix when over Word's 40-character limit."""
    import hashlib

    full = prefix + slug
    if len(full) <= BOOKMARK_LIMIT:
        return full
    digest = hashlib.sha1(slug.encode()).hexdigest()[:6]
    return full[: BOOKMARK_LIMIT - 7].rstrip("-") + "-" + digest
