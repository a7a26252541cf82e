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

import logging
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from warcio.recordbuilder import RecordBuilder

from crawler import __version__
from crawler import settings as defaults
from crawler.output.files import run_folder, safe_name
from crawler.output.warc import SITE_DESCRIPTION, WarcFiles, exchange_records
from crawler.run.context import run_of
from crawler.stats import count

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.defer import Deferred

    from crawler.run.context import Run

logger = logging.getLogger(__name__)

UNKNOWN_SITE = "unknown"


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
        self.run: Run | None = None
        self.warcinfo: dict[str, str] = {}
        self.builder = RecordBuilder()
        self.closing: Deferred[None] | None = None  # the close a write error started, kept referenced

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware from ``WARC_ENABLED``, ``WARC_MAX_SIZE`` and ``OUTPUT_DIR``."""
        s = crawler.settings
        assert crawler.stats is not None
        middleware = cls(
            crawler,
            Path(s.get("OUTPUT_DIR", defaults.OUTPUT_DIR)),
            s.getint("WARC_MAX_SIZE", defaults.WARC_MAX_SIZE),
            s.getbool("WARC_ENABLED", defaults.WARC_ENABLED),
            crawler.stats,
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        """Start recording if ``WARC_ENABLED`` is set or the run is in archive mode (only ``news`` runs)."""
        self.run = run_of(self.crawler)
        self.recording = self.run is not None and (self.enabled or self.run.mode == "archive")
        if self.run is None or not self.recording:
            return
        settings = self.crawler.settings
        self.warcinfo = {
            "software": f"newscrawl/{__version__} (Scrapy {version('scrapy')}, warcio {version('warcio')})",
            "format": "WARC File Format 1.0",
            "isPartOf": self.run.crawl_id,
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
            "http-header-user-agent": settings.get("USER_AGENT", ""),
        }
        logger.info(
            "Recording WARC files in %(folder)s (crawl %(crawl_id)s)",
            {
                "folder": run_folder(self.output_dir, "<site>", self.run.started),
                "crawl_id": self.run.crawl_id,
            },
        )

    def spider_closed(self) -> None:
        """Close every file and give it its final name."""
        for files in self.files.values():
            try:
                files.close()
            except OSError as error:
                count(self.stats, "warc/errors")
                logger.error(
                    "Cannot close WARC file %(path)s: %(error)s", {"path": files.location, "error": error}
                )
        self.files.clear()

    def process_response(self, request: Request, response: Response) -> Response:
        """Record the response and its request as the server exchanged them, then pass the response on."""
        if self.run is None or not self.recording or "cached" in response.flags:  # a cached copy: no fetch
            return response
        site = self._site(request, self.run)
        files = self.files.get(site)
        if files is None:
            files = WarcFiles(
                run_folder(self.output_dir, site, self.run.started),
                self.run.crawl_id,
                self.max_size,
                {**self.warcinfo, "description": SITE_DESCRIPTION + site},
                self.stats,
            )
            self.files[site] = files
        try:
            files.write_exchange(*exchange_records(self.builder, request, response))
        except OSError as error:
            self._fail(site, files, error)
        return response

    @staticmethod
    def _site(request: Request, run: Run) -> str:
        """The request's site; Scrapy's own requests (robots.txt) have none: the run's site of their host."""
        name = request.meta.get("site")
        if name is None:
            owner = run.site_of(request.url)
            name = owner.name if owner else UNKNOWN_SITE
        return safe_name(str(name))

    def _fail(self, site: str, files: WarcFiles, error: OSError) -> None:
        """Stop recording and stop the crawl: log the file and the error, count ``warc/errors``."""
        self.recording = False
        count(self.stats, "warc/errors")
        logger.error(
            "Cannot write WARC file %(path)s: %(error)s; stopping the crawl (records after the error are"
            " not archived; the file keeps its .part name)",
            {"path": files.location, "error": error},
        )
        files.abandon()
        del self.files[site]
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="warc_write_error"))
