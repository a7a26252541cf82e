"""DedupPipeline: one record per canonical URL and per body text within a crawl."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.drops import DuplicateContent, DuplicateUrl

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.items import ArticleRecord


class DedupPipeline:
    """Drop a record whose canonical URL (``DuplicateUrl``) or body hash (``DuplicateContent``) was seen."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats
        self.seen_urls: dict[str, None] = {}
        self.seen_hashes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline for ``crawler``."""
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Return the record the first time its URL and text are seen; count ``dedup/url`` and ``dedup/content``."""
        if item.canonical_url in self.seen_urls:
            self.stats.inc_value("dedup/url")
            raise DuplicateUrl(f"Duplicate of {item.canonical_url}: {item.url}")
        first = self.seen_hashes.get(item.content_hash)
        if first is not None:
            self.stats.inc_value("dedup/content")
            raise DuplicateContent(f"Same text as {first}: {item.url}")
        self.seen_urls[item.canonical_url] = None
        self.seen_hashes[item.content_hash] = item.canonical_url
        return item
