"""Fixtures for review tests: a project with a built draft (pandoc) and its manifest."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefings.project import Project

PAPER = "2023-tech-regulation"


def _kit():
    from tests.review import review_kit

    return review_kit


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A project with paper 2023-tech-regulation and one built edition, draft-1."""
    kit = _kit()
    root = tmp_path / "project"
    paper = root / "paper_sources" / kit.PAPER
    (paper / "reviews").mkdir(parents=True)
    (paper / "paper.yaml").write_text(
        f"id: {kit.PAPER}\ninstruments: [eu-ai-act]\nallowlist: [Rose]\n", encoding="utf-8"
    )
    (root / "paper_sources" / "other-paper").mkdir()
    project = Project(root)
    kit.build_edition(project, kit.EDITION)
    return project


@pytest.fixture
def draft(project: Project) -> Path:
    """The DOCX of edition draft-1, as a reviewer receives it."""
    kit = _kit()
    return project.outputs / kit.PAPER / kit.EDITION / f"{kit.PAPER}.docx"


@pytest.fixture
def ledger_bytes(project: Project):
    """Bytes of the ledger now (b'' when absent), to check a failed ingest changed nothing."""
    path = project.paper_dir(PAPER) / "reviews" / "ledger.jsonl"
    return lambda: path.read_bytes() if path.exists() else b""


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """The repository's sample paper built once by the real pipeline (DOCX only)."""
    from briefings.pipeline import BuildRequest, build_paper
    from tests.conftest import copy_project

    project = Project(copy_project(tmp_path_factory.mktemp("review-build") / "project"))
    build_paper(project, BuildRequest(PAPER, ("docx",)))
    return project.root


@pytest.fixture
def built(sample_build, tmp_path):
    """(project, draft, manifest source map): a private copy of the sample build, ledger empty."""
    root = tmp_path / "built"
    shutil.copytree(sample_build, root)
    project = Project(root)
    (edition,) = [p for p in (project.outputs / PAPER).iterdir() if p.is_dir()]
    source_map = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))["source_map"]
    return project, edition / f"{PAPER}.docx", source_map


@pytest.fixture(scope="session")
def soffice(libreoffice):
    """The session's one headless LibreOffice (tests/conftest.py), as the review tests name it."""
    return libreoffice


@pytest.fixture
def inbox(project: Project, tmp_path: Path, monkeypatch) -> Path:
    """The paper's review inbox, in a folder of its own (as on a shared drive)."""
    from briefings.review.inbox import INBOX_ENV, paper_inbox, prepare_inboxes

    monkeypatch.setenv(INBOX_ENV, str(tmp_path / "shared-drive" / "review-inbox"))
    prepare_inboxes(project)
    return paper_inbox(project, PAPER)
