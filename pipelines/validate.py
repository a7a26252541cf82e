"""ValidatePipeline: drop what is not an article, has no body, or is too short, each with its named reason."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crawler import settings as defaults
from crawler.drops import JavaScriptOnly, MarkupTooDeep, NoBody, NotAnArticle, TooOld, TooShort
from crawler.run.context import run_of
from crawler.stats import count

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.items import ArticleRecord

logger = logging.getLogger(__name__)


class ValidatePipeline:
    """Drop non-articles (``NotAnArticle``), empty (``NoBody``), short (``TooShort``) and old (``TooOld``) records.

    App shells are ``JavaScriptOnly``; a page cut at the parser's depth limit is ``MarkupTooDeep`` when what
    was read is no full article, and is counted (``validate/nesting_cut_kept``) when it is one.
    """

    def __init__(self, crawler: Crawler, min_words: int, stats: StatsCollector) -> None:
        self.crawler = crawler
        self.min_words = min_words
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline from ``VALIDATE_MIN_WORDS``."""
        assert crawler.stats is not None
        return cls(
            crawler, crawler.settings.getint("VALIDATE_MIN_WORDS", defaults.VALIDATE_MIN_WORDS), crawler.stats
        )

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Return the record if it is a real article, else raise the drop reason."""
        if item.javascript_only:
            count(self.stats, "validate/js_only")
            raise JavaScriptOnly(f"JavaScript-only page (an app shell, no text without scripts): {item.url}")
        if item.nesting_cut:
            self._check_nesting_cut(item)
        if not item.is_article:
            count(self.stats, "validate/not_an_article")
            raise NotAnArticle(f"Not an article: {item.url}")
        if not item.body:
            count(self.stats, "validate/no_body")
            raise NoBody(f"No article text found: {item.url}")
        if item.word_count < self.min_words:
            count(self.stats, "validate/too_short")
            raise TooShort(f"Article text of {item.word_count} words (< {self.min_words}): {item.url}")
        run = run_of(self.crawler)
        if run is not None and run.options.too_old(item.date_published):
            count(self.stats, "validate/too_old")
            raise TooOld(f"Published {item.date_published}, before the cutoff: {item.url}")
        return item

    def _check_nesting_cut(self, item: ArticleRecord) -> None:
        if item.is_article and item.word_count >= max(self.min_words, 1):
            count(self.stats, "validate/nesting_cut_kept")
            logger.warning(
                "Markup nested past the parser's depth limit, the text after it lost: %(url)s",
                {"url": item.url},
            )
            return
        count(self.stats, "validate/nesting_cut")
        raise MarkupTooDeep(
            f"Markup nested past the parser's depth limit; no article before the cut "
            f"({item.word_count} words): {item.url}"
        )
