"""The pages of the editions site: all papers, and each paper's editions newest first."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from urllib.parse import quote

from ..errors import BriefingError
from ..project import Project
from ..publish import latest_edition, published_editions

REVIEW_REPORT = "review/review.html"


@dataclass(frozen=True)
class EditionRow:
    """One line of a paper's page."""

    edition_id: str
    built_at: str
    final: bool
    files: dict[str, str]  # format -> file name
    open_items: int | None  # review items raised on this edition still open; None: unknown
    latest: bool


def edition_rows(project: Project, paper_id: str) -> list[EditionRow]:
    """The paper's published editions, newest first."""
    open_by_edition = _open_items_by_edition(project, paper_id)
    latest = latest_edition(project, paper_id)
    rows = []
    for edition_id in reversed(published_editions(project, paper_id)):
        folder = project.outputs / paper_id / edition_id
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not a readable edition: not listed
        outputs = manifest.get("outputs") or {}
        files = {spec.get("format", ""): name for name, spec in sorted(outputs.items())}
        rows.append(
            EditionRow(
                edition_id,
                str(manifest.get("built_at", "")),
                bool(manifest.get("final")),
                files,
                None if open_by_edition is None else open_by_edition.get(edition_id, 0),
                latest is not None and latest.name == edition_id,
            )
        )
    return rows


def _open_items_by_edition(project: Project, paper_id: str) -> dict[str, int] | None:
    from ..review import list_items

    try:
        items = list_items(project, paper_id)
    except BriefingError:
        return None
    counts: dict[str, int] = {}
    for item in items:
        if item.status == "open":
            counts[item.edition] = counts.get(item.edition, 0) + 1
    return counts


def _page(title: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{html.escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    ).encode()


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.4}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;"
    "border-bottom:1px solid #ccc;vertical-align:top}td a{margin-right:.6rem}"
    ".scroll{overflow-x:auto}"
)


def home_page(project: Project) -> bytes:
    papers = [p for p in project.paper_ids() if (project.outputs / p).is_dir()]
    items = "".join(f'<li><a href="{quote(p)}/">{html.escape(p)}</a></li>\n' for p in papers)
    body = f"<ul>\n{items}</ul>" if items else "<p>No edition has been published yet.</p>"
    return _page("Briefing editions", body)


def paper_page(project: Project, paper_id: str) -> bytes:
    rows = edition_rows(project, paper_id)
    lines = []
    for row in rows:
        links = " ".join(
            f'<a href="{quote(row.edition_id)}/{quote(name)}">{html.escape(fmt.upper())}</a>'
            for fmt, name in row.files.items()
        )
        kind = "final" if row.final else "draft"
        if row.latest:
            kind += " (latest)"
        items = "unknown" if row.open_items is None else str(row.open_items)
        lines.append(
            f"<tr><td>{html.escape(_when(row.built_at))}</td><td>{kind}</td><td>{links}</td>"
            f"<td>{items}</td><td><code>{html.escape(row.edition_id)}</code></td></tr>"
        )
    report = project.outputs / paper_id / REVIEW_REPORT
    review = (
        f'<p><a href="{REVIEW_REPORT}">Review report</a> (every review item and its decision)</p>'
        if report.is_file()
        else "<p>No review report yet.</p>"
    )
    table = (
        '<div class="scroll"><table>\n<thead><tr><th scope="col">Built</th>'
        '<th scope="col">Kind</th><th scope="col">Formats</th>'
        '<th scope="col">Open review items</th><th scope="col">Edition</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(lines)}\n</tbody></table></div>"
        if lines
        else "<p>No edition has been published yet.</p>"
    )
    return _page(f"{paper_id}: editions", f'{review}\n{table}\n<p><a href="../">All papers</a></p>')


def _when(built_at: str) -> str:
    """A manifest's build time as editors read it: 2026-11-30 00:38 UTC."""
    try:
        moment = dt.datetime.fromisoformat(built_at.replace("Z", "+00:00"))
    except ValueError:
        return built_at
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
