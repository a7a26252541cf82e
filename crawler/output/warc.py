"""WarcRecorderMiddleware: archive every HTTP exchange of a crawl as WARC request and response records.

The middleware sits at 950 in ``DOWNLOADER_MIDDLEWARES``, next to the download handler. Scrapy calls
``process_response`` from the highest number down, so it sees each response as the server sent it:
before ``HttpCacheMiddleware`` (900) stores it, before ``HttpCompressionMiddleware`` (590) decodes the
body (so ``Content-Encoding`` and the recorded body agree), before ``RedirectMiddleware`` (600) turns a
3xx into a new request (each hop is its own pair of records) and before ``RetryMiddleware`` (550)
retries a 5xx (each attempt is recorded). ``process_request`` runs in the opposite order, so by then
every header the other middlewares add (user agent, ``Accept-Encoding``, cookies) is on the request.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import settings as defaults
from crawler.run.sites import safe_name
from crawler.urls import host_in_domains

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

PART_SUFFIX = ".part"
UNKNOWN_SITE = "unknown"
REQUEST_PROTOCOL = "HTTP/1.1"  # what Scrapy's download handler sends, whatever the server answers
REASONS = {status.value: status.phrase for status in HTTPStatus}
# The proxy's credentials are not part of the exchange with the site.
UNRECORDED_REQUEST_HEADERS = {b"proxy-authorization"}
# Scrapy hands over the body without its transfer coding (Twisted's client even drops the header); the
# header is renamed so no reader de-chunks the body again (the X-Crawler- prefix of Common Crawl's WARCs).
RENAMED_RESPONSE_HEADERS = {b"transfer-encoding": b"X-Crawler-Transfer-Encoding"}
# Response flags of a body that is not the whole payload, as WARC-Truncated reasons.
TRUNCATED_FLAGS = {"dataloss": "disconnect", "download_stopped": "unspecified"}


def part_path(path: Path) -> Path:
    """The name of ``path`` while it is being written."""
    return path.with_name(path.name + PART_SUFFIX)


class WarcFiles:
    """One site's rotating WARC files ``<folder>/<crawl_id>-NNNNN.warc.gz``, each opened with a warcinfo record.

    A file is written as ``….warc.gz.part`` and renamed when closed, so a ``.warc.gz`` is always complete;
    a serial whose file exists already (a reused ``CRAWL_ID``) is skipped, never overwritten.
    """

    def __init__(
        self, folder: Path, crawl_id: str, max_size: int, warcinfo: dict[str, str], stats: StatsCollector
    ) -> None:
        self.folder = folder
        self.crawl_id = crawl_id
        self.max_size = max_size
        self.warcinfo = warcinfo
        self.stats = stats
        self.serial = 0
        self.path: Path | None = None  # final name of the file being written, or about to be opened
        self._file: IO[bytes] | None = None
        self._writer: WARCWriter | None = None

    @property
    def location(self) -> Path:
        """Where the current file is written (its ``.part`` name), for error messages."""
        return part_path(self.path) if self.path else self.folder

    def _open(self) -> None:
        path = self.folder / f"{self.crawl_id}-{self.serial:05d}.warc.gz"
        while path.exists() or part_path(path).exists():
            self.serial += 1
            path = self.folder / f"{self.crawl_id}-{self.serial:05d}.warc.gz"
        self.serial += 1
        self.path = path
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file = part_path(path).open("xb")
        self._writer = WARCWriter(self._file, gzip=True)
        self.stats.inc_value("warc/files")
        logger.info("Writing WARC records to %(path)s", {"path": part_path(path)})
        self._write(self._writer.create_warcinfo_record(path.name, self.warcinfo))

    def _write(self, record: Any) -> None:
        assert self._file is not None
        assert self._writer is not None
        start = self._file.tell()
        self._writer.write_record(record)  # one gzip member, flushed to the file at once
        self.stats.inc_value("warc/records")
        self.stats.inc_value("warc/bytes", self._file.tell() - start)

    def write_exchange(self, response_record: Any, request_record: Any) -> None:
        """Write a response record and its request record, then rotate once the file passes ``max_size``."""
        if self._file is None:
            self._open()
        self._write(response_record)
        self._write(request_record)
        assert self._file is not None
        if self._file.tell() >= self.max_size:
            self.close()

    def close(self) -> None:
        """Close the current file and give it its final name."""
        if self._file is None or self.path is None:
            return
        file, self._file, self._writer = self._file, None, None
        file.close()
        part_path(self.path).replace(self.path)

    def abandon(self) -> None:
        """Close the current file after a write error, leaving its ``.part`` name: it may be incomplete."""
        file, self._file, self._writer = self._file, None, None
        if file is not None:
            with contextlib.suppress(OSError):
                file.close()


class WarcRecorderMiddleware:
    """Record each response with its request to ``OUTPUT_DIR/<site>/<UTC date>/<crawl_id>-NNNNN.warc.gz``.

    On when ``WARC_ENABLED`` is true or the spider's ``mode`` is ``"archive"`` (decided at
    ``spider_opened``); otherwise it passes responses through untouched. A file rotates once it passes
    ``WARC_MAX_SIZE`` bytes. A write error stops the crawl (reason ``warc_write_error``): an archive
    with silent gaps would be worse. Stats: ``warc/records``, ``warc/files``, ``warc/bytes``, ``warc/errors``.
    """

    def __init__(
        self, crawler: Crawler, output_dir: Path, max_size: int, enabled: bool, stats: StatsCollector
    ) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.max_size = max_size
        self.enabled = enabled
        self.stats = stats
        self.recording = False
        self.files: dict[str, WarcFiles] = {}
        self.folder_date = ""
        self.crawl_id = ""
        self.warcinfo: dict[str, str] = {}
        self.builder = RecordBuilder()
        self.closing: Deferred[None] | None = None  # the close a write error started, kept referenced

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware from ``WARC_ENABLED``, ``WARC_MAX_SIZE`` and ``OUTPUT_DIR``."""
        s = crawler.settings
        max_size = s.getint("WARC_MAX_SIZE", defaults.WARC_MAX_SIZE)
        if max_size <= 0:
            raise ValueError(f"WARC_MAX_SIZE is {max_size}; expected a number of bytes > 0")
        assert crawler.stats is not None
        middleware = cls(
            crawler,
            Path(s.get("OUTPUT_DIR", defaults.OUTPUT_DIR)),
            max_size,
            s.getbool("WARC_ENABLED", defaults.WARC_ENABLED),
            crawler.stats,
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        """Start recording if ``WARC_ENABLED`` is set or the spider runs in archive mode."""
        spider = self.crawler.spider
        self.recording = self.enabled or getattr(spider, "mode", None) == "archive"
        if not self.recording:
            return
        self.crawl_id = safe_name(getattr(spider, "crawl_id", "") or "crawl")
        started: datetime = getattr(spider, "crawl_started", None) or datetime.now(UTC)
        self.folder_date = started.astimezone(UTC).strftime("%Y-%m-%d")
        settings = self.crawler.settings
        self.warcinfo = {
            "software": f"newscrawl/{version('newscrawl')} (Scrapy {version('scrapy')}, warcio {version('warcio')})",
            "format": "WARC File Format 1.0",
            "isPartOf": self.crawl_id,
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT", ""),
        }
        logger.info(
            "Recording WARC files in %(dir)s/<site>/%(date)s/ (crawl %(crawl_id)s)",
            {"dir": self.output_dir, "date": self.folder_date, "crawl_id": self.crawl_id},
        )

    def spider_closed(self) -> None:
        """Close every file and give it its final name."""
        for files in self.files.values():
            try:
                files.close()
            except OSError as error:
                self.stats.inc_value("warc/errors")
                logger.error(
                    "Cannot close WARC file %(path)s: %(error)s", {"path": files.location, "error": error}
                )
        self.files.clear()

    def process_response(self, request: Request, response: Response) -> Response:
        """Record the response and its request as the server exchanged them, then pass the response on."""
        if not self.recording or "cached" in response.flags:  # HttpCacheMiddleware's copy: no fetch
            return response
        site = self._site(request)
        files = self.files.get(site)
        if files is None:
            folder = self.output_dir / site / self.folder_date
            files = WarcFiles(
                folder,
                self.crawl_id,
                self.max_size,
                {**self.warcinfo, "description": f"site {site}"},
                self.stats,
            )
            self.files[site] = files
        try:
            files.write_exchange(*self._records(request, response))
        except OSError as error:
            self._fail(site, files, error)
        return response

    def _site(self, request: Request) -> str:
        """The request's site; Scrapy's own requests (robots.txt) have none: the spider's site of their host."""
        name = request.meta.get("site")
        if name is None:
            sites: dict[str, Any] = getattr(self.crawler.spider, "sites", {})
            owners = (n for n, site in sites.items() if host_in_domains(request.url, site.allowed_domains))
            name = next(owners, UNKNOWN_SITE)
        return safe_name(str(name))

    def _records(self, request: Request, response: Response) -> tuple[Any, Any]:
        """The response record and its request record (same date, linked by WARC-Concurrent-To)."""
        url = response.url
        parts = urlsplit(url)
        # Scrapy's optional HTTP/2 handler says "h2": WARC readers expect an HTTP/1.x status line.
        protocol = response.protocol if (response.protocol or "").startswith("HTTP/") else "HTTP/1.1"
        warc_headers = {}
        if response.ip_address is not None:
            warc_headers["WARC-IP-Address"] = str(response.ip_address)
        truncated = [TRUNCATED_FLAGS[flag] for flag in response.flags if flag in TRUNCATED_FLAGS]
        if truncated:
            warc_headers["WARC-Truncated"] = truncated[0]
        response_headers = [
            (RENAMED_RESPONSE_HEADERS.get(name.lower(), name), value)
            for name, values in response.headers.items()
            for value in values
        ]
        response_record = self.builder.create_warc_record(
            url,
            "response",
            payload=BytesIO(response.body),
            length=len(response.body),
            warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(
                f"{response.status} {REASONS.get(response.status, '')}".rstrip(),
                response_headers,
                protocol=protocol,
            ),
        )
        request_headers = [
            (name, value)
            for name, values in request.headers.items()
            for value in values
            if name.lower() not in UNRECORDED_REQUEST_HEADERS
        ]
        if b"Host" not in request.headers:  # the download handler adds it
            request_headers.insert(0, (b"Host", parts.netloc.rpartition("@")[2].encode()))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_record = self.builder.create_warc_record(
            url,
            "request",
            payload=BytesIO(request.body),
            length=len(request.body),
            warc_headers_dict={
                "WARC-Date": response_record.rec_headers.get_header("WARC-Date"),
                "WARC-Concurrent-To": response_record.rec_headers.get_header("WARC-Record-ID"),
            },
            http_headers=StatusAndHeaders(
                f"{request.method} {target} {REQUEST_PROTOCOL}", request_headers, is_http_request=True
            ),
        )
        return response_record, request_record

    def _fail(self, site: str, files: WarcFiles, error: OSError) -> None:
        """Stop recording and stop the crawl: log the file and the error, count ``warc/errors``."""
        self.recording = False
        self.stats.inc_value("warc/errors")
        logger.error(
            "Cannot write WARC file %(path)s: %(error)s; stopping the crawl (records after the error are"
            " not archived; the file keeps its .part name)",
            {"path": files.location, "error": error},
        )
        files.abandon()
        del self.files[site]
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_error"))
