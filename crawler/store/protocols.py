"""What the crawl state and the near-duplicate index offer, whichever backend (SQLite or Redis) keeps them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
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
class PendingRequest:
    """An article URL that was scheduled and not yet finished."""

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

    def add_pending(self, request: PendingRequest, now: str) -> None:
        """Remember a scheduled article URL until it is finished."""

    def finish_pending(self, url: str) -> None:
        """Forget a pending URL: its page was written, dropped or failed for good."""

    def pending(self, sites: list[str]) -> list[PendingRequest]:
        """Pending article URLs of the given sites, oldest first."""

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
