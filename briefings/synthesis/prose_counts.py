"""Counts typed by hand in a paper's prose sections, compared with what its data says.

A sentence that states a count ("20 interviews", "In one company we interviewed two people",
"fewer than three participants") is checked against the paper's figures. Text made by template
expressions (`{{ figures.companies }}`) is data already and is not read. Regulation summaries
state facts about laws, not about this paper's data, and are not checked this way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import Problem
from ..wording import NUMBER_WORDS
from .figures import Figures

# noun (singular and plural forms) -> the figure a count of it must equal
NOUNS = {
    "interview": "interviews",
    "interviews": "interviews",
    "participant": "participants",
    "participants": "participants",
    "interviewee": "participants",
    "interviewees": "participants",
    "person": "participants",
    "people": "participants",
    "practitioners": "participants",
    "company": "companies",
    "companies": "companies",
    "excerpt": "excerpts",
    "excerpts": "excerpts",
    "quote": "quotes",
    "quotes": "quotes",
    "quotations": "quotes",
    "theme": "themes",
    "themes": "themes",
    "challenges": "challenges",
    "opportunities": "opportunities",
    "sub-themes": "sub_themes",
    "recommendation": "recommendations",
    "recommendations": "recommendations",
    "instrument": "instruments",
    "instruments": "instruments",
}
_NUMBER = r"\d+|" + "|".join(NUMBER_WORDS)
# a count, up to two describing words, then a counted noun: "20 confidential interviews"
COUNT = re.compile(
    rf"\b(?P<n>{_NUMBER})\b(?P<of>\s+of\s+(?P<m>{_NUMBER}))?"
    rf"(?:\s+(?!(?:{_NUMBER})\b)[A-Za-z][\w-]*){{0,2}}?\s+(?P<noun>{'|'.join(NOUNS)})\b",
    re.I,
)
THRESHOLD = re.compile(r"\b(?:(?:fewer|less|more)\s+than|at (?:least|most))\s*$", re.I)
ATTRIBUTION = re.compile(r"attribut|descri|quot|anonym|combination", re.I)
SEVERAL = re.compile(
    rf"\b(?:{_NUMBER}|several|more than one|multiple)\s+"
    r"(?:people|persons|participants|interviewees)\b",
    re.I,
)
TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}|\[@[^\]]*\]", re.S)
SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


@dataclass(frozen=True)
class StatedCount:
    """One count found in prose: what it says, what it should be, and where."""

    line: int
    text: str
    figure: str
    stated: int
    actual: int


def value_of(token: str) -> int:
    token = token.lower()
    return int(token) if token.isdigit() else NUMBER_WORDS.index(token)


def _masked(text: str) -> str:
    """Template expressions and citations blanked out (same length, lines kept)."""
    return TEMPLATE.sub(lambda m: re.sub(r"[^\n]", "#", m.group(0)), text)


def stated_counts(text: str, figures: Figures) -> list[StatedCount]:
    """Every count in `text` that disagrees with `figures`."""
    masked = _masked(text)
    wrong: list[StatedCount] = []
    for sentence in SENTENCE.finditer(masked):
        body = sentence.group(0)
        several = {m.start() for m in SEVERAL.finditer(body)}  # "two people" in one company
        for match in COUNT.finditer(body):
            n = value_of(match.group("n"))
            if match.group("n").isdigit() and 1900 <= n <= 2100:
                continue  # a year
            figure = NOUNS[match.group("noun").lower()]
            stated: int
            actual: int | None
            before = body[max(0, match.start() - 20) : match.start()]
            if THRESHOLD.search(before):
                if not ATTRIBUTION.search(body):
                    continue  # a threshold in passing, not a count of this paper's data
                # the anonymity rule: it counts companies, and its number is k
                stated, actual, figure = n, figures.k, "k"
                if NOUNS[match.group("noun").lower()] != "companies":
                    stated, actual = -1, figures.k  # the rule is stated in the wrong unit
            elif match.group("of"):
                stated, actual = value_of(match.group("m")), getattr(figures, figure, None)
            elif figure == "participants" and match.start() in several:
                continue  # people per company, not the number of participants
            elif several and figure == "companies":
                stated, actual = n, figures.companies_with_several_interviewees
                figure = "companies_with_several_interviewees"
            else:
                stated, actual = n, getattr(figures, figure, None)
            if actual is None or stated == actual:
                continue
            start = sentence.start() + match.start()
            wrong.append(
                StatedCount(
                    masked.count("\n", 0, start) + 1,
                    " ".join(text[start : sentence.start() + match.end()].split()),
                    figure,
                    stated,
                    actual,
                )
            )
    return wrong


def check_prose_counts(prose: dict[str, str], figures: Figures) -> list[Problem]:
    """One problem per hand-typed count that disagrees with the data; `prose` is file -> text."""
    problems = []
    for file, text in prose.items():
        for count in stated_counts(text, figures):
            if count.figure == "k" and count.stated == -1:
                message = (
                    f'"{count.text}": the anonymity rule counts companies, at least '
                    f"{figures.k}; write {{{{ figures.anonymity_rule }}}}"
                )
            else:
                message = (
                    f'"{count.text}" disagrees with the data ({count.actual}); '
                    f"write {{{{ figures.{count.figure} }}}}"
                )
            problems.append(Problem(file, message, None, count.line))
    return problems
