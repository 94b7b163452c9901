"""`briefings preview PAPER`: rebuild a preview on every save and reload the browser.

A long-lived process watches the paper's sources, the shared registry and the templates
(watchfiles); on a change it rebuilds the HTML draft — through the same stages and the same
confidentiality gate as a build, but never published: the preview lives in
`.cache/preview/<paper>/`, outside outputs/ — serves it on localhost with a small reload
script, then renders the PDF beside it. A source error is shown in the page (file:line) and
the preview keeps watching.
"""

from __future__ import annotations

import html
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .clock import now
from .errors import BriefingError
from .project import Project

PREVIEW_EDITION = "preview-draft"
RELOAD_PATH = "/__preview/reload.js"
VERSION_PATH = "/__preview/version"
# Polls the build number; reloads on a new one and keeps the reader's scroll position.
RELOAD_JS = b"""(function () {
  var key = "briefings-preview-scroll", seen = null;
  var y = sessionStorage.getItem(key);
  if (y !== null) { window.scrollTo(0, +y); sessionStorage.removeItem(key); }
  function poll() {
    fetch("/__preview/version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) {
        if (seen !== null && v !== seen) {
          sessionStorage.setItem(key, String(window.scrollY)); location.reload(); return;
        }
        seen = v; setTimeout(poll, 300);
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
# The preview page may load exactly its reload script and ask for the build number.
PREVIEW_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "script-src 'self'; connect-src 'self'"
)
_CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', re.I)


@dataclass
class PreviewState:
    """What the server shows: the latest preview (or the errors of the latest attempt)."""

    version: int = 0
    page: bytes = b""
    pdf: Path | None = None
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Preview:
    def __init__(self, project: Project, paper_id: str, pdf: bool = True):
        self.project, self.paper_id, self.want_pdf = project, paper_id, pdf
        self.folder = project.root / ".cache" / "preview" / paper_id
        self.state = PreviewState()
        self._pdf_thread: threading.Thread | None = None

    def rebuild(self) -> PreviewState:
        """Build the HTML preview now (the PDF follows in the background)."""
        from .pipeline import BuildRequest, gather, make_edition, open_review_items

        started = time.perf_counter()
        try:
            sources = gather(self.project, self.paper_id)
            review = open_review_items(self.project, self.paper_id)
            request = BuildRequest(self.paper_id, ("html",))
            out = self.folder / "html"
            _, files = make_edition(sources, request, PREVIEW_EDITION, now(), out, review)
            page, errors = with_reload(files["html"].read_text(encoding="utf-8")), []
        except BriefingError as exc:
            page, errors = error_page(self.paper_id, exc.lines()), exc.lines()
        with self.state.lock:
            self.state.page = page.encode("utf-8")
            self.state.errors = errors
            self.state.seconds = time.perf_counter() - started
            self.state.version += 1
        if self.want_pdf and not errors:
            self._pdf_later()
        return self.state

    def _pdf_later(self) -> None:
        """The PDF, after the HTML is served; a newer save starts a newer one."""
        from .pipeline import BuildRequest, gather, make_edition, open_review_items

        version = self.state.version

        def work() -> None:
            try:
                sources = gather(self.project, self.paper_id)
                review = open_review_items(self.project, self.paper_id)
                request = BuildRequest(self.paper_id, ("pdf",))
                out = self.folder / f"pdf-{version}"
                _, files = make_edition(sources, request, PREVIEW_EDITION, now(), out, review)
            except BriefingError:
                return  # the HTML page already says what is wrong
            with self.state.lock:
                if self.state.version == version:
                    self.state.pdf = files["pdf"]

        self._pdf_thread = threading.Thread(target=work, name="preview-pdf", daemon=True)
        self._pdf_thread.start()

    def watched(self) -> list[Path]:
        return [self.project.sources, self.project.templates]


def with_reload(page: str) -> str:
    """The preview page: its CSP allows the reload script, which it then loads."""
    page = _CSP_META.sub("", page)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{PREVIEW_CSP}">\n'
    script = f'<script src="{RELOAD_PATH}" defer></script>\n'
    charset = re.search(r"<meta charset=[^>]*>\n?", page)
    if charset is None:
        return meta + script + page
    return page[: charset.end()] + meta + script + page[charset.end() :]


def error_page(paper_id: str, lines: list[str]) -> str:
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return with_reload(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(paper_id)}: preview stopped</title></head>\n"
        f"<body><main><h1>The preview of {html.escape(paper_id)} could not be built</h1>\n"
        f"<p>Fix these and save; the page reloads by itself.</p>\n<ul>\n{items}\n</ul>"
        f"</main></body></html>\n"
    )


def make_handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    state = preview.state

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?", 1)[0]
            with state.lock:
                if path == "/":
                    self._send(200, "text/html; charset=utf-8", state.page)
                elif path == VERSION_PATH:
                    self._send(200, "text/plain", str(state.version).encode())
                elif path == RELOAD_PATH:
                    self._send(200, "text/javascript", RELOAD_JS)
                elif path == f"/{preview.paper_id}.pdf" and state.pdf and state.pdf.is_file():
                    self._send(200, "application/pdf", state.pdf.read_bytes())
                else:
                    self._send(404, "text/plain", b"not found\n")

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # requests are not news
            pass

    return Handler


def serve_preview(
    project: Project,
    paper_id: str,
    port: int,
    pdf: bool,
    say,
    stop: threading.Event | None = None,
) -> None:
    """Build, serve and rebuild on every change until interrupted (or `stop` is set)."""
    import watchfiles

    if paper_id not in project.paper_ids():
        raise BriefingError(f"no such paper {paper_id!r} (see `briefings list`)")
    preview = Preview(project, paper_id, pdf)
    state = preview.rebuild()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(preview))
    threading.Thread(target=server.serve_forever, name="preview-http", daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    say(f"preview of {paper_id} at {address} (PDF: {address}{paper_id}.pdf); Ctrl-C stops it")
    _report(say, paper_id, state)
    stop = stop or threading.Event()
    try:
        for _changes in watchfiles.watch(
            *preview.watched(), debounce=200, step=30, stop_event=stop, raise_interrupt=False
        ):
            _report(say, paper_id, preview.rebuild())
    finally:
        server.shutdown()


def _report(say, paper_id: str, state: PreviewState) -> None:
    if state.errors:
        for line in state.errors:
            say(f"error: {line}")
    else:
        say(f"{paper_id}: preview {state.version} built in {state.seconds:.2f} s")
