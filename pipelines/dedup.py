"""DedupPipeline: one record per canonical URL and per body text, within a crawl and across runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.drops import DuplicateContent, DuplicateUrl, UnchangedArticle

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.items import ArticleRecord
    from crawler.state import CrawlState


class DedupPipeline:
    """Drop repeats; number new versions of changed articles.

    Within the run: a canonical URL (``DuplicateUrl``) or body hash (``DuplicateContent``) seen
    before. Across runs (the crawl state): an article already written with the same text
    (``UnchangedArticle``); one whose text changed is kept as ``version`` + 1 with its ``first_seen``.
    """

    def __init__(self, crawler: Crawler, stats: StatsCollector) -> None:
        self.crawler = crawler
        self.stats = stats
        self.seen_urls: dict[str, None] = {}
        self.seen_hashes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline for ``crawler``."""
        assert crawler.stats is not None
        return cls(crawler, crawler.stats)

    def _state(self) -> CrawlState | None:
        return getattr(self.crawler.spider, "crawl_state", None)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Return the record the first time its URL and text are seen; count ``dedup/*``."""
        if item.canonical_url in self.seen_urls:
            self.stats.inc_value("dedup/url")
            raise DuplicateUrl(f"Duplicate of {item.canonical_url}: {item.url}")
        first = self.seen_hashes.get(item.content_hash)
        if first is not None:
            self.stats.inc_value("dedup/content")
            raise DuplicateContent(f"Same text as {first}: {item.url}")
        state = self._state()
        known = state.article(item.canonical_url) if state else None
        if known is not None:
            if known.content_hash == item.content_hash:
                self.stats.inc_value("dedup/unchanged")
                raise UnchangedArticle(f"Already written, unchanged: {item.canonical_url}")
            item.version = known.version + 1
            item.first_seen = known.first_seen
            self.stats.inc_value("dedup/new_version")
        self.seen_urls[item.canonical_url] = None
        self.seen_hashes[item.content_hash] = item.canonical_url
        return item
