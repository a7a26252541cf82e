"""ConditionalRequestMiddleware: revalidate what the crawl state knows with ``If-None-Match``/``If-Modified-Since``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.run.context import run_of
from crawler.stats import count

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


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

    def process_request(self, request: Request) -> None:
        """Add the stored validators of the request's URL."""
        run = run_of(self.crawler)
        if run is None or run.mode == "archive":
            return  # an archive records every page, so nothing is revalidated
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        etag, last_modified = run.ledger.validators(request.url)
        if etag:
            request.headers[b"If-None-Match"] = etag
        if last_modified:
            request.headers[b"If-Modified-Since"] = last_modified
        if etag or last_modified:
            assert self.crawler.stats is not None
            count(self.crawler.stats, "conditional/requests")

    def process_response(self, request: Request, response: Response) -> Response:
        """Turn a 304 into :class:`NotModified`."""
        if response.status == 304:
            assert self.crawler.stats is not None
            count(self.crawler.stats, "conditional/not_modified")
            raise NotModified(f"Not modified: {request.url}")
        return response
