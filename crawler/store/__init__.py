"""What a crawl keeps outside its process: the crawl state and the near-duplicate index, in SQLite or Redis.

The backend is chosen here, once, by setting, the way Scrapy chooses ``HTTPCACHE_STORAGE``: with
``REDIS_URL`` the state lives in that Redis (every worker of a distributed crawl shares it), otherwise in
one SQLite file (``STATE_PATH``, default ``OUTPUT_DIR/state.sqlite3``). Callers type it as
:class:`StateStore`, which both backends implement.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from crawler.dedup.sqlite_index import NearDuplicateIndex
from crawler.store.protocols import KnownArticle, KnownPage, NearDuplicateStore, PendingRequest, StateStore
from crawler.store.redis_client import redacted
from crawler.store.redis_state import RedisCrawlState
from crawler.store.sqlite_state import CrawlState

__all__ = [
    "KnownArticle",
    "KnownPage",
    "NearDuplicateStore",
    "PendingRequest",
    "StateStore",
    "open_near_duplicate_index",
    "open_store",
    "state_location",
    "state_path",
    "uses_redis",
]

DEFAULT_REDIS_STATE_KEY = "newscrawl:state"


def uses_redis(settings: Any) -> bool:
    """Whether the crawl keeps its state and frontier in Redis (``REDIS_URL`` is set)."""
    return bool(settings.get("REDIS_URL"))


def state_path(settings: Any) -> Path:
    """The state file: setting ``STATE_PATH``, else ``state.sqlite3`` inside ``OUTPUT_DIR``."""
    configured = settings.get("STATE_PATH")
    return Path(configured) if configured else Path(settings.get("OUTPUT_DIR") or "output") / "state.sqlite3"


def open_store(settings: Any) -> StateStore:
    """The crawl state the settings name: in Redis with ``REDIS_URL`` (``REDIS_STATE_KEY``), else SQLite.

    ``crawler.store.redis_client.RedisUnavailable`` (a ``ConfigError``) when the Redis does not answer.
    """
    if uses_redis(settings):
        return RedisCrawlState.open(
            settings.get("REDIS_URL"), settings.get("REDIS_STATE_KEY") or DEFAULT_REDIS_STATE_KEY
        )
    return CrawlState.open(state_path(settings))


def state_location(settings: Any) -> dict[str, str]:
    """Where the state the settings name is: ``{"redis": URL (password masked), "prefix": …}`` or ``{"path": …}``."""
    if uses_redis(settings):
        return {
            "redis": redacted(settings.get("REDIS_URL")),
            "prefix": settings.get("REDIS_STATE_KEY") or DEFAULT_REDIS_STATE_KEY,
        }
    return {"path": str(state_path(settings))}


def open_near_duplicate_index(state: StateStore | None, threshold: float) -> NearDuplicateStore:
    """The near-duplicate index kept with ``state``, or one in memory for this run when there is no state."""
    if state is not None:
        return state.near_duplicate_index(threshold)
    return NearDuplicateIndex(sqlite3.connect(":memory:", isolation_level=None), threshold=threshold)
