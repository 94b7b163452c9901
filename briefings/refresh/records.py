"""Typed records of the sources' answers. A missing or renamed field fails here, by name."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal, TypeVar

import requests
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .http import Fetcher

R = TypeVar("R", bound=BaseModel)


class Record(BaseModel):
    # Sources add fields freely; only the ones read here are required.
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


# --- Federal Register ----------------------------------------------------------------------


class FRDocument(Record):
    document_number: str
    title: str
    type: str  # display string: "Rule", "Proposed Rule", "Notice", "Presidential Document"
    publication_date: dt.date
    html_url: str
    effective_on: dt.date | None = None
    action: str | None = None
    docket_ids: list[str] = []
    regulation_id_numbers: list[str] = []


class FRSearchPage(Record):
    count: int
    description: str
    total_pages: int | None = None
    next_page_url: str | None = None
    results: list[FRDocument] = []  # an empty search has no `results` key at all


# --- Cellar SPARQL -------------------------------------------------------------------------


class SparqlTerm(Record):
    type: Literal["uri", "literal", "typed-literal", "bnode"]  # Virtuoso says "typed-literal"
    value: str
    datatype: str | None = None
    lang: str | None = Field(None, alias="xml:lang")


class SparqlHead(Record):
    vars: list[str]
    link: list[str] = []


class SparqlBody(Record):
    bindings: list[dict[str, SparqlTerm]]


class SparqlResults(Record):
    head: SparqlHead
    results: SparqlBody


# --- UK Parliament Bills -------------------------------------------------------------------


class StageSitting(Record):
    date: dt.datetime | None = None


class BillStage(Record):
    id: int
    stageId: int
    description: str
    abbreviation: str | None = None
    house: str
    sortOrder: int
    stageSittings: list[StageSitting] = []


class Bill(Record):
    billId: int
    shortTitle: str
    currentHouse: str
    originatingHouse: str
    billWithdrawn: dt.datetime | None
    isDefeated: bool
    isAct: bool
    currentStage: BillStage | None
    longTitle: str | None = None


class StageList(Record):
    items: list[BillStage]
    totalResults: int
    itemsPerPage: int


# --- decoding ------------------------------------------------------------------------------


def decode_json(fetcher: Fetcher, response: requests.Response) -> Any:
    """The JSON body; a truncated or malformed body is a FetchError naming source and instrument."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise fetcher.fail(
            f"malformed JSON from {_path(response.url)} ({exc.__class__.__name__}: {exc})",
            response.url,
        ) from None


def validate(fetcher: Fetcher, cls: type[R], data: Any, url: str) -> R:
    """`data` as a `cls` record; the first missing or mistyped field is named in the error."""
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "(body)"
        what = (
            "missing field"
            if err["type"] == "missing"
            else f"unexpected value in field ({err['msg']})"
        )
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise fetcher.fail(
            f"{what} '{where}'{more} in {cls.__name__} from {_path(url)}", url, where
        ) from None


def _path(url: str) -> str:
    return url.split("?", 1)[0]
