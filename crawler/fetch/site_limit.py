"""SiteLimitMiddleware: at most ``NEWS_MAX_PAGES_PER_SITE`` page requests sent to one site in one run."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler import settings as defaults
from crawler.fetch.decode import PAGE_META
from crawler.run.budget import pending_reason
from crawler.run.context import run_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class SiteLimitReached(IgnoreRequest):
    """The site's page budget of this run is spent; the URL stays pending for the next run.

    ``reason``: ``budget`` for the news (news sitemaps, feeds, links), ``archive`` for the sitemap backlog.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class SiteLimitMiddleware:
    """Count the page requests sent to each site against ``NEWS_MAX_PAGES_PER_SITE`` (0: no limit); refuse the
    rest with :class:`SiteLimitReached` (counted as ``pending/budget`` or ``pending/archive`` for the site, so
    the end-of-run summary says so). It sits after the robots.txt and address checks: a page they refuse
    is not sent and costs nothing. The limit is logged once per site.
    """

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.reported: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware; it is off when the limit is 0."""
        limit = crawler.settings.getint("NEWS_MAX_PAGES_PER_SITE", defaults.NEWS_MAX_PAGES_PER_SITE)
        if limit <= 0:
            raise NotConfigured("NEWS_MAX_PAGES_PER_SITE is 0")
        return cls(crawler, limit)

    def process_request(self, request: Request) -> None:
        """Count a page request of a site as sent; refuse it past the limit."""
        site = request.meta.get("site")
        run = run_of(self.crawler)
        if site is None or run is None or not request.meta.get(PAGE_META) or run.budget.spend(site):
            return
        if site not in self.reported:
            self.reported.add(site)
            logger.warning(
                "Site %(site)s reached NEWS_MAX_PAGES_PER_SITE (%(limit)d pages): the rest stay pending "
                "for the next run",
                {"site": site, "limit": self.limit},
            )
        raise SiteLimitReached(
            f"site {site} reached its page limit", pending_reason(request.meta.get("source", "links"))
        )
