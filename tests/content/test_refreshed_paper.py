"""After a refresh against recorded official responses, the paper reads as an editor wrote it."""

from __future__ import annotations

import json
import re

import pytest

from briefings.assemble.dates import ISO_DATE
from briefings.pipeline import BuildRequest, build_paper
from briefings.refresh import refresh
from briefings.refresh.config import ENV_VARS
from briefings.refresh.history import HistoryLine
from briefings.refresh.rebuild import instruments_for
from briefings.refresh.wording import developments, official_form
from tests.refresh.refresh_fakes import (
    FakeSources,
    cellar,
    changes_feed,
    data,
    fixture_bytes,
    make_config,
)

PAPER = "2023-tech-regulation"
NONE = fixture_bytes("cellar/amendments_none.CONSTRUCTED.json")
ONE = fixture_bytes("cellar/amendments_one.CONSTRUCTED.json")
METADATA = fixture_bytes("cellar/metadata_32024R1689.CONSTRUCTED.json")


@pytest.fixture
def refreshed(project, httpserver, monkeypatch):
    """The 2023 sample after four refreshes: seed, an amending act, its reversal, a failure."""
    fake = FakeSources()
    fake.serve_defaults()
    for key in ("ukpga/2015/30", "ukpga/2023/50"):
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
    config = make_config(base)
    ids = instruments_for(project, None)
    assert refresh(project, ids, config=config).ok
    fake.routes["/webapi/rdf/sparql"] = cellar(METADATA, ONE)
    assert refresh(project, ids, config=config).ok
    fake.routes["/webapi/rdf/sparql"] = cellar(METADATA, NONE)  # the act is withdrawn again
    assert refresh(project, ids, config=config).ok
    del fake.routes["/ukpga/2015/30/contents/data.xml"]  # the source now answers 404
    assert not refresh(project, ids, config=config).ok
    edition = build_paper(project, BuildRequest(PAPER))
    return project, edition, base


def _section(markdown: str, anchor: str) -> str:
    return markdown.split(anchor, 1)[1].split("\n## ", 1)[0]


def test_recent_developments_name_the_act_by_its_own_date_once(refreshed):
    project, edition, _base = refreshed
    markdown = (edition.path / f"{PAPER}.md").read_text(encoding="utf-8")
    recent = _section(markdown, "{#sec-reg-recent}")
    items = [line for line in recent.splitlines() if line.startswith("- ")]
    # one development per new amending act, dated by the act (not by the refresh that saw it)
    assert "- 1 January 2099: Regulation (EU) 2099/1 amends the EU AI Act " in recent
    assert sum("2099/1" in line for line in items if "EU AI Act" in line) == 1
    for line in items:
        assert not re.search(r"→|\[\]|item\(s\)|\b3\d{4}[RLD]\d{4}\b", line), line
        assert line.rstrip().endswith(".") and line.count(". ") == 0, line


def test_a_failed_source_shows_not_checked_since_and_no_address(refreshed):
    project, edition, base = refreshed
    markdown = (edition.path / f"{PAPER}.md").read_text(encoding="utf-8")
    status = markdown.split("::: {#p-reg-uk-msa-s54-status}", 1)[1].split(":::", 1)[0]
    assert "not checked since" in status
    for text in (markdown, edition.files["html"].read_text(encoding="utf-8")):
        assert base not in text and "404" not in text.split("</style>")[-1]
    manifest = edition.manifest
    assert "404" in manifest["stale_sources"]["uk-msa-s54"]


def test_refreshed_status_is_worded_and_traced_to_its_snapshot(refreshed):
    project, edition, _base = refreshed
    markdown = (edition.path / f"{PAPER}.md").read_text(encoding="utf-8")
    status = markdown.split("::: {#p-reg-eu-ai-act-status}", 1)[1].split(":::", 1)[0]
    assert "in force since 1 August 2024" in status
    body = re.sub(r"<?https?://\S+", "", markdown.split("\n---\n", 1)[1])
    assert ISO_DATE.findall(body) == []
    source_map = edition.manifest["source_map"]
    assert source_map["p-reg-eu-ai-act-status"]["source"] == (
        "paper_sources/refresh/snapshots/eu-ai-act.json"
    )
    assert source_map["p-reg-recent"]["source"] == "paper_sources/refresh/history.jsonl"
    assert source_map["p-reg-eu-ai-act-dates"]["source"] == (
        "paper_sources/regulations/eu-ai-act.yaml"
    )


def test_every_source_in_the_manifest_exists(refreshed):
    project, edition, _base = refreshed
    manifest = edition.manifest
    for block, entry in manifest["source_map"].items():
        if "source" in entry:  # table columns name a field only
            assert (project.root / entry["source"]).is_file(), (block, entry["source"])
    for path in manifest["sources"]:
        assert (project.root / path).is_file(), path


def test_every_source_of_the_sample_editions_exists(sample_project, sample_drafts, sample_finals):
    for built in (*sample_drafts.values(), *sample_finals.values()):
        manifest = json.loads((built.path / "manifest.json").read_text(encoding="utf-8"))
        for block, entry in manifest["source_map"].items():
            if "source" in entry:  # table columns name a field only
                assert (sample_project.root / entry["source"]).is_file(), (block, entry)


def _line(when: str, field: str, old, new, instrument="eu-ai-act") -> HistoryLine:
    return HistoryLine(
        date=f"{when}T06:00:00Z",
        instrument=instrument,
        field=field,
        old=old,
        new=new,
        source_url="https://example.org",
    )


def test_a_reverted_change_is_not_a_new_development():
    act = {"id": "uri:1", "celex": "32026R1744", "date": "2026-07-24", "title": "32026R1744"}
    history = [
        _line("2026-07-01", "amendments", [], [act]),
        _line("2026-08-01", "amendments", [act], []),  # withdrawn: no development
        _line("2026-09-01", "amendments", [], [act]),  # back again: not new either
    ]
    names = {"eu-ai-act": ("EU AI Act", "Regulation (EU) 2024/1689")}
    (only,) = developments(history, names)
    assert only.date.isoformat() == "2026-07-24"
    assert (
        only.text == "Regulation (EU) 2026/1744 amends the EU AI Act (Regulation (EU) 2024/1689)."
    )


def test_bill_stages_are_dated_by_their_sitting():
    stages = {"stages": {"Committee stage (Commons)": ["2026-03-04", "2026-03-11"]}}
    history = [
        _line("2026-01-05", "status", None, "Bill: 2nd reading (Commons)", "bill"),
        _line(
            "2026-03-12",
            "status",
            "Bill: 2nd reading (Commons)",
            "Bill: Committee stage (Commons)",
            "bill",
        ),
        _line("2026-03-12", "dates", {}, stages, "bill"),
    ]
    (only,) = developments(history, {"bill": ("Example Bill", "Example Bill")})
    assert (only.date.isoformat(), only.text) == (
        "2026-03-11",
        "The Example Bill reached committee stage in the House of Commons.",
    )


def test_official_forms_of_eu_acts():
    assert official_form("32024R1689") == "Regulation (EU) 2024/1689"
    assert official_form("32024L1760") == "Directive (EU) 2024/1760"
    assert official_form("32013R0575") is None  # numbered "No 575/2013"


def test_a_legislation_gov_uk_effect_names_the_act_and_its_chapter():
    effect = {
        "id": "key-1",
        "type": "words substituted",
        "title": "Economic Crime Act 2023",
        "affecting": "http://www.legislation.gov.uk/id/ukpga/2023/56",
        "affecting_year": "2023",
        "affecting_number": "56",
        "affected_provisions": "s. 12",
        "in_force": ["2024-01-15"],
    }
    history = [
        _line("2024-01-01", "amendments", [], [], "uk-osa"),
        _line("2024-02-01", "amendments", [], [effect], "uk-osa"),
    ]
    (only,) = developments(history, {"uk-osa": ("UK Online Safety Act", "Online Safety Act 2023")})
    assert (only.date.isoformat(), only.text) == (
        "2024-01-15",
        "The Economic Crime Act 2023 (2023 c. 56) amends the UK Online Safety Act "
        "(s. 12, words substituted).",
    )
