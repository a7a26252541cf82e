"""A static news site served on 127.0.0.1, for the bundled demo and the tests.

Files are served from a folder. ``/a/`` serves ``a/index.html``; ``/a/b`` serves ``a/b`` or
``a/b.html`` or ``a/b/index.html``. A ``_server.json`` file in the folder may list redirects
(``{"redirects": {"/old": "/new"}}``). In text files the placeholder origin
``https://demo.newscrawl.invalid`` is replaced by the server's own origin, so sitemaps, feeds and
canonical links can hold absolute URLs while the server runs on a random free port. Files are
served with ``ETag`` and ``Last-Modified``, and conditional requests get ``304 Not Modified``; with
``validators=False`` they are served without either, as many CMS pages behind a CDN are.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import sys
import threading
import time
from collections.abc import Callable
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

PLACEHOLDER_ORIGIN = "https://demo.newscrawl.invalid"
TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml", "application/json")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".txt": "text/plain; charset=utf-8",
}


Delay = float | Callable[[str], float]
"""Seconds to hold a response back: one for every request, or a function of the request path."""


class _SiteHandler(BaseHTTPRequestHandler):
    server: _SiteServer

    def do_GET(self) -> None:
        self.server.requests.append((time.monotonic(), self.path))
        delay = self.server.delay(self.path) if callable(self.server.delay) else self.server.delay
        if delay:
            time.sleep(delay)
        path = urlsplit(self.path).path
        target = self.server.redirects.get(path)
        if target is not None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = self.server.resolve(path)
        if file is None:
            body = b"<html><body><h1>Not found</h1></body></html>"
            self.send_response(HTTPStatus.NOT_FOUND)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body, content_type = self.server.render(file)
            etag = '"' + hashlib.sha1(body).hexdigest() + '"'
            modified = formatdate(file.stat().st_mtime, usegmt=True)
            validators = self.server.validators
            if validators and (
                self.headers.get("If-None-Match") == etag
                or (
                    not self.headers.get("If-None-Match")
                    and self.headers.get("If-Modified-Since") == modified
                )
            ):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            if validators:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", modified)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("local site: %s", format % args)


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a crawl opens dozens of connections at once; 5 would refuse some

    def __init__(self, root: Path, host: str, port: int, delay: Delay, validators: bool) -> None:
        super().__init__((host, port), _SiteHandler)
        self.root = root.resolve()
        self.delay = delay
        self.validators = validators
        self.requests: list[tuple[float, str]] = []
        config_file = self.root / "_server.json"
        config = json.loads(config_file.read_text("utf-8")) if config_file.exists() else {}
        self.redirects: dict[str, str] = config.get("redirects", {})

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer (a killed crawl) is not an error of the site."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def origin(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    def resolve(self, url_path: str) -> Path | None:
        relative = unquote(url_path).lstrip("/")
        candidates = [relative + "index.html"] if relative.endswith("/") or not relative else []
        candidates += [relative, relative + ".html", relative + "/index.html"]
        for candidate in candidates:
            file = (self.root / candidate).resolve()
            if file.is_relative_to(self.root) and file.is_file() and not file.name.startswith("_"):
                return file
        return None

    def render(self, file: Path) -> tuple[bytes, str]:
        content_type = CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0]
        content_type = content_type or "application/octet-stream"
        body = file.read_bytes()
        if content_type.startswith(TEXT_TYPES):
            body = body.replace(PLACEHOLDER_ORIGIN.encode(), self.origin.encode())
        return body, content_type


class LocalSite:
    """A folder served over HTTP on a loopback port, in a background thread.

    ``port`` is the preferred port (0: any free one; a taken port falls back to a free one);
    ``delay`` holds each response back that many seconds (a function of the request path: per path);
    ``validators=False`` serves pages without ``ETag`` and ``Last-Modified``.
    """

    def __init__(
        self,
        root: str | Path,
        host: str = "127.0.0.1",
        delay: Delay = 0.0,
        port: int = 0,
        *,
        validators: bool = True,
    ) -> None:
        try:
            self._server = _SiteServer(Path(root), host, port, delay, validators)
        except OSError as error:  # the preferred port is taken: any free port will do
            logger.warning(
                "Port %(port)d is not free (%(error)s); using another", {"port": port, "error": error}
            )
            self._server = _SiteServer(Path(root), host, 0, delay, validators)
        self._thread = threading.Thread(target=self._server.serve_forever, name="local-site", daemon=True)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT`` of the running server."""
        return self._server.origin

    @property
    def requested_paths(self) -> list[str]:
        """Every request path the server has seen, in order."""
        return [path for _, path in self._server.requests]

    @property
    def requests(self) -> list[tuple[float, str]]:
        """Every request the server has seen, in order: when it arrived (``time.monotonic()``) and its path."""
        return self._server.requests

    def start(self) -> LocalSite:
        """Start serving; returns self."""
        self._thread.start()
        logger.info("Serving %(root)s at %(origin)s", {"root": self._server.root, "origin": self.origin})
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
