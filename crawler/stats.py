"""Counters of a crawl: each outcome is counted for the crawl and for the site it concerns."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.statscollectors import StatsCollector

PREFIX = "newscrawl/"
SITE_PREFIX = "newscrawl/site/"
WRITTEN = "output/written"  # articles written, counted per site too
OUTPUT_FILES = f"{PREFIX}output/files"  # the run's output files, by their final names
EXTRACT_WORKERS = (
    f"{PREFIX}extract/workers"  # the extraction processes the run used (0: in the crawl process)
)


def count(stats: StatsCollector, key: str, site: str | None = None, n: int = 1) -> None:
    """Count ``newscrawl/<key>``, and ``newscrawl/site/<site>/<key>`` when the outcome concerns a site."""
    stats.inc_value(f"{PREFIX}{key}", n)
    if site:
        stats.inc_value(f"{SITE_PREFIX}{site}/{key}", n)
