"""A raw HTTP server on loopback whose answers are scripted byte by byte and second by second.

For what a well-behaved server library will not do: trickle headers, lie about the length,
stream without end. Each connection runs in its own thread; `sent` counts the body bytes that
went out, `paths` the requests that came in.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

Script = Callable[[socket.socket], None]


class RawServer:
    def __init__(self) -> None:
        self.scripts: dict[str, Script] = {}
        self.paths: list[str] = []
        self.sent = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self._stop = threading.Event()
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            path = head.split(b" ", 2)[1].decode().split("?", 1)[0]
            self.paths.append(path)
            script = self.scripts.get(path, not_found)
            try:
                script(conn)
            except OSError:  # the client hung up (or was cut off): stop sending
                pass

    def close(self) -> None:
        self._stop.set()
        self._sock.close()

    # --- scripts -------------------------------------------------------------------------------

    def body(self, conn: socket.socket, data: bytes) -> None:
        conn.sendall(data)
        self.sent += len(data)

    def trickle_body(self, length: int = 1000) -> Script:
        """Headers at once, then one body byte a second."""

        def script(conn: socket.socket) -> None:
            conn.sendall(head(200, {"Content-Length": str(length)}))
            for _ in range(length):
                self.body(conn, b"x")
                time.sleep(1)

        return script

    def trickle_headers(self) -> Script:
        """A status line, then one header byte a second, never finishing the headers."""

        def script(conn: socket.socket) -> None:
            conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for byte in b"X-Slow: " + b"x" * 1000:
                conn.sendall(bytes([byte]))
                time.sleep(1)

        return script

    def endless(self, declared: int | None = None) -> Script:
        """Body bytes as fast as the client takes them, with or without a declared length."""

        def script(conn: socket.socket) -> None:
            headers = {"Content-Length": str(declared)} if declared else {"Connection": "close"}
            conn.sendall(head(200, headers))
            block = b"x" * 65536
            while not self._stop.is_set():
                self.body(conn, block)

        return script

    def truncated(self, length: int = 1000) -> Script:
        """Declares `length` bytes, sends half of them, hangs up."""

        def script(conn: socket.socket) -> None:
            conn.sendall(head(200, {"Content-Length": str(length)}))
            self.body(conn, b"{" + b" " * (length // 2))

        return script

    def answer(self, status: int, data: bytes = b"", **headers: str) -> Script:
        def script(conn: socket.socket) -> None:
            fields = {"Content-Length": str(len(data)), **headers}
            conn.sendall(head(status, fields))
            self.body(conn, data)

        return script


def head(status: int, headers: dict[str, str]) -> bytes:
    lines = [f"HTTP/1.1 {status} X", "Content-Type: application/json"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def not_found(conn: socket.socket) -> None:
    conn.sendall(head(404, {"Content-Length": "0"}))
