"""The review report of a paper: HTML and CSV for editors, Markdown for a Prefect artifact."""

from __future__ import annotations

import csv
import html
import io
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..atomic import atomic_write_text
from ..errors import ReviewError
from ..project import Project
from .models import STATUSES, UNPLACED, ReviewItem
from .redact import roster_redactor
from .service import list_items

CSV_FIELDS = (
    "id",
    "section_id",
    "section_title",
    "subsection_title",
    "place",
    "kind",
    "author",
    "date",
    "status",
    "note",
    "text",
    "anchor_text",
    "source",
    "field",
    "untraced",
    "edition",
    "resolved",
    "replies",
)


def _prepared(project: Project, paper_id: str) -> tuple[list[ReviewItem], Callable[[str], str]]:
    return list_items(project, paper_id), roster_redactor(project, paper_id)


def by_section(items: list[ReviewItem]) -> dict[str, list[ReviewItem]]:
    """Items grouped by section, sections in the order their first item was seen."""
    grouped: dict[str, list[ReviewItem]] = {}
    for item in items:
        grouped.setdefault(item.section_id or UNPLACED, []).append(item)
    return grouped


def counts(
    items: list[ReviewItem], redact: Callable[[str], str]
) -> tuple[Counter, dict[str, Counter]]:
    """Items per status, and per reviewer per status."""
    status = Counter(i.status for i in items)
    reviewers: dict[str, Counter] = {}
    for i in items:
        reviewers.setdefault(redact(i.author) or "(anonymous)", Counter())[i.status] += 1
    return status, reviewers


def review_csv(items: list[ReviewItem], redact: Callable[[str], str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for group in by_section(items).values():
        for i in group:
            row = {k: getattr(i, k) for k in CSV_FIELDS if k != "replies"}
            row["replies"] = " | ".join(f"{r.author}: {r.text}" for r in i.replies)
            writer.writerow(
                {k: redact(str(v)) if isinstance(v, str) else v for k, v in row.items()}
            )
    return out.getvalue()


def review_html(paper_id: str, items: list[ReviewItem], redact: Callable[[str], str]) -> str:
    e = lambda s: html.escape(redact(s or ""))  # noqa: E731
    status, reviewers = counts(items, redact)
    parts = [
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Review of {e(paper_id)}</title></head><body>",
        f"<h1>Review of {e(paper_id)}</h1>",
        "<h2>Counts</h2><table><tr><th>reviewer</th>"
        + "".join(f"<th>{s}</th>" for s in STATUSES)
        + "</tr>",
    ]
    for name, c in sorted(reviewers.items()):
        parts.append(
            f"<tr><td>{e(name)}</td>" + "".join(f"<td>{c[s]}</td>" for s in STATUSES) + "</tr>"
        )
    parts.append(
        "<tr><th>all</th>" + "".join(f"<th>{status[s]}</th>" for s in STATUSES) + "</tr></table>"
    )
    for section, group in by_section(items).items():
        title = group[0].section_title or section
        parts.append(f'<section id="review-{e(section)}"><h2>{e(title)}</h2><ol>')
        for i in group:
            where = f"{i.source} ({i.field})" if i.field else (i.source or "")
            if not i.source and i.untraced:
                where = f"none ({i.untraced})"
            place = ", ".join(x for x in (i.subsection_title, i.place) if x)
            parts.append(
                f'<li id="item-{e(i.id)}"><p><code>{e(i.id)}</code> <strong>{e(i.status)}</strong> '
                f"{e(i.kind)} by {e(i.author)}, {e(i.date)}</p>"
                f"<blockquote>{e(i.anchor_text)}</blockquote>"
                f"<p>{e(i.text)}</p>"
                + (f"<p>Where: {e(place)}</p>" if place else "")
                + (f"<p>Source: {e(where)}</p>" if where else "")
                + (f"<p>Note: {e(i.note)}</p>" if i.note else "")
                + "".join(f"<p>↳ {e(r.author)}: {e(r.text)}</p>" for r in i.replies)
                + "</li>"
            )
        parts.append("</ol></section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def review_markdown(project: Project, paper_id: str) -> str:
    """A short Markdown summary: counts by status and reviewer, open items per section."""
    items, redact = _prepared(project, paper_id)
    status, reviewers = counts(items, redact)
    cell = lambda s: redact(s or "").replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = [
        f"# Review of {paper_id}",
        "",
        "| reviewer | " + " | ".join(STATUSES) + " |",
        "|---|" + "---|" * len(STATUSES),
    ]
    for name, c in sorted(reviewers.items()):
        lines.append(f"| {cell(name)} | " + " | ".join(str(c[s]) for s in STATUSES) + " |")
    lines.append("| **all** | " + " | ".join(str(status[s]) for s in STATUSES) + " |")
    for section, group in by_section([i for i in items if i.status == "open"]).items():
        lines += ["", f"## {cell(group[0].section_title or section)} (open: {len(group)})", ""]
        for i in group:
            lines.append(f"- `{i.id}` {i.kind} by {cell(i.author)}: {cell(i.text)[:200]}")
            lines += [f"  - ↳ {cell(r.author)}: {cell(r.text)[:200]}" for r in i.replies]
    return "\n".join(lines) + "\n"


def write_review_report(project: Project, paper_id: str, out_dir: str | os.PathLike) -> list[Path]:
    """Write review.html and review.csv into out_dir, each replaced atomically."""
    items, redact = _prepared(project, paper_id)
    out = Path(out_dir)
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in (
            ("review.html", review_html(paper_id, items, redact)),
            ("review.csv", review_csv(items, redact)),
        ):
            atomic_write_text(out / name, text)
            written.append(out / name)
    except OSError as exc:
        raise ReviewError(
            f"{out}: cannot write the review report ({exc.strerror or exc})"
        ) from None
    return written
