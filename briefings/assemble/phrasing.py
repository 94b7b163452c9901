"""Generated sentences that read as written: right for 0, 1 and many, varied per item.

The same sentence shape repeated for every theme reads as a form. Each theme gets one of a few
equivalent phrasings, chosen by a stable hash of its id, so the same theme reads the same way in
every edition while neighbouring themes read differently.
"""

from __future__ import annotations

import hashlib

from ..wording import midsentence, quantity, share
from .markdown import escape_md

THEME_OPENINGS = (
    "{Share} companies raised this {kind}: {what}.",
    "Participants at {share} companies described this {kind}: {what}.",
    "This {kind} came up at {share} companies: {what}.",
    "{Share} companies named this {kind}: {what}.",
)


def variant(key: str, choices: int) -> int:
    """A stable choice among `choices` for `key` (the same in every run and edition)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % choices


def theme_opening(theme, total: int) -> str:
    """The first sentence of a theme's section (Markdown, values escaped)."""
    what = escape_md(midsentence(theme.description).rstrip("."))
    if total == 1:
        return f"The one company interviewed raised this {theme.kind}: {what}."
    phrase = share(theme.companies, total)
    template = THEME_OPENINGS[variant(theme.id, len(THEME_OPENINGS))]
    return template.format(
        Share=phrase[0].upper() + phrase[1:], share=phrase, kind=theme.kind, what=what
    )


def sub_theme_line(sub) -> str:
    """'*Ambiguous key definitions* (five companies): uncertainty that stems from …'"""
    what = escape_md(midsentence(sub.description).rstrip("."))
    count = quantity(sub.companies, "company", "companies")
    return f"*{escape_md(sub.label)}* ({count}): {what}."
