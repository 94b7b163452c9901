"""Each adapter against recorded (REAL) or documented-shape (CONSTRUCTED) responses on a local
server."""

from __future__ import annotations

import json

import pytest
import requests

from briefings.errors import FetchError
from briefings.refresh.adapters import ADAPTERS
from briefings.refresh.adapters.atom import parse_feed
from briefings.refresh.http import Fetcher, make_session, rebase
from briefings.refresh.records import SparqlResults
from briefings.sources.loader import load_registry
from tests.refresh.refresh_fakes import FIXTURES, cellar, data, fixture_bytes


def snapshot_of(project, config, inst_id):
    entry = load_registry(project)[inst_id][0]
    fetcher = Fetcher(make_session(config), config, entry.tracking.source, entry.id)
    return ADAPTERS[entry.tracking.source](fetcher, entry)


# --- Federal Register ----------------------------------------------------------------------


def test_federal_register_follows_the_absolute_next_link_onto_the_local_server(
    project, config, sources
):
    snap = snapshot_of(project, config, "us-carrier-tariffs")
    (first,) = sources.hits("/api/v1/documents.json")
    assert first.args["conditions[docket_id]"] == ["FMC-2022-0067"]
    (second,) = sources.hits(
        "/api/v1/documents"
    )  # the real page's next_page_url, rewritten onto our host
    assert second.args["page"] == ["2"] and second.args["per_page"] == ["1000"]
    assert [d["id"] for d in snap.documents][0] == "2024-00001"  # newest, from page 2
    assert len(snap.documents) == 5 and snap.counts == {"documents": 1893}
    assert snap.status == "Latest: Rule 2024-00001, published 2024-01-03, effective 2024-03-01"
    assert snap.dates["effective_on"] == ["2024-02-01", "2024-03-01"]
    assert "page_views" not in json.dumps(snap.model_dump())


def test_federal_register_empty_search_has_no_results_key(project, config, sources):
    sources.routes["/api/v1/documents.json"] = data(
        fixture_bytes("federal_register/search_empty.CONSTRUCTED.json")
    )
    snap = snapshot_of(project, config, "us-carrier-tariffs")
    assert snap.documents == [] and snap.counts == {"documents": 0}
    assert snap.status == "No Federal Register documents found"
    assert sources.hits("/api/v1/documents") == []


def test_federal_register_rin_key_searches_by_regulation_id_number(project, config, sources):
    from tests.refresh.refresh_fakes import write_instrument

    write_instrument(
        project.root,
        "us-carrier-tariffs",
        {"source": "federal_register", "key": "3072-AC86", "terms": "automated tariffs"},
    )
    snapshot_of(project, config, "us-carrier-tariffs")
    args = sources.hits("/api/v1/documents.json")[0].args
    assert args["conditions[regulation_id_number]"] == ["3072-AC86"]
    assert args["conditions[term]"] == ["automated tariffs"]


# --- Cellar --------------------------------------------------------------------------------


def test_cellar_several_entry_into_force_values_in_force_1_and_open_end(project, config, sources):
    snap = snapshot_of(project, config, "eu-ai-act")
    assert snap.in_force is True  # "1", typed-literal xsd:boolean
    assert snap.dates == {
        "date_document": "2024-06-13",
        "entry_into_force": ["2024-08-01", "2025-02-02", "2025-08-02", "2026-08-02", "2027-08-02"],
        "end_of_validity": None,  # 9999-12-31 means no end
    }
    assert snap.identifiers == {
        "celex": "32024R1689",
        "eli": "http://data.europa.eu/eli/reg/2024/1689/oj",
    }
    assert snap.title.startswith("Regulation (EU) 2024/1689")
    assert snap.status.startswith(
        "In force since 2024-08-01; further entry-into-force dates 2025-02-02"
    )
    query = sources.hits("/webapi/rdf/sparql")[0].args["query"][0]
    assert '"32024R1689"^^xsd:string' in query


def test_cellar_in_force_true_as_plain_literal(project, config, sources):
    sources.routes["/webapi/rdf/sparql"] = cellar(
        fixture_bytes("cellar/metadata_in-force-true.CONSTRUCTED.json"),
        fixture_bytes("cellar/amendments_one.CONSTRUCTED.json"),
    )
    snap = snapshot_of(project, config, "eu-ai-act")
    assert snap.in_force is True and snap.dates["end_of_validity"] is None
    assert snap.dates["entry_into_force"] == ["2024-08-01", "2025-02-02"]
    assert [a["celex"] for a in snap.amendments] == ["32099R0001"] and snap.counts == {
        "amending_acts": 1
    }


def test_cellar_unknown_celex_is_an_error_naming_the_instrument(project, config, sources):
    sources.routes["/webapi/rdf/sparql"] = data(
        fixture_bytes("cellar/amendments_none.CONSTRUCTED.json")
    )
    with pytest.raises(FetchError, match="cellar: eu-ai-act: no Cellar work with CELEX 32024R1689"):
        snapshot_of(project, config, "eu-ai-act")


def test_real_virtuoso_answer_with_typed_literal_validates():
    body = json.loads(
        (FIXTURES / "cellar/sparql_celex-32024R1689_fmx4-items.REAL.json").read_text()
    )
    results = SparqlResults.model_validate(body)
    assert results.results.bindings[0]["format"].type == "typed-literal"
    assert results.results.bindings[0]["format"].value == "fmx4"


# --- legislation.gov.uk --------------------------------------------------------------------


def test_legislation_item_metadata_and_paged_changes_feed(project, config, sources):
    snap = snapshot_of(project, config, "uk-nisr-2015-404")
    assert snap.title.startswith("The Social Security (Crediting and Treatment of Contributions")
    assert snap.dates == {"made": "2015-12-07", "coming_into_force": ["2015-12-28"]}
    pages = [h.args.get("page") for h in sources.hits("/changes/affected/nisr/2015/404/data.feed")]
    assert pages == [None, ["2"]]  # rel="next" on www.legislation.gov.uk, followed on our host
    assert [a["id"] for a in snap.amendments] == ["key-bbbb0002", "key-aaaa0001"]
    assert snap.counts["effects"] == 2 and snap.counts["unapplied_effects"] == 1
    assert (
        snap.status
        == "Made 2015-12-07; coming into force 2015-12-28; 2 recorded effect(s), 1 not yet applied"
    )


def test_real_atom_listing_feed_parses_with_its_next_link(config):
    response = requests.models.Response()
    response._content = fixture_bytes("legislation_gov_uk/1110-2016_data.feed_page1.REAL.atom.xml")
    response.url = "http://legislation.data.gov.uk/1110-2016/data.feed"
    feed = parse_feed(
        Fetcher(requests.Session(), config, "legislation_gov_uk", "listing"), response
    )
    assert len(feed.entries) == 20 and feed.entries[0].title == "Harbours (Scotland) Act 2015"
    assert feed.next == "http://legislation.data.gov.uk/1110-2016/data.feed?page=2"
    assert (
        rebase(feed.next, "http://127.0.0.1:9") == "http://127.0.0.1:9/1110-2016/data.feed?page=2"
    )


# --- UK Parliament Bills -------------------------------------------------------------------


def test_bill_current_stage_from_real_detail_and_stages(project, config, sources):
    snap = snapshot_of(project, config, "uk-business-rates-bill")
    assert snap.status == "Bill: 2nd reading (Commons)"
    assert snap.title == "Abolition of Business Rates Bill"
    assert snap.dates["stages"] == {"1st reading (Commons)": ["2021-01-12"]}
    assert [d["title"] for d in snap.documents] == [
        "2nd reading (Commons)",
        "1st reading (Commons)",
    ]
    dumped = json.dumps(snap.model_dump())
    assert "agent@example.com" not in dumped and "lastUpdate" not in dumped


def test_bill_stages_are_paged_by_skip_and_take(project, config, sources):
    stages = json.loads(fixture_bytes("uk_bills/Bills_2818_Stages.REAL.json"))

    def paged(request):
        from werkzeug.wrappers import Response

        skip = int(request.args.get("Skip", 0))
        body = dict(stages, items=stages["items"][skip : skip + 1], itemsPerPage=1)
        return Response(json.dumps(body), content_type="application/json")

    sources.routes["/api/v1/Bills/2818/Stages"] = paged
    snap = snapshot_of(project, config, "uk-business-rates-bill")
    assert snap.counts == {"stages": 2}
    assert [h.args["Skip"] for h in sources.hits("/api/v1/Bills/2818/Stages")] == [["0"], ["1"]]
