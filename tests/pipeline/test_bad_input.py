"""Bad input: one line per problem naming file, field and line; all together; nothing published."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from briefings.cli import main
from briefings.errors import RenderError, SourceError
from briefings.pipeline import BuildRequest, build_paper
from briefings.sources.loader import load_paper
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"


def _edit_yaml(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _first_interview(project):
    return sorted(p for p in (project.paper_dir(PAPER) / "interviews").glob("P*.yaml"))[0]


def test_every_problem_is_reported_together_with_file_field_and_line(project, capsys):
    paper_dir = project.paper_dir(PAPER)
    (project.regulations / "eu-dsa.yaml").write_text(
        "id: eu-dsa\ntitle: [unclosed\n", encoding="utf-8"
    )
    _edit_yaml(project.regulations / "eu-ai-act.yaml", lambda d: d.pop("summary"))
    _edit_yaml(
        _first_interview(project), lambda d: d["excerpts"][0]["themes"].append("no-such-theme")
    )
    _edit_yaml(
        paper_dir / "recommendations.yaml",
        lambda d: (
            d[0]["evidence"].setdefault("themes", []).append("ghost-theme"),
            d[1]["evidence"].setdefault("regulations", []).append("ghost-act"),
        ),
    )
    _edit_yaml(paper_dir / "paper.yaml", lambda d: d["instruments"].append("no-such-act"))
    before = tree_snapshot(project.outputs)

    assert main(["--root", str(project.root), "build", PAPER]) == 1
    err = capsys.readouterr().err.splitlines()
    text = "\n".join(err)
    assert re.search(r"regulations/eu-dsa\.yaml:\d+: malformed YAML", text)
    assert re.search(r"regulations/eu-ai-act\.yaml:\d+: summary: required field is missing", text)
    assert re.search(
        r"interviews/P\d+\.yaml:\d+: excerpts\.0\.themes\.\d+: unknown theme code 'no-such-theme'",
        text,
    )
    assert re.search(
        r"recommendations\.yaml:\d+: 0\.evidence\.themes\.\d+: unknown theme 'ghost-theme'", text
    )
    assert re.search(
        r"recommendations\.yaml:\d+: 1\.evidence\.regulations\.\d+: unknown regulation 'ghost-act'",
        text,
    )
    assert re.search(r"paper\.yaml:\d+: instruments\.\d+: unknown instrument 'no-such-act'", text)
    assert all(line.startswith("error: ") for line in err)
    assert tree_snapshot(project.outputs) == before


def test_missing_field_line_points_at_the_parent(project):
    path = project.paper_dir(PAPER) / "paper.yaml"
    _edit_yaml(path, lambda d: d.pop("organisation"))
    with pytest.raises(SourceError) as info:
        load_paper(project, PAPER)
    (problem,) = info.value.problems
    assert problem.field == "organisation" and problem.line == 1
    assert problem.file.endswith(f"{PAPER}/paper.yaml")


def test_unknown_field_is_an_error_not_ignored(project):
    _edit_yaml(project.regulations / "eu-gdpr.yaml", lambda d: d.update(sumary="typo"))
    with pytest.raises(SourceError, match="problem") as info:
        load_paper(project, PAPER)
    assert any(p.field == "sumary" and "unknown field" in p.message for p in info.value.problems)


def test_template_error_names_the_template_and_publishes_nothing(project, capsys):
    before = tree_snapshot(project.outputs)
    intro = project.paper_dir(PAPER) / "sections" / "introduction.md"
    text = intro.read_text(encoding="utf-8").rstrip("\n")
    intro.write_text(text + "\n\n{{ paper.no_such_field }}\n", encoding="utf-8")
    assert main(["--root", str(project.root), "build", PAPER, "--format", "html"]) == 1
    err = capsys.readouterr().err
    line = len(text.splitlines()) + 2
    assert f"sections/introduction.md:{line}: template error:" in err and "no_such_field" in err
    assert tree_snapshot(project.outputs) == before


def test_failed_build_leaves_earlier_editions_exactly_as_they_were(project):
    first = build_paper(project, BuildRequest(PAPER, ("html",)))
    before = tree_snapshot(project.outputs)
    # A pandoc failure: a Typst template that does not compile.
    (project.templates / "typst" / "briefing.typ").write_text(
        "#let broken = (\n$body$\n", encoding="utf-8"
    )
    with pytest.raises(RenderError):
        build_paper(project, BuildRequest(PAPER, ("html", "pdf")))
    assert tree_snapshot(project.outputs) == before
    assert (first.path / "manifest.json").is_file()
    assert not (project.outputs / PAPER / ".staging").exists()


def test_errors_of_every_paper_are_reported_together(project, capsys):
    for paper in project.paper_ids():
        _edit_yaml(project.paper_dir(paper) / "paper.yaml", lambda d: d.pop("series"))
    assert main(["--root", str(project.root), "build", "--all"]) == 1
    err = capsys.readouterr().err
    for paper in project.paper_ids():
        assert f"{paper}/paper.yaml:1: series: required field is missing" in err
    assert not any(project.outputs.iterdir())


@pytest.mark.parametrize("final", [[], ["--final", "--allow-unverified"]])
def test_no_edition_is_built_without_a_roster_to_check_against(project, capsys, final):
    before = tree_snapshot(project.outputs)
    (project.paper_dir(PAPER) / "interviews" / "roster.yaml").unlink()
    assert main(["--root", str(project.root), "build", PAPER, "--format", "html", *final]) == 1
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert line.startswith(
        f"error: paper_sources/{PAPER}/interviews: "
        "no roster.yaml here or under $BRIEFINGS_ROSTER_DIR"
    )
    assert tree_snapshot(project.outputs) == before


def test_roster_outside_the_repository_is_used(project, tmp_path, monkeypatch):
    roster = project.paper_dir(PAPER) / "interviews" / "roster.yaml"
    outside = tmp_path / "private" / PAPER
    outside.mkdir(parents=True)
    roster.rename(outside / "roster.yaml")
    monkeypatch.setenv("BRIEFINGS_ROSTER_DIR", str(tmp_path / "private"))
    edition = build_paper(
        project, BuildRequest(PAPER, ("html",), final=True, allow_open=True, allow_unverified=True)
    )
    assert edition.files["html"].is_file()


def test_a_pandoc_failure_is_one_line_and_publishes_nothing(project, capsys):
    build_paper(project, BuildRequest(PAPER, ("html",)))
    before = tree_snapshot(project.outputs)
    (project.templates / "reference.docx").write_bytes(b"not a zip archive")
    assert main(["--root", str(project.root), "build", PAPER]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert (
        errors[0].startswith(f"error: {PAPER}.docx: docx: pandoc:")
        and "central directory" in errors[0]
    )
    assert tree_snapshot(project.outputs) == before


def test_unknown_citation_key_in_prose_is_reported_with_its_line(project):
    conclusion = project.paper_dir(PAPER) / "sections" / "conclusion.md"
    lines = conclusion.read_text(encoding="utf-8").splitlines()
    lines.insert(
        2, "As argued elsewhere [@no-such-key; see @also-missing, p. 3]. Write to team@example.org."
    )
    # pandoc reads these as code, not citations: no error for them.
    lines.insert(4, "Type `@not-a-key` in the box, or see\n\n    @indented-code-too\n")
    conclusion.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        load_paper(project, PAPER)
    found = sorted((p.file.rsplit("/", 1)[-1], p.line, p.message) for p in info.value.problems)
    assert found == [
        ("conclusion.md", 3, "unknown citation key 'also-missing' (not in references.yaml)"),
        ("conclusion.md", 3, "unknown citation key 'no-such-key' (not in references.yaml)"),
    ]


def test_a_broken_registry_file_is_reported_once_not_as_unknown_everywhere(project):
    (project.regulations / "eu-dsa.yaml").write_text(
        "id: eu-dsa\ntitle: [unclosed\n", encoding="utf-8"
    )
    with pytest.raises(SourceError) as info:
        load_paper(project, PAPER)
    assert len(info.value.problems) == 1 and "malformed YAML" in info.value.problems[0].message


def test_builds_started_in_the_same_second_get_their_own_editions(project):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        editions = list(
            pool.map(lambda _: build_paper(project, BuildRequest(PAPER, ("html",))), range(3))
        )
    ids = {e.edition_id for e in editions}
    assert len(ids) == 3
    for edition in editions:
        assert (edition.path / "manifest.json").is_file()
        assert edition.manifest["edition"] == edition.edition_id
    assert not (project.outputs / PAPER / ".staging").exists()


def test_what_killed_builds_left_is_cleared_by_the_next_build(project):
    """Under the paper's lock no other build is running: every leftover is a dead build's."""
    root = project.outputs / PAPER
    legacy = root / ".staging-19990101T000000Z-draft"
    staged = root / ".staging" / "20991231T000000Z-draft"
    for folder in (legacy, staged):
        folder.mkdir(parents=True)
        (folder / f"{PAPER}.md").write_text("unchecked text", encoding="utf-8")
    (root / ".LATEST.abc123.tmp").write_text("20991231T000000Z-draft\n", encoding="utf-8")
    edition = build_paper(project, BuildRequest(PAPER, ("html",)))
    assert sorted(p.name for p in root.iterdir()) == [".lock", edition.edition_id]


def test_the_refresh_reads_paper_yaml_through_the_validated_loader(project, capsys):
    """The light path (instruments and allowlist only) still names file, field and line."""
    _edit_yaml(project.paper_dir(PAPER) / "paper.yaml", lambda d: d.update(instruments="eu-dsa"))
    args = ["--root", str(project.root), "refresh", PAPER, "--offline", "--no-rebuild"]
    assert main(args) == 1
    errors = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert errors == [
        f"error: paper_sources/{PAPER}/paper.yaml:9: instruments: Input should be a valid list"
    ]


def test_an_unusable_pinned_quote_is_a_warning_line_and_recorded_in_the_manifest(project):
    _edit_yaml(
        project.paper_dir(PAPER) / "paper.yaml",
        lambda d: d["quotes"].update(pinned=["P99-01"]),
    )
    args = ["--root", str(project.root), "build", PAPER, "--format", "html"]
    done = subprocess.run(
        [sys.executable, "-m", "briefings.cli", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    note = "pinned quote P99-01: no such excerpt"
    warning = f"warning: paper_sources/{PAPER}/paper.yaml: quotes.pinned: {note}"
    assert warning in done.stderr.splitlines()
    (edition,) = [p for p in (project.outputs / PAPER).iterdir() if p.is_dir()]
    manifest = json.loads((edition / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["pinned_quotes_not_used"] == [note]
