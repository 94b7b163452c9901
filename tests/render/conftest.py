"""Shared renders of the sample briefing: one draft and one strict final build for the whole
area."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from briefings.render import RenderOptions, render_editions

from .sample import sample_markdown, write_bibliography, write_png

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Build:
    """The editions of one render, by format."""

    paths: dict[str, Path]

    def __getitem__(self, fmt: str) -> Path:
        return self.paths[fmt]


@pytest.fixture(scope="session")
def assets(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("assets")
    write_bibliography(folder)
    (folder / "figures").mkdir()
    write_png(folder / "figures" / "themes.png")
    return folder


@pytest.fixture(scope="session")
def options(assets) -> RenderOptions:
    """Draft, non-strict options with the sample bibliography and image folder."""
    return RenderOptions(
        templates=TEMPLATES,
        bibliography=[assets / "references.yaml"],
        csl=None,
        draft=True,
        strict=False,
        paper_dir=assets,
    )


@pytest.fixture(scope="session")
def draft(tmp_path_factory, options) -> Build:
    out = tmp_path_factory.mktemp("draft")
    return Build(
        render_editions(
            sample_markdown(draft=True, image="figures/themes.png"),
            ["docx", "pdf", "html"],
            out,
            "2023-tech-regulation",
            options,
        )
    )


@pytest.fixture(scope="session")
def final(tmp_path_factory, options) -> Build:
    """A strict final build: it also proves the sample renders with no warning at all."""
    out = tmp_path_factory.mktemp("final")
    strict = replace(options, draft=False, strict=True)
    return Build(
        render_editions(
            sample_markdown(draft=False, image="figures/themes.png"),
            ["html", "docx", "pdf"],
            out,
            "2023-tech-regulation",
            strict,
        )
    )
