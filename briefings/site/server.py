"""Serving outputs/ read-only: only what is published, nothing outside a paper's folder.

Nothing whose path has a dot-segment (staging, the lock, temporary files) is served, nothing
outside outputs/<paper>/, and no method but GET and HEAD.
"""

from __future__ import annotations

import http.server
import socket
import threading
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..errors import BriefingError
from ..project import Project
from . import DEFAULT_ADDRESS, parse_address
from .pages import home_page, paper_page

_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Cache-Control": "no-cache",
}


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
                # Relative, so that it also works behind a proxy under a path prefix.
                self.send_header("Location", f"{quote(parts[0])}/")
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
        bound = str(self.server.server_address[0])
        if bound in ("0.0.0.0", "::"):  # every interface: name the machine, not the wildcard
            bound = socket.getfqdn()
        if ":" in bound:
            bound = f"[{bound}]"
        self.url = f"http://{bound}:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
