"""outputs/ over HTTP, read-only, with a page per paper listing its editions newest first.

`briefings serve` runs it beside the worker so that the links in the runs' artifacts open in a
browser. Only what is published is served: nothing whose path has a dot-segment (staging, the
lock, temporary files), nothing outside outputs/, no method but GET and HEAD. The pages are made
on each request from the editions' manifests and the review ledger, so they are always current
and nothing is written into outputs/.
"""

from __future__ import annotations

import datetime as dt
import html
import http.server
import json
import os
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .errors import BriefingError
from .project import Project
from .publish import latest_edition, published_editions

PUBLIC_URL_ENV = "BRIEFINGS_PUBLIC_URL"  # the site's address as browsers reach it (a proxy, a host)
DEFAULT_ADDRESS = "127.0.0.1:4201"
REVIEW_REPORT = "review/review.html"
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Cache-Control": "no-cache",
}


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


@dataclass(frozen=True)
class EditionRow:
    """One line of a paper's page."""

    edition_id: str
    built_at: str
    final: bool
    files: dict[str, str]  # format -> file name
    open_items: int | None  # review items raised on this edition still open; None: unknown
    latest: bool


def edition_rows(project: Project, paper_id: str) -> list[EditionRow]:
    """The paper's published editions, newest first."""
    open_by_edition = _open_items_by_edition(project, paper_id)
    latest = latest_edition(project, paper_id)
    rows = []
    for edition_id in reversed(published_editions(project, paper_id)):
        folder = project.outputs / paper_id / edition_id
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not a readable edition: not listed
        outputs = manifest.get("outputs") or {}
        files = {spec.get("format", ""): name for name, spec in sorted(outputs.items())}
        rows.append(
            EditionRow(
                edition_id,
                str(manifest.get("built_at", "")),
                bool(manifest.get("final")),
                files,
                None if open_by_edition is None else open_by_edition.get(edition_id, 0),
                latest is not None and latest.name == edition_id,
            )
        )
    return rows


def _open_items_by_edition(project: Project, paper_id: str) -> dict[str, int] | None:
    from .review import list_items

    try:
        items = list_items(project, paper_id)
    except BriefingError:
        return None
    counts: dict[str, int] = {}
    for item in items:
        if item.status == "open":
            counts[item.edition] = counts.get(item.edition, 0) + 1
    return counts


def _page(title: str, body: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{html.escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    ).encode()


_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1rem;line-height:1.4}"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem;"
    "border-bottom:1px solid #ccc;vertical-align:top}td a{margin-right:.6rem}"
    ".scroll{overflow-x:auto}"
)


def home_page(project: Project) -> bytes:
    papers = [p for p in project.paper_ids() if (project.outputs / p).is_dir()]
    items = "".join(f'<li><a href="{quote(p)}/">{html.escape(p)}</a></li>\n' for p in papers)
    body = f"<ul>\n{items}</ul>" if items else "<p>No edition has been published yet.</p>"
    return _page("Briefing editions", body)


def paper_page(project: Project, paper_id: str) -> bytes:
    rows = edition_rows(project, paper_id)
    lines = []
    for row in rows:
        links = " ".join(
            f'<a href="{quote(row.edition_id)}/{quote(name)}">{html.escape(fmt.upper())}</a>'
            for fmt, name in row.files.items()
        )
        kind = "final" if row.final else "draft"
        if row.latest:
            kind += " (latest)"
        items = "unknown" if row.open_items is None else str(row.open_items)
        lines.append(
            f"<tr><td>{html.escape(_when(row.built_at))}</td><td>{kind}</td><td>{links}</td>"
            f"<td>{items}</td><td><code>{html.escape(row.edition_id)}</code></td></tr>"
        )
    report = project.outputs / paper_id / REVIEW_REPORT
    review = (
        f'<p><a href="{REVIEW_REPORT}">Review report</a> (every review item and its decision)</p>'
        if report.is_file()
        else "<p>No review report yet.</p>"
    )
    table = (
        '<div class="scroll"><table>\n<thead><tr><th scope="col">Built</th>'
        '<th scope="col">Kind</th><th scope="col">Formats</th>'
        '<th scope="col">Open review items</th><th scope="col">Edition</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(lines)}\n</tbody></table></div>"
        if lines
        else "<p>No edition has been published yet.</p>"
    )
    return _page(f"{paper_id}: editions", f'{review}\n{table}\n<p><a href="../">All papers</a></p>')


def _when(built_at: str) -> str:
    """A manifest's build time as editors read it: 2026-11-30 00:38 UTC."""
    try:
        moment = dt.datetime.fromisoformat(built_at.replace("Z", "+00:00"))
    except ValueError:
        return built_at
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


class _Handler(http.server.SimpleHTTPRequestHandler):
    """GET and HEAD of published files, the home page and each paper's page."""

    project: Project

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def _answer(self, head: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        parts = [p for p in path.split("/") if p]
        if any(p.startswith(".") or "\\" in p for p in parts):
            self.send_error(404)
            return
        if not parts:
            self._send_page(home_page(self.project), head)
        elif len(parts) == 1 and parts[0] in self.project.paper_ids():
            if not path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", f"/{quote(parts[0])}/")
                self.end_headers()
                return
            self._send_page(paper_page(self.project, parts[0]), head)
        elif self._published_file(parts):
            super().do_HEAD() if head else super().do_GET()
        else:
            self.send_error(404)

    def _published_file(self, parts: list[str]) -> bool:
        """A file of a paper's outputs (an edition, LATEST, the review report), not elsewhere."""
        if len(parts) < 2 or parts[0] not in self.project.paper_ids():
            return False
        root = (self.project.outputs / parts[0]).resolve()
        target = (root / Path(*parts[1:])).resolve()
        return target.is_file() and target.is_relative_to(root)

    def _send_page(self, body: bytes, head: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in _PAGE_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass  # requests are not news on the terminal of `briefings serve`


class EditionsSite:
    """The editions site, served from a background thread until `stop()`."""

    def __init__(self, project: Project, address: str = DEFAULT_ADDRESS):
        host, port = parse_address(address)
        handler = type("Handler", (_Handler,), {"project": project})
        try:
            self.server = http.server.ThreadingHTTPServer(
                (host, port), partial(handler, directory=str(project.outputs))
            )
        except OSError as exc:
            raise BriefingError(
                f"editions site: cannot listen on {address}: {exc.strerror}"
            ) from None
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
