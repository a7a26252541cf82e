"""Which scheduler a run uses: Scrapy's, kept in memory, or with ``REDIS_URL`` the shared one on Redis.

The crawl state, not Scrapy's ``JOBDIR``, is what a run resumes from. ``JOBDIR``'s request queue and
``requests.seen`` are consistent only after a graceful stop: after a SIGKILL they hold fingerprints of
requests that are in no queue any more, and a resumed crawl would never make them. So a run keeps its
queue and duplicate filter in memory, whatever ``JOBDIR`` says (``JOBDIR`` still keeps ``spider.state``);
a resumed run asks again for every URL the state holds pending and reads the discovery documents again
(with conditional GET, so it costs little), and nothing persisted can hide a pending URL.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.core.scheduler import Scheduler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.utils.job import job_dir
from scrapy.utils.misc import load_object

from crawler.store import uses_redis

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


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


class RunScheduler(Scheduler):
    """Scrapy's scheduler with its queue and duplicate filter in memory, even when ``JOBDIR`` is set."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the scheduler from Scrapy's ``SCHEDULER_*`` settings, without a job directory."""
        settings = crawler.settings
        if job_dir(settings):
            logger.info(
                "JOBDIR is set: the crawl state, not JOBDIR's request queue, resumes this crawl; the queue "
                "and duplicate filter are kept in memory"
            )
        return cls(
            dupefilter=RFPDupeFilter(
                debug=settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter
            ),
            dqclass=load_object(settings["SCHEDULER_DISK_QUEUE"]),
            mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
            logunser=settings.getbool("SCHEDULER_DEBUG"),
            stats=crawler.stats,
            pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]),
            crawler=crawler,
        )
