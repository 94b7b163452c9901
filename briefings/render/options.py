"""What a render needs to know besides the Markdown: templates, bibliography, draft or final."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:
    from ..sources.loader import PaperSources

from ..clock import now

EditionFormat = Literal["docx", "pdf", "html"]
FORMATS: tuple[EditionFormat, ...] = get_args(EditionFormat)  # in the order editions are listed
DRAFT_MARK = "DRAFT — not for circulation"


@dataclass(frozen=True)
class RenderOptions:
    """Settings shared by the three editions of one build."""

    templates: Path  # the project's templates/ folder
    bibliography: list[Path]  # CSL YAML/JSON files (may be empty)
    csl: Path | None  # CSL style; None means templates/csl/house.csl
    draft: bool  # drafts are visibly marked DRAFT in every format
    strict: bool  # final builds: any pandoc or Typst warning fails the render
    paper_dir: Path | None = None  # editors' images are read only from its figures/ folder
    # The edition's one clock: every date inside the files (DOCX properties and zip entries,
    # PDF dates, XMP and /ID).
    built_at: dt.datetime = field(default_factory=now)
    cache: Path | None = None  # the project's .cache/ (briefings.cache); None: nothing kept

    @property
    def style(self) -> Path:
        return self.csl if self.csl is not None else self.templates / "csl" / "house.csl"

    @property
    def reference_docx(self) -> Path:
        return self.templates / "reference.docx"

    @property
    def typst_template(self) -> Path:
        return self.templates / "typst" / "briefing.typ"

    @property
    def html_template(self) -> Path:
        return self.templates / "html" / "briefing.html"

    def strict_args(self) -> list[str]:
        return ["--fail-if-warnings"] if self.strict else []


def paper_render_options(
    sources: PaperSources, final: bool, built_at: dt.datetime | None = None
) -> RenderOptions:
    """The render settings of one paper: its bibliography, its CSL style, draft or final."""
    templates = sources.project.templates
    return RenderOptions(
        templates=templates,
        bibliography=list(sources.bibliography),
        csl=templates / "csl" / sources.paper.csl if sources.paper.csl else None,
        draft=not final,
        strict=final,
        paper_dir=sources.paper_dir,
        built_at=built_at or now(),
        cache=sources.project.cache,
    )
