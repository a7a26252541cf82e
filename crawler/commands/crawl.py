"""``scrapy crawl``, with an exit status that says whether the run succeeded (for cron and systemd)."""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred

from crawler.config import ConfigError
from crawler.run.lock import RunLocked
from crawler.run.manifest import run_succeeded

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)

EXIT_FAILED = 1  # the crawl could not start (bad arguments, sites file or settings)
EXIT_UNSUCCESSFUL = (
    3  # the crawl ran but did not succeed (closed early, errors logged, a site answered nothing)
)
EXIT_LOCKED = 75  # another run is crawling a site on the same OUTPUT_DIR: try again later (EX_TEMPFAIL)
REFUSED = "newscrawl: cannot start: "  # the one line that says why a crawl could not start


class Command(ScrapyCrawlCommand):
    """Scrapy's ``crawl``; exits 0 when the run succeeded, 1 when it could not start, 3 when it did not
    succeed, 75 when another run of one of its sites on the same ``OUTPUT_DIR`` was still going.
    """

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Run the spider and set the exit status from its outcome."""
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. scrapy crawl news")
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        started = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(started, Deferred):
            started.addErrback(lambda failure: self._start_failed(failure.value))
        elif isinstance(started, asyncio.Future):  # Scrapy's asyncio crawler process gives a task
            started.add_done_callback(lambda task: self._start_failed(task.exception()))
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = self.exitcode or EXIT_FAILED
        elif not run_succeeded(crawler.stats.get_stats() if crawler.stats else {}):
            self.exitcode = EXIT_UNSUCCESSFUL

    def _refuse(self, error: ConfigError) -> None:
        """Say in one line why the crawl cannot start; nothing is crawled."""
        sys.stderr.write(f"{REFUSED}{error}\n")
        self.exitcode = EXIT_FAILED

    def _start_failed(self, error: BaseException | None) -> None:
        """A bad setting (``NewscrawlAddon``), spider argument or sites file: one line, no traceback;
        likewise a site another run is crawling (exit 75).
        """
        if isinstance(error, RunLocked):
            sys.stderr.write(f"newscrawl: not started: {error}\n")
            self.exitcode = EXIT_LOCKED
        elif isinstance(error, ConfigError):
            self._refuse(error)
        elif error is not None:
            logger.error("The crawl failed: %(error)r", {"error": error}, exc_info=error)
