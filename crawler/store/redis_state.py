"""The crawl state in Redis, shared by every ``scrapy crawl`` process of a distributed crawl (``REDIS_URL``).

Same methods and semantics as the SQLite ``crawler.store.sqlite_state.CrawlState``. Keys, under the prefix
(``newscrawl:state`` by default); values are JSON objects with the columns of the SQLite table:

- ``<prefix>:articles``: hash canonical URL → article (site, first and last seen, content hash, version,
  publication date, ``ETag``/``Last-Modified``).
- ``<prefix>:validators``: hash URL → ``ETag``/``Last-Modified``, site and time checked.
- ``<prefix>:pages``: hash URL → page fetched for good (site, its article's canonical URL or null,
  first seen, publication date, the newest date a discovery source gave for it, last fetched).
- ``<prefix>:pending``: hash URL → pending request (site, source, listed date, time added, and ``seq``
  from the counter ``<prefix>:pending:seq``, which orders requests added in the same second).
- ``<prefix>:runs``: hash crawl id → run (sites, start, end, status, articles written).
- ``<prefix>:site:<site>:articles``, ``…:pages`` and ``…:validators``: sets of the site's URLs in the
  three hashes, to count and forget them by site; ``<prefix>:site:<site>:feeds``: set of its feeds.
- ``<prefix>:sites``: set of the sites that have such keys.
- ``<prefix>:neardup:*``: the near-duplicate index (``crawler.dedup.redis_index``).

Writes of articles, validators and pending URLs are Lua scripts, and a reset or the end of a run is a
``MULTI`` transaction retried when a watched key changes under it, so concurrent workers never lose
each other's writes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from crawler.dedup.redis_index import DEFAULT_PREFIX, RedisNearDuplicateIndex, check_bytes_client
from crawler.store.protocols import KnownArticle, KnownPage, PendingRequest
from crawler.store.redis_client import connect_redis

if TYPE_CHECKING:
    from collections.abc import Sequence

    import redis
    from redis.client import Pipeline

# KEYS: the hash[, the site's set of fields, the set of sites].
# ARGV: field, JSON of the values to update when it exists[, JSON to insert when it does not, site].
# Only for values without lists: cjson would re-encode an empty list as an object.
_UPSERT = """
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
    local value = cjson.decode(old)
    for name, new in pairs(cjson.decode(ARGV[2])) do
        value[name] = new
    end
    redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(value))
elseif ARGV[3] then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
    redis.call('SADD', KEYS[2], ARGV[1])
    redis.call('SADD', KEYS[3], ARGV[4])
end
"""

# KEYS: pending hash, counter. ARGV: URL, JSON of the request (stored with the next seq unless present).
_ADD_PENDING = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
    local value = cjson.decode(ARGV[2])
    value.seq = redis.call('INCR', KEYS[2])
    redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(value))
end
"""

# KEYS: pages hash, the site's set of pages, the set of sites. ARGV: URL, JSON of the page, site.
# A page seen again keeps its first site and first_seen, its canonical URL and publication date unless
# new ones are given, and the newest lastmod (UTC ISO strings compare as text).
_RECORD_PAGE = """
local new = cjson.decode(ARGV[2])
local old = redis.call('HGET', KEYS[1], ARGV[1])
if old then
    local value = cjson.decode(old)
    new.site = value.site
    new.first_seen = value.first_seen
    if new.canonical_url == cjson.null then
        new.canonical_url = value.canonical_url
    end
    if new.published == cjson.null then
        new.published = value.published
    end
    if value.lastmod ~= cjson.null and (new.lastmod == cjson.null or value.lastmod > new.lastmod) then
        new.lastmod = value.lastmod
    end
else
    redis.call('SADD', KEYS[2], ARGV[1])
    redis.call('SADD', KEYS[3], ARGV[3])
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(new))
"""

_INDEXED = ("articles", "pages", "validators")  # the hashes whose fields have a set per site
_CHUNK = 500  # fields per HMGET


class RedisCrawlState:
    """The crawl state in one Redis, under ``prefix``; the client must not decode responses."""

    def __init__(self, client: redis.Redis, prefix: str = DEFAULT_PREFIX) -> None:
        check_bytes_client(client)
        self.client = client
        self.prefix = prefix
        self._upsert_script = client.register_script(_UPSERT)
        self._add_pending_script = client.register_script(_ADD_PENDING)
        self._record_page_script = client.register_script(_RECORD_PAGE)

    @classmethod
    def open(cls, url: str, prefix: str = DEFAULT_PREFIX) -> RedisCrawlState:
        """Connect to the Redis at ``url``; ``RedisUnavailable`` naming it when it does not answer."""
        return cls(connect_redis(url, "the crawl state"), prefix)

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def near_duplicate_index(self, threshold: float) -> RedisNearDuplicateIndex:
        """The near-duplicate index kept with this state, at ``threshold``."""
        return RedisNearDuplicateIndex(self.client, self.prefix, threshold=threshold)

    def reset(self, sites: list[str] | None = None) -> None:
        """Forget everything (``sites=None``) or everything about the given sites."""
        if sites is None:
            self.client.transaction(self._forget_all, self._key("sites"))
        else:
            watched = [
                self._key("pending"),
                *(self._key("site", s, kind) for s in sites for kind in _INDEXED),
            ]
            self.client.transaction(lambda pipe: self._forget_sites(pipe, sites), *watched)

    def _forget_all(self, pipe: Pipeline) -> None:
        sites = [_decoded(site) for site in pipe.smembers(self._key("sites"))]
        pipe.multi()
        hashes = (*_INDEXED, "pending", "runs", "sites")
        pipe.delete(*(self._key(name) for name in hashes), *self._site_keys(sites))

    def _forget_sites(self, pipe: Pipeline, sites: list[str]) -> None:
        urls = {
            kind: set().union(*(pipe.smembers(self._key("site", s, kind)) for s in sites))
            for kind in _INDEXED
        }
        urls["pending"] = {url for url, row in self._pending_rows(pipe) if row["site"] in sites}
        pipe.multi()
        for kind, doomed in urls.items():
            if doomed:
                pipe.hdel(self._key(kind), *doomed)
        if sites:
            pipe.delete(*self._site_keys(sites))
            pipe.srem(self._key("sites"), *sites)

    def _site_keys(self, sites: list[str]) -> list[str]:
        return [self._key("site", site, kind) for site in sites for kind in (*_INDEXED, "feeds")]

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    def _upsert(
        self, kind: str, field: str, update: dict[str, Any], insert: dict[str, Any] | None = None
    ) -> None:
        """Update ``update``'s values of ``field`` in the ``kind`` hash, or insert ``insert`` when it is new."""
        if insert is None:
            self._upsert_script(keys=[self._key(kind)], args=[field, json.dumps(update)])
            return
        site = insert["site"]
        self._upsert_script(
            keys=[self._key(kind), self._key("site", site, kind), self._key("sites")],
            args=[field, json.dumps(update), json.dumps(insert), site],
        )

    # -- articles ---------------------------------------------------------------------------------

    def article(self, canonical_url: str) -> KnownArticle | None:
        """The remembered article with this canonical URL, if any."""
        value = self.client.hget(self._key("articles"), canonical_url)
        if value is None:
            return None
        row = json.loads(value)
        return KnownArticle(
            canonical_url,
            row["site"],
            row["first_seen"],
            row["last_seen"],
            row["content_hash"],
            row["version"],
            row["date_published"],
        )

    def record_article(
        self,
        record: dict[str, Any],
        site: str,
        now: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Remember a written article (insert, or update its hash, version and last-seen time)."""
        update = {
            "last_seen": now,
            "content_hash": record["content_hash"],
            "version": record.get("version") or 1,
            "date_published": record.get("date_published"),
            "etag": etag,
            "last_modified": last_modified,
        }
        insert = {"site": site, "first_seen": record.get("first_seen") or now, **update}
        self._upsert("articles", record["canonical_url"], update, insert)

    def touch_article(self, canonical_url: str, now: str) -> None:
        """Note that an unchanged article was seen again."""
        self._upsert("articles", canonical_url, {"last_seen": now})

    # -- known pages ------------------------------------------------------------------------------

    def pages(self, urls: Sequence[str]) -> dict[str, KnownPage]:
        """The known pages among ``urls`` (URLs fetched for good), by URL."""
        found: dict[str, KnownPage] = {}
        unique = list(dict.fromkeys(urls))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            for url, value in zip(chunk, self.client.hmget(self._key("pages"), chunk), strict=True):
                if value is not None:
                    row = json.loads(value)
                    found[url] = KnownPage(
                        url,
                        row["site"],
                        row["canonical_url"],
                        row["first_seen"],
                        row["published"],
                        row["lastmod"],
                        row["fetched_at"],
                    )
        return found

    def record_page(self, page: KnownPage) -> None:
        """Remember a page fetched for good: its first site, ``first_seen`` and newest ``lastmod`` are kept."""
        value = {
            "site": page.site,
            "canonical_url": page.canonical_url,
            "first_seen": page.first_seen,
            "published": page.published,
            "lastmod": page.lastmod,
            "fetched_at": page.fetched_at,
        }
        self._record_page_script(
            keys=[self._key("pages"), self._key("site", page.site, "pages"), self._key("sites")],
            args=[page.url, json.dumps(value), page.site],
        )

    # -- conditional GET --------------------------------------------------------------------------

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """``(etag, last_modified)`` last seen for ``url``."""
        value = self.client.hget(self._key("validators"), url)
        if value is None:
            return None, None
        row = json.loads(value)
        return row["etag"], row["last_modified"]

    def save_validators(
        self, url: str, site: str, validators: tuple[str | None, str | None], now: str
    ) -> None:
        """Remember the ``(etag, last_modified)`` a response of ``site`` gave for ``url``."""
        etag, last_modified = validators
        update = {"etag": etag, "last_modified": last_modified, "checked_at": now}
        self._upsert("validators", url, update, {"site": site, **update})

    # -- pending page requests --------------------------------------------------------------------

    def add_pending(self, requests: Sequence[PendingRequest], now: str) -> None:
        """Remember discovered page URLs until they are finished (URLs already pending keep their entry)."""
        keys = [self._key("pending"), self._key("pending", "seq")]
        with self.client.pipeline(transaction=False) as pipe:
            for request in requests:
                value = {
                    "site": request.site,
                    "source": request.source,
                    "listed_date": request.listed_date,
                    "added_at": now,
                }
                self._add_pending_script(keys=keys, args=[request.url, json.dumps(value)], client=pipe)
            pipe.execute()

    def finish_pending(self, url: str) -> None:
        """Forget a pending URL: its page was written, dropped or failed for good."""
        self.client.hdel(self._key("pending"), url)

    def pending(self, sites: list[str]) -> list[PendingRequest]:
        """Pending page URLs of the given sites, oldest first."""
        rows = [(url, row) for url, row in self._pending_rows(self.client) if row["site"] in sites]
        rows.sort(key=lambda pair: (pair[1]["added_at"], pair[1]["seq"]))
        return [PendingRequest(url, row["site"], row["source"], row["listed_date"]) for url, row in rows]

    def _pending_rows(self, client: redis.Redis | Pipeline) -> list[tuple[str, dict[str, Any]]]:
        return [
            (_decoded(url), json.loads(value)) for url, value in client.hgetall(self._key("pending")).items()
        ]

    # -- feeds ------------------------------------------------------------------------------------

    def remember_feed(self, site: str, url: str) -> None:
        """Remember a feed found on ``site``."""
        with self.client.pipeline(transaction=True) as pipe:
            pipe.sadd(self._key("site", site, "feeds"), url)
            pipe.sadd(self._key("sites"), site)
            pipe.execute()

    def feeds(self, site: str) -> list[str]:
        """The feeds found on ``site`` by earlier runs."""
        return sorted(_decoded(url) for url in self.client.smembers(self._key("site", site, "feeds")))

    # -- runs -------------------------------------------------------------------------------------

    def start_run(self, crawl_id: str, sites: list[str], now: str) -> None:
        """Record that a run started."""
        run = {"sites": sites, "started_at": now, "finished_at": None, "status": None, "written": 0}
        self.client.hset(self._key("runs"), crawl_id, json.dumps(run))

    def finish_run(self, crawl_id: str, status: str, written: int, now: str) -> None:
        """Record how a run ended."""

        def update(pipe: Pipeline) -> None:
            value = pipe.hget(self._key("runs"), crawl_id)
            if value is not None:
                run = {**json.loads(value), "finished_at": now, "status": status, "written": written}
                pipe.multi()
                pipe.hset(self._key("runs"), crawl_id, json.dumps(run))

        self.client.transaction(update, self._key("runs"))

    def summary(self) -> dict[str, Any]:
        """What the state holds: articles and pending URLs per site, and the last runs."""
        with self.client.pipeline(transaction=False) as pipe:
            pipe.smembers(self._key("sites"))
            pipe.hlen(self._key("validators"))
            pipe.hgetall(self._key("runs"))
            known, validators, runs = pipe.execute()
        with self.client.pipeline(transaction=False) as pipe:
            for site in known:
                pipe.scard(self._key("site", _decoded(site), "articles"))
            articles = {
                _decoded(site): count for site, count in zip(known, pipe.execute(), strict=True) if count
            }
        pending: dict[str, int] = {}
        for _, row in self._pending_rows(self.client):
            pending[row["site"]] = pending.get(row["site"], 0) + 1
        last_runs = sorted(
            ((_decoded(crawl_id), json.loads(value)) for crawl_id, value in runs.items()),
            key=lambda pair: pair[1]["started_at"],
            reverse=True,
        )[:10]
        return {
            "sites": {
                site: {"articles": articles.get(site, 0), "pending": pending.get(site, 0)}
                for site in sorted(set(articles) | set(pending))
            },
            "validators": validators,
            "runs": [
                {
                    "crawl_id": crawl_id,
                    "sites": run["sites"],
                    "started_at": run["started_at"],
                    "finished_at": run["finished_at"],
                    "status": run["status"],
                    "written": run["written"],
                }
                for crawl_id, run in last_runs
            ],
        }


def _decoded(reply: bytes | str) -> str:
    """A field or member read from Redis, decoded to text (replies are bytes: the client does not decode them)."""
    return reply.decode() if isinstance(reply, bytes) else reply
