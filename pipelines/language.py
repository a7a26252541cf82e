"""LanguagePipeline: tag each article with the ISO 639-1 code of its body's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extract.language import detect_language
from crawler.stats import count

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.items import ArticleRecord


class LanguagePipeline:
    """Count the body's language; detect it (langdetect, seeded) when extraction did not.

    The default extraction function detects the language in the extraction workers, off the crawl
    thread; a custom ``EXTRACT_FUNCTION`` that leaves it unset gets it detected here.
    """

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline for ``crawler``."""
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Set ``language`` unless extraction did; count ``language/<code>`` (``language/unknown``)."""
        if item.language is None and item.language_score is None:
            item.language, item.language_score = detect_language(item.body, item.language_hints)
        count(self.stats, f"language/{item.language or 'unknown'}")
        return item
