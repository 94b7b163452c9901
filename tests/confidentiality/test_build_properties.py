"""Property test through the real build: a disguised roster name in any kind of source stops it.

Hypothesis picks a roster form (person, company, alias) of the fictional sample roster, disguises
it (case, accents, zero-width characters, a possessive; in prose also a hyphen line break), and
puts it into one kind of source. The build must fail with ConfidentialityError and outputs/ must
stay byte for byte as it was. Allowlisted words pass.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.errors import ConfidentialityError
from briefings.pipeline import BuildRequest, build_paper
from briefings.project import Project
from tests.confidentiality.test_build import append, edit_yaml
from tests.conftest import REPO, copy_project
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"
ROSTER = yaml.safe_load(
    (REPO / "paper_sources" / PAPER / "interviews" / "roster.yaml").read_text(encoding="utf-8")
)
FORMS = sorted({form for e in ROSTER for form in (e["name"], e["company"], *e.get("aliases", []))})
ACCENTS = "\u0300\u0301\u0308\u030a\u0327"
INVISIBLE = "\u200b\u200c\u200d\u2060\u00ad"


@st.composite
def disguised(draw, prose: bool) -> str:
    form = draw(st.sampled_from(FORMS))
    chars = []
    for c in form:
        c = c.upper() if draw(st.booleans()) else c.lower()
        if c.isalpha() and draw(st.integers(0, 5)) == 0:
            c += draw(st.sampled_from(ACCENTS))
        if c.isalpha() and draw(st.integers(0, 5)) == 0:
            c += draw(st.sampled_from(INVISIBLE))
        chars.append(c)
    inner = [i for i in range(1, len(form)) if form[i - 1].isalpha() and form[i].isalpha()]
    if prose and inner and draw(st.booleans()):
        chars[draw(st.sampled_from(inner)) - 1] += "-\n"
    return "".join(chars) + draw(st.sampled_from(["", "'s", "\u2019s"]))


def _quote(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "interviews" / "P02.yaml",
        lambda d: d["excerpts"][0].update(text=d["excerpts"][0]["text"] + f" As {text} put it."),
    )
    edit_yaml(
        root / "paper_sources" / PAPER / "paper.yaml",
        lambda d: d["quotes"].update(pinned=["P02-01"]),
    )


def _summary(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / "regulations" / "eu-gdpr.yaml",
        lambda d: d.update(summary=f"{d['summary']} {text}"),
    )


def _recommendation(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "recommendations.yaml",
        lambda d: d[1].update(rationale=f"{text} agreed."),
    )


def _title(root: Path, text: str) -> None:
    edit_yaml(
        root / "paper_sources" / PAPER / "paper.yaml", lambda d: d.update(subtitle=f"With {text}")
    )


def _metadata(root: Path, text: str) -> None:
    edit_yaml(root / "paper_sources" / PAPER / "paper.yaml", lambda d: d.update(organisation=text))


def _footnote(root: Path, text: str) -> None:
    append(
        root / "paper_sources" / PAPER / "sections" / "conclusion.md",
        f"\nSee the note.[^n]\n\n[^n]: From {text}.\n",
    )


def _alt_text(root: Path, text: str) -> None:
    from tests.confidentiality.editions import PIXEL

    (root / "paper_sources" / PAPER / "figure.png").write_bytes(PIXEL)
    append(
        root / "paper_sources" / PAPER / "sections" / "conclusion.md",
        f"\n![A photo of {text}](figure.png)\n",
    )


YAML_KINDS = [_quote, _summary, _recommendation, _title, _metadata]
PROSE_KINDS = [_footnote, _alt_text]


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("published"))
    build_paper(Project(root), BuildRequest(PAPER, ("html",)))
    return root


@settings(
    max_examples=14, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    case=st.one_of(
        st.tuples(st.sampled_from(YAML_KINDS), disguised(prose=False)),
        st.tuples(st.sampled_from(PROSE_KINDS), disguised(prose=True)),
    )
)
def test_a_disguised_name_in_any_source_stops_the_build(published, case):
    inject, text = case
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(published, root)
        inject(root, text)
        before = tree_snapshot(root / "outputs")
        with pytest.raises(ConfidentialityError):
            build_paper(Project(root), BuildRequest(PAPER, ("html", "docx")))
        assert tree_snapshot(root / "outputs") == before
