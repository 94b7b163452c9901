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
    assert lines and all(
        line.startswith("- 1 January 2099: Regulation (EU) 2099/1 amends the ") for line in lines
    )
    assert any(" amends the EU AI Act " in line for line in lines)

    # The same answers again: nothing changed, so nothing is rebuilt.
    assert main(["--root", str(project.root), "refresh", "2023-tech-regulation"]) == 0
    assert published_editions(project, "2023-tech-regulation") == editions


def test_a_build_over_corrupt_refresh_files_warns_and_publishes(project, fake):
    """A torn snapshot and a garbled state.json: the registry's facts, one warning line each."""
    import subprocess
    import sys

    from briefings.refresh.snapshot import snapshot_path, state_path

    fake, base = fake
    assert refresh(project, instruments_for(project, None), config=make_config(base)).ok
    torn = snapshot_path(project, "eu-ai-act")
    torn.write_bytes(torn.read_bytes()[:100])
    state_path(project).write_bytes(b"\x00garbage")
    done = subprocess.run(
        [sys.executable, "-m", "briefings.cli", "--root", str(project.root)]
        + ["build", "2023-tech-regulation", "--format", "html"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    state, snapshot = [line for line in done.stderr.splitlines() if "unreadable" in line]
    assert state == (
        "warning: paper_sources/refresh/state.json: unreadable refresh state (Invalid JSON: "
        "expected value at line 1 column 1); ignored, the next refresh rewrites it"
    )
    assert re.fullmatch(
        r"warning: paper_sources/refresh/snapshots/eu-ai-act\.json: unreadable snapshot "
        r"\(Invalid JSON: EOF while parsing .* at line \d+ column \d+\); "
        r"using the registry's facts until the next refresh",
        snapshot,
    )
    assert len(published_editions(project, "2023-tech-regulation")) == 1
