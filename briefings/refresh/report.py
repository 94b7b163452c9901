"""The "what changed" table of a refresh, as Markdown (Prefect artifact, console)."""

from __future__ import annotations

from .run import RefreshReport


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_changes_markdown(report: RefreshReport) -> str:
    """A Markdown summary: changes table, failures (one line each), papers to rebuild."""
    when = report.started_at.strftime("%Y-%m-%d %H:%M UTC")
    mode = " (offline: no source was read)" if report.offline else ""
    out = [f"## Regulatory refresh, {when}{mode}", ""]
    if report.offline:
        kept = len(report.checked) - len(report.without_snapshot)
        out.append(f"{kept} tracked instrument(s) kept as in their last snapshots.")
        if report.without_snapshot:
            out.append(
                f"{len(report.without_snapshot)} never fetched yet "
                "(no snapshot; the registry's facts are "
                f"shown): {', '.join(report.without_snapshot)}."
            )
    else:
        out.append(
            f"Checked {len(report.checked)} tracked instrument(s): "
            f"{len(report.changed_instruments)} changed, {len(report.unchanged)} unchanged, "
            f"{len(report.failures)} failed."
        )
    out.append("")
    if report.changes:
        out += ["| Instrument | Change | Source |", "|---|---|---|"]
        for line in report.changes:
            out.append(
                f"| {_cell(line.instrument)} | {_cell(line.describe())} "
                f"| {_cell(line.source_url)} |"
            )
    else:
        out.append("No changes.")
    if report.failures:
        out += ["", "### Failed sources (last snapshot kept, marked stale)", ""]
        out += [f"- {_cell(f.line())}" for f in report.failures]
    if report.papers_affected:
        out += ["", "Papers citing a changed instrument: " + ", ".join(report.papers_affected)]
    return "\n".join(out) + "\n"
