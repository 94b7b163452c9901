"""The one exception hierarchy. The CLI turns each into a one-line message and exit code 1."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what is wrong."""

    file: str
    message: str
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return f"{where}: {self.message}"


class BriefingError(Exception):
    """Base of every error the pipeline reports to an editor."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])

    def lines(self) -> list[str]:
        """One line per problem (or the message alone), as the CLI prints them."""
        if self.problems:
            return [str(p) for p in self.problems]
        return [str(self)]


class SourceError(BriefingError):
    """A paper source is malformed, incomplete or refers to something unknown."""


class TemplateError(BriefingError):
    """A Jinja2 template or a prose section failed to render."""


class RenderError(BriefingError):
    """pandoc or Typst failed (or warned, in a strict build)."""


class PublishError(BriefingError):
    """An edition could not be written into outputs/."""


class FetchError(BriefingError):
    """An official source could not be read or answered in an unexpected shape."""


class ReviewError(BriefingError):
    """A reviewed DOCX could not be read, or a review ledger operation failed."""


class DiffError(BriefingError):
    """Two editions cannot be compared (unknown, foreign or altered edition)."""


class ConfidentialityError(BriefingError):
    """A roster name (participant, company or alias) was found in something about to leave."""
