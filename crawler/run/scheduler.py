"""Which scheduler a run uses: Scrapy's, its queue on disk for the length of the run, or with ``REDIS_URL``
the shared one on Redis.

The crawl state, not Scrapy's ``JOBDIR``, is what a run resumes from. ``JOBDIR``'s request queue and
``requests.seen`` are consistent only after a graceful stop: after a SIGKILL they hold fingerprints of
requests that are in no queue any more, and a resumed crawl would never make them. So a run's queue and
duplicate filter last as long as the run, whatever ``JOBDIR`` says (``JOBDIR`` still keeps
``spider.state``); a resumed run asks again for every URL the state holds pending and reads the discovery
documents again (with conditional GET, so it costs little), and nothing persisted can hide a pending URL.

They are on disk all the same, so that the crawl process does not grow with the size of the run: the
queued requests in Scrapy's disk queues (``SCHEDULER_DISK_QUEUE``) in a temporary folder of the run's,
deleted when the scheduler closes (or, after a kill, by the next run on the machine), and the fingerprints of the duplicate filter in the run's own temporary
database (``crawler.store.run_sets``). A request that cannot be serialised stays in memory
(``scheduler/unserializable``).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.job import job_dir
from scrapy.utils.misc import load_object

from crawler.store import uses_redis
from crawler.store.run_sets import RunSets

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Request
    from scrapy.settings import BaseSettings
    from scrapy.utils.request import RequestFingerprinterProtocol
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

QUEUE_PREFIX = "newscrawl-queue-"  # then the pid of the crawl process: newscrawl-queue-4711-k2j3h4


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def queue_folder() -> str:
    """A new temporary folder for a run's request queue; those of crawl processes that are gone (killed)
    are deleted first.
    """
    for stale in Path(tempfile.gettempdir()).glob(f"{QUEUE_PREFIX}*-*"):
        pid = stale.name.removeprefix(QUEUE_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{QUEUE_PREFIX}{os.getpid()}-")


class SchedulerAddon:
    """Use :class:`RunScheduler`; with ``REDIS_URL``, scrapy-redis's shared queue and duplicate filter instead."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Set ``SCHEDULER`` (and, on Redis, ``DUPEFILTER_CLASS``) at add-on priority: ``-s`` still wins."""
        if not uses_redis(settings):
            settings.set("SCHEDULER", "crawler.run.scheduler.RunScheduler", "addon")
            return
        settings.set("SCHEDULER", "crawler.run.distributed.SharedScheduler", "addon")
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", "addon")
        settings.set("SCHEDULER_PERSIST", True, "addon")  # workers that finish first must not clear it


class RunDupeFilter(RFPDupeFilter):
    """Scrapy's duplicate filter with the fingerprints of the run in a run set on disk (``fingerprints``)."""

    def __init__(
        self, sets: RunSets, *, debug: bool = False, fingerprinter: RequestFingerprinterProtocol | None = None
    ) -> None:
        super().__init__(debug=debug, fingerprinter=fingerprinter)
        self.sets = sets

    def request_seen(self, request: Request) -> bool:
        """Whether a request with the same fingerprint was seen in this run; it is noted now."""
        return not self.sets.add("fingerprints", [self.fingerprinter.fingerprint(request)])

    def close(self, reason: str) -> None:
        """Forget the fingerprints (the run set's file is deleted)."""
        super().close(reason)
        self.sets.close()


class RunScheduler(Scheduler):
    """Scrapy's scheduler with its queue and duplicate filter on disk for the length of the run, even when
    ``JOBDIR`` is set.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the scheduler from Scrapy's ``SCHEDULER_*`` settings, with a queue folder of its own."""
        settings = crawler.settings
        if job_dir(settings):
            logger.info(
                "JOBDIR is set: the crawl state, not JOBDIR's request queue, resumes this crawl; the queue "
                "and duplicate filter last as long as the run"
            )
        return cls(
            dupefilter=RunDupeFilter(
                RunSets.open(),
                debug=settings.getbool("DUPEFILTER_DEBUG"),
                fingerprinter=crawler.request_fingerprinter,
            ),
            jobdir=queue_folder(),
            dqclass=load_object(settings["SCHEDULER_DISK_QUEUE"]),
            mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
            logunser=settings.getbool("SCHEDULER_DEBUG"),
            stats=crawler.stats,
            pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
            crawler=crawler,
        )

    def close(self, reason: str) -> Deferred[None] | None:
        """Close the queues and the duplicate filter, and delete the queue folder: nothing of it is resumed."""
        try:
            return super().close(reason)
        finally:
            if self.dqdir is not None:
                shutil.rmtree(Path(self.dqdir).parent, ignore_errors=True)
