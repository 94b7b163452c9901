"""The sample papers' findings agree with counts recomputed straight from the interview files."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from briefings.project import Project
from briefings.sources.loader import load_paper
from briefings.synthesis import synthesise

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(
    p.parent.name
    for p in (ROOT / "paper_sources").glob("*/paper.yaml")
    if (p.parent / "interviews" / "codebook.yaml").is_file()
)


def test_the_sample_papers_with_interviews_are_there():
    """The tests below are parametrized by them: none would silently test nothing."""
    assert len(SAMPLES) >= 2


def recount(paper_id: str) -> dict:
    """Counts from the raw YAML, without the pipeline's models: companies per theme and parent."""
    folder = ROOT / "paper_sources" / paper_id / "interviews"
    themes = yaml.safe_load((folder / "codebook.yaml").read_text(encoding="utf-8"))["themes"]
    parent = {t["id"]: t.get("parent") for t in themes}
    raised = defaultdict(set)
    companies, excerpts, files = set(), 0, 0
    for path in sorted(folder.glob("P*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        files += 1
        companies.add(data["company"])
        for excerpt in data["excerpts"]:
            excerpts += 1
            for code in excerpt["themes"]:
                while code:
                    raised[code].add(data["company"])
                    code = parent[code]
    return {
        "companies": len(companies),
        "interviews": files,
        "excerpts": excerpts,
        "themes": {k: len(v) for k, v in raised.items()},
        "parent": parent,
        "kind": {t["id"]: t["kind"] for t in themes},
        "label": {t["id"]: t["label"] for t in themes},
    }


@pytest.mark.parametrize("paper_id", SAMPLES)
def test_findings_match_a_recount_of_the_interview_files(paper_id):
    expected = recount(paper_id)
    sources = load_paper(Project(ROOT), paper_id)
    findings = synthesise(sources)
    assert (findings.companies, findings.interviews, findings.excerpts) == (
        expected["companies"],
        expected["interviews"],
        expected["excerpts"],
    )
    for theme in findings.all_themes():
        assert theme.companies == expected["themes"].get(theme.id, 0), theme.id
    tops = {t: n for t, n in expected["themes"].items() if not expected["parent"][t]}
    for kind, ranked in (
        ("challenge", findings.challenges),
        ("opportunity", findings.opportunities),
    ):
        counts = [t.companies for t in ranked]
        assert counts == sorted(counts, reverse=True)
        assert {t.id for t in ranked} == {t for t in tops if expected["kind"][t] == kind}
        best = max((n for t, n in tops.items() if expected["kind"][t] == kind), default=None)
        top = findings.top_challenge if kind == "challenge" else findings.top_opportunity
        assert top in {
            expected["label"][t]
            for t, n in tops.items()
            if n == best and expected["kind"][t] == kind
        }


@pytest.mark.parametrize("paper_id", SAMPLES)
def test_sample_quotes_respect_the_policy(paper_id):
    sources = load_paper(Project(ROOT), paper_id)
    findings = synthesise(sources)
    policy = sources.paper.quotes
    excerpts = {e.id: e for i in sources.interviews for e in i.excerpts}
    people = [q.participant for q in findings.quotes]
    assert all(people.count(p) <= policy.per_participant for p in people)
    for q in findings.quotes:
        assert excerpts[q.id].consent_to_quote and q.id not in policy.excluded
        assert q.pinned or policy.min_words <= len(q.text.split()) <= policy.max_words
    for theme in findings.themes:
        assert len([q for q in theme.quotes if not q.pinned]) <= policy.per_theme
    assert synthesise(load_paper(Project(ROOT), paper_id)).quotes == findings.quotes
