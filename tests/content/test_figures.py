"""Every number the data determines comes from the data; `briefings check` flags hand-typed ones."""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefings.pipeline import check_content, gather
from briefings.synthesis import synthesise
from briefings.synthesis.figures import Figures, figures_of
from briefings.synthesis.prose_counts import check_prose_counts
from briefings.wording import midsentence, quantity

FIGURES = Figures(
    interviews=13,
    participants=13,
    companies=11,
    companies_with_several_interviewees=2,
    excerpts=47,
    quotable_excerpts=39,
    quotes=20,
    themes=10,
    challenges=5,
    opportunities=5,
    sub_themes=1,
    recommendations=10,
    instruments=8,
    k=3,
)


def _flagged(text: str) -> list[str]:
    return [str(p) for p in check_prose_counts({"s.md": text}, FIGURES)]


@pytest.mark.parametrize(
    "text",
    [
        "In one company we interviewed two people with different roles.",
        "The findings draw on 20 semi-structured interviews.",
        "We spoke to twelve companies.",
        "where fewer than three participants share a description it is made more general",
        "no combination shared by fewer than two companies is printed in a quote attribution",
        "It draws on 13 interviews, coded into 48 excerpts.",
        "The paper closes with eleven recommendations.",
        "Five of 12 companies raised it.",
    ],
)
def test_a_hand_typed_count_the_data_contradicts_is_flagged(text):
    assert len(_flagged(text)) == 1, _flagged(text)


@pytest.mark.parametrize(
    "text",
    [
        "In two companies we interviewed two people with different roles.",
        "It draws on 13 interviews at eleven companies, coded into 47 excerpts.",
        "A combination of descriptors is quoted only when at least three companies share it.",
        "It draws on {{ figures.interviews }} interviews with 13 practitioners.",
        "Endorsed in 2011 by 47 states, the companies agreed.",  # a year; "states" is not counted
        "Three messages stand out, and five of 11 companies raised the first.",
        "Fewer than ten companies had a budget for it.",  # a threshold in passing
    ],
)
def test_counts_that_agree_or_are_not_counts_of_the_data_pass(text):
    assert _flagged(text) == []


def test_the_problem_names_file_line_and_the_variable_to_use():
    text = "First line.\n\nThe findings draw on\n20 interviews with staff.\n"
    (problem,) = _flagged(text)
    assert problem.startswith("s.md:4: ") and "{{ figures.interviews }}" in problem
    assert "(13)" in problem


def test_the_samples_state_no_count_the_data_contradicts(sample_project):
    for paper_id in ("2023-tech-regulation", "2024-fairness-bias"):
        assert check_content(gather(sample_project, paper_id)) == []


def test_figures_of_the_2024_sample_come_from_its_interviews(sample_project):
    sources = gather(sample_project, "2024-fairness-bias")
    figures = figures_of(sources, synthesise(sources))
    # C03 and C10 each had two people interviewed
    assert figures.companies_with_several_interviewees == 2
    assert (figures.interviews, figures.companies, figures.recommendations) == (13, 11, 10)


def test_briefings_check_flags_the_old_2024_methodology_with_file_and_line(project):
    methodology = project.sources / "2024-fairness-bias" / "sections" / "methodology.md"
    text = methodology.read_text(encoding="utf-8")
    start = text.index("In\n{{ figures.companies_with_several_interviewees")
    end = text.index("different role.") + len("different role.")
    methodology.write_text(
        text[:start]
        + "In one\ncompany we interviewed two people with different roles."
        + text[end:],
        encoding="utf-8",
    )
    line = text[:start].count("\n") + 1
    run = subprocess.run(
        [sys.executable, "-c", "from briefings.cli import main; raise SystemExit(main())"]
        + ["--root", str(project.root), "check", "--all"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1
    assert f"paper_sources/2024-fairness-bias/sections/methodology.md:{line}: " in run.stderr
    assert "Traceback" not in run.stderr
    assert "2023-tech-regulation: ok" in run.stdout


def test_wording_helpers_handle_zero_one_and_many():
    assert quantity(0, "company", "companies") == "no companies"
    assert quantity(1, "company", "companies") == "one company"
    assert quantity(2, "company", "companies") == "two companies"
    assert quantity(18, "company", "companies") == "18 companies"
    assert midsentence("Harms that emerge in deployment") == "harms that emerge in deployment"
    assert midsentence("UN Guiding Principles") == "UN Guiding Principles"
    assert midsentence("AI literacy") == "AI literacy"


def test_a_final_edition_refuses_a_count_the_data_contradicts(project):
    from briefings.errors import SourceError
    from briefings.pipeline import BuildRequest, build_paper

    methodology = project.sources / "2024-fairness-bias" / "sections" / "methodology.md"
    text = methodology.read_text(encoding="utf-8")
    methodology.write_text(text.replace("{{ figures.interviews }}", "14", 1), encoding="utf-8")
    with pytest.raises(SourceError) as refused:
        build_paper(project, BuildRequest("2024-fairness-bias", final=True, allow_unverified=True))
    (problem,) = refused.value.problems
    assert problem.file.endswith("methodology.md") and problem.line == 1
    assert list((project.root / "outputs").iterdir()) == []
    said = []
    build_paper(project, BuildRequest("2024-fairness-bias", ("html",)), report=said.append)
    assert any(line.startswith("warning: ") and "14 semi-structured" in line for line in said)
