"""Reading a reviewed DOCX: comments, threads, done state, tracked changes, locations."""

from __future__ import annotations

from docx import Document

from briefings.review import read_review_docx
from briefings.review.models import Location
from tests.review import review_kit as kit


def test_reads_comments_threads_and_changes(draft, tmp_path):
    doc = read_review_docx(kit.reviewed(draft, tmp_path / "r.docx"))
    assert (doc.paper_id, doc.edition_id) == (kit.PAPER, kit.EDITION)
    by_text = {c.text: c for c in doc.comments}
    vague = by_text["Too vague: say which assessments."]
    assert (vague.author, vague.initials, vague.date) == ("Ana Ortiz", "AO", "2024-05-03T10:00:00Z")
    assert vague.location == Location("sec-recommendations", "p-rec-04")
    assert vague.anchor_text.startswith("Companies should run")
    consent = by_text["Is consent to quote on file?\nPlease check."]  # both paragraphs
    assert consent.location == Location("sec-findings", "p-quote-P07-03")
    plain = by_text["Give the number of companies."]
    assert plain.location == Location("sec-findings", None) and plain.done
    threads = {c.text: [r.text for r in replies] for c, replies in doc.threads()}
    assert threads[consent.text] == ["Agreed, consent is on file."]
    assert "Agreed, consent is on file." not in threads
    assert doc.headings["sec-reg-eu-ai-act"] == "EU AI Act"


def test_tracked_changes_carry_author_date_text_and_place(draft, tmp_path):
    doc = read_review_docx(kit.reviewed(draft, tmp_path / "r.docx"))
    ins = next(c for c in doc.changes if c.kind == "insertion")
    dele = next(c for c in doc.changes if c.kind == "deletion")
    assert (ins.author, ins.date, ins.text) == (
        "Ben Okafor",
        "2024-05-04T10:00:00Z",
        " and their supply chains",
    )
    assert ins.location == Location("sec-introduction", "p-introduction-01")
    assert ins.paragraph_text == kit.INTRO and ins.offset == len(kit.INTRO)
    assert (dele.author, dele.text) == ("Ana Ortiz", "before deployment")
    assert dele.location == Location("sec-recommendations", "p-rec-04")
    assert dele.paragraph_text == kit.REC  # the draft's text: deletion kept


def test_split_insertions_are_joined_and_property_marks_ignored(draft, tmp_path):
    d = Document(str(draft))
    kit.track_insertion(d, kit.INTRO, " and their", "Ben", "2024-05-04T10:00:00Z", 1)
    kit.track_insertion(d, kit.INTRO, " suppliers", "Ben", "2024-05-04T10:00:00Z", 2)
    rpr = kit.paragraph(d, kit.QUOTE)._p.get_or_add_pPr()
    mark = rpr.makeelement(f"{{{kit.W}}}rPr", {})
    mark.append(
        mark.makeelement(f"{{{kit.W}}}ins", {f"{{{kit.W}}}id": "3", f"{{{kit.W}}}author": "Ben"})
    )
    rpr.append(mark)
    doc = read_review_docx(kit.save(d, tmp_path / "r.docx"))
    assert [(c.kind, c.text) for c in doc.changes] == [("insertion", " and their suppliers")]


def test_comment_without_range_is_kept(draft, tmp_path):
    d = Document(str(draft))
    kit.comment(d, kit.REC, "General remark on the whole paper.", "Ana Ortiz")
    p = kit.paragraph(d, kit.REC)._p
    for tag in ("commentRangeStart", "commentRangeEnd"):
        for el in p.iter(f"{{{kit.W}}}{tag}"):
            el.getparent().remove(el)
    doc = read_review_docx(kit.save(d, tmp_path / "r.docx"))
    (c,) = doc.comments
    assert not c.anchored and c.anchor_text == ""
    assert c.location == Location("sec-recommendations", "p-rec-04")


def test_libreoffice_shape_maps_by_nearest_heading(draft, tmp_path):
    """Simulate a LibreOffice save: section bookmarks end inside the heading, ids renumbered."""
    d = Document(str(draft))
    kit.comment(d, kit.FINDINGS_PLAIN, "Which companies?", "Ben Okafor")
    body = d.element.body
    for start in list(body.iterchildren(f"{{{kit.W}}}bookmarkStart")):
        name = start.get(f"{{{kit.W}}}name")
        heading = start.getnext()
        end = next(
            e
            for e in body.iter(f"{{{kit.W}}}bookmarkEnd")
            if e.get(f"{{{kit.W}}}id") == start.get(f"{{{kit.W}}}id")
        )
        if name.startswith("sec-"):
            end.getparent().remove(end)
            heading.insert(1, start)
            heading.append(end)
        for el in (start, end):
            el.set(f"{{{kit.W}}}id", str(int(el.get(f"{{{kit.W}}}id")) + 100))
    doc = read_review_docx(kit.save(d, tmp_path / "lo.docx"))
    (c,) = doc.comments
    assert c.location == Location("sec-findings", None)
    assert doc.headings["sec-findings"] == "Findings"


def test_a_comment_in_a_footnote_belongs_to_the_paragraph_citing_it(project, tmp_path):
    from briefings.review import ingest, list_items
    from tests.review.word_fixture import WordReview

    md = kit.markdown().replace(kit.INTRO, kit.INTRO + "^[Footnoted remark on duties.]")
    folder = project.outputs / kit.PAPER / kit.EDITION
    kit.pandoc_docx(md, folder / f"{kit.PAPER}.docx")
    review = WordReview.of(folder / f"{kit.PAPER}.docx")
    review.comment("Footnoted remark", "Footnoted remark", [("Ana Ortiz", "2024-05-03", "Cite?")])
    ingest(project, kit.PAPER, [review.save(tmp_path / "fn.docx")])
    (item,) = list_items(project, kit.PAPER)
    assert (item.place, item.section_id, item.field) == (
        "footnote",
        "introduction",
        "p-introduction-01",
    )
    assert item.anchor_text == "Footnoted remark"
