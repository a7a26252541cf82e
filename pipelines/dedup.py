"""DedupPipeline: one record per canonical URL and per body text, within a crawl and across runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler import settings as defaults
from crawler.dedup.minhash import fingerprint
from crawler.drops import DuplicateContent, DuplicateUrl, NearDuplicate, UnchangedArticle
from crawler.run.context import run_of
from crawler.run.ledger import Ledger
from crawler.stats import count
from crawler.urls import normalise_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.items import ArticleRecord
    from crawler.store import NearDuplicateStore


class DedupPipeline:
    """Drop repeats; number new versions of changed articles.

    Within the run: a canonical URL (``DuplicateUrl``) or body hash (``DuplicateContent``) seen
    before. Across runs (the crawl state): an article already written with the same text
    (``UnchangedArticle``); one whose text changed is kept as ``version`` + 1 with its ``first_seen``, unless
    the page is a copy known as one (``DuplicateUrl``, ``dedup/copy``).
    Near-duplicates, within the run and across runs and sites (MinHash LSH in the crawl state,
    ``crawler.dedup``): marked with ``duplicate_of`` (``NEAR_DUPLICATES = "mark"``), dropped
    (``"drop"``, ``NearDuplicate``) or not looked for (``"off"``).
    """

    def __init__(
        self, crawler: Crawler, stats: StatsCollector, near_duplicates: str, threshold: float
    ) -> None:
        self.crawler = crawler
        self.stats = stats
        self.near_duplicates = near_duplicates
        self.threshold = threshold
        self.own_ledger = Ledger(None)  # claims of this run only, for a spider without a run
        self.index: NearDuplicateStore | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the pipeline from ``NEAR_DUPLICATES`` and ``NEAR_DUPLICATE_THRESHOLD``."""
        assert crawler.stats is not None
        s = crawler.settings
        return cls(
            crawler,
            crawler.stats,
            s.get("NEAR_DUPLICATES", defaults.NEAR_DUPLICATES),
            s.getfloat("NEAR_DUPLICATE_THRESHOLD", defaults.NEAR_DUPLICATE_THRESHOLD),
        )

    @property
    def ledger(self) -> Ledger:
        """The run's ledger: its crawl state and claims."""
        run = run_of(self.crawler)
        return run.ledger if run is not None else self.own_ledger

    def open_spider(self) -> None:
        """Open the near-duplicate index: in the crawl state, or in memory when there is none."""
        if self.near_duplicates != "off":
            self.index = self.ledger.near_duplicate_index(self.threshold)

    def _near_duplicate(self, item: ArticleRecord) -> None:
        fp = fingerprint(item.body) if self.index is not None else None
        if fp is None or self.index is None:
            return
        match = self.index.find(fp, exclude_key=item.canonical_url)
        if match is None:
            self.index.add(item.canonical_url, fp)
            return
        first, similarity = match
        count(self.stats, "dedup/near_duplicate")
        if self.near_duplicates == "drop":
            raise NearDuplicate(f"Nearly the same text ({similarity:.2f}) as {first}: {item.url}")
        item.duplicate_of = first

    def _known_copy(self, item: ArticleRecord) -> bool:
        """Whether the page was fetched before and gave no article of its own: a copy of a known article (an
        AMP or print page), whose different text is the copy's markup, not a change of the article.
        """
        urls = list(dict.fromkeys([item.url, normalise_url(item.requested_url or item.url)]))
        return any(page.canonical_url is None for page in self.ledger.known_pages(urls).values())

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Return the record the first time its URL and text are seen; count ``dedup/*``."""
        if self.ledger.claim("url", item.canonical_url, item.canonical_url) is not None:
            count(self.stats, "dedup/url")
            raise DuplicateUrl(f"Duplicate of {item.canonical_url}: {item.url}")
        first = self.ledger.claim("content", item.content_hash, item.canonical_url)
        if first is not None:
            count(self.stats, "dedup/content")
            raise DuplicateContent(f"Same text as {first}: {item.url}")
        known = self.ledger.known(item.canonical_url)
        if known is not None:
            if known.content_hash == item.content_hash:
                count(self.stats, "dedup/unchanged")
                self.ledger.unchanged(item)
                raise UnchangedArticle(f"Already written, unchanged: {item.canonical_url}")
            if self._known_copy(item):
                count(self.stats, "dedup/copy")
                raise DuplicateUrl(
                    f"A copy of {item.canonical_url} (known as one), not a new version: {item.url}"
                )
            item.version = known.version + 1
            item.first_seen = known.first_seen
            count(self.stats, "dedup/new_version")
        self._near_duplicate(item)
        return item
