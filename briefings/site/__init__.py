"""The editions site: outputs/ over HTTP, read-only, with a page per paper listing its editions.

`briefings serve` runs it beside the worker so that the links in the runs' artifacts open in a
browser (`server.py`); the pages are made on each request from the editions' manifests and the
review ledger (`pages.py`). This module holds what the flows need to link there, and stays
cheap to import.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from ..errors import BriefingError

PUBLIC_URL_ENV = "BRIEFINGS_PUBLIC_URL"  # the site's address as browsers reach it (a proxy, a host)
DEFAULT_ADDRESS = "127.0.0.1:4201"


def public_url() -> str | None:
    """The base URL of the editions site that links should use, when one is configured."""
    url = os.environ.get(PUBLIC_URL_ENV, "").strip()
    return url.rstrip("/") or None


def paper_url(base: str, paper_id: str) -> str:
    return f"{base}/{quote(paper_id)}/"


def file_url(base: str, paper_id: str, edition_id: str, name: str) -> str:
    return f"{base}/{quote(paper_id)}/{quote(edition_id)}/{quote(name)}"


def parse_address(address: str) -> tuple[str, int]:
    """HOST:PORT (port 0: any free port); a bad address is a one-line error."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise BriefingError(
            f"editions address {address!r}: expected HOST:PORT, e.g. {DEFAULT_ADDRESS}"
        )
    return host.strip("[]"), int(port)
