"""Reading source files into models while keeping every problem, so a run reports them all."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import Problem, SourceError
from ..project import Project
from .files import SourceFileError, read_source_text
from .yamlio import YamlDoc, YamlSyntaxError, read_yaml

M = TypeVar("M", bound=BaseModel)


class Collector:
    """Reads files into models, keeping every problem instead of stopping at the first."""

    def __init__(self, project: Project):
        self.project = project
        self.problems: list[Problem] = []
        self.files: list[Path] = []
        self.broken: set[str] = set()  # ids of sources that failed to load (already reported)

    def doc(self, path: Path, outside_ok: bool = False) -> YamlDoc | None:
        """The YAML file at `path`; it must lie inside paper_sources/ unless `outside_ok`."""
        shown = self.project.relative(path)
        if not path.exists() and not path.is_symlink():
            self.problems.append(Problem(shown, "file is missing"))
            return None
        self.files.append(path)
        try:
            return read_yaml(path, shown, None if outside_ok else self.project.sources)
        except YamlSyntaxError as exc:
            self.problems.extend(exc.problems)
            return None

    def load(self, path: Path, cls: type[M]) -> tuple[YamlDoc, M] | None:
        """The file read and validated as `cls`, or None when it failed (problems kept)."""
        doc = self.doc(path)
        model = self.model(doc, cls) if doc else None
        return (doc, model) if doc and model else None

    def text(self, path: Path) -> str | None:
        """The text of a file inside paper_sources/ (prose), or None after recording why not."""
        shown = self.project.relative(path)
        try:
            text = read_source_text(path, shown, self.project.sources)
        except SourceFileError as exc:
            self.problems.extend(exc.problems)
            return None
        self.files.append(path)
        return text

    def model(self, doc: YamlDoc, cls: type[M], data: Any = None, loc: tuple = ()) -> M | None:
        data = doc.data if data is None else data
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                where = loc + tuple(err["loc"])
                self.problems.append(doc.problem(where, _message(err)))
            return None

    def add(self, doc: YamlDoc, loc: tuple, message: str) -> None:
        self.problems.append(doc.problem(loc, message))

    def fail_if_any(self, what: str) -> None:
        if self.problems:
            raise SourceError(f"{len(self.problems)} problem(s) in {what}", self.problems)


def _message(err: ErrorDetails) -> str:
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "extra_forbidden":
        return "unknown field"
    return err["msg"]
