"""US Federal Register API v1: new documents tied to a tracked docket, RIN or search terms."""

from __future__ import annotations

import re

from ...sources.models import RegulationEntry
from ..http import Fetcher
from ..records import FRDocument, FRSearchPage, decode_json, validate
from ..snapshot import Snapshot

RIN = re.compile(r"^\d{4}-[A-Z]{2}\d{2}$")
FIELDS = (
    "document_number",
    "title",
    "type",
    "publication_date",
    "effective_on",
    "html_url",
    "action",
    "docket_ids",
    "regulation_id_numbers",
)
KEEP = 10  # latest related documents kept in the snapshot
PER_PAGE = 100


def search_params(entry: RegulationEntry) -> list[tuple[str, str]]:
    """Query of the search: by RIN or docket (tracking.key, else identifiers), else by terms."""
    key = entry.tracking.key or entry.identifiers.rin or entry.identifiers.docket
    params: list[tuple[str, str]] = []
    if key and RIN.match(key):
        params.append(("conditions[regulation_id_number]", key))
    elif key:
        params.append(("conditions[docket_id]", key))
    if entry.tracking.terms:
        params.append(("conditions[term]", entry.tracking.terms))
    if not params:
        raise ValueError(
            f"{entry.id}: federal_register tracking needs a key (docket or RIN) or terms"
        )
    params += [("fields[]", f) for f in FIELDS]
    params += [("order", "newest"), ("per_page", str(PER_PAGE))]
    return params


def fetch(fetcher: Fetcher, entry: RegulationEntry) -> Snapshot:
    base = fetcher.config.base("federal_register")
    url = f"{base}/api/v1/documents.json"
    documents: list[FRDocument] = []
    count = 0
    pages = fetcher.pages(url, search_params(entry), lambda r: _next(fetcher, r), base)
    for response in pages:
        page = validate(fetcher, FRSearchPage, decode_json(fetcher, response), response.url)
        count = page.count
        documents.extend(page.results)
    return _snapshot(entry, documents, count)


def _next(fetcher: Fetcher, response) -> str | None:
    # Parsed twice per page (here and in fetch) to keep paging generic; pages are small.
    data = decode_json(fetcher, response)
    return data.get("next_page_url") if isinstance(data, dict) else None


def _snapshot(entry: RegulationEntry, documents: list[FRDocument], count: int) -> Snapshot:
    unique = {d.document_number: d for d in documents}
    latest = sorted(
        unique.values(), key=lambda d: (d.publication_date, d.document_number), reverse=True
    )
    rules = [d for d in latest if d.type == "Rule"]
    effective = sorted({d.effective_on.isoformat() for d in latest if d.effective_on})
    if latest:
        top = latest[0]
        status = (
            f"Latest: {top.type} {top.document_number}, "
            f"published {top.publication_date.isoformat()}"
        )
        if top.effective_on:
            status += f", effective {top.effective_on.isoformat()}"
    else:
        status = "No Federal Register documents found"
    dates = {
        "latest_publication": latest[0].publication_date.isoformat() if latest else None,
        "effective_on": effective,
    }
    if rules:
        dates["latest_rule"] = rules[0].publication_date.isoformat()
    key = entry.tracking.key or entry.tracking.terms or ""
    return Snapshot(
        instrument=entry.id,
        source="federal_register",
        source_url=latest[0].html_url
        if latest
        else "https://www.federalregister.gov/documents/search",
        title=entry.title,
        status=status,
        dates=dates,
        identifiers={"query": key},
        documents=[_doc(d) for d in latest[:KEEP]],
        counts={"documents": count},
    )


def _doc(d: FRDocument) -> dict:
    return {
        "id": d.document_number,
        "type": d.type,
        "title": d.title,
        "date": d.publication_date.isoformat(),
        "effective_on": d.effective_on.isoformat() if d.effective_on else None,
        "url": d.html_url,
    }
