"""Atom feeds and XML bodies, parsed safely (defusedxml) into elements with their next-page link."""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

import requests
from defusedxml import ElementTree as SafeET

from ..http import Fetcher

ATOM = "http://www.w3.org/2005/Atom"
NS = {
    "atom": ATOM,
    "ukm": "http://www.legislation.gov.uk/namespaces/metadata",
    "leg": "http://www.legislation.gov.uk/namespaces/legislation",
    "dc": "http://purl.org/dc/elements/1.1/",
    "openSearch": "http://a9.com/-/spec/opensearch/1.1/",
}


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    updated: str | None
    element: Element


@dataclass(frozen=True)
class AtomFeed:
    entries: list[AtomEntry]
    next: (
        str | None
    )  # href of <link rel="next">, as the source wrote it (absolute, production host)


def parse_xml(fetcher: Fetcher, response: requests.Response) -> Element:
    """The root element; a truncated or malformed body is a FetchError naming source, instrument."""
    try:
        return SafeET.fromstring(response.content)
    except ParseError as exc:
        raise fetcher.fail(
            f"malformed XML from {response.url.split('?')[0]} ({exc})", response.url
        ) from None


def next_link(root: Element) -> str | None:
    for link in root.findall("atom:link", NS):
        if link.get("rel") == "next" and link.get("href"):
            return link.get("href")
    return None


def parse_feed(fetcher: Fetcher, response: requests.Response) -> AtomFeed:
    root = parse_xml(fetcher, response)
    url = response.url
    if root.tag != f"{{{ATOM}}}feed":
        raise fetcher.fail(f"expected an Atom <feed>, got <{root.tag}>", url, "feed")
    entries = []
    for i, element in enumerate(root.findall("atom:entry", NS)):
        entry_id = element.findtext("atom:id", None, NS)
        title = element.findtext("atom:title", None, NS)
        if entry_id is None or title is None:
            missing = "id" if entry_id is None else "title"
            raise fetcher.fail(
                f"missing field 'entry[{i}].{missing}' in Atom feed from {url.split('?')[0]}",
                url,
                f"entry.{missing}",
            )
        entries.append(
            AtomEntry(
                entry_id.strip(), title.strip(), element.findtext("atom:updated", None, NS), element
            )
        )
    return AtomFeed(entries, next_link(root))
