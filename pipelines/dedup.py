"""DedupPipeline: one record per canonical URL and per body text, within a crawl and across runs."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from crawler import settings as defaults
from crawler.config import ConfigError
from crawler.dates import utc_now
from crawler.dedup.minhash import fingerprint
from crawler.dedup.sqlite_index import NearDuplicateIndex
from crawler.drops import DuplicateContent, DuplicateUrl, NearDuplicate, UnchangedArticle
from crawler.run.distributed import frontier_of
from crawler.store import crawl_state_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.items import ArticleRecord
    from crawler.store import NearDuplicateStore, StateStore


class DedupPipeline:
    """Drop repeats; number new versions of changed articles.

    Within the run: a canonical URL (``DuplicateUrl``) or body hash (``DuplicateContent``) seen
    before. Across runs (the crawl state): an article already written with the same text
    (``UnchangedArticle``); one whose text changed is kept as ``version`` + 1 with its ``first_seen``.
    Near-duplicates, within the run and across runs and sites (MinHash LSH in the crawl state file,
    ``crawler.dedup``): marked with ``duplicate_of`` (``NEAR_DUPLICATES = "mark"``), dropped
    (``"drop"``, ``NearDuplicate``) or not looked for (``"off"``).
    """

    def __init__(
        self, crawler: Crawler, stats: StatsCollector, near_duplicates: str, threshold: float
    ) -> None:
        if near_duplicates not in {"mark", "drop", "off"}:
            raise ConfigError(f"setting NEAR_DUPLICATES: {near_duplicates!r}; expected mark, drop or off")
        if not 0 < threshold <= 1:
            raise ConfigError(f"setting NEAR_DUPLICATE_THRESHOLD: {threshold}; expected a number in (0, 1]")
        self.crawler = crawler
        self.stats = stats
        self.near_duplicates = near_duplicates
        self.threshold = threshold
        self.index: NearDuplicateStore | None = None
        self.claims: dict[str, str] = {}

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

    def open_spider(self) -> None:
        """Open the near-duplicate index: in the crawl state file, or in memory when the state is ignored."""
        if self.near_duplicates == "off":
            return
        state = self._state()
        self.index = (
            state.near_duplicate_index(self.threshold)
            if state
            else NearDuplicateIndex(
                sqlite3.connect(":memory:", isolation_level=None), threshold=self.threshold
            )
        )

    def _near_duplicate(self, item: ArticleRecord) -> None:
        fp = fingerprint(item.body) if self.index is not None else None
        if fp is None or self.index is None:
            return
        match = self.index.find(fp, exclude_key=item.canonical_url)
        if match is None:
            self.index.add(item.canonical_url, fp)
            return
        first, similarity = match
        self.stats.inc_value("dedup/near_duplicate")
        if self.near_duplicates == "drop":
            raise NearDuplicate(f"Nearly the same text ({similarity:.2f}) as {first}: {item.url}")
        item.duplicate_of = first

    def _state(self) -> StateStore | None:
        return crawl_state_of(self.crawler)

    @staticmethod
    def _revalidate_next_time(state: StateStore, item: ArticleRecord) -> None:
        """An unchanged article was seen again: remember when, and its validators for a conditional GET."""
        now = utc_now()
        state.touch_article(item.canonical_url, now)
        if item.etag or item.last_modified:
            state.save_validators(
                item.requested_url or item.url, item.site, (item.etag, item.last_modified), now
            )

    def _claim(self, kind: str, key: str, url: str) -> str | None:
        """Claim ``key`` for ``url`` in this run: None the first time, else the URL that claimed it.

        In a distributed crawl the claims are shared by every worker (``crawler.run.distributed``).
        """
        frontier = frontier_of(self.crawler)
        if frontier is not None:
            return frontier.claim(kind, key, url)
        first = self.claims.get(f"{kind}:{key}")
        if first is None:
            self.claims[f"{kind}:{key}"] = url
        return first

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Return the record the first time its URL and text are seen; count ``dedup/*``."""
        if self._claim("url", item.canonical_url, item.canonical_url) is not None:
            self.stats.inc_value("dedup/url")
            raise DuplicateUrl(f"Duplicate of {item.canonical_url}: {item.url}")
        first = self._claim("content", item.content_hash, item.canonical_url)
        if first is not None:
            self.stats.inc_value("dedup/content")
            raise DuplicateContent(f"Same text as {first}: {item.url}")
        state = self._state()
        known = state.article(item.canonical_url) if state else None
        if state is not None and known is not None:
            if known.content_hash == item.content_hash:
                self.stats.inc_value("dedup/unchanged")
                self._revalidate_next_time(state, item)
                raise UnchangedArticle(f"Already written, unchanged: {item.canonical_url}")
            item.version = known.version + 1
            item.first_seen = known.first_seen
            self.stats.inc_value("dedup/new_version")
        self._near_duplicate(item)
        return item
