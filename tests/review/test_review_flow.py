"""The ingest_review flow on a real (temporary) Prefect server."""

from __future__ import annotations

import pytest

from briefings.errors import ReviewError
from briefings.flows import load_flow
from briefings.review import list_items
from tests.review import review_kit as kit


@pytest.mark.prefect
def test_ingest_review_flow(prefect_harness, project, draft, tmp_path):
    from prefect.client.orchestration import get_client

    ingest_review = load_flow(project, "review", "ingest_review")
    result = ingest_review(kit.PAPER, [str(kit.reviewed(draft, tmp_path / "r.docx"))])
    assert len(result["added"]) == 6 and result["report"][0].endswith("review/review.html")
    assert len(list_items(project, kit.PAPER)) == 6

    async def artifact():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    import asyncio

    latest = {a.key: a for a in asyncio.run(artifact())}
    assert f"# Review of {kit.PAPER}" in latest[f"review-{kit.PAPER}"].data


@pytest.mark.prefect
def test_ingest_review_with_no_files_reads_the_inbox(prefect_harness, project, draft, inbox):
    import os

    from prefect.client.orchestration import get_client

    past = 1_000_000_000
    kit.reviewed(draft, inbox / "returned.docx")
    (inbox / "broken.docx").write_bytes(b"not a zip")
    for name in ("returned.docx", "broken.docx"):
        os.utime(inbox / name, (past, past))
    ingest_review = load_flow(project, "review", "ingest_review")
    state = ingest_review(kit.PAPER, return_state=True)
    assert state.is_failed()  # the broken file is reported, after the other was ingested
    with pytest.raises(ReviewError) as refused:
        state.result()
    assert [line.split(": ", 1)[0] for line in refused.value.lines()] == [
        str(inbox / "broken.docx")
    ]
    assert len(list_items(project, kit.PAPER)) == 6
    assert not list(inbox.glob("*.docx")) and len(list((inbox / "processed").iterdir())) == 4
    with get_client(sync_client=True) as client:
        run = client.read_flow_run(state.state_details.flow_run_id)
    assert run.name == f"review {kit.PAPER}: 2 files"
