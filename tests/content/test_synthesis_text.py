"""Synthesis a researcher would sign: one anonymity rule, messages by rank, attributed quotes."""

from __future__ import annotations

import re

from briefings.pipeline import gather
from briefings.synthesis import synthesise
from briefings.synthesis.figures import figures_of


def test_the_anonymity_rule_is_stated_once_the_same_way_and_in_companies(
    sample_project, sample_drafts
):
    for paper_id, paper in sample_drafts.items():
        sources = gather(sample_project, paper_id)
        rule = figures_of(sources, synthesise(sources)).anonymity_rule
        assert "at least three companies share it" in rule
        text = " ".join(paper.markdown.split())
        findings = text.split("# Interview findings", 1)[1].split("\n# ", 1)[0]
        methodology = text.split("# Methodology", 1)[1]
        assert rule in findings and rule in methodology, paper_id
        # no other statement of the rule, in people or participants
        assert not re.search(r"fewer than \w+ (participants|people)", text), paper_id


def test_summary_messages_are_the_leading_themes_in_rank_order(sample_project, sample_drafts):
    for paper_id, paper in sample_drafts.items():
        findings = synthesise(gather(sample_project, paper_id))
        ranked = list(findings.themes)
        assert [m.theme.id for m in findings.messages] == [t.id for t in ranked[:3]]
        summary = paper.markdown.split("# Executive summary", 1)[1].split("\n# ", 1)[0]
        summary = " ".join(summary.split())
        positions = [summary.find(m.theme.label[1:]) for m in findings.messages]
        assert -1 not in positions and positions == sorted(positions), paper_id


def test_most_quotes_carry_a_descriptor_under_k3(sample_project):
    for paper_id in ("2023-tech-regulation", "2024-fairness-bias"):
        findings = synthesise(gather(sample_project, paper_id))
        attributed = [q for q in findings.quotes if q.attribution]
        assert len(attributed) >= 0.8 * len(findings.quotes), paper_id


def test_sample_interviews_say_they_are_fictional(sample_project, sample_drafts):
    for paper_id, paper in sample_drafts.items():
        for interview in gather(sample_project, paper_id).interviews:
            assert interview.fictional, (paper_id, interview.participant)
        assert "fictional" in paper.markdown.split("# Methodology", 1)[1]
