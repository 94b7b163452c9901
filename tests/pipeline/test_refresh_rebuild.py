"""A refresh that finds a change rebuilds the papers citing it; the draft shows the new facts."""

from __future__ import annotations

import re

import pytest

from briefings.cli import main
from briefings.publish import published_editions
from briefings.refresh import refresh
from briefings.refresh.config import ENV_VARS
from briefings.refresh.rebuild import instruments_for
from tests.refresh.refresh_fakes import (
    FakeSources,
    cellar,
    changes_feed,
    data,
    fixture_bytes,
    make_config,
)

PAPERS = ("2023-tech-regulation", "2024-fairness-bias")


@pytest.fixture
def fake(httpserver, monkeypatch):
    fake = FakeSources()
    fake.serve_defaults()
    for key in (
        "ukpga/2015/30",
        "ukpga/2023/50",
    ):  # the sample's legislation.gov.uk items, in a recorded shape
        fake.routes[f"/{key}/contents/data.xml"] = data(
            fixture_bytes("legislation_gov_uk/nisr-2015-404_contents_data.REAL.xml"),
            content_type="application/xml",
        )
        fake.routes[f"/changes/affected/{key}/data.feed"] = changes_feed()
    httpserver.expect_request(re.compile(r"^/.*")).respond_with_handler(fake.dispatch)
    base = httpserver.url_for("/").rstrip("/")
    for var in ENV_VARS.values():
        monkeypatch.setenv(var, base)
    monkeypatch.setenv("BRIEFINGS_HTTP_CACHE_DIR", "off")
    return fake, base


def test_a_changed_instrument_rebuilds_only_the_papers_citing_it(project, fake, capsys):
    fake, base = fake
    assert refresh(
        project, instruments_for(project, None), config=make_config(base)
    ).ok  # first snapshots
    # The AI Act gains an amending act at the source; of the samples both papers cite it.
    fake.routes["/webapi/rdf/sparql"] = cellar(
        fixture_bytes("cellar/metadata_32024R1689.CONSTRUCTED.json"),
        fixture_bytes("cellar/amendments_one.CONSTRUCTED.json"),
    )
    assert main(["--root", str(project.root), "refresh", "2023-tech-regulation"]) == 0
    out = capsys.readouterr()
    assert "eu-ai-act" in out.out + out.err
    editions = published_editions(project, "2023-tech-regulation")
    assert len(editions) == 1 and editions[0].endswith("draft")
    markdown = (
        project.outputs / "2023-tech-regulation" / editions[0] / "2023-tech-regulation.md"
    ).read_text(encoding="utf-8")
    regulatory = markdown.split("{#sec-regulatory-context}", 1)[1].split("\n# ", 1)[0]
    assert "## Recent developments {#sec-reg-recent}" in regulatory
    developments = regulatory.split("{#sec-reg-recent}", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in developments.splitlines() if line.startswith("- ")]
    # The fake Cellar answers every CELEX query alike, so each EU act the paper cites gained the
    # amendment; only those changes are listed, not the first observations of the seeding refresh.
    assert lines and all(": Amendments: " in line and "32099R0001" in line for line in lines)
    assert any(", EU AI Act: " in line for line in lines)

    # The same answers again: nothing changed, so nothing is rebuilt.
    assert main(["--root", str(project.root), "refresh", "2023-tech-regulation"]) == 0
    assert published_editions(project, "2023-tech-regulation") == editions
