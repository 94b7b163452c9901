"""The draft's open-items page, read back from the next draft as an editor reads it."""

from __future__ import annotations

from docx import Document

from briefings.pipeline import BuildRequest, build_paper
from briefings.review import ingest, list_items
from briefings.review.models import ReviewItem
from briefings.review.page import open_items_page
from tests.review import review_kit as kit
from tests.review.word_fixture import WordReview


def _page(docx) -> list[tuple[str, str]]:
    """(style, text) of every paragraph from the open-items page's heading on."""
    paragraphs = [(p.style.name, p.text) for p in Document(str(docx)).paragraphs]
    start = next(i for i, (s, t) in enumerate(paragraphs) if t.startswith("Open review items"))
    return paragraphs[start:]


def test_page_groups_by_section_and_subsection_with_everything_an_editor_needs(built, tmp_path):
    project, draft, source_map = built
    review = WordReview.of(draft)
    on = kit.run_phrase(draft, "p-reg-eu-ai-act-sum")
    review.comment(
        on,
        on,
        [
            ("Ana Ortiz", "2024-05-03T10:00:00Z", "Give the OJ reference."),
            ("Ben Okafor", "2024-05-04T09:00:00Z", "It is in the appendix."),
        ],
    )
    first_rec = kit.paragraph_at(Document(str(draft)), "p-rec-01").text
    word = first_rec.split()[3]
    review.insert(first_rec[:30], word, " promptly", "Ben Okafor", "2024-05-05T08:00:00Z")
    returned = review.save(tmp_path / "returned.docx")
    assert len(ingest(project, kit.PAPER, [returned]).added) == 2

    edition = build_paper(project, BuildRequest(kit.PAPER, ("docx",)))
    page = _page(edition.path / f"{kit.PAPER}.docx")
    text = "\n".join(t for _, t in page)
    assert [t for s, t in page if s.startswith("Heading 2")] == [
        "Regulatory context (1 open)",
        "Recommendations (1 open)",
    ]
    assert "EU AI Act (1 open)" in text and "For companies (1 open)" in text  # subsections
    comment = next(t for _, t in page if "Give the OJ reference." in t)
    assert "comment by Ana Ortiz, 3 May 2024" in comment
    assert f"on “{on}”" in comment
    assert "Source: paper_sources/regulations/eu-ai-act.yaml, field summary" in comment
    assert "Reply by Ben Okafor, 4 May 2024: It is in the appendix." in text
    insertion = next(t for _, t in page if "insertion by Ben Okafor" in t)
    assert f"{word} [promptly]" in insertion and "field rec-01" in insertion
    assert source_map["p-rec-01"]["source"] in insertion


def _item(n: int, section: str) -> ReviewItem:
    return ReviewItem(
        id=f"{n:012x}",
        kind="comment",
        author="A",
        date="",
        text=f"r{n}",
        anchor_text="",
        section_id=section,
        section_title=section.title(),
        source=None,
        edition=None,
    )


def test_a_long_ledger_is_listed_up_to_the_limit_and_counted_beyond():
    items = [_item(n, "findings") for n in range(7)] + [_item(9, "introduction")]
    groups = open_items_page(items, lambda s: s, ["introduction", "findings"], limit=3)
    assert [(g.id, g.open, len(g.items), g.unlisted) for g in groups] == [
        ("introduction", 1, 1, 0),
        ("findings", 7, 2, 5),
    ]
    assert [(g.listed, g.more) for g in groups] == [(True, 0), (True, 5)]


def test_items_past_the_limit_are_counted_in_one_paragraph_by_section(built, tmp_path, monkeypatch):
    import functools

    from briefings.review import page as page_module

    project, draft, _ = built
    review = WordReview.of(draft)
    for bookmark, text in (("p-reg-eu-ai-act-sum", "Date?"), ("p-rec-01", "Too vague.")):
        on = kit.run_phrase(draft, bookmark)
        review.comment(on, on, [("Ana Ortiz", "2024-05-03T10:00:00Z", text)])
    assert len(ingest(project, kit.PAPER, [review.save(tmp_path / "returned.docx")]).added) == 2
    listing = functools.partial(page_module.open_items_page, limit=1)
    monkeypatch.setattr(page_module, "open_items_page", listing)

    edition = build_paper(project, BuildRequest(kit.PAPER, ("docx",)))
    page = _page(edition.path / f"{kit.PAPER}.docx")
    headings = [t for s, t in page if s.startswith("Heading 2")]
    assert headings == ["Regulatory context (1 open)"]  # no heading for what is not listed
    assert any("Date?" in t for _, t in page) and not any("Too vague." in t for _, t in page)
    summary = next(t for _, t in page if t.startswith("1 more open item"))
    assert summary == (
        "1 more open item, not listed here (see briefings review list "
        f"{kit.PAPER} or the review report): Recommendations 1 (For companies 1)."
    )


def test_a_comment_on_the_open_items_page_names_the_item(built, tmp_path):
    project, draft, _ = built
    review = WordReview.of(draft)
    on = kit.run_phrase(draft, "p-conclusion-01")
    review.comment(on, on, [("Ana Ortiz", "2024-05-03T10:00:00Z", "Too strong.")])
    ingest(project, kit.PAPER, [review.save(tmp_path / "first.docx")])
    (listed,) = list_items(project, kit.PAPER)

    edition = build_paper(project, BuildRequest(kit.PAPER, ("docx",)))
    review = WordReview.of(edition.path / f"{kit.PAPER}.docx")
    review.comment(listed.id, listed.id, [("Ben Okafor", "2024-05-06T10:00:00Z", "Agreed.")])
    ingest(project, kit.PAPER, [review.save(tmp_path / "second.docx")])
    on_page = next(i for i in list_items(project, kit.PAPER) if i.text == "Agreed.")
    assert (on_page.place, on_page.field, on_page.section_id) == (
        "open-items page",
        listed.id,
        "review",
    )
    assert on_page.source == f"paper_sources/{kit.PAPER}/reviews/ledger.jsonl"
