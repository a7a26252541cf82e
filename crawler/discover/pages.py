"""What an HTML page leads to: whether it is a listing or an article, its links, and (home pages) its feeds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.discover.feeds import feed_links
from crawler.discover.links import PageLinks, page_links
from crawler.page.signals import PageSignals, page_signals

if TYPE_CHECKING:
    from lxml.html import HtmlElement


@dataclass(frozen=True)
class PageLeads:
    """A page's own signals (listing or article), the links it shows and the feeds it announces."""

    signals: PageSignals
    links: PageLinks
    feeds: tuple[str, ...]


def page_leads(tree: HtmlElement, url: str, *, with_feeds: bool) -> PageLeads:
    """Read a page for discovery; its feeds only ``with_feeds`` (home pages)."""
    return PageLeads(
        signals=page_signals(tree, url),
        links=page_links(tree, url),
        feeds=tuple(feed_links(tree, url)) if with_feeds else (),
    )
