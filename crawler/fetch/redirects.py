"""RedirectLimitMiddleware: Scrapy's redirects, with loops cut at once and every drop named and counted."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.stats import count

if TYPE_CHECKING:
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class RedirectLoop(IgnoreRequest):
    """A redirect back to a URL of its own chain: dropped, counted as ``errors/redirect_loop``."""


class TooManyRedirects(IgnoreRequest):
    """A redirect chain longer than ``REDIRECT_MAX_TIMES``: dropped, counted as ``errors/too_many_redirects``."""


class RedirectLimitMiddleware(RedirectMiddleware):
    """Scrapy's redirects (at most ``REDIRECT_MAX_TIMES``), with loops cut at once and every drop counted."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        """Follow a redirect, unless it loops (:class:`RedirectLoop`) or is one too many (:class:`TooManyRedirects`)."""
        assert self.crawler.stats is not None
        try:
            result = super().process_response(request, response)
        except IgnoreRequest as exc:  # Scrapy's only reason: max redirections reached
            count(self.crawler.stats, "errors/too_many_redirects", request.meta.get("site"))
            logger.warning(
                "Dropped %(url)s: more than %(max)d redirects (REDIRECT_MAX_TIMES)",
                {"url": request.meta.get("redirect_urls", [request.url])[0], "max": self.max_redirect_times},
            )
            raise TooManyRedirects(f"More than {self.max_redirect_times} redirects: {request.url}") from exc
        if isinstance(result, Request) and result.url in result.meta.get("redirect_urls", ()):
            count(self.crawler.stats, "errors/redirect_loop", request.meta.get("site"))
            chain = " -> ".join([*result.meta["redirect_urls"], result.url])
            logger.warning("Dropped a redirect loop: %(chain)s", {"chain": chain})
            raise RedirectLoop(f"Redirect loop: {chain}")
        return result
