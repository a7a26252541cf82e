"""What the crawl state and the near-duplicate index offer, whichever backend (SQLite or Redis) keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Sequence

    from crawler.dedup.minhash import Fingerprint


@dataclass(frozen=True)
class KnownArticle:
    """What the state remembers of one written article."""

    canonical_url: str
    site: str
    first_seen: str
    last_seen: str
    content_hash: str
    version: int
    date_published: str | None


@dataclass(frozen=True)
class KnownPage:
    """A URL an earlier run fetched for good: its page gave a written article, or none (not an article, a
    duplicate, gone). What decides whether a later run fetches it again. Dates are UTC ISO 8601 strings,
    so that they compare as text.
    """

    url: str
    site: str
    canonical_url: str | None  # the article's, None when the page gave none
    first_seen: str  # when it was first fetched for good
    published: str | None  # the article's publication date, else the date its listing gave
    lastmod: str | None  # the newest date a discovery source gave for it when it was last fetched
    fetched_at: str  # when it was last fetched


@dataclass(frozen=True)
class PendingRequest:
    """A page URL that was discovered and not yet finished (fetched and written, or dropped for a reason)."""

    url: str
    site: str
    source: str
    listed_date: str | None


class NearDuplicateStore(Protocol):
    """A near-duplicate index: ``crawler.dedup.sqlite_index.NearDuplicateIndex`` or its Redis twin."""

    def find(self, fp: Fingerprint, exclude_key: str | None = None) -> tuple[str, float] | None:
        """The earliest-added key whose estimated similarity to ``fp`` is >= the threshold, with it."""

    def add(self, key: str, fp: Fingerprint) -> None:
        """Index ``fp`` under ``key``; adding a key again replaces its signature but keeps its place."""

    def remove(self, key: str) -> None:
        """Remove ``key`` from the index; KeyError when it is not there."""

    def __len__(self) -> int:
        """The number of indexed keys."""


@runtime_checkable
class StateStore(Protocol):
    """The crawl state, in SQLite (``crawler.store.sqlite_state.CrawlState``) or Redis (``crawler.store.redis_state``)."""

    def close(self) -> None:
        """Release the store."""

    def reset(self, sites: list[str] | None = None) -> None:
        """Forget everything (``sites=None``) or everything about the given sites."""

    def near_duplicate_index(self, threshold: float) -> NearDuplicateStore:
        """The near-duplicate index kept with this state, at ``threshold``."""

    def article(self, canonical_url: str) -> KnownArticle | None:
        """The remembered article with this canonical URL, if any."""

    def record_article(
        self,
        record: dict[str, Any],
        site: str,
        now: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Remember a written article (insert, or update its hash, version and last-seen time)."""

    def touch_article(self, canonical_url: str, now: str) -> None:
        """Note that an unchanged article was seen again."""

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """``(etag, last_modified)`` last seen for ``url``."""

    def save_validators(
        self, url: str, site: str, validators: tuple[str | None, str | None], now: str
    ) -> None:
        """Remember the ``(etag, last_modified)`` a response of ``site`` gave for ``url``."""

    def pages(self, urls: Sequence[str]) -> dict[str, KnownPage]:
        """The known pages among ``urls`` (URLs fetched for good), by URL."""

    def record_page(self, page: KnownPage) -> None:
        """Remember a page fetched for good: its first site, ``first_seen`` and newest ``lastmod`` are kept."""

    def add_pending(self, requests: Sequence[PendingRequest], now: str) -> None:
        """Remember discovered page URLs until they are finished (URLs already pending keep their entry)."""

    def finish_pending(self, url: str) -> None:
        """Forget a pending URL: its page was written, dropped or failed for good."""

    def pending(self, sites: list[str]) -> list[PendingRequest]:
        """Pending page URLs of the given sites, oldest first."""

    def remember_feed(self, site: str, url: str) -> None:
        """Remember a feed found on ``site``."""

    def feeds(self, site: str) -> list[str]:
        """The feeds found on ``site`` by earlier runs."""

    def start_run(self, crawl_id: str, sites: list[str], now: str) -> None:
        """Record that a run started."""

    def finish_run(self, crawl_id: str, status: str, written: int, now: str) -> None:
        """Record how a run ended."""

    def summary(self) -> dict[str, Any]:
        """What the state holds: articles and pending URLs per site, and the last runs."""
