"""Both sample papers built once per session, read back as an editor reads them."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from tests.conftest import copy_project

SAMPLES = ("2023-tech-regulation", "2024-fairness-bias")


@dataclass(frozen=True)
class BuiltPaper:
    """One published edition: its folder and its text in each format."""

    paper_id: str
    path: Path

    def file(self, ext: str) -> Path:
        return self.path / f"{self.paper_id}.{ext}"

    @property
    def markdown(self) -> str:
        return self.file("md").read_text(encoding="utf-8")

    def pdf_text(self, first: int | None = None, last: int | None = None) -> str:
        pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
        out = subprocess.run(
            ["pdftotext", *pages, str(self.file("pdf")), "-"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return out.stdout

    def docx_paragraphs(self) -> list[tuple[str, str]]:
        document = docx.Document(str(self.file("docx")))
        return [(p.style.name, p.text) for p in document.paragraphs]

    @property
    def manifest(self) -> dict:
        return json.loads((self.path / "manifest.json").read_text(encoding="utf-8"))

    def html(self) -> str:
        return self.file("html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory):
    from briefings.project import Project

    return Project(copy_project(tmp_path_factory.mktemp("content")))


@pytest.fixture(scope="session")
def sample_drafts(sample_project) -> dict[str, BuiltPaper]:
    """Draft editions of both samples, all three formats."""
    from briefings.pipeline import BuildRequest, build_paper

    built = {}
    for paper_id in SAMPLES:
        edition = build_paper(sample_project, BuildRequest(paper_id))
        built[paper_id] = BuiltPaper(paper_id, edition.path)
    return built


@pytest.fixture(scope="session")
def sample_finals(sample_project) -> dict[str, BuiltPaper]:
    """Final editions of both samples, with --allow-unverified (the registry has unsure facts)."""
    from briefings.pipeline import BuildRequest, build_paper

    built = {}
    for paper_id in SAMPLES:
        request = BuildRequest(paper_id, final=True, allow_unverified=True)
        edition = build_paper(sample_project, request)
        built[paper_id] = BuiltPaper(paper_id, edition.path)
    return built
