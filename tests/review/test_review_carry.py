"""Carrying open comments into the next draft, with their original author and date."""

from __future__ import annotations

from briefings.review import carry_comments, decide, ingest, list_items, read_review_docx
from briefings.review.models import ReviewItem
from tests.review import review_kit as kit


def test_open_comments_are_carried_where_their_text_remains(project, draft, tmp_path):
    d = kit.Document(str(draft))
    kit.comment(d, kit.EU_SUMMARY, "Cite Article 6.", "Ben Okafor", "BO", "2024-05-04T09:30:00Z")
    kit.comment(d, kit.REC, "Too vague.", "Ana Ortiz", "AO", "2024-05-03T10:00:00Z")
    kit.comment(d, kit.INTRO, "Fine as is.", "Ana Ortiz", "AO", "2024-05-03T10:05:00Z")
    ingest(project, kit.PAPER, [kit.save(d, tmp_path / "r.docx")])
    items = {i.text: i for i in list_items(project, kit.PAPER)}
    decide(project, kit.PAPER, items["Fine as is."].id, "rejected")

    # draft-2: recommendation rewritten, so its comment's anchor is gone
    new = kit.build_edition(project, "draft-2", rec="Companies should publish their assessments.")
    carried = carry_comments(new, list_items(project, kit.PAPER))
    assert carried.ids == [items["Cite Article 6."].id, items["Too vague."].id]
    assert carried.text_changed == [items["Too vague."].id]
    c, vague = read_review_docx(new).comments
    assert (c.author, c.initials, c.date, c.text) == (
        "Ben Okafor",
        "BO",
        "2024-05-04T09:30:00Z",
        "Cite Article 6.",
    )
    assert (
        c.anchor_text == kit.EU_SUMMARY
        and c.location.paragraph_bookmark == "p-reg-eu-ai-act-summary"
    )
    # a reviewer returns draft-2 untouched: the carried comment is the same item, not a new one
    assert ingest(project, kit.PAPER, [new]).added == []


def test_carried_anchor_can_be_part_of_a_run(draft):
    phrase = _item(
        text="Which tiers?",
        anchor_text="four tiers of risk",
        section_id="regulatory-context",
        section_title=None,
        bookmark="p-reg-eu-ai-act-summary",
    )
    unanchored = _item(
        id="def456def456",
        date="",
        text="General.",
        anchor_text="",
        section_id=None,
        section_title=None,
        edition=None,
        bookmark=None,
    )
    assert carry_comments(draft, [phrase, unanchored]).ids == ["abc123abc123"]
    (c,) = read_review_docx(draft).comments
    assert c.anchor_text == "four tiers of risk"
    assert [p.text for p in kit.Document(str(draft)).paragraphs].count(kit.EU_SUMMARY) == 1


def test_many_comments_on_one_paragraph_each_keep_their_own_words(draft):
    """Overlapping, nested and adjacent anchors in one paragraph: each split of its runs leaves
    the others' words where they were."""
    words = kit.EU_SUMMARY.split()
    anchors = [
        "four tiers of risk",
        "tiers",
        "of risk",
        "four tiers",
        " ".join(words[:2]),
        words[0],
        " ".join(words[-3:]),
        kit.EU_SUMMARY,
    ]
    items = [
        _item(
            id=f"{n:012x}",
            text=f"Remark {n}.",
            anchor_text=anchor,
            section_id="regulatory-context",
            bookmark="p-reg-eu-ai-act-summary",
        )
        for n, anchor in enumerate(anchors)
    ]
    carried = carry_comments(draft, items)
    assert len(carried.ids) == len(anchors) and not carried.text_changed
    comments = read_review_docx(draft).comments
    assert {c.text: c.anchor_text for c in comments} == {
        f"Remark {n}.": anchor.strip() for n, anchor in enumerate(anchors)
    }
    assert [p.text for p in kit.Document(str(draft)).paragraphs].count(kit.EU_SUMMARY) == 1


def _item(**fields) -> ReviewItem:
    base = dict(
        id="abc123abc123",
        kind="comment",
        author="Ana Ortiz",
        date="2024-05-03T10:00:00Z",
        text="Check this.",
        anchor_text="AI",
        section_id="recommendations",
        section_title="Recommendations",
        source=None,
        edition=kit.EDITION,
        bookmark="p-rec-04",
    )
    return ReviewItem(**{**base, **fields})


def test_never_onto_another_occurrence_elsewhere(project, tmp_path):
    """The anchor is gone from its paragraph but still elsewhere: the paragraph start gets it."""
    new = kit.build_edition(project, "draft-2", rec="Companies should publish their assessments.")
    assert "AI" in kit.INTRO or "AI" in kit.EU_SUMMARY  # another occurrence exists
    carried = carry_comments(new, [_item(anchor_text="AI systems")])
    assert carried.text_changed == ["abc123abc123"]
    (c,) = read_review_docx(new).comments
    assert c.location.paragraph_bookmark == "p-rec-04"
    assert (
        c.text == 'Text changed since this comment was made; it was on: "AI systems"\nCheck this.'
    )


def test_a_place_that_is_gone_goes_to_its_section_heading(draft):
    carried = carry_comments(draft, [_item(bookmark="p-rec-99", anchor_text="gone")])
    assert carried.text_changed == ["abc123abc123"]
    (c,) = read_review_docx(draft).comments
    assert c.anchor_text == "R" and c.location.section_bookmark == "sec-recommendations"


def test_a_cell_goes_back_to_its_own_table_when_another_shows_the_same_field(
    built_project, tmp_path
):
    """The regulatory status table and the appendix both give the Council of Europe
    convention's jurisdiction ("Council of Europe"): a comment on the appendix's cell is carried
    onto the appendix's cell, also for an item traced before cell keys named their section."""
    import shutil

    from briefings.review.edition import load_edition

    project, edition = built_project
    paper = "2023-tech-regulation"
    layout = load_edition(project, paper, edition.edition_id).layout()
    cells = [
        (block, trace)
        for block, trace in zip(layout.blocks, layout.traces, strict=True)
        if trace.place == "table cell"
        and trace.field == "jurisdiction"
        and (trace.source or "").endswith("coe-cets-225.yaml")
    ]
    assert {t.section_id for _, t in cells} == {"regulatory-context", "appendix-instruments"}
    (_, appendix) = next((b, t) for b, t in cells if t.section_id == "appendix-instruments")
    old_key = "cell:" + appendix.bookmark.split(":", 2)[2]
    for n, bookmark in enumerate((appendix.bookmark, old_key)):
        folder = tmp_path / f"draft-{n}"  # the DOCX beside its manifest, as published
        shutil.copytree(edition.path, folder)
        draft = folder / f"{paper}.docx"
        item = _item(
            anchor_text="Council of Europe",
            section_id="appendix-instruments",
            section_title=appendix.section_title,
            bookmark=bookmark,
            edition=edition.edition_id,
        )
        assert carry_comments(draft, [item]).ids == ["abc123abc123"]
        (c,) = read_review_docx(draft).comments
        assert c.anchor_text == "Council of Europe"
        assert c.location.section_bookmark == "sec-appendix-instruments", bookmark
