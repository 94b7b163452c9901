"""Word-format drafts (hand-built from the OOXML schema, see word_fixture.py) on the real build:
threads, resolved comments, people.xml, moves, formatting changes, changes in lists and tables."""

from __future__ import annotations

import zipfile

from docx import Document

from briefings.review import carry_comments, ingest, list_items, read_review_docx
from tests.review import review_kit as kit
from tests.review.word_fixture import WordReview

PAPER = kit.PAPER


def test_threads_resolved_comments_and_people(built, tmp_path):
    project, draft, source_map = built
    on_rec = kit.run_phrase(draft, "p-rec-04")
    on_reg = kit.run_phrase(draft, "p-reg-eu-ai-act-sum")
    review = WordReview.of(draft)
    review.person("Ana Ortiz", "ana.ortiz@example.org")
    review.person("Ben Okafor", "S-1-5-21-1004")
    review.comment(
        on_rec,
        on_rec,
        [
            ("Ana Ortiz", "2024-05-03T10:00:00Z", "Which assessments?"),
            ("Ben Okafor", "2024-05-04T09:00:00Z", "Human rights impact assessments."),
            ("Ana Ortiz", "2024-05-04T11:00:00Z", "Then say so."),
        ],
    )
    review.comment(
        on_reg,
        on_reg,
        [("Ben Okafor", "2024-05-05T08:00:00Z", "Settled: the date is right.")],
        done=True,
    )
    returned = review.save(tmp_path / "word.docx")

    report = ingest(project, PAPER, [returned])
    assert len(report.added) == 2 and report.replies_added == 2
    items = {i.text: i for i in list_items(project, PAPER)}
    thread = items["Which assessments?"]
    assert [(r.author, r.text) for r in thread.replies] == [
        ("Ben Okafor", "Human rights impact assessments."),
        ("Ana Ortiz", "Then say so."),
    ]
    assert (thread.source, thread.field, thread.anchor_text) == (
        source_map["p-rec-04"]["source"],
        "rec-04",
        on_rec,
    )
    settled = items["Settled: the date is right."]
    assert settled.resolved and settled.field == "summary" and not settled.replies
    ledger = (project.paper_dir(PAPER) / "reviews" / "ledger.jsonl").read_text(encoding="utf-8")
    assert "ana.ortiz@example.org" not in ledger and "S-1-5-21" not in ledger  # people.xml ids

    # Carried into the next draft as a thread, with Word's threading parts.
    nxt = tmp_path / "next.docx"
    nxt.write_bytes(draft.read_bytes())
    carried = carry_comments(nxt, list_items(project, PAPER), source_map=source_map)
    assert sorted(carried.ids) == sorted([thread.id, settled.id])
    threads = {top.text: (top, replies) for top, replies in read_review_docx(nxt).threads()}
    top, replies = threads["Which assessments?"]
    assert top.anchor_text == on_rec and [r.text for r in replies] == [
        "Human rights impact assessments.",
        "Then say so.",
    ]
    assert threads["Settled: the date is right."][0].done
    with zipfile.ZipFile(nxt) as z:
        names = set(z.namelist())
    assert {"word/commentsExtended.xml", "word/commentsIds.xml"} <= names
    assert ingest(project, PAPER, [nxt]).added == []


def test_moves_formatting_and_changes_in_lists_and_tables(built, tmp_path):
    project, draft, source_map = built
    doc = Document(str(draft))
    moved = kit.run_phrase(draft, "p-introduction-02")
    to_paragraph = kit.run_phrase(draft, "p-conclusion-01")
    emphasised = kit.run_phrase(draft, "p-rec-06")
    asks = kit.paragraph_at(doc, "p-reg-eu-ai-act-asks")
    item = asks._p.getnext()  # the first bullet under "What it asks of ICT companies"
    item_text = "".join(t.text or "" for t in item.iter(f"{{{kit.W}}}t"))
    whole = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows[1:] for c in row.cells]
    cell_text = next(
        c for c in cells if len(c) > 12 and whole.count(c) == 0 and cells.count(c) == 1
    )

    review = WordReview.of(draft)
    review.move(moved, moved, to_paragraph, "Ana Ortiz", "2024-05-06T10:00:00Z")
    review.bold(emphasised, emphasised, "Ben Okafor", "2024-05-06T11:00:00Z")
    review.insert(
        item_text[:40], item_text.split()[0], " (urgently)", "Ben Okafor", "2024-05-06T12:00:00Z"
    )
    review.delete(cell_text, cell_text.split()[0], "Ana Ortiz", "2024-05-06T13:00:00Z")
    returned = review.save(tmp_path / "word-changes.docx")

    assert len(ingest(project, PAPER, [returned]).added) == 5
    items = list_items(project, PAPER)
    by_kind = {i.kind: i for i in items}
    move_from, move_to = by_kind["move-from"], by_kind["move-to"]
    assert move_from.text == moved and move_from.field == source_map["p-introduction-02"]["field"]
    assert move_to.text.strip() == moved and move_to.field == source_map["p-conclusion-01"]["field"]
    assert move_to.section_id == "conclusion" and move_from.section_id == "introduction"
    fmt = by_kind["formatting"]
    assert fmt.text == emphasised and fmt.field == "rec-06"
    ins = by_kind["insertion"]
    assert (ins.place, ins.field, ins.subsection_id) == (
        "list item",
        "ict_company_asks",
        "reg-eu-ai-act",
    )
    assert "[(urgently)]" in ins.context and item_text.split()[0] in ins.context
    cut = by_kind["deletion"]
    assert cut.place == "table cell" and cut.source and cut.field


def test_threads_on_the_same_words_survive_a_libreoffice_save_of_the_next_draft(
    soffice, built, tmp_path
):
    """Word keeps three threads on one phrase apart (two reviewers, one of them twice, and a
    reply). The next draft carries them; LibreOffice then saves it with no thread links, every
    comment on the same range: the ledger, not the flattened file, says which is which."""
    from tests.review.libreoffice import annotate

    project, draft, source_map = built
    phrase = kit.run_phrase(draft, "p-rec-04")
    review = WordReview.of(draft)
    review.comment(phrase, phrase, [("Ana Ortiz", "2024-05-03T10:00:00Z", "First remark.")])
    review.comment(phrase, phrase, [("Ben Okafor", "2024-05-03T11:00:00Z", "Ben's own remark.")])
    review.comment(
        phrase,
        phrase,
        [
            ("Ana Ortiz", "2024-05-03T12:00:00Z", "Second remark."),
            ("Ben Okafor", "2024-05-04T09:00:00Z", "Agreed."),
        ],
    )
    report = ingest(project, PAPER, [review.save(tmp_path / "word.docx")])
    assert len(report.added) == 3 and report.replies_added == 1

    def threads() -> dict[str, list[str]]:
        return {i.text: [r.text for r in i.replies] for i in list_items(project, PAPER)}

    before = threads()
    assert before == {"First remark.": [], "Ben's own remark.": [], "Second remark.": ["Agreed."]}
    nxt = tmp_path / "next.docx"
    nxt.write_bytes(draft.read_bytes())
    carry_comments(nxt, list_items(project, PAPER), source_map=source_map)
    resaved = tmp_path / "resaved.docx"
    annotate(soffice, nxt, resaved, [])
    again = ingest(project, PAPER, [resaved])
    assert again.added == [] and again.replies_added == 0
    assert threads() == before


def test_a_comment_without_a_real_date_is_read_as_undated_and_the_next_draft_builds(
    built, tmp_path
):
    """LibreOffice writes "0-00-00T00:00:00Z" for a comment that has no date (one made by a
    macro or another tool): the ledger records no date, and a ledger that already holds such a
    date (written before dates were checked) still makes a draft, its page and carried comment
    undated (`review list` too), instead of stopping the build with a traceback."""
    import json

    from briefings.pipeline import BuildRequest, build_paper

    project, draft, _ = built
    phrase = kit.run_phrase(draft, "p-rec-04")
    review = WordReview.of(draft)
    review.comment(phrase, phrase, [("Ana Ortiz", "0-00-00T00:00:00Z", "Undated remark.")])
    ingest(project, PAPER, [review.save(tmp_path / "undated.docx")])
    (item,) = list_items(project, PAPER)
    assert item.date == ""

    ledger = project.paper_dir(PAPER) / "reviews" / "ledger.jsonl"
    record = json.loads(ledger.read_text(encoding="utf-8"))
    ledger.write_text(json.dumps({**record, "date": "0-00-00T00:00:00Z"}) + "\n", "utf-8")
    assert (
        list_items(project, PAPER)[0].date == ""
    )  # `review list`, the page, carrying: all read it so
    edition = build_paper(project, BuildRequest(PAPER, ("docx",), force=True))
    (carried,) = read_review_docx(edition.files["docx"]).comments
    assert (carried.text, carried.date) == ("Undated remark.", "")
    with zipfile.ZipFile(edition.files["docx"]) as z:
        assert b"0-00-00" not in z.read("word/comments.xml")
        assert b"Undated remark." in z.read("word/document.xml")  # listed on the open-items page
