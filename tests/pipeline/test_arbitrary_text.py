"""Arbitrary text in prose or in a YAML source gives a clean edition or a one-line BriefingError.

Hypothesis writes arbitrary Unicode, salted with Markdown, Jinja, YAML and HTML fragments, into
a prose section, into YAML values (written by a YAML dumper) and raw into a YAML file. The real
build must then either publish editions that hold no roster name, or raise a BriefingError whose
every line is one line — never another exception — and leave outputs/ as it was.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from briefings.errors import BriefingError
from briefings.pipeline import BuildRequest, build_paper
from briefings.project import Project
from tests.conftest import REPO, copy_project
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"
ROSTER = yaml.safe_load(
    (REPO / "paper_sources" / PAPER / "interviews" / "roster.yaml").read_text(encoding="utf-8")
)
NAMES = sorted({n.casefold() for e in ROSTER for n in (e["name"], e["company"])})
FRAGMENTS = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "{##",
    "##}",
    "[",
    "]",
    "[@",
    "@",
    "](",
    "![",
    "<",
    ">",
    "<script>",
    "<!--",
    "`",
    "```",
    "```{=html}",
    "{=typst}",
    "---",
    "\n",
    "\n\n",
    "::: ",
    ":::",
    "*",
    "_",
    "#",
    "|",
    "\\",
    "$",
    "&a",
    "*a",
    "!!python/object",
    ": ",
    "- ",
    "\ufeff",
    "\x00",
    "\u202e",
    "\u200b",
    "^[",
    "[^1]",
    "\t",
    "'",
    '"',
    "%",
    "{{ paper.title }}",
]
TEXT = st.lists(
    st.one_of(
        st.text(st.characters(exclude_categories=("Cs",)), max_size=12),
        st.sampled_from(FRAGMENTS),
    ),
    max_size=12,
).map("".join)


def _prose(root: Path, text: str) -> None:
    path = root / "paper_sources" / PAPER / "sections" / "conclusion.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def _dumped(file: str, change) -> callable:
    def inject(root: Path, text: str) -> None:
        path = root / "paper_sources" / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data, text)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")

    return inject


def _raw_yaml(root: Path, text: str) -> None:
    path = root / "paper_sources" / PAPER / "paper.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"subtitle: {text}\n", encoding="utf-8")


KINDS = {
    "prose": _prose,
    "excerpt text": _dumped(
        f"{PAPER}/interviews/P02.yaml", lambda d, t: d["excerpts"][0].update(text=t)
    ),
    "recommendation": _dumped(f"{PAPER}/recommendations.yaml", lambda d, t: d[0].update(text=t)),
    "regulation summary": _dumped("regulations/eu-gdpr.yaml", lambda d, t: d.update(summary=t)),
    "paper title": _dumped(f"{PAPER}/paper.yaml", lambda d, t: d.update(title=t)),
    "raw yaml": _raw_yaml,
}


@pytest.fixture(scope="module")
def sample_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("arbitrary"))


def _edition_text(edition: Path) -> str:
    parts = []
    for path in edition.iterdir():
        if path.suffix in (".html", ".md"):
            parts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as package:
                parts += [
                    package.read(n).decode("utf-8")
                    for n in package.namelist()
                    if n.endswith(".xml")
                ]
    return "\n".join(parts).casefold()


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kind=st.sampled_from(sorted(KINDS)), text=TEXT)
def test_arbitrary_text_publishes_cleanly_or_is_a_one_line_error(sample_project, kind, text):
    with tempfile.TemporaryDirectory() as tmp:
        root = shutil.copytree(sample_project, Path(tmp) / "project")
        KINDS[kind](root, text)
        before = tree_snapshot(root / "outputs")
        try:
            edition = build_paper(Project(root), BuildRequest(PAPER, ("html", "docx", "pdf")))
        except BriefingError as error:
            event(f"{kind}: {type(error).__name__}")
            assert error.lines() and all("\n" not in line for line in error.lines())
            assert tree_snapshot(root / "outputs") == before
            return
        event(f"{kind}: published")
        published = _edition_text(edition.path)
        assert not [name for name in NAMES if name in published]
