"""Helpers for hostile-input tests: build through the real CLI, count requests to a local server."""

from __future__ import annotations

import http.server
import threading
from contextlib import contextmanager

from briefings.cli import main
from tests.helpers import tree_snapshot

PAPER = "2023-tech-regulation"


def prose_path(project, section: str = "introduction"):
    return project.paper_dir(PAPER) / "sections" / f"{section}.md"


def append_prose(project, text: str, section: str = "introduction") -> int:
    """Append `text` to a prose section; return the line the text starts on."""
    path = prose_path(project, section)
    before = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    path.write_text(before + text, encoding="utf-8")
    return before.count("\n") + 1


def build_fails(project, capsys, *args: str) -> list[str]:
    """Build through the CLI; assert it failed with one-line errors and published nothing."""
    before = tree_snapshot(project.outputs)
    code = main(["--root", str(project.root), "build", PAPER, *args])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert errors, err
    assert tree_snapshot(project.outputs) == before
    return errors


def build_succeeds(project, capsys, *args: str) -> str:
    code = main(["--root", str(project.root), "build", PAPER, *args])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


@contextmanager
def counting_server():
    """A local HTTP server on a free port; yields (base URL, list of requested paths)."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG\r\n\x1a\n")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
