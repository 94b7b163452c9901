"""End to end on the real build of the sample paper: comments trace to the manifest's sources."""

from __future__ import annotations

from docx import Document

from briefings.review import ingest, list_items
from tests.review import review_kit as kit

TARGETS = ["p-reg-eu-dsa-sum", "p-quote-P06-02", "p-conclusion-03", "sec-executive-summary"]


def test_comments_on_a_built_draft_trace_to_the_manifest(built, tmp_path):
    project, draft, source_map = built
    doc = Document(str(draft))
    for n, bookmark in enumerate(TARGETS):
        kit.comment_on(
            doc, kit.paragraph_at(doc, bookmark), f"Remark {n} on {bookmark}.", "Ana Ortiz"
        )
    reviewed = kit.save(doc, tmp_path / "reviewed.docx")
    report = ingest(project, kit.PAPER, [reviewed])
    assert len(report.added) == len(TARGETS) and report.unplaced == 0
    items = {i.text: i for i in list_items(project, kit.PAPER)}
    for n, bookmark in enumerate(TARGETS):
        item, expected = items[f"Remark {n} on {bookmark}."], source_map[bookmark]
        assert (item.section_id, item.source, item.field) == (
            expected["section"],
            expected["source"],
            expected["field"],
        ), bookmark
        assert item.section_title == expected["section_title"] and item.bookmark == bookmark
