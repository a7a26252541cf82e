"""A loopback HTTP server that answers each path with exactly the status, headers and bytes it is given.

Unlike ``LocalSite`` (types by file extension), it sends any ``Content-Type`` or none at all, and even a
``Content-Length`` longer than the body (the connection then closes early: a truncated transfer).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self


@dataclass(frozen=True)
class Page:
    """One answer: ``headers`` are sent as given (``Content-Length`` defaults to the body's length)."""

    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.requested_paths.append(self.path)
        page = self.server.pages.get(self.path, Page(b"not found", {"Content-Type": "text/plain"}, 404))
        self.send_response(page.status)
        for name, value in {"Content-Length": str(len(page.body)), **page.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read what was requested from ``requested_paths``."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, pages: dict[str, Page]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.pages = pages
        self.requested_paths: list[str] = []

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up on a lying ``Content-Length`` is expected."""


class PageServer:
    """Serve ``pages`` (path → ``Page``) on a free loopback port; use as a context manager."""

    def __init__(self, pages: dict[str, Page] | None = None) -> None:
        self._server = _Server(pages or {})
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def pages(self) -> dict[str, Page]:
        """The pages served, by path (query included); may be changed while the server runs."""
        return self._server.pages

    @property
    def requested_paths(self) -> list[str]:
        """Every path requested, in order."""
        return self._server.requested_paths

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
