"""SitemapRobotParser: Scrapy's robots.txt parser (Protego) that keeps the file, so its sitemaps are read too.

Scrapy's ``RobotsTxtMiddleware`` fetches each host's robots.txt once and sends ``robots_parsed`` with this
parser; the news spider reads the ``Sitemap:`` lines from it (``crawler.discover.robots``) and the
politeness middleware its ``Crawl-delay``, so the file is fetched once per host, not once more for discovery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.robotstxt import ProtegoRobotParser

if TYPE_CHECKING:
    from scrapy import Spider


class SitemapRobotParser(ProtegoRobotParser):
    """Protego's rules, and the robots.txt body they came from (``body``)."""

    def __init__(self, robotstxt_body: bytes, spider: Spider | None) -> None:
        super().__init__(robotstxt_body, spider)
        self.body = robotstxt_body
