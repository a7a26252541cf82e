"""Spider and downloader middlewares of the newscrawl project."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler import settings as defaults
from crawler.state import crawl_state_of
from crawler.urls import normalise_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.state import StateStore

logger = logging.getLogger(__name__)


class UrlNormalisationMiddleware(BaseSpiderMiddleware):
    """Normalise every request URL before it is scheduled, so tracking-link copies are filtered as duplicates.

    Drops the fragment and tracking parameters (``utm_*``, ``fbclid``, ``gclid``…) and sorts the query;
    counts rewritten URLs in ``urls/normalised``.
    """

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        """Return the request with its URL normalised."""
        normalised = normalise_url(request.url)
        if normalised == request.url:
            return request
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("urls/normalised")
        return request.replace(url=normalised)


class NotModified(IgnoreRequest):
    """The server answered 304 Not Modified to a conditional request: nothing new behind this URL."""


class ConditionalRequestMiddleware:
    """Revalidate URLs the crawl state knows: send ``If-None-Match``/``If-Modified-Since``; a 304 is dropped.

    Feeds, sitemaps, listing pages and written articles whose validators were stored are requested
    conditionally; a 304 raises :class:`NotModified` (counted as ``conditional/not_modified``).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware; it is off when ``CONDITIONAL_REQUESTS`` is false."""
        if not crawler.settings.getbool("CONDITIONAL_REQUESTS", True):
            raise NotConfigured("CONDITIONAL_REQUESTS is off")
        return cls(crawler)

    def _state(self) -> StateStore | None:
        return crawl_state_of(self.crawler)

    def process_request(self, request: Request) -> None:
        """Add the stored validators of the request's URL."""
        state = self._state()
        if state is None or getattr(self.crawler.spider, "mode", None) == "archive":
            return  # an archive records every page, so nothing is revalidated
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        etag, last_modified = state.validators(request.url)
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
        if etag or last_modified:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("conditional/requests")

    def process_response(self, request: Request, response: Response) -> Response:
        """Turn a 304 into :class:`NotModified`."""
        if response.status == 304:
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("conditional/not_modified")
            raise NotModified(f"Not modified: {request.url}")
        return response


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
