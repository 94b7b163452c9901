"""Two published editions of the 2024 sample, the second after an editor's changes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from briefings.pipeline import BuildRequest, build_paper
from briefings.project import Project
from tests.conftest import copy_project

PAPER = "2024-fairness-bias"


class TwoEditions(NamedTuple):
    project: Project
    old: str
    new: str


def edit_sources(root: Path, paper_id: str = PAPER) -> None:
    """Edits of every kind: prose words, a deleted paragraph, a reworded and a moved
    recommendation, a regulation summary, and a status (a table cell and a paragraph)."""
    paper = root / "paper_sources" / paper_id
    intro = paper / "sections" / "introduction.md"
    paragraphs = intro.read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    paragraphs[0] = paragraphs[0].replace(" has ", " has quickly ", 1)
    del paragraphs[-1]
    intro.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    recs = paper / "recommendations.yaml"
    text = recs.read_text(encoding="utf-8")
    text = text.replace("audience: companies", "audience: policymakers", 1)  # rec-01 moves
    text = text.replace("text: >-\n    ", "text: >-\n    Above all, ", 2)
    recs.write_text(text, encoding="utf-8")
    osa = root / "paper_sources" / "regulations" / "uk-osa.yaml"
    text = osa.read_text(encoding="utf-8")
    text = text.replace("in force, phased commencement", "in force, commencement complete")
    text = text.replace("covering illegal content", "covering illegal and fraudulent content")
    osa.write_text(text, encoding="utf-8")
    assert re.search("commencement complete", osa.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def two_editions_build(tmp_path_factory) -> TwoEditions:
    project = Project(copy_project(tmp_path_factory.mktemp("diff") / "project"))
    old = build_paper(project, BuildRequest(PAPER)).edition_id
    edit_sources(project.root)
    new = build_paper(project, BuildRequest(PAPER)).edition_id
    return TwoEditions(project, old, new)


@pytest.fixture
def two_editions(two_editions_build, tmp_path) -> TwoEditions:
    """A private copy of the two editions (tests may write changes/ or tamper with files)."""
    root = tmp_path / "project"
    shutil.copytree(two_editions_build.project.root, root)
    return TwoEditions(Project(root), two_editions_build.old, two_editions_build.new)
