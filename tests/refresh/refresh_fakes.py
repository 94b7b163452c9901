"""Helpers of the refresh tests: a tiny project tree and fake official sources on localhost."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from werkzeug.wrappers import Request, Response

from briefings.refresh.config import RefreshConfig

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- project tree --------------------------------------------------------------------------

INSTRUMENTS = {
    "eu-ai-act": {"source": "cellar", "key": "32024R1689"},
    "us-carrier-tariffs": {"source": "federal_register", "key": "FMC-2022-0067"},
    "uk-nisr-2015-404": {"source": "legislation_gov_uk", "key": "nisr/2015/404"},
    "uk-business-rates-bill": {"source": "uk_bills", "key": "2818"},
    "coe-cets-225": {"source": "manual"},
}
PAPERS = {
    "paper-eu": ["eu-ai-act", "coe-cets-225"],
    "paper-uk": ["uk-business-rates-bill", "uk-nisr-2015-404"],
    "paper-us": ["us-carrier-tariffs"],
}


def write_instrument(root: Path, inst_id: str, tracking: dict) -> None:
    entry = {
        "id": inst_id,
        "title": f"Test instrument {inst_id}",
        "short_name": inst_id.upper(),
        "jurisdiction": "Test",
        "type": "regulation",
        "identifiers": {"url": f"https://example.org/{inst_id}"},
        "status": "Curated status text",
        "key_dates": [{"label": "Adopted", "date": "2024-06-13"}],
        "summary": "A test instrument.",
        "human_rights_relevance": "Test relevance.",
        "ict_company_asks": ["Test ask."],
        "as_of": "2025-01-15",
        "tracking": tracking,
    }
    path = root / "paper_sources" / "regulations" / f"{inst_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(entry, sort_keys=False), encoding="utf-8")


def write_paper(root: Path, paper_id: str, instruments: list[str]) -> None:
    # Only `instruments` is read by the refresh; the rest keeps the file recognisable.
    path = root / "paper_sources" / paper_id / "paper.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump({"id": paper_id, "title": paper_id, "instruments": instruments}),
        encoding="utf-8",
    )


# --- fake official sources -----------------------------------------------------------------

Responder = Callable[[Request], Response]


def data(
    body: bytes, status: int = 200, content_type: str = "application/json", **headers
) -> Responder:
    return lambda request: Response(body, status=status, content_type=content_type, headers=headers)


def sequence(*responders: Responder) -> Responder:
    """Answer with each responder in turn, then keep answering with the last."""
    calls = iter(responders)
    last: list[Responder] = []

    def respond(request: Request) -> Response:
        responder = next(calls, None) or last[0]
        last[:] = [responder]
        return responder(request)

    return respond


@dataclass
class Hit:
    at: float  # time.monotonic() when the server received the request
    path: str
    args: dict
    headers: dict


@dataclass
class FakeSources:
    """One catch-all handler dispatching by path; routes may be swapped between refreshes."""

    routes: dict[str, Responder] = field(default_factory=dict)
    log: list[Hit] = field(default_factory=list)

    def dispatch(self, request: Request) -> Response:
        self.log.append(
            Hit(
                time.monotonic(),
                request.path,
                request.args.to_dict(flat=False),
                dict(request.headers),
            )
        )
        if request.path in self.routes:
            return self.routes[request.path](request)
        return Response(
            '{"status":404,"message":"Record Not Found"}',
            status=404,
            content_type="application/json",
        )

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]

    def serve_defaults(self) -> None:
        self.routes.update(
            {
                "/api/v1/documents.json": data(
                    fixture_bytes("federal_register/search_page1.REAL.json")
                ),
                "/api/v1/documents": data(
                    fixture_bytes("federal_register/search_page2.CONSTRUCTED.json")
                ),
                "/webapi/rdf/sparql": cellar(
                    fixture_bytes("cellar/metadata_32024R1689.CONSTRUCTED.json"),
                    fixture_bytes("cellar/amendments_none.CONSTRUCTED.json"),
                ),
                "/nisr/2015/404/contents/data.xml": data(
                    fixture_bytes("legislation_gov_uk/nisr-2015-404_contents_data.REAL.xml"),
                    content_type="application/xml",
                ),
                "/changes/affected/nisr/2015/404/data.feed": changes_feed(),
                "/api/v1/Bills/2818": data(
                    fixture_bytes("uk_bills/Bills_2818_detail.REAL-upstream-modified.json")
                ),
                "/api/v1/Bills/2818/Stages": data(
                    fixture_bytes("uk_bills/Bills_2818_Stages.REAL.json")
                ),
            }
        )


def cellar(metadata: bytes, amendments: bytes) -> Responder:
    """The SPARQL endpoint: the amendments query (it names amends_resource_legal) or the metadata
    query."""

    def respond(request: Request) -> Response:
        body = (
            amendments
            if "resource_legal_amends_resource_legal" in request.args.get("query", "")
            else metadata
        )
        return Response(body, content_type="application/sparql-results+json")

    return respond


def changes_feed() -> Responder:
    def respond(request: Request) -> Response:
        page = request.args.get("page", "1")
        return Response(
            fixture_bytes(
                f"legislation_gov_uk/changes_affected_nisr-2015-404_page{page}.CONSTRUCTED.atom.xml"
            ),
            content_type="application/atom+xml",
        )

    return respond


def make_config(base: str, **overrides) -> RefreshConfig:
    settings = dict(
        base_urls={
            s: base for s in ("federal_register", "cellar", "legislation_gov_uk", "uk_bills")
        },
        connect_timeout=0.5,
        read_timeout=1.0,
        attempts=3,
        backoff=0.01,
        backoff_max=0.05,
        max_retry_after=5,
        max_pages=5,
        cache_dir=None,
    )
    settings.update(overrides)
    return RefreshConfig(**settings)


# The bill of the samples, moved on to Committee stage (CONSTRUCTED from the real detail and
# stages).
COMMITTEE_ROUTES = {
    "/api/v1/Bills/2818": "uk_bills/Bills_2818_detail_committee.CONSTRUCTED.json",
    "/api/v1/Bills/2818/Stages": "uk_bills/Bills_2818_Stages_committee.CONSTRUCTED.json",
}
