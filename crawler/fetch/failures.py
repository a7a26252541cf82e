"""What a failed request means for the run: which counter it adds to, and whether its URL is done for good."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawler.fetch.addresses import BlockedAddress, BlockedScheme
from crawler.fetch.compression import DecompressionBomb
from crawler.fetch.conditional import NotModified
from crawler.fetch.decode import NotHtml
from crawler.fetch.politeness import SiteBlocked
from crawler.fetch.redirects import RedirectLoop, TooManyRedirects
from crawler.fetch.site_limit import SiteLimitReached

# Refused for good by newscrawl's own middlewares, which count them where they refuse them.
COUNTED_WHERE_REFUSED = (
    BlockedAddress,
    BlockedScheme,
    DecompressionBomb,
    RedirectLoop,
    TooManyRedirects,
    NotHtml,
)


@dataclass(frozen=True)
class FailureOutcome:
    """``counter``: the site counter to add to (None when counted where refused); ``finished``: the URL is
    done for good and leaves pending (else a later run asks again); ``logged``: worth one INFO line;
    ``gone``: the site says there is no page (404, 410), which a later run asks for again only with a reason.
    """

    counter: str | None
    finished: bool
    logged: bool = False
    gone: bool = False


def failure_outcome(error: BaseException, optional: bool = False) -> FailureOutcome:
    """The outcome of a request that failed with ``error``; ``optional``: a guessed URL such as /sitemap.xml."""
    if isinstance(error, SiteLimitReached):
        return FailureOutcome(f"pending/{error.reason}", finished=False)  # the next run asks again
    if isinstance(error, SiteBlocked):  # counted by the politeness middleware; still pending
        return FailureOutcome(None, finished=False)
    if isinstance(error, COUNTED_WHERE_REFUSED):
        return FailureOutcome(None, finished=True)
    if isinstance(error, NotModified):
        return FailureOutcome("skipped/not_modified", finished=True)
    if isinstance(error, HttpError):
        if optional:
            return FailureOutcome("skipped/absent", finished=False)
        status = error.response.status
        finished = 400 <= status < 500 and status != 429  # 429, 5xx and timeouts stay pending
        return FailureOutcome(
            f"errors/http_{status}", finished=finished, logged=True, gone=status in {404, 410}
        )
    if isinstance(error, IgnoreRequest):  # robots.txt or offsite: Scrapy counts the reason
        return FailureOutcome("skipped/ignored", finished=True)
    return FailureOutcome(f"errors/{type(error).__name__}", finished=False, logged=True)
