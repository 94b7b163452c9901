"""Dates as the paper prints them: en-GB prose dates, never ISO; an honest title-page dateline."""

from __future__ import annotations

import datetime as dt
import re

from ..wording import long_date

# An ISO date standing alone: not part of an identifier such as LOV-2021-06-18-99 or a URL path.
ISO_DATE = re.compile(r"(?<![\w/.-])(\d{4})-(\d{2})-(\d{2})(?![\w/-])")


def prose_dates(text: str) -> str:
    """`text` with each stand-alone ISO date (2024-08-01) as a prose date (1 August 2024)."""

    def one(match: re.Match[str]) -> str:
        try:
            return long_date(dt.date(*(int(g) for g in match.groups())))
        except ValueError:
            return match.group(0)  # not a real date: leave it as written

    return ISO_DATE.sub(one, text)


def dateline(paper_date: dt.date, status_as_of: dt.date, built_on: dt.date) -> list[str]:
    """The title page's dates: the paper's date, then what a later edition changed.

    "Updated …" when this edition is built after the paper's date; "Regulatory status as of …"
    when the status facts are newer than the paper's date.
    """
    lines = [long_date(paper_date)]
    if built_on > paper_date:
        lines.append(f"Updated {long_date(built_on)}")
    if status_as_of > paper_date:
        lines.append(f"Regulatory status as of {long_date(status_as_of)}")
    return lines
