"""Fixtures of the confidentiality tests: a project holding a fictional roster."""

from __future__ import annotations

import pytest


@pytest.fixture
def gate_project(tmp_path):
    from briefings.project import Project
    from tests.confidentiality.gate_project import write_gate_project

    return Project(write_gate_project(tmp_path / "gate"))
