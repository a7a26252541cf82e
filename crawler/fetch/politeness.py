"""PolitenessMiddleware: pace each domain's downloader slot by what the site says.

It honours ``Retry-After``, backs off from and then stops a domain that blocks the crawler, and applies
robots.txt ``Crawl-delay``.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import IgnoreRequest

from crawler import settings as defaults
from crawler.stats import count

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.core.downloader import Slot
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser

logger = logging.getLogger(__name__)


# Throttling answers whose Retry-After paces the domain.
THROTTLE_STATUSES = frozenset({429, 503})


# Titles of bot challenges and block pages (Cloudflare, DDoS-Guard, Distil/Imperva, PerimeterX…), lower case.
CHALLENGE_TITLES = frozenset(
    {
        "just a moment...",
        "attention required! | cloudflare",
        "please wait... | cloudflare",
        "ddos-guard",
        "pardon our interruption",
        "are you a robot?",
        "checking your browser",
        "access denied",
    }
)


# Scripts and elements of challenge pages; only trusted on an error answer, as articles may embed a captcha.
CHALLENGE_MARKERS = (
    b"challenge-platform",
    b"cf-chl",
    b"cf_chl",
    b"g-recaptcha",
    b"h-captcha",
    b"px-captcha",
    b"captcha-delivery.com",
    b"_incapsula_resource",
)


# Scrapy 2.19 on the asyncio reactor sends a slot's whole queue at once when the slot's delay is 0 (the loop
# in Downloader._process_queue counts transfers that its tasks only start later), so per-domain concurrency
# holds only with a delay: every slot gets at least this one.
MIN_SLOT_DELAY = 0.001


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class SiteBlocked(IgnoreRequest):
    """A request to a domain the crawl stopped after ``BLOCKED_STOP_AFTER`` blocked answers in a row."""


def retry_after_seconds(value: bytes | None, now: datetime) -> float | None:
    """Seconds a ``Retry-After`` value asks to wait (delay-seconds or an HTTP-date), or None if unreadable."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP-date is always GMT
        return None
    return max(0.0, (when - now).total_seconds())


def is_challenge(response: Response) -> bool:
    """Whether a response is a bot challenge or block page rather than the page asked for."""
    head = response.body[:65536]
    title = _TITLE.search(head)
    if title and title.group(1).strip().decode("utf-8", "replace").lower() in CHALLENGE_TITLES:
        return True
    lowered = head.lower()
    return response.status >= 400 and any(marker in lowered for marker in CHALLENGE_MARKERS)


class _Domain:
    """What the crawl knows about one downloader slot (one host)."""

    crawl_delay: float = 0.0  # robots.txt Crawl-delay, capped: the slot's delay never goes below it
    resume_at: float = 0.0  # monotonic time before which nothing is sent (Retry-After, backoff)
    blocked_in_a_row: int = 0
    stopped: bool = False


class PolitenessMiddleware:
    """Pace each domain's downloader slot by what the site says: ``Retry-After``, blocks, ``Crawl-delay``.

    A 429/503 with ``Retry-After`` pauses the domain that long (at most ``RETRY_AFTER_MAX`` seconds);
    RetryMiddleware retries it. A 403 (``BLOCKED_HTTP_CODES``) or a challenge page is a blocked answer: from
    the ``BLOCKED_BACKOFF_AFTER``-th in a row the domain pauses ``BLOCKED_BACKOFF_DELAY`` seconds, doubling
    each time (at most ``BLOCKED_BACKOFF_MAX_DELAY``); at ``BLOCKED_STOP_AFTER`` in a row it is no longer
    requested. robots.txt ``Crawl-delay`` (at most ``CRAWL_DELAY_MAX``) is a floor under the slot's delay,
    which AutoThrottle would otherwise lower, and the delay of such a slot is not randomised, as
    ``DOWNLOAD_DELAY_JITTER`` would take it below the floor. Counts ``throttled/*`` and ``blocked_by_site/*`` (globally and per site).
    """

    def __init__(
        self,
        crawler: Crawler,
        *,
        retry_after_max: float,
        blocked_codes: frozenset[int],
        backoff_after: int,
        backoff_delay: float,
        backoff_max_delay: float,
        stop_after: int,
        crawl_delay_max: float,
        robots_user_agent: str,
    ) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        self.retry_after_max = retry_after_max
        self.blocked_codes = blocked_codes
        self.backoff_after = backoff_after
        self.backoff_delay = backoff_delay
        self.backoff_max_delay = backoff_max_delay
        self.stop_after = stop_after
        self.crawl_delay_max = crawl_delay_max
        self.robots_user_agent = robots_user_agent
        self.domains: dict[str, _Domain] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Read the ``RETRY_AFTER_*``, ``BLOCKED_*`` and ``CRAWL_DELAY_*`` settings; listen to the downloader."""
        s = crawler.settings
        middleware = cls(
            crawler,
            retry_after_max=s.getfloat("RETRY_AFTER_MAX", defaults.RETRY_AFTER_MAX),
            blocked_codes=frozenset(
                int(c) for c in s.getlist("BLOCKED_HTTP_CODES", defaults.BLOCKED_HTTP_CODES)
            ),
            backoff_after=s.getint("BLOCKED_BACKOFF_AFTER", defaults.BLOCKED_BACKOFF_AFTER),
            backoff_delay=s.getfloat("BLOCKED_BACKOFF_DELAY", defaults.BLOCKED_BACKOFF_DELAY),
            backoff_max_delay=s.getfloat("BLOCKED_BACKOFF_MAX_DELAY", defaults.BLOCKED_BACKOFF_MAX_DELAY),
            stop_after=s.getint("BLOCKED_STOP_AFTER", defaults.BLOCKED_STOP_AFTER),
            crawl_delay_max=s.getfloat("CRAWL_DELAY_MAX", defaults.CRAWL_DELAY_MAX),
            robots_user_agent=s.get("ROBOTSTXT_USER_AGENT") or s.get("USER_AGENT", defaults.USER_AGENT),
        )
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        # Both fire before the slot sends its next request, and after AutoThrottle set the slot's delay.
        crawler.signals.connect(
            middleware.request_reached_downloader, signal=signals.request_reached_downloader
        )
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    # -- the downloader slots ---------------------------------------------------------------------

    def _slot(self, key: str) -> Slot | None:
        assert self.crawler.engine is not None
        return self.crawler.engine.downloader.slots.get(key)

    def _slot_key(self, request: Request) -> str:
        assert self.crawler.engine is not None
        return self.crawler.engine.downloader.get_slot_key(request)

    def _pace(self, key: str) -> None:
        """Apply the domain's crawl-delay floor and pause to its slot."""
        slot = self._slot(key)
        if slot is None:
            return
        domain = self.domains.get(key)
        slot.delay = max(slot.delay, MIN_SLOT_DELAY, domain.crawl_delay if domain else 0.0)
        if domain is not None and domain.crawl_delay:
            # The slot would send after `delay` ± `jitter` (±50 % by default), below the floor half the time:
            # a domain that asks for a delay gets it exactly, or the longer one AutoThrottle chooses.
            slot.jitter = 0.0
        if domain is not None and domain.resume_at > monotonic():
            # The slot sends its next request `delay` (± jitter) after `lastseen`: move `lastseen` so that
            # even the shortest jittered delay ends at `resume_at`.
            slot.lastseen = max(slot.lastseen, domain.resume_at - slot.delay * max(0.0, 1 - slot.jitter))

    def _pause(self, key: str, seconds: float) -> None:
        domain = self.domains.setdefault(key, _Domain())
        domain.resume_at = max(domain.resume_at, monotonic() + seconds)
        self._pace(key)

    def request_reached_downloader(self, request: Request) -> None:
        """Pace the request's slot before it is queued there."""
        self._pace(request.meta.get("download_slot") or self._slot_key(request))

    def response_downloaded(self, response: Response, request: Request) -> None:
        """Honour ``Retry-After`` on a 429/503 before the slot sends its next request; pace the slot."""
        key = request.meta.get("download_slot") or self._slot_key(request)
        if response.status in THROTTLE_STATUSES:
            self._retry_after(key, request, response)
        self._pace(key)

    def _retry_after(self, key: str, request: Request, response: Response) -> None:
        value = response.headers.get(b"Retry-After")
        seconds = retry_after_seconds(value, datetime.now(UTC))
        if seconds is None:
            return
        count(self.stats, "throttled/retry_after", request.meta.get("site"))
        if seconds > self.retry_after_max:
            count(self.stats, "throttled/retry_after_capped", request.meta.get("site"))
        wait = min(seconds, self.retry_after_max)
        logger.info(
            "%(domain)s answered %(status)d with Retry-After %(value)s: no request to it for %(wait).1f s",
            {"domain": key, "status": response.status, "value": value, "wait": wait},
        )
        self._pause(key, wait)

    # -- crawl-delay ------------------------------------------------------------------------------

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """Make robots.txt's ``Crawl-delay`` for our user agent the floor of the domain's slot delay."""
        asked = robotparser.crawl_delay(self.robots_user_agent)
        if not asked:
            return
        key = self._slot_key(request)
        applied = min(asked, self.crawl_delay_max)
        self.domains.setdefault(key, _Domain()).crawl_delay = applied
        count(self.stats, "throttled/crawl_delay", request.meta.get("site"))
        logger.info(
            "robots.txt of %(domain)s asks for a crawl delay of %(asked)s s: %(applied)s s between requests",
            {"domain": key, "asked": asked, "applied": applied},
        )
        self._pace(key)

    # -- blocked sites ----------------------------------------------------------------------------

    def process_request(self, request: Request) -> None:
        """Drop requests to a domain the crawl stopped."""
        domain = self.domains.get(self._slot_key(request))
        if domain is not None and domain.stopped:
            raise self._dropped(request)

    def _drop_queued(self, key: str) -> None:
        """Fail the requests already waiting in a stopped domain's slot, as process_request fails later ones."""
        slot = self._slot(key)
        while slot is not None and slot.queue:
            request, download = slot.queue.popleft()
            download.errback(self._dropped(request))

    def _dropped(self, request: Request) -> SiteBlocked:
        count(self.stats, "blocked_by_site/dropped", request.meta.get("site"))
        return SiteBlocked(f"Not requested: the crawl stopped requesting a blocking site: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        """Count a blocked answer (403, challenge page); back off, then stop, after enough in a row."""
        key = request.meta.get("download_slot") or self._slot_key(request)
        domain = self.domains.setdefault(key, _Domain())
        if is_challenge(response):
            kind = "challenge"
        elif response.status in self.blocked_codes:
            kind = f"http_{response.status}"
        else:
            domain.blocked_in_a_row = 0
            return response
        request.meta["dont_retry"] = True  # asking again at once does not pass a block
        domain.blocked_in_a_row += 1
        count(self.stats, f"blocked_by_site/{kind}", request.meta.get("site"))
        if domain.blocked_in_a_row >= self.stop_after and not domain.stopped:
            domain.stopped = True
            count(self.stats, "blocked_by_site/stopped", request.meta.get("site"))
            self._drop_queued(key)
            logger.warning(
                "Stopped requesting %(domain)s (site %(site)s): %(n)d blocked answers in a row, the last %(kind)s "
                "at %(url)s",
                {
                    "domain": key,
                    "site": request.meta.get("site", key),
                    "n": domain.blocked_in_a_row,
                    "kind": kind,
                    "url": response.url,
                },
            )
        elif domain.blocked_in_a_row >= self.backoff_after and not domain.stopped:
            backoffs = domain.blocked_in_a_row - self.backoff_after
            wait = min(self.backoff_delay * 2**backoffs, self.backoff_max_delay)
            count(self.stats, "blocked_by_site/backoff", request.meta.get("site"))
            logger.warning(
                "%(domain)s looks blocked (%(n)d blocked answers in a row, the last %(kind)s): no request to it "
                "for %(wait).1f s",
                {"domain": key, "n": domain.blocked_in_a_row, "kind": kind, "wait": wait},
            )
            self._pause(key, wait)
        return response
