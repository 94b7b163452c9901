"""English wording shared by the stages: numbers in words, counted nouns (en-GB house style)."""

from __future__ import annotations

import datetime as dt

NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()


def number_words(n: int) -> str:
    """Numbers up to nine in words, 10 and above in digits."""
    return NUMBER_WORDS[n] if 0 <= n <= 9 else str(n)


def quantity(n: int, singular: str, plural: str | None = None) -> str:
    """'no companies', 'one company', 'two companies', '18 companies'."""
    plural = plural or singular + "s"
    if n == 0:
        return f"no {plural}"
    return f"{number_words(n)} {singular if n == 1 else plural}"


def midsentence(label: str) -> str:
    """A label as it reads inside a sentence: 'Harms that emerge…' -> 'harms that emerge…'.

    A first word in capitals or with a capital inside ('UN', 'AI', 'GDPR', 'DSA') keeps its case.
    """
    first = label.split(" ", 1)[0]
    if not first or any(c.isupper() for c in first[1:]) or not first[0].isupper():
        return label
    return label[0].lower() + label[1:]


def long_date(value: dt.date | dt.datetime | str) -> str:
    """26 November 2026 (no leading zero, English month); an ISO string is read first."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return f"{value.day} {value:%B %Y}"


def share(n: int, total: int) -> str:
    """'all 18', 'one of the 18', 'nine of the 18', '15 of the 18'."""
    if n == total:
        return f"all {number_words(total)}"
    return f"{number_words(n)} of the {number_words(total)}"
