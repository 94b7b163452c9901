"""Fixtures for review tests: a project with a built draft (pandoc) and its manifest."""

from __future__ import annotations

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
    (paper / "paper.yaml").write_text(f"id: {kit.PAPER}\nallowlist: [Rose]\n", encoding="utf-8")
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
