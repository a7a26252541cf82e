"""ProgressLog: one line every ``PROGRESS_INTERVAL`` seconds on how the crawl is going, and how each site is."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler import settings as defaults
from crawler.run.summary import site_counts
from crawler.stats import PREFIX, WRITTEN

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class ProgressLog:
    """Log pages fetched, articles written, requests pending, errors, their rates and the counts per site.

    Scrapy's own ``Crawled N pages`` line counts responses of any kind; this one says what the crawl is
    for: articles written, which site is slow (its pages and articles lag) or blocked (its errors grow).
    ``PROGRESS_INTERVAL`` (seconds) sets how often; 0 turns it off.
    """

    def __init__(self, crawler: Crawler, stats: StatsCollector, interval: float) -> None:
        self.crawler = crawler
        self.stats = stats
        self.interval = interval
        self.task = task.LoopingCall(self.log)
        self.last = (time.monotonic(), 0, 0)  # when, pages, articles at the last line

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the extension from ``PROGRESS_INTERVAL``; not configured when it is 0."""
        interval = crawler.settings.getfloat("PROGRESS_INTERVAL", defaults.PROGRESS_INTERVAL)
        if not interval:
            raise NotConfigured("PROGRESS_INTERVAL is 0")
        assert crawler.stats is not None
        extension = cls(crawler, crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self) -> None:
        """Start the clock."""
        self.last = (time.monotonic(), 0, 0)
        self.task.start(self.interval, now=False)

    def spider_closed(self) -> None:
        """Stop: the end-of-run summary says the rest."""
        if self.task.running:
            self.task.stop()

    def pending(self) -> int:
        """Requests queued in the scheduler or being downloaded."""
        engine = self.crawler.engine
        slot = getattr(engine, "_slot", None)
        queued = len(slot.scheduler) if slot is not None and hasattr(slot.scheduler, "__len__") else 0
        return queued + (len(engine.downloader.active) if engine is not None else 0)

    def log(self) -> None:
        """Log one progress line."""
        logger.info(*self.line(self.stats.get_stats(), self.pending()))

    def line(self, stats: dict[str, Any], pending: int) -> tuple[str, dict[str, Any]]:
        """The progress line's message and arguments, with the rates since the last line."""
        pages = int(stats.get("newscrawl/pages/fetched", 0))
        written = int(stats.get(PREFIX + WRITTEN, 0))
        errors = sum(value for key, value in stats.items() if key.startswith("newscrawl/errors/"))
        now = time.monotonic()
        then, pages_then, written_then = self.last
        minutes = max(now - then, 1e-9) / 60
        self.last = (now, pages, written)
        sites = [
            f"{site} {counts.get('pages/fetched', 0)} pages, {counts.get(WRITTEN, 0)} articles, "
            f"{sum(v for k, v in counts.items() if k.startswith('errors/'))} errors"
            for site, counts in sorted(site_counts(stats).items())
        ]
        message = (
            "Progress: %(pages)d pages fetched (%(page_rate).1f/min), %(written)d articles written "
            "(%(article_rate).1f/min), %(pending)d requests pending, %(errors)d errors; by site: %(sites)s"
        )
        return (
            message,
            {
                "pages": pages,
                "page_rate": (pages - pages_then) / minutes,
                "written": written,
                "article_rate": (written - written_then) / minutes,
                "pending": pending,
                "errors": errors,
                "sites": "; ".join(sites) or "none yet",
            },
        )
