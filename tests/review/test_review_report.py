"""Reports: HTML and CSV grouped by section with counts; Markdown for Prefect; no roster names."""

from __future__ import annotations

import csv
import io

from briefings.review import decide, ingest, list_items, review_markdown, write_review_report
from tests.review import review_kit as kit


def test_html_and_csv_group_by_section_with_counts(project, draft, tmp_path):
    ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    first = next(i for i in list_items(project, kit.PAPER) if i.text.startswith("Too vague"))
    decide(project, kit.PAPER, first.id, "accepted", note="rewritten")
    html_path, csv_path = write_review_report(project, kit.PAPER, tmp_path / "out")
    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert len(rows) == 6
    sections = [r["section_id"] for r in rows]
    assert sections == sorted(sections, key=sections.index)  # each section's rows are together
    accepted = next(r for r in rows if r["id"] == first.id)
    assert (accepted["status"], accepted["note"], accepted["field"]) == (
        "accepted",
        "rewritten",
        "rec-04",
    )
    html = html_path.read_text(encoding="utf-8")
    assert html.count('<section id="review-') == 4
    assert (
        "<h2>Regulatory context</h2>" in html and "Carla Diaz: Agreed, consent is on file." in html
    )
    assert "<tr><td>Ana Ortiz</td><td>2</td><td>1</td>" in html  # Ana: 2 open, 1 accepted
    assert "<tr><th>all</th><th>5</th><th>1</th><th>0</th><th>0</th></tr>" in html


def test_markdown_lists_open_items_per_section(project, draft, tmp_path):
    ingest(project, kit.PAPER, [kit.reviewed(draft, tmp_path / "r.docx")])
    md = review_markdown(project, kit.PAPER)
    assert md.startswith(f"# Review of {kit.PAPER}")
    assert "| **all** | 6 | 0 | 0 | 0 |" in md
    assert "## Recommendations (open: 2)" in md and "## Findings (open: 2)" in md


def test_roster_names_never_reach_reports(project, draft, tmp_path):
    roster = project.paper_dir(kit.PAPER) / "interviews" / "roster.yaml"
    roster.parent.mkdir()
    roster.write_text(
        "- {participant: P07, name: Dana Whitfield, company: Northwind Telecom, "
        "aliases: [Dana W.]}\n"
    )
    d = kit.Document(str(draft))
    kit.comment(
        d,
        kit.QUOTE,
        "Dana Whitfield of Northwind Telecom said this; check with dana w..",
        "Ana Ortiz",
    )
    ingest(project, kit.PAPER, [kit.save(d, tmp_path / "r.docx")])
    texts = [
        p.read_text(encoding="utf-8")
        for p in write_review_report(project, kit.PAPER, tmp_path / "o")
    ]
    texts.append(review_markdown(project, kit.PAPER))
    for text in texts:
        assert "Dana" not in text and "Northwind" not in text
        assert "[withheld] of [withheld] said this; check with [withheld]." in text
