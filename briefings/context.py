"""What the section templates read besides the sources, gathered from the stages that know it.

The synthesis gives the findings and the figures, the refresh the status of each instrument and
the recent developments, review the open items (names withheld); assemble only renders them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .assemble.context import ShownStatus
from .assemble.document import SECTION_TITLES
from .project import Project
from .sources.loader import PaperSources

ID_LABELS = {
    "celex": "CELEX",
    "eli": "ELI",
    "act_number": "Act",
    "fr_document_number": "FR doc.",
    "rin": "RIN",
    "docket": "Docket",
    "legislation_gov_uk": "legislation.gov.uk",
    "uk_bill_id": "UK bill",
    "other": "Ref.",
}


def template_context(
    sources: PaperSources,
    findings: Any,
    built_at: dt.datetime,
    open_review: dict[str, list],
    notices: list[str],
) -> dict[str, Any]:
    """The templates' variables besides the sources: `open_review` is empty for a final."""
    from .synthesis.figures import figures_of

    return {
        "title_notices": notices,
        "figures": figures_of(sources, findings),
        "built_on": built_at.date(),
        "findings": findings,
        "theme_counts": {t.id: t for t in findings.all_themes()},
        "registry": sources.registry,
        "citation_labels": sources.citation_labels,
        "id_labels": ID_LABELS,
        "section_titles": SECTION_TITLES,
        "open_review": redacted_review(sources.project, sources.paper.id, open_review)
        if open_review
        else {},
        **regulatory_context(sources.project, sources),
    }


def regulatory_context(project: Project, sources: PaperSources) -> dict:
    """Status per instrument (refreshed snapshot where one exists) and recent developments.

    A status read from an official source is worded from its snapshot and traced to it; a
    source that failed keeps its last facts, shown as "not checked since" their date (the
    reason, with its address and HTTP code, goes to the log and the manifest only).
    """
    from .refresh.history import history_path, read_history
    from .refresh.status import regulatory_status
    from .refresh.wording import developments, official_form

    refreshed = regulatory_status(project, sources.instruments)
    regulatory: dict[str, ShownStatus] = {}
    for entry in sources.instruments:
        snap = refreshed.get(entry.id)
        # read from the official source, and worded for the paper
        official = snap if snap and snap.origin == "snapshot" and snap.text else None
        regulatory[entry.id] = ShownStatus(
            status=official.text if official and official.text else entry.status,
            as_of=official.as_of if official else entry.as_of,
            unverified=entry.status_unverified and not official,
            stale=bool(snap and snap.stale),
            stale_reason=snap.stale_reason if snap else None,
            source_file=official.source_file
            if official
            else project.relative(project.regulations / f"{entry.id}.yaml"),
        )
    names = {
        e.id: (e.short_name, official_form(e.identifiers.celex) or e.title)
        for e in sources.instruments
    }
    return {
        "regulatory": regulatory,
        "developments": developments(read_history(project), names),
        "history_file": project.relative(history_path(project)),
    }


def redacted_review(project: Project, paper_id: str, open_review: dict[str, list]) -> list:
    """The draft's open-items page: by section and subsection, roster names withheld."""
    from .review.page import open_items_page
    from .review.redact import roster_redactor

    items = [item for section in open_review.values() for item in section]
    return open_items_page(items, roster_redactor(project, paper_id), SECTION_TITLES)


def paper_charts(sources: PaperSources) -> list:
    """The charts an edition of the paper shows (for redlines, which re-render an edition)."""
    from .synthesis import synthesise

    return charts_of(sources, synthesise(sources))


def charts_of(sources: PaperSources, findings: Any) -> list:
    """The charts of these findings: the themes chart, when there are themes."""
    return [theme_chart(sources, findings)] if findings.themes else []


def theme_chart(sources: PaperSources, findings: Any):
    """The findings chart: the ranked themes as the table lists them."""
    from .render.chart import ThemeBar, ThemeChart

    bars = tuple(ThemeBar(t.label, t.kind, t.companies) for t in findings.themes)
    return ThemeChart("fig-themes", findings.companies, bars, sources.project.cache / "charts")
