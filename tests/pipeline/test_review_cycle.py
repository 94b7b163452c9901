"""A reviewed draft comes back: its comments are traced, shown in the next draft, and gate
--final."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from briefings.cli import main
from briefings.clock import SOURCE_DATE_EPOCH
from briefings.errors import ConfidentialityError, ReviewError
from briefings.pipeline import BuildRequest, build_paper
from briefings.publish import published_editions
from briefings.review import decide, ingest, list_items

PAPER = "2023-tech-regulation"


def _comment_on_paragraph(source, target, bookmark: str, text: str, author: str) -> str:
    """Comment, as a reviewer would, on the first run of the paragraph holding `bookmark`."""
    from docx.text.paragraph import Paragraph

    document = docx.Document(source)
    inside = False  # pandoc puts a div's bookmark around its paragraphs, at body level
    for element in document.element.body:
        if element.tag == qn("w:bookmarkStart") and element.get(qn("w:name")) == bookmark:
            inside = True
        elif inside and element.tag == qn("w:p"):
            paragraph = Paragraph(element, document._body)
            run = max(paragraph.runs, key=lambda r: len(r.text))
            document.add_comment([run], text=text, author=author, initials="RV")
            document.save(target)
            return run.text
    raise AssertionError(f"no paragraph with bookmark {bookmark}")


def test_comment_round_trip_into_the_next_draft_and_the_final_gate(project, tmp_path, capsys):
    first = build_paper(project, BuildRequest(PAPER, ("docx",)))
    returned = tmp_path / "returned.docx"
    anchor = _comment_on_paragraph(
        first.files["docx"],
        returned,
        "p-rec-03",
        "Cite the enforcement date here.",
        "Alex Reviewer",
    )

    report = ingest(project, PAPER, [returned])
    assert report.added
    (item,) = [i for i in list_items(project, PAPER) if i.kind == "comment"]
    assert (item.section_id, item.field, item.edition) == (
        "recommendations",
        "rec-03",
        first.edition_id,
    )
    assert item.source.endswith(f"{PAPER}/recommendations.yaml") and item.status == "open"

    second = build_paper(project, BuildRequest(PAPER, ("docx", "html")))
    document = docx.Document(second.files["docx"])
    carried = [c for c in document.comments if c.text == "Cite the enforcement date here."]
    assert carried and carried[0].author == "Alex Reviewer"
    start = next(
        e
        for e in document.element.body.iter(qn("w:commentRangeStart"))
        if e.get(qn("w:id")) == str(carried[0].comment_id)
    )
    assert anchor in "".join(
        t.text or "" for t in start.getparent().iter(qn("w:t"))
    )  # on the same words
    html = second.files["html"].read_text(encoding="utf-8")
    assert "Open review items" in html and "Cite the enforcement date here." in html

    with pytest.raises(ReviewError, match="still open") as refused:
        build_paper(project, BuildRequest(PAPER, ("html",), final=True))
    assert "pass --allow-open" in str(refused.value)
    with pytest.raises(ReviewError, match="still open") as refused:  # asked on the Prefect form
        build_paper(project, BuildRequest(PAPER, ("html",), final=True, asked_on="form"))
    assert "tick allow_open" in str(refused.value) and "--" not in str(refused.value)
    assert main(["--root", str(project.root), "build", PAPER, "--final", "--format", "html"]) == 1
    assert "still open" in capsys.readouterr().err
    allowed = build_paper(
        project,
        BuildRequest(PAPER, ("html",), final=True, allow_open=True, allow_unverified=True),
    )
    assert "Open review items" not in allowed.files["html"].read_text(encoding="utf-8")

    decide(project, PAPER, item.id, "accepted", note="added the date")
    final = build_paper(
        project, BuildRequest(PAPER, ("html", "docx"), final=True, allow_unverified=True)
    )
    assert not docx.Document(final.files["docx"]).comments


def test_a_comment_is_traced_to_its_subsection_too(project, tmp_path):
    first = build_paper(project, BuildRequest(PAPER, ("docx",)))
    source_map = first.manifest["source_map"]
    assert source_map["sec-reg-eu-ai-act"]["subsection"] == "reg-eu-ai-act"
    assert source_map["p-rec-03"]["subsection"] == "rec-companies"
    returned = tmp_path / "returned.docx"
    _comment_on_paragraph(
        first.files["docx"], returned, "p-reg-eu-ai-act-sum", "Is the date right?", "Kim Reviewer"
    )
    ingest(project, PAPER, [returned])
    (item,) = list_items(project, PAPER)
    assert (item.section_id, item.subsection_id, item.subsection_title) == (
        "regulatory-context",
        "reg-eu-ai-act",
        "EU AI Act",
    )
    assert item.source.endswith("regulations/eu-ai-act.yaml") and item.field == "summary"


def _reviewed_once(project, tmp_path) -> None:
    """A first draft with one comment on a recommendation, ingested: the next draft carries it."""
    first = build_paper(project, BuildRequest(PAPER, ("docx",)))
    returned = tmp_path / "returned.docx"
    _comment_on_paragraph(first.files["docx"], returned, "p-rec-03", "Date?", "Alex Reviewer")
    assert ingest(project, PAPER, [returned]).added


def test_a_draft_carrying_comments_is_stamped_with_its_build_time(project, tmp_path, monkeypatch):
    _reviewed_once(project, tmp_path)
    monkeypatch.setenv(SOURCE_DATE_EPOCH, "1764460800")  # 2025-11-30T00:00:00Z
    second = build_paper(project, BuildRequest(PAPER, ("docx",)))
    assert [c.text for c in docx.Document(second.files["docx"]).comments] == ["Date?"]
    # Carrying writes the package once more, with the same fixed entries as the render.
    with zipfile.ZipFile(second.files["docx"]) as package:
        assert {info.date_time for info in package.infolist()} == {(2025, 11, 30, 0, 0, 0)}
        assert "word/commentsExtended.xml" in package.namelist()


def test_the_gate_reads_the_draft_docx_with_the_carried_comments_in(project, tmp_path, monkeypatch):
    """Carrying is the DOCX's last write, done while the other editions render: the gate reads
    those bytes. Here the redaction of a carried comment fails and lets a roster name in."""
    import dataclasses

    import yaml

    import briefings.review as review

    _reviewed_once(project, tmp_path)
    roster = project.paper_dir(PAPER) / "interviews" / "roster.yaml"
    company = yaml.safe_load(roster.read_text(encoding="utf-8"))[0]["company"]
    carry = review.carry_comments

    def leaking(path, items, **options):
        leaked = [dataclasses.replace(i, text=f"{i.text} Ask {company}.") for i in items]
        return carry(path, leaked, **{**options, "redact": None})

    monkeypatch.setattr(review, "carry_comments", leaking)
    before = published_editions(project, PAPER)
    with pytest.raises(ConfidentialityError) as refused:
        build_paper(project, BuildRequest(PAPER, ("docx", "html")))
    where = [str(p) for p in refused.value.problems]
    assert any("word/comments.xml" in w for w in where), where
    assert published_editions(project, PAPER) == before
