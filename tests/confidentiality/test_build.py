"""End to end: a roster name injected into any kind of source stops the build; outputs/ is
untouched.

Each case copies a project that already holds a published edition, injects a disguised roster
name of the sample paper (fictional) into one source, and builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from briefings.errors import ConfidentialityError
from briefings.project import Project
from briefings.roster import GENERIC
from tests.conftest import copy_project
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"
SAMPLE_ROSTER = Path(__file__).resolve().parents[2] / "paper_sources" / PAPER / "interviews"


def test_the_sample_roster_these_tests_rely_on_is_there():
    """Without it every test here would check nothing: its absence fails, it is never skipped."""
    assert (SAMPLE_ROSTER / "roster.yaml").is_file()


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def quote(root: Path) -> None:
    folder = root / "paper_sources" / PAPER
    edit_yaml(
        folder / "interviews" / "P02.yaml",
        lambda d: d["excerpts"][0].update(
            text=d["excerpts"][0]["text"] + " So said HENRIK DALVOSS."
        ),
    )
    edit_yaml(folder / "paper.yaml", lambda d: d["quotes"].update(pinned=["P02-01"]))


def regulation_summary(root: Path) -> None:
    edit_yaml(
        root / "paper_sources" / "regulations" / "eu-ai-act.yaml",
        lambda d: d.update(summary=d["summary"] + " Lumatrix\u200b’s view differs."),
    )


def recommendation(root: Path) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "recommendations.yaml",
        lambda d: d[0].update(text=d[0]["text"] + " Follow the example of Brightquay Software."),
    )


def title(root: Path) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "paper.yaml",
        lambda d: d.update(title=d["title"] + ": lessons from Cíndral"),
    )


def footnote(root: Path) -> None:
    append(
        root / "paper_sources" / PAPER / "sections" / "introduction.md",
        "\nOne company led the way.[^leak]\n\n"
        "[^leak]: Interview with a manager at Dun-\nmoor Data.\n",
    )


def image_alt_text(root: Path) -> None:
    from tests.confidentiality.editions import PIXEL

    (root / "paper_sources" / PAPER / "figures").mkdir(exist_ok=True)
    (root / "paper_sources" / PAPER / "figures" / "figure.png").write_bytes(PIXEL)
    append(
        root / "paper_sources" / PAPER / "sections" / "introduction.md",
        "\nA figure ![Photo of the Zentrevo office](figures/figure.png) inline.\n",
    )


def metadata(root: Path) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "paper.yaml",
        lambda d: d.update(organisation="TESSARO Group"),
    )


def template_metadata(root: Path) -> None:
    """A name that only a template adds (PDF keywords): only the check of edition files can see
    it."""
    template = root / "templates" / "typst" / "briefing.typ"
    text = template.read_text(encoding="utf-8")
    marker = "#let doc-title = [$title$]\n"
    assert marker in text
    template.write_text(
        text.replace(marker, marker + '#set document(keywords: ("Kestrelwick",))\n'),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A project copy with one draft edition already in outputs/."""
    from briefings.pipeline import BuildRequest, build_paper

    root = copy_project(tmp_path_factory.mktemp("published"))
    build_paper(Project(root), BuildRequest(PAPER))
    assert any((root / "outputs" / PAPER).iterdir())
    return root


@pytest.fixture
def project_copy(published, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(published, root)
    return root


@pytest.mark.parametrize(
    "inject, formats, source",
    [
        (quote, ("html",), f"paper_sources/{PAPER}/interviews/P02.yaml"),
        (regulation_summary, ("html",), "paper_sources/regulations/eu-ai-act.yaml"),
        (recommendation, ("html",), f"paper_sources/{PAPER}/recommendations.yaml"),
        (title, ("html",), f"paper_sources/{PAPER}/paper.yaml"),
        (footnote, ("docx",), f"paper_sources/{PAPER}/sections/introduction.md"),
        (image_alt_text, ("docx",), f"paper_sources/{PAPER}/sections/introduction.md"),
        (metadata, ("docx",), f"paper_sources/{PAPER}/paper.yaml"),
        (template_metadata, ("pdf",), "templates/typst/briefing.typ"),
    ],
)
def test_a_leak_from_any_source_stops_the_build(project_copy, inject, formats, source):
    from briefings.pipeline import BuildRequest, build_paper

    inject(project_copy)
    before = tree_snapshot(project_copy / "outputs")
    with pytest.raises(ConfidentialityError) as caught:
        build_paper(Project(project_copy), BuildRequest(PAPER, formats=formats))
    assert tree_snapshot(project_copy / "outputs") == before
    assert {p.file for p in caught.value.problems} == {source}
    lines = "\n".join(caught.value.lines()) + str(caught.value)
    roster = yaml.safe_load(
        (project_copy / "paper_sources" / PAPER / "interviews" / "roster.yaml").read_text()
    )
    for entry in roster:
        for name in (entry["name"], entry["company"], *entry.get("aliases", [])):
            for word in name.split():
                assert word.casefold() in GENERIC or word.casefold() not in lines.casefold()
    assert "*" in lines


def test_the_leak_is_traced_to_its_source(project_copy):
    from briefings.pipeline import BuildRequest, build_paper

    recommendation(project_copy)
    with pytest.raises(ConfidentialityError) as caught:
        build_paper(Project(project_copy), BuildRequest(PAPER, formats=("html",)))
    files = {p.file for p in caught.value.problems}
    assert f"paper_sources/{PAPER}/recommendations.yaml" in files
    assert any(p.field == "0.text" for p in caught.value.problems)


def test_an_allowlisted_name_word_builds(project_copy):
    from briefings.pipeline import BuildRequest, build_paper

    append(
        project_copy / "paper_sources" / PAPER / "sections" / "conclusion.md",
        "\nHannah had it right.\n",
    )
    with pytest.raises(ConfidentialityError):
        build_paper(Project(project_copy), BuildRequest(PAPER, formats=("html",)))
    edit_yaml(
        project_copy / "paper_sources" / PAPER / "paper.yaml",
        lambda d: d.update(allowlist=["Hannah"]),
    )
    edition = build_paper(Project(project_copy), BuildRequest(PAPER, formats=("html",)))
    assert "Hannah had it right" in edition.path.joinpath(f"{PAPER}.md").read_text(encoding="utf-8")
