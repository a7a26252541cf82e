"""The ``news`` spider: discovers a news site's articles and yields their pages, never extracting text."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy import Request, Spider, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler import settings as defaults
from crawler.discovery import feed_links, parse_feed, parse_sitemap
from crawler.extract.detection import is_listing_url, page_signals
from crawler.items import ArticlePage
from crawler.links import page_links
from crawler.localsite import PLACEHOLDER_ORIGIN, LocalSite
from crawler.sites import Site, select_sites
from crawler.urls import host_in_domains

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure


def utc_now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_crawl_id() -> str:
    """A crawl identifier: the UTC start time and a random suffix (``20261126T070501Z-3f9a1c``)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


class NewsSpider(Spider):
    """Crawl news sites from their home pages, robots.txt sitemaps, news sitemaps, feeds and section pages.

    Arguments: ``-a url=https://site/[,https://other/]`` crawls sites with no configuration;
    ``-a site=NAME[,NAME]`` crawls entries of the sites file (``NEWS_SITES_FILE``); with neither, every
    site of the sites file, or the bundled demo when the file names none.
    """

    name = "news"

    def __init__(self, url: str | None = None, site: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url_argument = url
        self.site_argument = site
        self.sites: dict[str, Site] = {}
        self.crawl_id = ""
        self.crawl_started = datetime.now(UTC)
        self.local_sites: list[LocalSite] = []
        self.follow_depth = defaults.NEWS_FOLLOW_DEPTH
        self.pagination_depth = defaults.NEWS_PAGINATION_DEPTH
        self.max_sitemap_urls = defaults.NEWS_MAX_SITEMAP_URLS
        self.allowed_domains: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Build the spider and select its sites; bad arguments or a bad sites file stop the crawl at once."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.follow_depth = settings.getint("NEWS_FOLLOW_DEPTH", defaults.NEWS_FOLLOW_DEPTH)
        spider.pagination_depth = settings.getint("NEWS_PAGINATION_DEPTH", defaults.NEWS_PAGINATION_DEPTH)
        spider.max_sitemap_urls = settings.getint("NEWS_MAX_SITEMAP_URLS", defaults.NEWS_MAX_SITEMAP_URLS)
        spider.crawl_id = settings.get("CRAWL_ID") or new_crawl_id()
        sites_file = Path(settings.get("NEWS_SITES_FILE", defaults.NEWS_SITES_FILE))
        selected = select_sites(spider.url_argument, spider.site_argument, sites_file)
        spider.sites = {site.name: spider._serve(site) for site in selected}
        spider.allowed_domains = sorted({d for site in spider.sites.values() for d in site.allowed_domains})
        crawler.signals.connect(spider._stop_local_sites, signal=signals.spider_closed)
        return spider

    def _serve(self, site: Site) -> Site:
        if site.serve is None:
            return site
        local = LocalSite(site.serve).start()
        self.local_sites.append(local)
        self.logger.info(
            "Site %(site)s is served locally at %(origin)s", {"site": site.name, "origin": local.origin}
        )
        return site.with_origin(PLACEHOLDER_ORIGIN, local.origin)

    def _stop_local_sites(self) -> None:
        for local in self.local_sites:
            local.stop()

    # -- requests ---------------------------------------------------------------------------------

    def _count(self, site: Site | str, key: str, count: int = 1) -> None:
        name = site if isinstance(site, str) else site.name
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"newscrawl/{key}", count)
        self.crawler.stats.inc_value(f"newscrawl/site/{name}/{key}", count)

    def _request(self, url: str, site: Site, callback: Any, **meta: Any) -> Request:
        return Request(url, callback=callback, errback=self.on_error, meta={"site": site.name, **meta})

    def _article_request(
        self, url: str, site: Site, source: str, listed_date: str | None = None
    ) -> Request | None:
        if not host_in_domains(url, site.allowed_domains) or not site.wants(url) or is_listing_url(url):
            return None
        self._count(site, f"discovered/{source}")
        return self._request(
            url, site, self.parse_page, source=source, listed_date=listed_date, link_depth=self.follow_depth
        )

    async def start(self) -> AsyncIterator[Request]:
        """Seed each site: robots.txt (for its sitemaps), the home pages, and the configured sitemaps and feeds."""
        for site in self.sites.values():
            for start_url in site.start_urls:
                yield self._request(
                    urljoin(start_url, "/robots.txt"),
                    site,
                    self.parse_robots,
                    start_url=start_url,
                    handle_httpstatus_all=True,  # a missing robots.txt still leads to /sitemap.xml
                )
                yield self._request(start_url, site, self.parse_page, source="home", link_depth=0)
            for sitemap_url in site.sitemaps:
                yield self._request(sitemap_url, site, self.parse_sitemap)
            for feed_url in site.feeds:
                yield self._request(feed_url, site, self.parse_feed)

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by kind (``http_404``, ``TimeoutError``…), or a skipped one, for its site."""
        request = failure.request  # type: ignore[attr-defined]
        site = request.meta.get("site", "unknown")
        if isinstance(failure.value, HttpError) and request.meta.get("optional"):
            self._count(site, "skipped/absent")  # a guessed address such as /sitemap.xml
            return
        if isinstance(failure.value, HttpError):
            kind = f"http_{failure.value.response.status}"
        elif isinstance(failure.value, IgnoreRequest):  # robots.txt or offsite: Scrapy counts the reason
            self._count(site, "skipped/ignored")
            return
        else:
            kind = failure.type.__name__ if failure.type else "unknown"
        self._count(site, f"errors/{kind}")
        self.logger.info("Request failed (%(kind)s): %(url)s", {"kind": kind, "url": request.url})

    # -- discovery --------------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Follow the ``Sitemap:`` lines of robots.txt, or ``/sitemap.xml`` when it names none."""
        site = self.sites[response.meta["site"]]
        readable = response.status == 200 and isinstance(response, TextResponse)
        sitemaps = list(sitemap_urls_from_robots(response.text, base_url=response.url)) if readable else []
        if not sitemaps:
            fallback = urljoin(response.meta["start_url"], "/sitemap.xml")
            yield self._request(fallback, site, self.parse_sitemap, optional=True)
        for url in sitemaps:
            if host_in_domains(url, site.allowed_domains):
                yield self._request(url, site, self.parse_sitemap)

    def _sitemap_body(self, response: Response) -> bytes | None:
        if not gzip_magic_number(response):
            return response.body
        try:
            return gunzip(
                response.body,
                max_size=response.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE")),
            )
        except (OSError, ValueError):
            return None

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Follow a sitemap index's sitemaps; request a sitemap's (and news sitemap's) article URLs."""
        site = self.sites[response.meta["site"]]
        body = self._sitemap_body(response)
        sitemap = parse_sitemap(body, response.url, self.max_sitemap_urls) if body else None
        if sitemap is None:
            self._count(site, "discovery_errors/bad_sitemap")
            self.logger.warning("Not a readable sitemap: %(url)s", {"url": response.url})
            return
        if sitemap.truncated:
            self._count(site, "discovery_errors/sitemap_truncated")
        if sitemap.is_index:
            for entry in sitemap.entries:
                if host_in_domains(entry.url, site.allowed_domains):
                    yield self._request(entry.url, site, self.parse_sitemap)
            return
        for entry in sitemap.entries:
            source = "news_sitemap" if entry.publication_date else "sitemap"
            request = self._article_request(entry.url, site, source, entry.publication_date or entry.lastmod)
            if request is not None:
                yield request

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Request the articles an RSS, Atom or JSON feed lists."""
        site = self.sites[response.meta["site"]]
        entries = parse_feed(response.body, response.url)
        if entries is None:
            self._count(site, "discovery_errors/bad_feed")
            self.logger.warning("Not a readable feed: %(url)s", {"url": response.url})
            return
        for entry in entries:
            request = self._article_request(entry.url, site, "feed", entry.published)
            if request is not None:
                yield request

    def parse_page(self, response: Response) -> Iterator[Request | ArticlePage]:
        """Yield the page as a possible article unless it is a listing; follow its links within the depth limits."""
        site = self.sites[response.meta["site"]]
        if not isinstance(response, HtmlResponse):
            self._count(site, "pages/not_html")
            return
        self._count(site, "pages/fetched")
        tree = response.selector.root
        signals_ = page_signals(tree, response.url)
        if not signals_.is_listing and site.wants(response.url):
            yield ArticlePage(
                url=response.url,
                html=response.text,
                site=site.name,
                fetched_at=utc_now(),
                discovered_via=response.meta.get("source", "links"),
                listed_date=response.meta.get("listed_date"),
            )
        depth: int = response.meta.get("link_depth", self.follow_depth)
        if response.meta.get("source") == "home":
            for url in feed_links(tree, response.url):
                yield self._request(url, site, self.parse_feed)
        if depth >= self.follow_depth and signals_.claims_article:
            return
        links = page_links(tree, response.url)
        pages_deep: int = response.meta.get("pagination_depth", 0)
        if pages_deep < self.pagination_depth and not signals_.claims_article:
            for url in links.pagination:
                if host_in_domains(url, site.allowed_domains):
                    yield self._request(
                        url,
                        site,
                        self.parse_page,
                        source="links",
                        link_depth=depth,
                        pagination_depth=pages_deep + 1,
                    )
        if depth >= self.follow_depth:
            return
        for url in links.links:
            if host_in_domains(url, site.allowed_domains) and not any(p.search(url) for p in site.exclude):
                self._count(site, "discovered/links")
                yield self._request(url, site, self.parse_page, source="links", link_depth=depth + 1)
