"""Generated prose without seams: 0/1/many, varied but stable phrasing, quotes in place."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from pydantic import ValidationError

from briefings.assemble.phrasing import THEME_OPENINGS, sub_theme_line, theme_opening
from briefings.pipeline import gather
from briefings.sources.models import InterviewExcerpt
from briefings.synthesis import synthesise
from briefings.synthesis.themes import top_level
from briefings.wording import share


def _theme(theme_id="t", companies=3, kind="challenge", description="Rules that move.", **kw):
    return SimpleNamespace(
        id=theme_id, companies=companies, kind=kind, description=description, label="Label", **kw
    )


@pytest.mark.parametrize(
    ("n", "total", "expected"),
    [
        (18, 18, "all 18"),
        (1, 18, "one of the 18"),
        (9, 18, "nine of the 18"),
        (2, 3, "two of the three"),
    ],
)
def test_shares_read_right_for_one_some_and_all(n, total, expected):
    assert share(n, total) == expected


def test_theme_openings_are_whole_sentences_for_every_count():
    for n in (1, 2, 15, 18):
        sentence = theme_opening(_theme(companies=n), 18)
        assert sentence[0].isupper() and sentence.endswith(": rules that move.")
        assert " companies " in sentence and "1 companies" not in sentence
    assert theme_opening(_theme(companies=1), 1) == (
        "The one company interviewed raised this challenge: rules that move."
    )
    assert theme_opening(_theme(description="AI systems fail."), 5).endswith(": AI systems fail.")


def test_phrasing_varies_between_themes_but_not_between_editions():
    ids = [f"theme-{i}" for i in range(12)]
    first = [theme_opening(_theme(theme_id=i), 18) for i in ids]
    assert first == [theme_opening(_theme(theme_id=i), 18) for i in ids]
    assert len({s.split(":")[0].replace("Three", "three") for s in first}) >= 3
    assert len(THEME_OPENINGS) >= 3


def test_sub_theme_lines_count_companies_in_words():
    sub = _theme(companies=1, description="Terms nobody agrees on.")
    sub.label = "Ambiguous *key* definitions"
    assert sub_theme_line(sub) == (
        "*Ambiguous \\*key\\* definitions* (one company): terms nobody agrees on."
    )


def test_the_samples_findings_read_without_fragments_or_repetition(sample_drafts):
    for paper in sample_drafts.values():
        findings = paper.markdown.split("{#sec-findings}", 1)[1].split("\n# ", 1)[0]
        assert not re.search(r"^\*\*\d+ of \d+ compan", findings, re.M)  # the old bold fragment
        assert not re.search(r"\(raised by \d+ of", paper.markdown)
        text = " ".join(paper.pdf_text().split())
        assert len(re.findall(r"\bof (?:the )?\d+ companies", text)) <= 20, paper.paper_id
        summary = text.split("Executive summary", 2)[-1].split("Introduction", 1)[0]
        assert "**" not in summary


def test_a_quote_illustrates_its_primary_theme(sample_project):
    for paper_id in ("2023-tech-regulation", "2024-fairness-bias"):
        sources = gather(sample_project, paper_id)
        excerpts = {e.id: e for i in sources.interviews for e in i.excerpts}
        for quote in synthesise(sources).quotes:
            primary = excerpts[quote.id].primary_theme
            assert top_level(sources.codebook, primary) == quote.theme, (paper_id, quote.id)


def test_primary_must_be_one_of_the_excerpts_themes():
    InterviewExcerpt(id="P01-01", text="x", themes=["a", "b"], consent_to_quote=True, primary="b")
    with pytest.raises(ValidationError, match="not one of its themes"):
        InterviewExcerpt(id="P01-01", text="x", themes=["a"], consent_to_quote=True, primary="c")


def test_one_instrument_one_date_and_a_long_theme_name_read_right(project):
    from briefings.clock import now
    from briefings.pipeline import assemble_paper

    paper_yaml = project.paper_dir("2024-fairness-bias") / "paper.yaml"
    text = paper_yaml.read_text(encoding="utf-8")
    start = text.index("instruments:")
    end = text.index("status_as_of:")
    paper_yaml.write_text(text[:start] + "instruments: [un-ungps]\n" + text[end:], "utf-8")
    codebook = project.paper_dir("2024-fairness-bias") / "interviews" / "codebook.yaml"
    long_label = (
        "Harms that emerge only in deployment, after fine-tuning, integration into other "
        "products and use in markets the system was never tested for"
    )
    codebook.write_text(
        codebook.read_text(encoding="utf-8").replace(
            "label: Harms that emerge in deployment", f"label: {long_label}"
        ),
        "utf-8",
    )
    sources = gather(project, "2024-fairness-bias")
    markdown = assemble_paper(sources, "test-draft", False, {}, now()).markdown
    assert "This section summarises one instrument that shapes what" in markdown
    assert "*Key date:*" in markdown and "*Key dates:*" not in markdown
    summary = " ".join(markdown.split("{#sec-executive-summary}", 1)[1].split("\n# ")[0].split())
    assert f"raised the challenge of {long_label[0].lower() + long_label[1:]}: " in summary
