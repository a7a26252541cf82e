"""Crawl state that outlives a run, in one SQLite file: what was written, what is pending, how to revalidate.

Tables (the file's schema, documented in the README):

- ``articles``: one row per canonical URL ever written: site, first and last seen, content hash,
  version, publication date, and the page's ``ETag``/``Last-Modified``.
- ``validators``: ``ETag``/``Last-Modified`` (and site) of any fetched URL (feeds, sitemaps, pages) for
  conditional GET.
- ``pages``: one row per URL fetched for good (its page gave a written article, or none: not an article,
  a duplicate, gone): the article's canonical URL, first seen, publication date (or listed date), the newest
  date a sitemap or feed gave for it (``lastmod``) and when it was last fetched; a later run fetches it
  again only when that says it may have changed (``crawler.run.revalidation``).
- ``pending``: page URLs discovered but not yet finished; a resumed or later run requests them
  again, so a killed crawl loses nothing.
- ``feeds``: the feeds found on each site's home page, revisited even when the home page is unchanged.
- ``runs``: one row per crawl run: sites, start, end, status and count of articles written.
- ``neardup_*``: the near-duplicate index (see ``crawler.dedup.sqlite_index``).

The file is opened in WAL mode with a busy timeout, so crawls of different sites can share it. A
distributed crawl keeps the same state in Redis instead (``crawler.store.redis_state``); callers type it as
``crawler.store.StateStore``, which both implement.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from crawler.dedup.sqlite_index import NearDuplicateIndex
from crawler.store.protocols import KnownArticle, KnownPage, PendingRequest

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    date_published TEXT,
    etag TEXT,
    last_modified TEXT
);
CREATE INDEX IF NOT EXISTS articles_by_site ON articles (site);
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    canonical_url TEXT,
    first_seen TEXT NOT NULL,
    published TEXT,
    lastmod TEXT,
    fetched_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pages_by_site ON pages (site);
CREATE TABLE IF NOT EXISTS pending (
    url TEXT PRIMARY KEY,
    site TEXT NOT NULL,
    source TEXT NOT NULL,
    listed_date TEXT,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_by_site ON pending (site);
CREATE TABLE IF NOT EXISTS feeds (
    site TEXT NOT NULL,
    url TEXT NOT NULL,
    PRIMARY KEY (site, url)
);
CREATE TABLE IF NOT EXISTS runs (
    crawl_id TEXT PRIMARY KEY,
    sites TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT,
    written INTEGER NOT NULL DEFAULT 0
);
"""


# A state file from before the ``pages`` table knows its written articles by canonical URL only: those
# become its first known pages, so that upgrading does not refetch every article once.
_KNOWN_FROM_ARTICLES = """
INSERT OR IGNORE INTO pages (url, site, canonical_url, first_seen, published, lastmod, fetched_at)
SELECT canonical_url, site, canonical_url, first_seen, date_published, NULL, last_seen FROM articles
"""
_CHUNK = 500  # URLs per IN (…) query, under SQLite's limit of bound parameters


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the state file in WAL mode with autocommit and a busy timeout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    with _Transaction(connection):
        had_pages = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pages'"
        ).fetchone()
        for statement in SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        if not had_pages:
            connection.execute(_KNOWN_FROM_ARTICLES)
    return connection


class CrawlState:
    """The crawl state of one SQLite file."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @classmethod
    def open(cls, path: Path) -> CrawlState:
        """Open the state file at ``path``."""
        return cls(connect(path))

    def close(self) -> None:
        """Close the file."""
        self.connection.close()

    def near_duplicate_index(self, threshold: float) -> NearDuplicateIndex:
        """The near-duplicate index kept in the file (``neardup_*`` tables), at ``threshold``."""
        return NearDuplicateIndex(self.connection, threshold=threshold)

    def reset(self, sites: list[str] | None = None) -> None:
        """Forget everything (``sites=None``) or everything about the given sites."""
        with self._transaction():
            for table in ("articles", "pages", "validators", "pending", "feeds"):
                if sites is None:
                    self.connection.execute(f"DELETE FROM {table}")
                else:
                    marks = ",".join("?" * len(sites))
                    self.connection.execute(f"DELETE FROM {table} WHERE site IN ({marks})", sites)
            if sites is None:
                self.connection.execute("DELETE FROM runs")

    def _transaction(self) -> _Transaction:
        return _Transaction(self.connection)

    # -- articles ---------------------------------------------------------------------------------

    def article(self, canonical_url: str) -> KnownArticle | None:
        """The remembered article with this canonical URL, if any."""
        row = self.connection.execute(
            "SELECT canonical_url, site, first_seen, last_seen, content_hash, version, date_published "
            "FROM articles WHERE canonical_url = ?",
            (canonical_url,),
        ).fetchone()
        return KnownArticle(*row) if row else None

    def record_article(
        self,
        record: dict[str, Any],
        site: str,
        now: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Remember a written article (insert, or update its hash, version and last-seen time)."""
        self.connection.execute(
            "INSERT INTO articles (canonical_url, site, first_seen, last_seen, content_hash, version, "
            "date_published, etag, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (canonical_url) DO UPDATE SET last_seen = excluded.last_seen, "
            "content_hash = excluded.content_hash, version = excluded.version, "
            "date_published = excluded.date_published, etag = excluded.etag, last_modified = excluded.last_modified",
            (
                record["canonical_url"],
                site,
                record.get("first_seen") or now,
                now,
                record["content_hash"],
                record.get("version") or 1,
                record.get("date_published"),
                etag,
                last_modified,
            ),
        )

    def touch_article(self, canonical_url: str, now: str) -> None:
        """Note that an unchanged article was seen again."""
        self.connection.execute(
            "UPDATE articles SET last_seen = ? WHERE canonical_url = ?", (now, canonical_url)
        )

    # -- known pages ------------------------------------------------------------------------------

    def pages(self, urls: Sequence[str]) -> dict[str, KnownPage]:
        """The known pages among ``urls`` (URLs fetched for good), by URL."""
        found: dict[str, KnownPage] = {}
        unique = list(dict.fromkeys(urls))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            rows = self.connection.execute(
                "SELECT url, site, canonical_url, first_seen, published, lastmod, fetched_at FROM pages "
                f"WHERE url IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((row[0], KnownPage(*row)) for row in rows)
        return found

    def record_page(self, page: KnownPage) -> None:
        """Remember a page fetched for good: its first site, ``first_seen`` and newest ``lastmod`` are kept."""
        self.connection.execute(
            "INSERT INTO pages (url, site, canonical_url, first_seen, published, lastmod, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
            "canonical_url = COALESCE(excluded.canonical_url, pages.canonical_url), "
            "published = COALESCE(excluded.published, pages.published), "
            "lastmod = CASE WHEN pages.lastmod IS NULL OR excluded.lastmod > pages.lastmod "
            "THEN COALESCE(excluded.lastmod, pages.lastmod) ELSE pages.lastmod END, "
            "fetched_at = excluded.fetched_at",
            (
                page.url,
                page.site,
                page.canonical_url,
                page.first_seen,
                page.published,
                page.lastmod,
                page.fetched_at,
            ),
        )

    # -- conditional GET --------------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """``(etag, last_modified)`` last seen for ``url``."""
        row = self.connection.execute(
            "SELECT etag, last_modified FROM validators WHERE url = ?", (url,)
        ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(
        self, url: str, site: str, validators: tuple[str | None, str | None], now: str
    ) -> None:
        """Remember the ``(etag, last_modified)`` a response of ``site`` gave for ``url``."""
        self.connection.execute(
            "INSERT INTO validators (url, site, etag, last_modified, checked_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "checked_at = excluded.checked_at",
            (url, site, *validators, now),
        )

    # -- pending page requests --------------------------------------------------------------------

    def add_pending(self, requests: Sequence[PendingRequest], now: str) -> None:
        """Remember discovered page URLs until they are finished (URLs already pending keep their entry)."""
        with self._transaction():
            self.connection.executemany(
                "INSERT OR IGNORE INTO pending (url, site, source, listed_date, added_at) VALUES (?, ?, ?, ?, ?)",
                [(r.url, r.site, r.source, r.listed_date, now) for r in requests],
            )

    def finish_pending(self, url: str) -> None:
        """Forget a pending URL: its page was written, dropped or failed for good."""
        self.connection.execute("DELETE FROM pending WHERE url = ?", (url,))

    def pending(self, sites: list[str]) -> list[PendingRequest]:
        """Pending page URLs of the given sites, oldest first."""
        marks = ",".join("?" * len(sites))
        rows = self.connection.execute(
            f"SELECT url, site, source, listed_date FROM pending WHERE site IN ({marks}) "
            "ORDER BY added_at, rowid",
            sites,
        ).fetchall()
        return [PendingRequest(*row) for row in rows]

    # -- feeds ------------------------------------------------------------------------------------

    def remember_feed(self, site: str, url: str) -> None:
        """Remember a feed found on ``site``."""
        self.connection.execute("INSERT OR IGNORE INTO feeds (site, url) VALUES (?, ?)", (site, url))

    def feeds(self, site: str) -> list[str]:
        """The feeds found on ``site`` by earlier runs."""
        return [row[0] for row in self.connection.execute("SELECT url FROM feeds WHERE site = ?", (site,))]

    # -- runs -------------------------------------------------------------------------------------

    def start_run(self, crawl_id: str, sites: list[str], now: str) -> None:
        """Record that a run started."""
        self.connection.execute(
            "INSERT OR REPLACE INTO runs (crawl_id, sites, started_at) VALUES (?, ?, ?)",
            (crawl_id, json.dumps(sites), now),
        )

    def finish_run(self, crawl_id: str, status: str, written: int, now: str) -> None:
        """Record how a run ended."""
        self.connection.execute(
            "UPDATE runs SET finished_at = ?, status = ?, written = ? WHERE crawl_id = ?",
            (now, status, written, crawl_id),
        )

    def summary(self) -> dict[str, Any]:
        """What the state holds: articles and pending URLs per site, and the last runs."""
        articles = dict(
            self.connection.execute("SELECT site, COUNT(*) FROM articles GROUP BY site").fetchall()
        )
        pending = dict(self.connection.execute("SELECT site, COUNT(*) FROM pending GROUP BY site").fetchall())
        runs = self.connection.execute(
            "SELECT crawl_id, sites, started_at, finished_at, status, written FROM runs "
            "ORDER BY started_at DESC LIMIT 10"
        ).fetchall()
        return {
            "sites": {
                site: {"articles": articles.get(site, 0), "pending": pending.get(site, 0)}
                for site in sorted(set(articles) | set(pending))
            },
            "validators": self.connection.execute("SELECT COUNT(*) FROM validators").fetchone()[0],
            "runs": [
                {
                    "crawl_id": crawl_id,
                    "sites": json.loads(sites),
                    "started_at": started,
                    "finished_at": finished,
                    "status": status,
                    "written": written,
                }
                for crawl_id, sites, started, finished, status, written in runs
            ],
        }


class _Transaction:
    """``with state._transaction():`` runs the block in one SQLite transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self.connection.execute("COMMIT" if kind is None else "ROLLBACK")
