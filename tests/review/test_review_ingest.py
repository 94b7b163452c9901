"""Ingest: each item lands on its section and source; nothing is added twice; decisions persist."""

from __future__ import annotations

import json

import pytest
from docx import Document

from briefings.errors import ReviewError
from briefings.review import decide, ingest, list_items, open_items_by_section
from tests.review import review_kit as kit

SRC = kit.SRC


def by_text(project):
    return {i.text: i for i in list_items(project, kit.PAPER)}


def test_each_item_lands_on_its_section_and_source(project, draft, tmp_path):
    report = ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    assert len(report.added) == 6 and report.replies_added == 1 and report.editions == [kit.EDITION]
    items = by_text(project)
    expect = {
        "Too vague: say which assessments.": (
            "recommendations",
            f"{SRC}/recommendations.yaml",
            "rec-04",
        ),
        "Cite Article 6 for the tiers.": (
            "regulatory-context",
            "paper_sources/regulations/eu-ai-act.yaml",
            "summary",
        ),
        "Is consent to quote on file?\nPlease check.": (
            "findings",
            f"{SRC}/interviews/P07.yaml",
            "P07-03",
        ),
        "Give the number of companies.": ("findings", "templates/sections/findings.md.j2", None),
        " and their supply chains": (
            "introduction",
            f"{SRC}/sections/introduction.md",
            "p-introduction-01",
        ),
        "before deployment": ("recommendations", f"{SRC}/recommendations.yaml", "rec-04"),
    }
    assert set(items) == set(expect)
    for text, (section, source, field) in expect.items():
        assert (items[text].section_id, items[text].source, items[text].field) == (
            section,
            source,
            field,
        ), text
        assert items[text].edition == kit.EDITION and items[text].status == "open"
    assert items["Cite Article 6 for the tiers."].section_title == "Regulatory context"
    assert items["before deployment"].kind == "deletion"
    assert items[" and their supply chains"].kind == "insertion"
    consent = items["Is consent to quote on file?\nPlease check."]
    assert [(r.author, r.text) for r in consent.replies] == [
        ("Carla Diaz", "Agreed, consent is on file.")
    ]
    assert items["Give the number of companies."].resolved


def test_ingesting_twice_adds_nothing(project, draft, tmp_path, ledger_bytes):
    copy = kit.reviewed(draft, tmp_path / "r.docx")
    ingest(project, kit.PAPER, [copy])
    before = ledger_bytes()
    again = ingest(project, kit.PAPER, [copy, copy])
    assert again.added == [] and again.known == 12 and again.replies_added == 0
    assert ledger_bytes() == before


def test_copies_from_two_reviewers_share_items(project, draft, tmp_path):
    """Ben got Ana's copy and added his own comment: Ana's comment is not added twice."""
    ana = Document(str(draft))
    kit.comment(ana, kit.REC, "Too vague.", "Ana Ortiz", "AO", "2024-05-03T10:00:00Z")
    ana_path = kit.save(ana, tmp_path / "ana.docx")
    ben = Document(str(ana_path))
    kit.comment(ben, kit.INTRO, "Define AI.", "Ben Okafor", "BO")
    kit.comment(ben, kit.REC, "Say which ones.", "Ben Okafor", "BO")
    ben_path = kit.save(ben, tmp_path / "ben.docx")
    first = ingest(project, kit.PAPER, [ana_path])
    second = ingest(project, kit.PAPER, [ben_path])
    assert len(first.added) == 1 and len(second.added) == 2 and second.known == 1
    assert sorted(i.text for i in list_items(project, kit.PAPER)) == [
        "Define AI.",
        "Say which ones.",
        "Too vague.",
    ]


def test_decisions_persist_and_fold(project, draft, tmp_path):
    ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    item = by_text(project)["Too vague: say which assessments."]
    decide(project, kit.PAPER, item.id, "deferred")
    decide(project, kit.PAPER, item.id[:6], "accepted", note="rec-04 rewritten")
    again = by_text(project)["Too vague: say which assessments."]
    assert (again.status, again.note) == ("accepted", "rec-04 rewritten")
    records = [
        json.loads(line)
        for line in (project.paper_dir(kit.PAPER) / "reviews" / "ledger.jsonl")
        .read_text()
        .splitlines()
    ]
    decisions = [r for r in records if r["type"] == "decision"]
    assert [d["status"] for d in decisions] == ["deferred", "accepted"] and all(
        d["at"] for d in decisions
    )
    assert "recommendations" not in open_items_by_section(project, kit.PAPER) or all(
        i.id != item.id for i in open_items_by_section(project, kit.PAPER)["recommendations"]
    )


def test_decide_refuses_unknown_ids_and_statuses(project, draft, tmp_path, ledger_bytes):
    ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    before = ledger_bytes()
    with pytest.raises(ReviewError, match="no review item"):
        decide(project, kit.PAPER, "ffffffffffff", "accepted")
    with pytest.raises(ReviewError, match="unknown status"):
        decide(project, kit.PAPER, list_items(project, kit.PAPER)[0].id, "maybe")
    with pytest.raises(ReviewError):
        decide(project, kit.PAPER, "", "accepted")
    assert ledger_bytes() == before


def test_open_items_by_section(project, draft, tmp_path):
    ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    grouped = open_items_by_section(project, kit.PAPER)
    assert list(grouped) == ["recommendations", "regulatory-context", "findings", "introduction"]
    assert {i.kind for i in grouped["recommendations"]} == {"comment", "deletion"}
    decide(project, kit.PAPER, grouped["introduction"][0].id, "rejected")
    assert "introduction" not in open_items_by_section(project, kit.PAPER)


def test_later_reply_is_added_to_the_known_thread(project, draft, tmp_path):
    first = Document(str(draft))
    kit.comment(first, kit.QUOTE, "Consent?", "Ana Ortiz", "AO", "2024-05-03T10:00:00Z")
    ingest(project, kit.PAPER, [kit.save(first, tmp_path / "a.docx")])
    kit.comment(first, kit.QUOTE, "Yes, on file.", "Carla Diaz", "CD")
    second = kit.save(first, tmp_path / "b.docx")
    kit.thread(second, replies={1: 0}, done={0})
    report = ingest(project, kit.PAPER, [second])
    assert report.added == [] and report.replies_added == 1
    (item,) = list_items(project, kit.PAPER)
    assert [r.text for r in item.replies] == ["Yes, on file."] and item.resolved


def test_unknown_paper_is_refused(project, draft):
    with pytest.raises(ReviewError, match="unknown paper"):
        ingest(project, "../etc", [draft])
    with pytest.raises(ReviewError, match="no reviewed DOCX"):
        ingest(project, kit.PAPER, [])


def test_a_paragraph_typed_in_without_tracking_says_why_it_has_no_source(project, draft, tmp_path):
    d = Document(str(draft))
    added = kit.paragraph(d, kit.INTRO).insert_paragraph_before("A paragraph the reviewer typed.")
    kit.comment_on(d, added, "Is this needed?", "Ana Ortiz", "AO")
    kit.comment(d, kit.INTRO, "Still traced.", "Ana Ortiz", "AO")
    report = ingest(project, kit.PAPER, [kit.save(d, tmp_path / "typed.docx")])
    assert report.untraced == 1 and report.unplaced == 0
    assert report.summary().endswith(
        f"; 1 traced to no source (`briefings review list {kit.PAPER}` says why)"
    )
    items = by_text(project)
    typed, intro = items["Is this needed?"], items["Still traced."]
    assert (typed.section_id, typed.source, typed.field) == ("introduction", None, None)
    assert "not in the edition" in typed.untraced
    assert (intro.source, intro.field) == (f"{SRC}/sections/introduction.md", "p-introduction-01")


def test_an_edition_without_its_docx_cannot_be_traced(project, draft, tmp_path, ledger_bytes):
    reviewed = kit.reviewed(draft, tmp_path / "r.docx")
    draft.unlink()
    before = ledger_bytes()
    with pytest.raises(ReviewError) as caught:
        ingest(project, kit.PAPER, [reviewed])
    assert "has no DOCX" in str(caught.value) and "\n" not in str(caught.value)
    assert ledger_bytes() == before
