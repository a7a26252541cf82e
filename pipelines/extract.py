"""ExtractPipeline: turn a fetched page into an article record with the plain extraction functions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from itemadapter import ItemAdapter

from crawler.extract import extract_page
from crawler.items import ArticlePage, ArticleRecord
from crawler.record import SCHEMA_VERSION
from pipelines.drops import UnreadablePage

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class ExtractPipeline:
    """Extract title, body, byline, dates and metadata from each ``ArticlePage``; count ``extract/*``."""

    def __init__(self, crawler: Crawler, stats: StatsCollector) -> None:
        self.crawler = crawler
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline for ``crawler``."""
        assert crawler.stats is not None
        return cls(crawler, crawler.stats)

    def process_item(self, item: ArticlePage | ArticleRecord) -> ArticleRecord:
        """Return the extracted record of a page (records from elsewhere pass through)."""
        if isinstance(item, ArticleRecord):
            return item
        page = ItemAdapter(item).item
        fetched = datetime.fromisoformat(page.fetched_at)
        extraction = extract_page(page.html, page.url, fetched_at=fetched, listed_date=page.listed_date)
        if extraction is None:
            self.stats.inc_value("extract/unreadable")
            raise UnreadablePage(f"Unreadable HTML at {page.url}")
        self.stats.inc_value("extract/pages")
        spider = self.crawler.spider
        return ArticleRecord(
            **vars(extraction),
            language=None,
            language_score=None,
            fetched_at=page.fetched_at,
            first_seen=page.fetched_at,
            version=1,
            duplicate_of=None,
            crawl_id=getattr(spider, "crawl_id", ""),
            schema_version=SCHEMA_VERSION,
            site=page.site,
            requested_url=page.requested_url or page.url,
            etag=page.etag,
            last_modified=page.last_modified,
        )
