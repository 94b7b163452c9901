"""What the Prefect UI's run form offers: the project's papers and the formats as choices.

Prefect 3.9 turns a `Literal` hint into a dropdown and `list[Literal[...]]` into a multi-choice
(field descriptions come from the flow docstring's `Args:` section). A flow module builds its
choices when it loads, so a deployment lists the papers present when it was deployed;
`briefings serve` redeploys when papers are added or removed. Text is trimmed before it is checked:
"2024-fairness-bias " is the paper "2024-fairness-bias".
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator

from .project import Project
from .render.options import EditionFormat


def _trimmed(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


Trim = BeforeValidator(_trimmed)
Text = Annotated[str, Trim]
Format = Annotated[EditionFormat, Trim]


def paper_choice(project: Project) -> Any:
    """A dropdown of the project's papers (free text while paper_sources/ holds none)."""
    papers = tuple(project.paper_ids())
    return Annotated[Literal[papers], Trim] if papers else Text


EVERY_PAPER = "(every paper)"  # not a paper id (ids have no spaces or brackets)


def paper_or_every_choice(project: Project) -> Any:
    """A dropdown of the project's papers headed by EVERY_PAPER (a form has no clean "none")."""
    return Annotated[Literal[(EVERY_PAPER, *project.paper_ids())], Trim]


def chosen(paper: str | None) -> str | None:
    """The paper chosen on the form, or None for every paper."""
    return None if paper in (None, EVERY_PAPER) else paper
