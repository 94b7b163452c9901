"""The ingest_review flow on a real (temporary) Prefect server."""

from __future__ import annotations

import pytest

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
