"""The shared frontier of a distributed crawl in Redis: which worker seeds, leases, claims, when all is done.

Keys, under ``REDIS_KEY`` (default ``newscrawl:<spider>:<sites>``): ``requests`` (scrapy-redis's queue),
``dupefilter``, ``run`` (when and by whom the run was seeded), ``workers`` (worker ids),
``worker:<id>`` (heartbeat, expiring), ``leases:<id>`` (SHA-1 of a queued request -> the request),
``claims`` (``<kind>:<key>`` -> ``<worker id> <first URL>``) and ``lock``. A request enters the queue in
one step with its fingerprint (``push``) and leaves it in one step with its lease (``pop``), so a worker
killed at any moment loses none. The Scrapy components that use it are in ``crawler.run.distributed``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import socket
import time
from typing import TYPE_CHECKING, cast

import redis

from crawler import settings as defaults
from crawler.config import source_of
from crawler.store.redis_client import connect_redis

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Self

    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

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


# Queue a request, unless its fingerprint (when given) was seen. KEYS: duplicate filter, queue.
# ARGV: fingerprint ('' for a request that bypasses the filter), encoded request, score (-priority).
_PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
    return 0
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1
"""

# Take the first request off the queue and lease it to this worker under its SHA-1. KEYS: queue, leases.
_POP = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then
    return false
end
redis.call('ZREM', KEYS[1], first[1])
redis.call('HSET', KEYS[2], redis.sha1hex(first[1]), first[1])
return first[1]
"""


def lease_key(encoded: bytes) -> str:
    """The field under which a request taken from the queue is leased: the SHA-1 of its encoding."""
    return hashlib.sha1(encoded).hexdigest()


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
        self._push = client.register_script(_PUSH)
        self._pop = client.register_script(_POP)
        self._empty_since: float | None = None

    @classmethod
    def from_settings(cls, settings: BaseSettings, default_prefix: str) -> Self:
        """Connect to ``REDIS_URL``; ``RedisUnavailable`` (a ``ConfigError``) when Redis cannot be reached."""
        where = f"setting REDIS_URL from {source_of(settings, 'REDIS_URL')}"
        client = connect_redis(settings.get("REDIS_URL"), "the shared frontier", where)
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
        """Join the crawl; return ``join`` (other workers are crawling), ``seed`` (a new run) or ``resume``
        (the rest of a run whose workers all stopped); this worker seeds the last two.

        A resumed run is seeded again from the crawl state, which holds every URL it left pending: the
        stopped run's queue and duplicate filter are dropped, so that nothing they lost or marked seen hides
        a pending URL. Its claims stay, so that an article it wrote is not written again.
        """
        with self.client.lock(f"{self.prefix}:lock", timeout=30, blocking_timeout=30):
            others = self._live_workers() - {self.worker_id}
            left = False
            if others:
                self.reclaim_orphans()
            else:  # every worker of the last run stopped: what they held is pending in the crawl state
                dead = sorted(self._registered_workers() - {self.worker_id})
                leases = [self._leases_key(worker) for worker in dead]
                left = bool(self.client.zcard(self.queue_key) or (leases and self.client.exists(*leases)))
                stale = [self.queue_key, self.dupefilter_key, *leases]
                self.client.delete(*stale, *([] if left else [f"{self.prefix}:claims"]))
                if dead:
                    self.client.srem(f"{self.prefix}:workers", *dead)
                self.client.hset(
                    f"{self.prefix}:run", mapping={"seeded_by": self.worker_id, "at": time.time()}
                )
            self.heartbeat()
            self.client.sadd(f"{self.prefix}:workers", self.worker_id)
            return "join" if others else "resume" if left else "seed"

    def leave(self) -> None:
        """Stop being a worker of the crawl; leased requests not finished go back on the queue."""
        self._requeue(self.worker_id)
        self.client.delete(f"{self.prefix}:worker:{self.worker_id}")
        self.client.srem(f"{self.prefix}:workers", self.worker_id)

    # -- the queue and leases ---------------------------------------------------------------------

    def push(self, fingerprint: str | None, encoded: bytes, priority: int) -> bool:
        """Queue an encoded request unless its ``fingerprint`` was seen (None: queue it anyway); whether queued."""
        queued = self._push(
            keys=[self.dupefilter_key, self.queue_key], args=[fingerprint or "", encoded, -priority]
        )
        return bool(queued)

    def pop(self) -> bytes | None:
        """Take the first request off the queue, leased to this worker (under :func:`lease_key`)."""
        encoded: bytes | None = self._pop(keys=[self.queue_key, self.leases_key])
        return encoded

    def release(self, lease: str) -> None:
        """The leased request's page is finished."""
        self.client.hdel(self.leases_key, lease)

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
