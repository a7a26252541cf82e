"""The run's page budget per site, and the sitemap backlog that waits for it.

``NEWS_MAX_PAGES_PER_SITE`` counts the page requests sent to a site (``spend``, called as a request
leaves for the network), not those scheduled. The news comes first: news-sitemap entries, feed items and
links from the home and section pages are scheduled at once, at higher Scrapy priorities (``PRIORITIES``).
Plain sitemap entries are held back here instead, one queue per sitemap, newest ``lastmod`` first, and
released a few at a time, one from each sitemap in turn, while the site has budget left: so a sitemap of
60,000 archive URLs takes its turn beside the others and never more than the budget. What is left when the
run ends stays pending in the crawl state for the next run, which continues from there.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from crawler.dates import newest_first

if TYPE_CHECKING:
    from crawler.discover.leads import Lead

# Scrapy request priorities (higher first): discovery documents, the home page, the news, links, the backlog.
PRIORITIES = {"discovery": 30, "home": 20, "news_sitemap": 10, "feed": 10, "links": 5, "sitemap": 0}
BACKLOG_SOURCES = frozenset({"sitemap"})  # plain sitemaps: held back, released within the budget


def listing_date(lead: Lead) -> str | None:
    """The date a backlog lead is ordered by: its ``lastmod``, else the date its listing gave."""
    return lead.lastmod or lead.listed_date


def pending_reason(source: str) -> str:
    """Why a page of this discovery source that the budget left out stays pending: ``archive`` for the plain
    sitemaps' backlog, ``budget`` for the news (news sitemaps, feeds, links).
    """
    return "archive" if source in BACKLOG_SOURCES else "budget"


class _SiteBacklog:
    """One site's held leads: a queue per source document, taken from in turn."""

    def __init__(self) -> None:
        self.queues: dict[str, deque[Lead]] = {}
        self.turns: deque[str] = deque()
        self.in_flight = 0  # released and not yet finished

    def __len__(self) -> int:
        return sum(len(queue) for queue in self.queues.values())

    def add(self, key: str, entries: list[Lead]) -> None:
        queue = self.queues.setdefault(key, deque())
        if not queue:  # an empty queue has no turn
            self.turns.append(key)
        queue.extend(newest_first(entries, listing_date))

    def take(self, count: int) -> list[Lead]:
        taken: list[Lead] = []
        while self.turns and len(taken) < count:
            key = self.turns.popleft()
            queue = self.queues[key]
            taken.append(queue.popleft())
            if queue:
                self.turns.append(key)
        return taken


class PageBudget:
    """Pages sent to each site in this run, against ``limit`` (0: none), and the sitemap backlog.

    ``window``: how many backlog pages of a site may be released and unfinished at once; the rest
    wait, so that the backlog of a sitemap read later still gets its turn.
    """

    def __init__(self, limit: int, window: int) -> None:
        self.limit = limit
        self.window = window
        self.sent: dict[str, int] = {}
        self._backlogs: dict[str, _SiteBacklog] = {}

    def spend(self, site: str) -> bool:
        """A page request of ``site`` is about to be sent: count it; False when the site's budget is spent."""
        if self.exhausted(site):
            return False
        self.sent[site] = self.sent.get(site, 0) + 1
        return True

    def exhausted(self, site: str) -> bool:
        """Whether ``site`` has been sent its ``limit`` of pages in this run."""
        return bool(self.limit) and self.sent.get(site, 0) >= self.limit

    def hold(self, site: str, key: str, entries: list[Lead]) -> None:
        """Hold a source document's (``key``) URLs back until the site's budget lets them through."""
        if entries:
            self._backlogs.setdefault(site, _SiteBacklog()).add(key, entries)

    def release(self, *, idle: bool = False) -> list[tuple[str, Lead]]:
        """The held URLs to schedule now: up to ``window`` unfinished per site, from each sitemap in turn.

        ``idle``: nothing of this run is in flight any more, whatever was counted.
        """
        released: list[tuple[str, Lead]] = []
        for site, backlog in self._backlogs.items():
            if idle:
                backlog.in_flight = 0
            if self.exhausted(site):
                continue
            taken = backlog.take(self.window - backlog.in_flight)
            backlog.in_flight += len(taken)
            released.extend((site, held) for held in taken)
        return released

    def finished(self, site: str) -> None:
        """A released backlog page of ``site`` is finished (fetched or failed)."""
        backlog = self._backlogs.get(site)
        if backlog is not None and backlog.in_flight:
            backlog.in_flight -= 1

    def held(self, site: str) -> int:
        """How many URLs of ``site`` the backlog still holds."""
        backlog = self._backlogs.get(site)
        return len(backlog) if backlog is not None else 0
