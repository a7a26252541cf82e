"""``scrapy crawl``, with an exit status that says whether the run succeeded (for cron and systemd)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

if TYPE_CHECKING:
    import argparse

    from scrapy.crawler import Crawler

EXIT_FAILED = 1  # the crawl could not start (bad arguments, sites file or settings)
EXIT_UNSUCCESSFUL = 3  # the crawl ran but did not succeed (closed early, errors logged, nothing fetched)


def run_succeeded(crawler: Crawler) -> bool:
    """Whether a finished crawl succeeded: closed as ``finished``, with no logged error."""
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return stats.get("finish_reason") == "finished" and not stats.get("log_count/ERROR")


class Command(ScrapyCrawlCommand):
    """Scrapy's ``crawl``; exits 0 when the run succeeded, 1 when it could not start, 3 when it did not succeed."""

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Run the spider and set the exit status from its outcome."""
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. scrapy crawl news")
        assert self.crawler_process is not None
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_FAILED
        elif not run_succeeded(crawler):
            self.exitcode = EXIT_UNSUCCESSFUL
