"""The roster's own rules: no one listed is no roster; ordinary words never trip the matcher."""

from __future__ import annotations

import pytest
import yaml

from briefings.cli import main
from briefings.confidentiality import extract, scan_chunks
from briefings.confidentiality.extract import readable
from briefings.confidentiality.trace import source_files
from briefings.project import Project
from briefings.roster import RosterNames
from briefings.sources.models import RosterEntry
from tests.conftest import copy_project
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"


def _errors(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize("content", ["[]\n", "# nobody yet\n[]\n"])
def test_a_roster_that_lists_no_one_stops_the_build(project, capsys, content):
    assert main(["--root", str(project.root), "build", PAPER, "--format", "html"]) == 0
    before = tree_snapshot(project.outputs)
    (project.paper_dir(PAPER) / "interviews" / "roster.yaml").write_text(content, encoding="utf-8")
    assert main(["--root", str(project.root), "build", PAPER, "--format", "html"]) == 1
    assert _errors(capsys) == [
        f"error: paper_sources/{PAPER}/interviews/roster.yaml: lists no one; "
        "a paper with interviews needs every participant here"
    ]
    assert tree_snapshot(project.outputs) == before


def test_check_reports_a_roster_that_lists_no_one(project, capsys):
    (project.paper_dir(PAPER) / "interviews" / "roster.yaml").write_text("[]\n", encoding="utf-8")
    assert main(["--root", str(project.root), "check", "--all"]) == 1
    assert _errors(capsys) == [
        f"error: paper_sources/{PAPER}/interviews/roster.yaml: lists no one; "
        "a paper with interviews needs every participant here"
    ]


def test_an_empty_roster_outside_the_repository_stops_the_build_too(
    project, tmp_path, monkeypatch, capsys
):
    (project.paper_dir(PAPER) / "interviews" / "roster.yaml").unlink()
    private = tmp_path / "private" / PAPER
    private.mkdir(parents=True)
    (private / "roster.yaml").write_text("[]\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFINGS_ROSTER_DIR", str(tmp_path / "private"))
    assert main(["--root", str(project.root), "build", PAPER, "--format", "html"]) == 1
    (line,) = _errors(capsys)
    assert line.startswith(f"error: {private / 'roster.yaml'}: lists no one")
    assert not (project.outputs / PAPER / "LATEST").exists()


@pytest.fixture(scope="module")
def both_samples(tmp_path_factory):
    """Both sample papers built in every format, and one matcher holding both rosters."""
    project = Project(copy_project(tmp_path_factory.mktemp("samples")))
    assert main(["--root", str(project.root), "build", "--all"]) == 0
    entries = [
        RosterEntry(**entry)
        for paper in project.paper_ids()
        for entry in yaml.safe_load(
            (project.paper_dir(paper) / "interviews" / "roster.yaml").read_text(encoding="utf-8")
        )
    ]
    return project, RosterNames(entries)


def test_the_sample_papers_build_and_their_words_trip_no_roster(both_samples):
    """Each paper passed its own gate; no edition, nor any source, holds a name of either roster
    (the split, joined and look-alike matching finds nothing in ordinary words)."""
    project, names = both_samples
    for paper in project.paper_ids():
        edition = project.outputs / paper / (project.outputs / paper / "LATEST").read_text().strip()
        files = sorted(p for p in edition.iterdir() if p.is_file())
        assert {p.suffix for p in files} >= {".docx", ".pdf", ".html", ".md"}
        for path in files:
            chunks = readable(extract(path))
            assert scan_chunks(names, path.name, chunks) == [], path.name
            assert not [c.part for c in chunks if c.refused], path.name
        for path in source_files(project, paper):
            assert names.find(path.read_text(encoding="utf-8")) == [], project.relative(path)
