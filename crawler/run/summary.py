"""CrawlSummary: counts drops per site and logs an end-of-run summary per site."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler.stats import SITE_PREFIX, WRITTEN

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def site_counts(stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Per-site counters, from the ``newscrawl/site/<site>/…`` stats."""
    sites: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        if key.startswith(SITE_PREFIX) and isinstance(value, int):
            site, _, counter = key[len(SITE_PREFIX) :].partition("/")
            sites.setdefault(site, {})[counter] = value
    return sites


class CrawlSummary:
    """Log, when the crawl closes, what each site gave: discovered URLs, pages, articles, drops and errors."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Connect the extension to the item-dropped and spider-closed signals."""
        assert crawler.stats is not None
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """Count a dropped item under its site and reason."""
        site = getattr(item, "site", None) or "unknown"
        self.stats.inc_value(f"{SITE_PREFIX}{site}/dropped/{type(exception).__name__}")

    def spider_closed(self, reason: str) -> None:
        """Log the per-site summary, and a warning for each site that blocked the crawl."""
        for site, counts in sorted(site_counts(self.stats.get_stats()).items()):
            dropped = _group(counts, "dropped")
            blocked = _group(counts, "blocked_by_site")
            duplicates = dropped.get("DuplicateUrl", 0) + dropped.get("DuplicateContent", 0)
            logger.info(
                "Summary for %(site)s (%(reason)s): discovered %(discovered)s; fetched %(fetched)d pages; "
                "wrote %(written)d articles; dropped %(dropped)s; duplicates %(duplicates)d; errors %(errors)s; "
                "skipped %(skipped)s; revalidated %(revalidated)s; left pending %(pending)s; "
                "refused %(refused)s; throttled %(throttled)s; blocked by the site %(blocked)s",
                {
                    "site": site,
                    "reason": reason,
                    "discovered": _fmt(_group(counts, "discovered")),
                    "fetched": counts.get("pages/fetched", 0),
                    "written": counts.get(WRITTEN, 0),
                    "dropped": _fmt(dropped),
                    "duplicates": duplicates,
                    "errors": _fmt(_group(counts, "errors")),
                    "skipped": _fmt(_group(counts, "skipped")),
                    "revalidated": _fmt(_group(counts, "revalidated")),
                    "pending": _fmt(_group(counts, "pending")),
                    "refused": _fmt(_group(counts, "refused")),
                    "throttled": _fmt(_group(counts, "throttled")),
                    "blocked": _fmt(blocked),
                },
            )
            if blocked:
                logger.warning(
                    "Site %(site)s was BLOCKED: it answered 403s or challenge pages (%(blocked)s); %(outcome)s",
                    {
                        "site": site,
                        "blocked": _fmt(blocked),
                        "outcome": _blocked_outcome(blocked),
                    },
                )


def _blocked_outcome(blocked: dict[str, int]) -> str:
    if blocked.get("stopped"):
        return "the crawl stopped requesting it"
    if blocked.get("backoff"):
        return "the crawl backed off"
    return "too few in a row to back off (BLOCKED_BACKOFF_AFTER)"


def _group(counts: dict[str, int], group: str) -> dict[str, int]:
    """The counters of one group (``errors/http_404`` -> ``http_404``)."""
    return {key.split("/", 1)[1]: value for key, value in counts.items() if key.startswith(f"{group}/")}


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items()) if value) or "none"
