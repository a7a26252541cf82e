"""ExtractPipeline: turn a fetched page into an article record, in a pool of worker processes."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter
from scrapy.utils.misc import load_object

from crawler import settings as defaults
from crawler.drops import ExtractionFailed, UnreadablePage
from crawler.items import SCHEMA_VERSION, ArticlePage, ArticleRecord
from crawler.run.context import run_of
from crawler.run.workers import ArrivalOrder, WorkerFailed, WorkerPool, available_cores
from crawler.stats import EXTRACT_WORKERS, count

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.extract import PageExtraction

logger = logging.getLogger(__name__)


class ExtractPipeline:
    """Extract title, body, byline, dates and metadata from each ``ArticlePage``; count ``extract/*``.

    Pages go to ``EXTRACT_WORKERS`` processes (default: one per core; 0 extracts in the reactor
    thread) running ``EXTRACT_FUNCTION``, so fetching goes on while pages are parsed. Records leave
    in the order their pages arrived, whatever the number of workers. A page whose extraction raises,
    crashes its worker or runs past ``EXTRACT_TIMEOUT`` seconds is dropped and counted
    (``extract/failed/<kind>``); the crawl goes on.
    """

    def __init__(
        self, crawler: Crawler, stats: StatsCollector, pool: WorkerPool[PageExtraction | None]
    ) -> None:
        self.crawler = crawler
        self.stats = stats
        self.pool = pool
        self.order = ArrivalOrder()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline and its worker pool from ``EXTRACT_WORKERS``, ``EXTRACT_TIMEOUT``, ``EXTRACT_FUNCTION``."""
        assert crawler.stats is not None
        settings = crawler.settings
        workers = settings.get("EXTRACT_WORKERS", defaults.EXTRACT_WORKERS)
        workers = available_cores() if workers in (None, "") else settings.getint("EXTRACT_WORKERS")
        timeout = settings.getfloat("EXTRACT_TIMEOUT", defaults.EXTRACT_TIMEOUT)
        function = load_object(settings.get("EXTRACT_FUNCTION", defaults.EXTRACT_FUNCTION))
        pool: WorkerPool[PageExtraction | None] = WorkerPool(function, workers, timeout)
        crawler.stats.set_value(EXTRACT_WORKERS, workers)
        logger.info(
            "Extracting in %(where)s",
            {"where": f"{workers} worker processes" if workers else "the crawl thread"},
        )
        return cls(crawler, crawler.stats, pool)

    def close_spider(self) -> None:
        """Stop the worker processes."""
        self.pool.close()

    async def process_item(self, item: ArticlePage | ArticleRecord) -> ArticleRecord:
        """Return the extracted record of a page (records from elsewhere pass through)."""
        if isinstance(item, ArticleRecord):
            return item
        page = ItemAdapter(item).item
        fetched = datetime.fromisoformat(page.fetched_at)
        async with self.order.turn():
            try:
                extraction = await self.pool.run(
                    page.html, page.url, fetched, page.listed_date, page.signals, page.discovered_via
                )
            except WorkerFailed as failure:
                count(self.stats, f"extract/failed/{failure.kind}")
                raise ExtractionFailed(f"Extraction failed ({failure}) at {page.url}") from failure
        if extraction is None:
            count(self.stats, "extract/unreadable")
            raise UnreadablePage(f"Unreadable HTML at {page.url}")
        count(self.stats, "extract/pages")
        run = run_of(self.crawler)
        return ArticleRecord(
            **vars(extraction),
            fetched_at=page.fetched_at,
            first_seen=page.fetched_at,
            version=1,
            duplicate_of=None,
            crawl_id=run.crawl_id if run is not None else "",
            schema_version=SCHEMA_VERSION,
            site=page.site,
            requested_url=page.requested_url or page.url,
            lastmod=page.lastmod,
            etag=page.etag,
            last_modified=page.last_modified,
        )
