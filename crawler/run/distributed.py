"""Distributed crawling on Redis: many ``scrapy crawl`` processes share one frontier (scrapy-redis).

With ``REDIS_URL`` set, ``RedisAddon`` swaps in scrapy-redis's Redis request queue and duplicate
filter, and this module adds what a crawl of many workers needs on top of them:

- **Seeding once.** The first worker of a run seeds the frontier; workers that join a running crawl,
  or resume one whose workers all died, do not.
- **Leases.** A request a worker takes from the queue is leased to it until its page is finished
  (its item written or dropped, or its callback done). A worker whose heartbeat stops for
  ``REDIS_WORKER_TIMEOUT`` seconds is dead: another worker puts its leased requests back on the queue,
  so a killed worker loses nothing.
- **Closing together.** A worker exits only once the shared frontier (queue and every live worker's
  leases) has stayed empty for ``REDIS_IDLE_CLOSE`` seconds, not as soon as its own work runs out.
- **Claims.** Canonical URLs and body hashes are claimed in Redis, so two workers never write the
  same article in one run.

Keys, under ``REDIS_KEY`` (default ``newscrawl:<spider>:<sites>``): ``requests`` (the queue),
``dupefilter``, ``run`` (when and by whom the run was seeded), ``workers`` (worker ids),
``worker:<id>`` (heartbeat, expiring), ``leases:<id>`` (fingerprint -> queued request),
``claims`` (``<kind>:<key>`` -> ``<worker id> <first URL>``) and ``lock``.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from typing import TYPE_CHECKING, Any, cast

import redis
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler import settings as defaults
from crawler.config import ConfigError, source_of

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

LEASE_META = "frontier_lease"

# Take a claim unless another holds it: a live worker, or a written article (owner "*"). A claim of a
# dead worker is taken over (its article was never written). Returns the holder's value, or false.
_CLAIM = """
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held then
    local owner = string.match(held, '^(%S+)')
    if owner == '*' or redis.call('EXISTS', ARGV[4] .. owner) == 1 then
        return held
    end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ' ' .. ARGV[3])
return false
"""


def frontier_key(spider: str, sites: Iterable[str]) -> str:
    """The default key prefix of a distributed crawl: its spider and its sites."""
    return f"newscrawl:{spider}:{','.join(sorted(sites))}"


class SharedFrontier:
    """One worker's view of a distributed crawl's shared frontier in Redis (see the module docstring)."""

    def __init__(self, client: redis.Redis, prefix: str, *, worker_timeout: float, idle_close: float) -> None:
        self.client = client
        self.prefix = prefix
        self.worker_id = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.worker_timeout = worker_timeout
        self.idle_close = idle_close
        self.queue_key = f"{prefix}:requests"
        self.dupefilter_key = f"{prefix}:dupefilter"
        self.leases_key = self._leases_key(self.worker_id)
        self._claim = client.register_script(_CLAIM)
        self._empty_since: float | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings, default_prefix: str) -> Self:
        """Connect to ``REDIS_URL``; a clear error when Redis cannot be reached."""
        url = settings.get("REDIS_URL")
        client = redis.Redis.from_url(url)
        try:
            client.ping()
        except redis.RedisError as error:
            raise ConfigError(
                f"setting REDIS_URL from {source_of(settings, 'REDIS_URL')}: cannot reach Redis at {url!r} ({error}); "
                "expected a running Redis server"
            ) from error
        return cls(
            client,
            settings.get("REDIS_KEY") or default_prefix,
            worker_timeout=settings.getfloat("REDIS_WORKER_TIMEOUT", defaults.REDIS_WORKER_TIMEOUT),
            idle_close=settings.getfloat("REDIS_IDLE_CLOSE", defaults.REDIS_IDLE_CLOSE),
        )

    def _leases_key(self, worker: str) -> str:
        return f"{self.prefix}:leases:{worker}"

    # -- workers ----------------------------------------------------------------------------------

    def heartbeat(self) -> None:
        """Tell the other workers this one is alive."""
        self.client.set(f"{self.prefix}:worker:{self.worker_id}", b"1", px=int(self.worker_timeout * 1000))

    def _registered_workers(self) -> set[str]:
        members = cast("set[bytes]", self.client.smembers(f"{self.prefix}:workers"))
        return {member.decode() for member in members}

    def _live_workers(self) -> set[str]:
        workers = self._registered_workers()
        with self.client.pipeline(transaction=False) as pipe:
            for worker in sorted(workers):
                pipe.exists(f"{self.prefix}:worker:{worker}")
            alive = pipe.execute()
        return {worker for worker, up in zip(sorted(workers), alive, strict=True) if up}

    def begin(self) -> str:
        """Join the crawl; return ``seed`` (a new run: this worker seeds it), ``join`` or ``resume``."""
        with self.client.lock(f"{self.prefix}:lock", timeout=30, blocking_timeout=30):
            self.reclaim_orphans()
            others = self._live_workers() - {self.worker_id}
            self.heartbeat()
            self.client.sadd(f"{self.prefix}:workers", self.worker_id)
            if others:
                return "join"
            if self.client.zcard(self.queue_key):
                return "resume"
            self.client.delete(self.dupefilter_key, f"{self.prefix}:claims")
            self.client.hset(f"{self.prefix}:run", mapping={"seeded_by": self.worker_id, "at": time.time()})
            return "seed"

    def leave(self) -> None:
        """Stop being a worker of the crawl; leased requests not finished go back on the queue."""
        self._requeue(self.worker_id)
        self.client.delete(f"{self.prefix}:worker:{self.worker_id}")
        self.client.srem(f"{self.prefix}:workers", self.worker_id)

    # -- leases -----------------------------------------------------------------------------------

    def lease(self, fingerprint: str, encoded: bytes) -> None:
        """Lease a request taken from the queue to this worker."""
        self.client.hset(self.leases_key, fingerprint, encoded)

    def release(self, fingerprint: str) -> None:
        """The leased request's page is finished."""
        self.client.hdel(self.leases_key, fingerprint)

    def release_all(self) -> None:
        """Every request this worker leased is finished (it is idle)."""
        self.client.delete(self.leases_key)

    def _requeue(self, worker: str) -> int:
        """Put a worker's leased requests back on the queue, first in line; return how many."""
        key = self._leases_key(worker)
        taken = f"{key}:requeuing:{self.worker_id}"
        try:
            self.client.rename(key, taken)  # atomic: one worker requeues a dead worker's leases
        except redis.ResponseError:  # no such key: nothing leased, or another worker took them
            return 0
        encoded = cast("list[bytes]", self.client.hvals(taken))
        if encoded:
            # The queue is scrapy-redis's priority queue: score = -priority; these go first.
            self.client.zadd(self.queue_key, dict.fromkeys(encoded, -1000000))
        self.client.delete(taken)
        return len(encoded)

    def reclaim_orphans(self) -> int:
        """Requeue the leases of dead workers; return how many requests went back on the queue."""
        dead = self._registered_workers() - self._live_workers() - {self.worker_id}
        requeued = 0
        for worker in sorted(dead):
            requeued += self._requeue(worker)
            self.client.srem(f"{self.prefix}:workers", worker)
        if requeued:
            logger.warning(
                "Requeued %(count)d requests of stopped workers %(workers)s",
                {"count": requeued, "workers": ", ".join(sorted(dead))},
            )
        return requeued

    def drained(self, now: float) -> bool:
        """Whether the frontier has stayed empty (no queued and no leased request) for ``idle_close`` s."""
        busy = self.client.zcard(self.queue_key) > 0 or any(
            self.client.hlen(self._leases_key(worker)) for worker in self._live_workers()
        )
        if busy:
            self._empty_since = None
            return False
        if self._empty_since is None:
            self._empty_since = now
        return now - self._empty_since >= self.idle_close

    # -- claims -----------------------------------------------------------------------------------

    def claim(self, kind: str, key: str, value: str) -> str | None:
        """Claim ``key`` for this worker in this run; None when taken now, else the value it was claimed with.

        A claim held by a dead worker is taken over: its article was never written (``settle``).
        """
        held: bytes | None = self._claim(
            keys=[f"{self.prefix}:claims"],
            args=[f"{kind}:{key}", self.worker_id, value, f"{self.prefix}:worker:"],
        )
        return held.decode().split(" ", 1)[1] if held else None

    def settle(self, claims: dict[str, str]) -> None:
        """The article of these claims (kind -> key) is written: no worker may take them over any more."""
        key = f"{self.prefix}:claims"
        with self.client.pipeline() as pipe:
            for kind, claimed in claims.items():
                pipe.hget(key, f"{kind}:{claimed}")
            held = pipe.execute()
            for (kind, claimed), value in zip(claims.items(), held, strict=True):
                first = value.decode().split(" ", 1)[1] if value else ""
                pipe.hset(key, f"{kind}:{claimed}", f"* {first}")
            pipe.execute()


def frontier_of(crawler: Crawler) -> SharedFrontier | None:
    """The shared frontier of the running spider, when it crawls on Redis."""
    frontier = getattr(crawler.spider, "frontier", None)
    return frontier if isinstance(frontier, SharedFrontier) else None


class RedisAddon:
    """With ``REDIS_URL`` set, crawl from a Redis queue and duplicate filter shared by every worker."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Swap in the shared scheduler; without ``REDIS_URL`` nothing changes."""
        if not settings.get("REDIS_URL"):
            return
        settings.set("SCHEDULER", "crawler.run.distributed.SharedScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")  # workers that finish first must not clear it


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler with this crawl's keys, leases, and stats without the deprecated spider."""

    frontier: SharedFrontier
    seen_here: set[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the scheduler on the spider's shared frontier."""
        frontier = frontier_of(crawler)
        if frontier is None:
            raise NotConfigured("SharedScheduler needs a spider that crawls on Redis (REDIS_URL)")
        scheduler = cls(
            frontier.client,
            persist=True,
            queue_key=frontier.queue_key,
            dupefilter=RFPDupeFilter(frontier.client, frontier.dupefilter_key),
        )
        scheduler.stats = crawler.stats
        scheduler.frontier = frontier
        scheduler.seen_here = set()
        return scheduler

    def close(self, reason: str) -> None:
        """Leave the crawl; the queue and duplicate filter stay for the other workers."""
        self.frontier.leave()

    def enqueue_request(self, request: Request) -> bool:
        """Queue a request unless the shared duplicate filter has seen it.

        Fingerprints this worker already filtered or queued are remembered here too (about 100 bytes
        each), so a link found on many pages costs one Redis round trip, not one per page.
        """
        if not request.dont_filter:
            fingerprint = self.df.request_fingerprint(request)
            if fingerprint in self.seen_here or self.df.server.sadd(self.df.key, fingerprint) == 0:
                self.seen_here.add(fingerprint)
                self.df.log(request, self.spider)
                return False
            self.seen_here.add(fingerprint)
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        """Take the next request from the shared queue, leased to this worker."""
        request: Request | None = self.queue.pop()
        if request is None:
            return None
        fingerprint = self.df.request_fingerprint(request)
        self.frontier.lease(fingerprint, self.queue._encode_request(request))
        request.meta[LEASE_META] = fingerprint
        self.stats.inc_value("scheduler/dequeued/redis")
        return request


class FrontierWatch:
    """Heartbeat, lease release and closing of a worker of a distributed crawl; count ``frontier/*``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.heartbeat = task.LoopingCall(self._beat)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Watch the frontier when the crawl runs on Redis; otherwise not configured."""
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        watch = cls(crawler)
        crawler.signals.connect(watch.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(watch.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(watch.spider_closed, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(watch.item_done, signal=signal)
        return watch

    @property
    def frontier(self) -> SharedFrontier:
        frontier = frontier_of(self.crawler)
        assert frontier is not None
        return frontier

    def _beat(self) -> None:
        self.frontier.heartbeat()
        requeued = self.frontier.reclaim_orphans()
        if requeued:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("frontier/requeued", requeued)
        # An idle engine looks at its scheduler only every few seconds; other workers may have queued
        # requests since, so look now.
        nextcall = getattr(getattr(self.crawler.engine, "_slot", None), "nextcall", None)
        if nextcall is not None:
            nextcall.schedule()

    def spider_opened(self) -> None:
        """Start the heartbeat: every second, or a third of a shorter worker timeout."""
        self.heartbeat.start(min(1.0, self.frontier.worker_timeout / 3), now=True)

    def item_done(self, response: Response | None = None) -> None:
        """An article page is finished: written, dropped or failed."""
        lease = response.meta.get(LEASE_META) if response is not None and response.request else None
        if lease:
            self.frontier.release(lease)

    def spider_idle(self) -> None:
        """Keep the worker until the shared frontier has stayed empty for ``REDIS_IDLE_CLOSE`` seconds."""
        self.frontier.release_all()  # idle: every request this worker took is finished
        self._beat()
        if not self.frontier.drained(time.monotonic()):
            raise DontCloseSpider

    def spider_closed(self) -> None:
        """Stop the heartbeat."""
        if self.heartbeat.running:
            self.heartbeat.stop()


class LeaseMiddleware:
    """Release the lease of a page whose callback yielded no article once all its output is queued."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Active when the crawl runs on Redis."""
        if not crawler.settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is not set")
        return cls(crawler)

    async def process_spider_output(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        """Pass the output on; then release the page's lease unless it yielded an item (released when done)."""
        yielded_item = False
        async for element in result:
            yielded_item = yielded_item or not isinstance(element, Request)
            yield element
        lease = response.meta.get(LEASE_META)
        frontier = frontier_of(self.crawler)
        if lease and frontier is not None and not yielded_item:
            frontier.release(lease)
