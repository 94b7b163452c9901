"""Under Prefect, neither a clean build nor one stopped by the gate leaves a roster name behind."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from briefings.flows import load_flow
from briefings.roster import RosterNames
from tests.confidentiality.test_build import PAPER, recommendation

pytestmark = pytest.mark.prefect


def files_under(*roots: Path) -> list[Path]:
    return [p for r in roots if r.exists() for p in r.rglob("*") if p.is_file()]


def read_back_from_prefect(wanted: str = "roster name(s) found in the edition") -> tuple[str, str]:
    """All logs and flow-run messages the server holds, once the failure's log has arrived.

    Prefect ships logs to the server from a background worker in batches: drain it, then
    read until the wanted line is there (or 30 s have passed, and the assertion says so).
    The server answers a page at a time (oldest first), and the session's earlier flow runs
    fill the first pages: read them all.
    """
    from prefect.client.orchestration import get_client
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=10)
    deadline = time.monotonic() + 30
    with get_client(sync_client=True) as client:
        while True:
            logs = "\n".join(log.message for log in every(client.read_logs))
            if wanted in logs or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        runs = "\n".join(
            f"{r.parameters} {r.state.message if r.state else ''}"
            for r in every(client.read_flow_runs)
        )
    return logs, runs


def every(read) -> list:
    """All records a paged Prefect client read returns (it gives 200 at most per call)."""
    found: list = []
    while batch := read(limit=200, offset=len(found)):
        found += batch
    return found


def test_no_roster_name_in_prefect_home_database_or_logs(project, prefect_harness, tmp_path):
    import prefect.settings

    names = RosterNames.load(project, PAPER)
    assert names
    flow = load_flow(project, "build", "build_paper")
    flow(paper=PAPER, formats=["html"])
    recommendation(project.root)  # the next build carries a company name and must stop
    with pytest.raises(Exception) as caught:
        flow(paper=PAPER, formats=["html"])
    assert any(
        "would be published" in line for line in caught.value.lines()
    )  # build_many gathers the problems

    logs, runs = read_back_from_prefect()
    assert "roster name(s) found in the edition" in logs  # the failure did reach Prefect
    assert names.find(logs) == [] and names.find(runs) == []

    database = Path(
        prefect.settings.PREFECT_SERVER_DATABASE_CONNECTION_URL.value().split("///", 1)[1]
    )
    stored = files_under(prefect_harness, database.parent)
    assert any(p.name.startswith(database.name) for p in stored)
    leaks = [where for p in stored for where in _where(names, p)]
    assert leaks == []


def _where(names: RosterNames, path: Path) -> list[str]:
    """Each roster name in a file, masked, with the text around it (the name masked there too),
    so a failure says what carried it without printing it."""
    text = path.read_bytes().decode("utf-8", errors="ignore")
    found = []
    for term in names.find(text):
        first = term.words[0]
        at = text.casefold().find(first.casefold())
        around = text[max(0, at - 100) : at + 100] if at >= 0 else "(matched in a folded form)"
        around = re.sub(re.escape(first), "*" * len(first), around, flags=re.IGNORECASE)
        printable = "".join(c if c.isprintable() else "." for c in around)
        found.append(f"{path.name}: {term.masked}: ...{printable}...")
    return found
