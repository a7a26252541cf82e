"""UrlNormalisationMiddleware: every request URL normalised before it is scheduled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from crawler.stats import count
from crawler.urls import normalise_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


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
        count(self.crawler.stats, "urls/normalised")
        return request.replace(url=normalised)
