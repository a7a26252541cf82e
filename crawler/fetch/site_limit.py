"""SiteLimitMiddleware: at most ``NEWS_MAX_PAGES_PER_SITE`` requests to one site in one run."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler import settings as defaults

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class SiteLimitReached(IgnoreRequest):
    """The site has had ``NEWS_MAX_PAGES_PER_SITE`` requests in this run; the URL stays pending for the next."""


class SiteLimitMiddleware:
    """Stop requesting a site once it has had ``NEWS_MAX_PAGES_PER_SITE`` requests in this run (0: no limit).

    Later requests to it raise :class:`SiteLimitReached` (counted as ``skipped/page_limit`` for the site,
    so the end-of-run summary says so); the limit is logged once per site.
    """

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self.requests: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware; it is off when the limit is 0."""
        limit = crawler.settings.getint("NEWS_MAX_PAGES_PER_SITE", defaults.NEWS_MAX_PAGES_PER_SITE)
        if limit <= 0:
            raise NotConfigured("NEWS_MAX_PAGES_PER_SITE is 0")
        return cls(crawler, limit)

    def process_request(self, request: Request) -> None:
        """Count the request against its site; refuse it past the limit."""
        site = request.meta.get("site")
        if site is None:
            return
        count = self.requests.get(site, 0)
        if count >= self.limit:
            if count == self.limit:
                logger.warning(
                    "Site %(site)s reached NEWS_MAX_PAGES_PER_SITE (%(limit)d requests): no more in this run",
                    {"site": site, "limit": self.limit},
                )
                self.requests[site] = count + 1
            raise SiteLimitReached(f"site {site} reached its page limit")
        self.requests[site] = count + 1
