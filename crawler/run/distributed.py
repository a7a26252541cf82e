"""Distributed crawling on Redis: many ``scrapy crawl`` processes share one frontier (scrapy-redis).

With ``REDIS_URL`` set, ``crawler.run.scheduler.SchedulerAddon`` swaps in scrapy-redis's Redis request
queue and duplicate filter, and this module adds what a crawl of many workers needs on top of them:

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

The frontier itself (its Redis keys, leases and claims) is ``crawler.store.frontier.SharedFrontier``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.run.context import run_of
from crawler.stats import count
from crawler.store import uses_redis
from crawler.store.frontier import lease_key

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.store.frontier import SharedFrontier


LEASE_META = "frontier_lease"


def frontier_of(crawler: Crawler) -> SharedFrontier | None:
    """The shared frontier of ``crawler``'s run, when it crawls on Redis."""
    run = run_of(crawler)
    return run.frontier if run is not None else None


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
        """Queue a request unless the shared duplicate filter has seen it (one step in Redis).

        Fingerprints this worker already filtered or queued are remembered here too (about 100 bytes
        each), so a link found on many pages costs one Redis round trip, not one per page.
        """
        fingerprint = None if request.dont_filter else self.df.request_fingerprint(request)
        if fingerprint is not None:
            seen = fingerprint in self.seen_here
            self.seen_here.add(fingerprint)
            if seen:
                self.df.log(request, self.spider)
                return False
        if not self.frontier.push(fingerprint, self.queue._encode_request(request), request.priority):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        """Take the next request from the shared queue, leased to this worker (one step in Redis)."""
        encoded = self.frontier.pop()
        if encoded is None:
            return None
        request: Request = self.queue._decode_request(encoded)
        request.meta[LEASE_META] = lease_key(encoded)
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
        if not uses_redis(crawler.settings):
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
            count(self.crawler.stats, "frontier/requeued", n=requeued)
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
        if not uses_redis(crawler.settings):
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
