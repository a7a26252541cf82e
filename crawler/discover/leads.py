"""Leads: the page URLs discovery found, with where they came from and what their listing said of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.dates import newest
from crawler.page.signals import is_listing_url

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from crawler.discover.feeds import FeedEntry
    from crawler.discover.sitemaps import SitemapEntry


@dataclass(frozen=True)
class Lead:
    """A page URL discovery found: its source, the date its listing gave, its ``lastmod`` (the newest date a
    sitemap or feed gave it), and how deep in links and pagination it lies.
    """

    url: str
    source: str
    listed_date: str | None = None
    lastmod: str | None = None
    link_depth: int = 0
    pagination_depth: int = 0


def sitemap_leads(entries: Iterable[SitemapEntry], wanted: Callable[[str], bool], depth: int) -> list[Lead]:
    """Leads of a sitemap's article URLs (``news_sitemap`` when an entry has a news date); ``wanted`` says
    which URLs the site takes. Listing pages (home, sections, tags) are no article leads.
    """
    return [
        Lead(
            entry.url,
            "news_sitemap" if entry.publication_date else "sitemap",
            entry.publication_date or entry.lastmod,
            newest(entry.lastmod, entry.publication_date),
            link_depth=depth,
        )
        for entry in entries
        if wanted(entry.url) and not is_listing_url(entry.url)
    ]


def feed_leads(entries: Iterable[FeedEntry], wanted: Callable[[str], bool], depth: int) -> list[Lead]:
    """Leads of a feed's article URLs; ``wanted`` says which URLs the site takes."""
    return [
        Lead(entry.url, "feed", entry.published, newest(entry.published, entry.updated), link_depth=depth)
        for entry in entries
        if wanted(entry.url) and not is_listing_url(entry.url)
    ]
