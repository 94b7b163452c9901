"""Recommendations numbered in print order and honest dates, in every format of both samples."""

from __future__ import annotations

import datetime as dt
import re

import lxml.html

from briefings.assemble.dates import ISO_DATE, dateline, prose_dates
from briefings.assemble.recommendations import AUDIENCE_TITLES, in_print_order
from briefings.sources.models import AUDIENCES, Evidence, Recommendation

NUMBERED = re.compile(r"^\s*(\d+)\. [A-Z]", re.M)


def _html_text(page: str) -> str:
    return lxml.html.fromstring(page).text_content()


def _rec(rec_id: str, audience: str) -> Recommendation:
    return Recommendation(
        id=rec_id, audience=audience, text="t", rationale="r", evidence=Evidence(themes=["x"])
    )


def test_print_order_numbers_follow_audience_groups_not_ids():
    recs = [
        _rec("rec-01", "companies"),
        _rec("rec-08", "standard-setters"),
        _rec("rec-09", "policymakers"),
        _rec("rec-02", "companies"),
    ]
    groups = in_print_order(recs)
    assert [g.audience for g in groups] == ["companies", "policymakers", "standard-setters"]
    printed = [(i.number, i.rec.id) for g in groups for i in g.items]
    assert printed == [(1, "rec-01"), (2, "rec-02"), (3, "rec-09"), (4, "rec-08")]
    assert set(AUDIENCE_TITLES) == set(AUDIENCES)


def test_recommendations_are_numbered_in_print_order_in_every_format(sample_drafts):
    paper = sample_drafts["2024-fairness-bias"]
    expected = list(range(1, 11))
    section = re.split(r"^# Recommendations ", paper.markdown, flags=re.M)[1].split("\n# ", 1)[0]
    assert [int(n) for n in re.findall(r"^\*\*\[?(\d+)\.", section, re.M)] == expected
    pdf = paper.pdf_text().split("\nRecommendations\nFor companies\n")[1]
    pdf = pdf.split("\nConclusion\n")[0]
    assert [int(n) for n in NUMBERED.findall(pdf)] == expected
    paragraphs = [t for _style, t in paper.docx_paragraphs()]
    start = max(i for i, t in enumerate(paragraphs) if t == "Recommendations")
    end = max(i for i, t in enumerate(paragraphs) if t == "Conclusion")
    docx_numbers = [int(m.group(1)) for t in paragraphs[start:end] if (m := NUMBERED.match(t))]
    assert docx_numbers == expected
    html = _html_text(paper.html()).split("Recommendations")[-1].split("Conclusion")[0]
    assert [int(n) for n in re.findall(r"(?:^|\n)\s*(\d+)\. [A-Z]", html)] == expected


def test_the_id_stays_the_key_of_a_renumbered_recommendation(sample_drafts):
    paper = sample_drafts["2024-fairness-bias"]
    source_map = paper.manifest["source_map"]
    # rec-08 (standard-setters) prints last as number 10, but its bookmark and field keep its id.
    assert source_map["p-rec-08"]["field"] == "rec-08"
    block = paper.markdown.split("::: {#p-rec-08}", 1)[1]
    assert re.match(r"\*\*\[?10\.", block.lstrip())


def test_title_page_dates_the_paper_and_says_what_a_later_edition_updated(sample_drafts):
    for paper_id, date in (
        ("2023-tech-regulation", "30 November 2023"),
        ("2024-fairness-bias", "28 June 2024"),
    ):
        paper = sample_drafts[paper_id]
        built = dt.datetime.fromisoformat(paper.manifest["built_at"]).date()
        updated = f"Updated {built.day} {built:%B %Y}"
        lines = [date, updated, "Regulatory status as of 26 November 2026"]
        title_page = paper.pdf_text(1, 1)
        assert all(line in title_page for line in lines), title_page
        date_paragraph = next(t for style, t in paper.docx_paragraphs() if style == "Date")
        assert date_paragraph.split("\n") == lines
        header = lxml.html.fromstring(paper.html()).get_element_by_id("title-block-header")
        assert [x.strip() for x in header.find_class("date")[0].itertext()] == lines


def test_dateline_says_only_what_is_true():
    paper = dt.date(2024, 6, 28)
    assert dateline(paper, paper, paper) == ["28 June 2024"]
    assert dateline(paper, dt.date(2024, 6, 1), dt.date(2025, 1, 3)) == [
        "28 June 2024",
        "Updated 3 January 2025",
    ]
    assert dateline(paper, dt.date(2026, 11, 26), paper) == [
        "28 June 2024",
        "Regulatory status as of 26 November 2026",
    ]


def test_prose_dates_rewrite_iso_dates_but_not_identifiers():
    assert prose_dates("In force since 2024-08-01; end 2030-01-31") == (
        "In force since 1 August 2024; end 31 January 2030"
    )
    for kept in (
        "LOV-2021-06-18-99",
        "https://lovdata.no/dokument/NL/lov/2021-06-18-99",
        "2024-13-45",
    ):
        assert prose_dates(kept) == kept


def test_no_iso_date_reaches_the_prose_of_either_sample(sample_drafts):
    for paper in sample_drafts.values():
        body = paper.markdown.split("\n---\n", 1)[1]
        body = re.sub(r"<?https?://\S+", "", body)
        assert ISO_DATE.findall(body) == [], paper.paper_id


def test_key_dates_keep_labels_apart_from_dates(sample_drafts):
    text = sample_drafts["2023-tech-regulation"].markdown
    assert (
        "- 3 September 2025: Federal cabinet adopts a draft amendment dropping the reporting duty"
        in text
    )
    status = text.split("::: {#p-reg-eu-ai-act-dates}", 1)[1].split("\n:::", 1)[0]
    dates = [
        dt.datetime.strptime(d, "%d %B %Y")
        for d in re.findall(r"^- (\d+ \w+ \d{4}):", status, re.M)
    ]
    assert len(dates) == 10 and dates == sorted(dates)
    # one date for the whole regulatory context, not a "Status as of" line per instrument
    assert text.count("Status as of") == 0
