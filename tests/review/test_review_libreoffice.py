"""A real client: LibreOffice opens a generated draft over UNO, comments in four sections, saves
DOCX."""

from __future__ import annotations

from docx import Document

from briefings.review import ingest, list_items, read_review_docx
from tests.review import review_kit as kit
from tests.review.libreoffice import MARKS, annotate

pytestmark = MARKS


def test_libreoffice_comments_map_to_their_sections(soffice, project, draft, tmp_path):
    notes = [
        {
            "find": "human rights duties",
            "text": "Name the duties.",
            "author": "Ana Ortiz",
            "initials": "AO",
        },
        {
            "find": "four tiers of risk",
            "text": "Article 6 sets the tiers.",
            "author": "Ben Okafor",
            "initials": "BO",
        },
        {
            "find": "lack a process",
            "text": "How many lack one?",
            "author": "Ben Okafor",
            "initials": "BO",
        },
        {
            "find": "impact assessments",
            "text": "Which standard?",
            "author": "Ana Ortiz",
            "initials": "AO",
        },
    ]
    out = tmp_path / "reviewed-in-libreoffice.docx"
    annotate(soffice, draft, out, notes)

    doc = read_review_docx(out)
    assert (doc.paper_id, doc.edition_id) == (kit.PAPER, kit.EDITION)  # custom properties survive
    report = ingest(project, kit.PAPER, [out])
    assert len(report.added) == 4 and report.unplaced == 0
    items = {i.text: i for i in list_items(project, kit.PAPER)}
    got = {t: (i.section_id, i.field, i.anchor_text, i.author) for t, i in items.items()}
    assert got == {
        "Name the duties.": (
            "introduction",
            "p-introduction-01",
            "human rights duties",
            "Ana Ortiz",
        ),
        "Article 6 sets the tiers.": (
            "regulatory-context",
            "summary",
            "four tiers of risk",
            "Ben Okafor",
        ),
        "How many lack one?": ("findings", None, "lack a process", "Ben Okafor"),
        "Which standard?": ("recommendations", "rec-04", "impact assessments", "Ana Ortiz"),
    }
    assert items["Article 6 sets the tiers."].source == "paper_sources/regulations/eu-ai-act.yaml"
    assert ingest(project, kit.PAPER, [out]).added == []


def test_libreoffice_on_the_real_sample_build(soffice, built, tmp_path):
    """The pipeline's own draft, commented in three sections by LibreOffice, traces to the
    manifest."""
    project, draft, source_map = built
    doc = Document(str(draft))
    targets = ["p-reg-eu-dsa-sum", "p-quote-P06-02", "p-conclusion-03"]
    notes = [
        {
            "find": kit.unique_snippet(doc, kit.paragraph_at(doc, b).text),
            "text": f"Remark on {b}.",
            "author": "Ben Okafor",
            "initials": "BO",
        }
        for b in targets
    ]
    out = tmp_path / "sample-in-libreoffice.docx"
    annotate(soffice, draft, out, notes)
    assert len(ingest(project, kit.PAPER, [out]).added) == 3
    items = {i.text: i for i in list_items(project, kit.PAPER)}
    for note, bookmark in zip(notes, targets, strict=True):
        item, expected = items[f"Remark on {bookmark}."], source_map[bookmark]
        assert (item.section_id, item.source, item.field, item.anchor_text) == (
            expected["section"],
            expected["source"],
            expected["field"],
            note["find"].strip(),
        ), bookmark
    assert len({items[f"Remark on {b}."].section_id for b in targets}) == 3
