"""A misbehaving HTTP server on 127.0.0.1 for the hostile-transport tests: each path is one behaviour.

Every request is recorded (path and arrival time, ``time.monotonic()``) so a test can check what the
crawler sent and how fast. Paths:

``/robots.txt``              ``robots`` (attribute; empty: allow all)
``/bomb/gzip``, ``/bomb/br``   a small body that inflates to ``BOMB_SIZE`` bytes of zeros
``/trickle``                 a 200 with a ``Content-Length`` of 10 kB, then one byte every ``TRICKLE_GAP`` s
``/hang``                    headers, then nothing
``/endless``                 a 200 without length whose body never ends
``/reset``                   half a body, then a TCP reset
``/redirect/loop``           a 302 to itself
``/redirect/chain/<n>``      a 302 to ``/redirect/chain/<n-1>``; ``/redirect/chain/0`` is a page
``/status/<code>``           that status, always
``/throttle/<code>/<after>`` first request: ``<code>`` with ``Retry-After: <after>`` (``date<n>``: an
                             HTTP-date n seconds ahead); afterwards a page
``/blocked/<kind>/…``        a home page linking to ``pages`` pages, served until ``block_after`` pages
                             were served, then 403 (kind ``403``) or a Cloudflare-style 503 challenge
                             (kind ``challenge``)
``/site/…``                  a home page linking to ``pages`` pages, each answered after ``latency`` s
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Self

import brotli

if TYPE_CHECKING:
    from collections.abc import Sequence

BOMB_SIZE = 256 * 1024 * 1024
TRICKLE_GAP = 0.5
CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b'<div id="challenge-running">Checking your browser before accessing the site.</div>'
    b'<script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>'
)


def _gzip_bomb(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = bytes(1024 * 1024)
    return b"".join(compressor.compress(chunk) for _ in range(size // len(chunk))) + compressor.flush()


def _brotli_bomb(size: int) -> bytes:
    compressor = brotli.Compressor(quality=5)
    chunk = bytes(1024 * 1024)
    return b"".join(compressor.process(chunk) for _ in range(size // len(chunk))) + compressor.finish()


_BOMBS: dict[str, bytes] = {}


def bomb(encoding: str) -> bytes:
    """The compressed bomb body for ``gzip`` or ``br`` (built once per test session)."""
    if encoding not in _BOMBS:
        _BOMBS[encoding] = (_gzip_bomb if encoding == "gzip" else _brotli_bomb)(BOMB_SIZE)
    return _BOMBS[encoding]


def page(title: str, links: Sequence[str] = ()) -> bytes:
    """A small HTML page with the given links."""
    anchors = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
    return (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><ul>{anchors}</ul></body></html>"
    ).encode()


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it."""

    path: str
    at: float  # time.monotonic() when the request line arrived


class _Handler(BaseHTTPRequestHandler):
    server: TransportServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read ``server.seen`` instead."""

    def do_GET(self) -> None:
        self.server.record(self.path)
        with self.server.in_flight() as self.answering:
            self._answer(self.path.split("?")[0])

    def _send(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("content_type", "text/html; charset=utf-8"))
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        # Answered once the body starts: the client may send its next request as soon as the body ends,
        # before this thread would leave the with block.
        self.answering.leave()
        self.wfile.write(body)

    def _answer(self, path: str) -> None:
        parts = path.strip("/").split("/")
        head = parts[0]
        if path == "/robots.txt":
            self._send(200, self.server.robots.encode(), content_type="text/plain")
        elif head == "bomb":
            self._send(200, bomb(parts[1]), Content_Encoding=parts[1])
        elif head == "trickle":
            self._trickle()
        elif head == "hang":
            self._headers_only()
            time.sleep(self.server.hang_for)
        elif head == "endless":
            self._endless()
        elif head == "reset":
            self._reset()
        elif head == "redirect":
            self._redirect(parts)
        elif head == "status":
            self._send(int(parts[1]), page(f"Status {parts[1]}"))
        elif head == "throttle":
            self._throttle(path, int(parts[1]), parts[2])
        elif head in {"blocked", "site"}:
            self._site(parts)
        else:
            self._send(404, page("Not found"))

    def _headers_only(self, length: int | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.flush()

    def _trickle(self) -> None:
        self._headers_only(10_000)
        try:
            for _ in range(10_000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(TRICKLE_GAP)
        except OSError:  # the client gave up
            return

    def _endless(self) -> None:
        self._headers_only()
        chunk = b"<p>" + b"never ending " * 5000 + b"</p>"
        try:
            while not self.server.stopping.is_set():
                self.wfile.write(chunk)
        except OSError:  # the client gave up
            return

    def _reset(self) -> None:
        self._headers_only(10_000)
        self.wfile.write(b"<html><body>" + b"x" * 4000)
        self.wfile.flush()
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _redirect(self, parts: list[str]) -> None:
        if parts[1] == "loop":
            self._send(302, b"", Location="/redirect/loop")
        elif int(parts[2]) > 0:
            self._send(302, b"", Location=f"/redirect/chain/{int(parts[2]) - 1}")
        else:
            self._send(200, page("End of the chain"))

    def _throttle(self, path: str, status: int, after: str) -> None:
        if sum(seen.path == path for seen in self.server.seen) > 1:
            self._send(200, page("Served after waiting"))
            return
        value = formatdate(time.time() + int(after[4:]), usegmt=True) if after.startswith("date") else after
        self._send(status, page("Slow down"), Retry_After=value)

    def _site(self, parts: list[str]) -> None:
        prefix = "/".join(parts[:2]) if parts[0] == "blocked" else parts[0]
        if parts[0] == "blocked" and self.server.count_page() > self.server.block_after:
            if parts[1] == "challenge":
                self._send(503, CHALLENGE)
            else:
                self._send(403, page("Forbidden"))
            return
        time.sleep(self.server.latency)
        if "page" in parts:
            self._send(200, page(f"Page {parts[-1]}"))
        else:
            self._send(200, page("Home", [f"/{prefix}/page/{n}" for n in range(self.server.pages)]))


class TransportServer(ThreadingHTTPServer):
    """The misbehaving server; ``start()`` serves it in a thread, ``stop()`` ends it."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[Seen] = []
        self.robots = ""
        self.block_after = 3
        self.pages = 30
        self.latency = 0.0
        self.hang_for = 30.0
        self.max_in_flight = 0
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._in_flight = 0
        self._served_pages = 0
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> TransportServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.stopping.set()
        self.shutdown()
        self.server_close()

    def record(self, path: str) -> None:
        """Remember a request."""
        with self._lock:
            self.seen.append(Seen(path, time.monotonic()))

    def count_page(self) -> int:
        """Count one page request of a blocking site; return the count so far."""
        with self._lock:
            self._served_pages += 1
            return self._served_pages

    def in_flight(self) -> _InFlight:
        """A context that tracks how many requests are being answered at once."""
        return _InFlight(self)

    def paths(self, prefix: str = "/") -> list[Seen]:
        """The requests whose path starts with ``prefix``, in arrival order."""
        with self._lock:
            return [seen for seen in self.seen if seen.path.startswith(prefix)]


class _InFlight:
    """One request being answered, from its arrival until its body starts (or the handler ends)."""

    def __init__(self, server: TransportServer) -> None:
        self.server = server
        self.left = False

    def __enter__(self) -> Self:
        with self.server._lock:
            self.server._in_flight += 1
            self.server.max_in_flight = max(self.server.max_in_flight, self.server._in_flight)
        return self

    def leave(self) -> None:
        """The request no longer counts as in flight."""
        with self.server._lock:
            if not self.left:
                self.left = True
                self.server._in_flight -= 1

    def __exit__(self, *exc: object) -> None:
        self.leave()
