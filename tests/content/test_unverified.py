"""A final edition states no unverified fact unless told to, and then says so on its title page."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from briefings.errors import SourceError
from briefings.pipeline import BuildRequest, build_paper
from briefings.sources.models import KeyDate, RegulationEntry
from briefings.sources.verification import unverified_facts

NOTICE = "Includes facts marked unverified"


def _entry(**changes) -> RegulationEntry:
    fields = dict(
        id="x-act",
        title="X Act 2020",
        short_name="X Act",
        jurisdiction="UK",
        type="statute",
        identifiers={},
        status="in force",
        key_dates=[KeyDate(label="Royal Assent", date=dt.date(2020, 1, 2))],
        summary="The Act does things.",
        human_rights_relevance="It matters.",
        ict_company_asks=["Do things."],
        as_of=dt.date(2026, 11, 26),
    )
    return RegulationEntry(**{**fields, **changes})


def test_each_unverified_fact_is_named_by_file_and_field():
    entry = _entry(
        key_dates=[
            KeyDate(label="Royal Assent", date=dt.date(2020, 1, 2)),
            KeyDate(label="Duties apply", date=dt.date(2025, 3, 17), unverified=True),
        ],
        summary="An amendment is reported to narrow it (not verified here).",
        ict_company_asks=["Do things.", "Expect a code whose adoption is unverified."],
    )
    facts = unverified_facts([entry], {"x-act": True}, "paper_sources/regulations")
    assert [(p.file, p.field) for p in facts] == [
        ("paper_sources/regulations/x-act.yaml", "status"),
        ("paper_sources/regulations/x-act.yaml", "key_dates.1"),
        ("paper_sources/regulations/x-act.yaml", "summary"),
        ("paper_sources/regulations/x-act.yaml", "ict_company_asks.1"),
    ]
    assert "Duties apply (17 March 2025)" in facts[1].message
    assert unverified_facts([_entry()], {"x-act": False}, "r") == []


def test_a_final_edition_refuses_while_facts_are_unverified(project):
    with pytest.raises(SourceError) as refused:
        build_paper(project, BuildRequest("2024-fairness-bias", final=True))
    where = {(p.file, p.field) for p in refused.value.problems}
    assert ("paper_sources/regulations/eu-ai-act.yaml", "key_dates.6") in where
    assert ("paper_sources/regulations/us-co-ai.yaml", "status") in where
    assert ("paper_sources/regulations/eu-gdpr.yaml", "summary") in where
    assert "--allow-unverified" in refused.value.problems[-1].message
    assert list((project.root / "outputs").iterdir()) == []  # nothing published


def test_the_command_line_lists_every_unverified_fact_in_one_line_each(project):
    run = subprocess.run(
        [sys.executable, "-c", "from briefings.cli import main; raise SystemExit(main())"]
        + ["--root", str(project.root), "build", "2024-fairness-bias", "--final"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert (
        "error: paper_sources/regulations/uk-osa.yaml: key_dates.1: unverified fact" in run.stderr
    )
    assert lines[-1].endswith("or pass --allow-unverified")


def test_an_allowed_final_says_so_on_its_title_page_in_every_format(sample_finals, sample_drafts):
    import lxml.html

    for paper in sample_finals.values():
        assert NOTICE in " ".join(paper.pdf_text(1, 1).split())
        date = next(t for style, t in paper.docx_paragraphs() if style == "Date")
        assert date.splitlines()[-1] == NOTICE
        header = lxml.html.fromstring(paper.html()).get_element_by_id("title-block-header")
        assert NOTICE in " ".join(header.text_content().split())
    for paper in sample_drafts.values():
        assert NOTICE not in paper.pdf_text(1, 1)
