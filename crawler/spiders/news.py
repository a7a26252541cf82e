"""The ``news`` spider: discovers a news site's articles and yields their pages, never extracting text."""

from __future__ import annotations

import secrets
import struct
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # as Scrapy's SitemapSpider
from scrapy.utils.gz import gunzip, gzip_magic_number

from crawler import settings as defaults
from crawler.dates import utc_now
from crawler.demo.server import PLACEHOLDER_ORIGIN, LocalSite
from crawler.discover.feeds import FeedEntry, feed_links, parse_feed
from crawler.discover.links import page_links
from crawler.discover.robots import robots_sitemaps
from crawler.discover.sitemaps import SITEMAP_MAX_BYTES, SitemapEntry, newest_first, parse_sitemap
from crawler.fetch.addresses import BlockedAddress, BlockedScheme
from crawler.fetch.charset import html_charset
from crawler.fetch.compression import DecompressionBomb
from crawler.fetch.conditional import NotModified
from crawler.fetch.http import requested_url, response_validators
from crawler.fetch.politeness import SiteBlocked
from crawler.fetch.redirects import RedirectLoop, TooManyRedirects
from crawler.fetch.site_limit import SiteLimitReached
from crawler.fetch.sniff import sniff_page
from crawler.items import ArticlePage
from crawler.page.signals import PageSignals, is_listing_url, page_signals
from crawler.run.distributed import SharedFrontier, frontier_key
from crawler.run.options import RunOptions
from crawler.run.sites import Site, safe_name, select_sites
from crawler.store import PendingRequest, StateStore, open_store
from crawler.urls import host_in_domains, normalise_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure


# Requests refused by newscrawl's own middlewares, which count them (errors/…, refused/…).
COUNTED_ELSEWHERE = (BlockedAddress, BlockedScheme, DecompressionBomb, RedirectLoop, TooManyRedirects)
DISTRIBUTED_ROLES = {"seed": "seeds", "join": "joins", "resume": "resumes"}


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

    def __init__(
        self,
        url: str | None = None,
        site: str | None = None,
        mode: str | None = None,
        since: str | None = None,
        since_days: str | None = None,
        state: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.url_argument = url
        self.site_argument = site
        self.options = RunOptions.parse(mode, since, since_days, state, datetime.now(UTC))
        self.mode = self.options.mode
        self.crawl_state: StateStore | None = None
        self.frontier: SharedFrontier | None = None
        self.pending_this_run: set[str] = set()
        self.followed: set[str] = set()
        self.sites: dict[str, Site] = {}
        self.crawl_id = ""
        self.crawl_started = datetime.now(UTC)
        self.local_sites: list[LocalSite] = []
        self.allowed_private_hosts: list[str] = []  # host:port of served sites (crawler/fetch/addresses.py)
        self.follow_depth = defaults.NEWS_FOLLOW_DEPTH
        self.pagination_depth = defaults.NEWS_PAGINATION_DEPTH
        self.max_sitemap_urls = defaults.NEWS_MAX_SITEMAP_URLS
        self.max_sitemap_depth = defaults.NEWS_MAX_SITEMAP_DEPTH
        self.max_child_sitemaps = defaults.NEWS_MAX_CHILD_SITEMAPS
        self.allowed_domains: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Build the spider and select its sites; bad arguments or a bad sites file stop the crawl at once."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        depth_setting = "NEWS_ARCHIVE_DEPTH" if spider.mode == "archive" else "NEWS_FOLLOW_DEPTH"
        spider.follow_depth = settings.getint(depth_setting, getattr(defaults, depth_setting))
        spider.pagination_depth = settings.getint("NEWS_PAGINATION_DEPTH", defaults.NEWS_PAGINATION_DEPTH)
        spider.max_sitemap_urls = settings.getint("NEWS_MAX_SITEMAP_URLS", defaults.NEWS_MAX_SITEMAP_URLS)
        spider.max_sitemap_depth = settings.getint("NEWS_MAX_SITEMAP_DEPTH", defaults.NEWS_MAX_SITEMAP_DEPTH)
        spider.max_child_sitemaps = settings.getint(
            "NEWS_MAX_CHILD_SITEMAPS", defaults.NEWS_MAX_CHILD_SITEMAPS
        )
        spider.crawl_id = safe_name(settings.get("CRAWL_ID") or new_crawl_id())  # it names files
        sites_file = Path(settings.get("NEWS_SITES_FILE", defaults.NEWS_SITES_FILE))
        selected = select_sites(spider.url_argument, spider.site_argument, sites_file)
        names = sorted(site.name for site in selected)
        if settings.get("REDIS_URL"):
            spider.frontier = SharedFrontier.from_settings(settings, frontier_key(spider.name, names))
        if spider.options.state != "ignore":
            spider.crawl_state = open_store(settings)
            if spider.options.state == "reset":
                spider.crawl_state.reset(names)
        # Served last: nothing above may fail and leave a local server running.
        spider.sites = {site.name: spider._serve(site) for site in selected}
        spider.allowed_domains = sorted({d for site in spider.sites.values() for d in site.allowed_domains})
        crawler.signals.connect(spider._stop_local_sites, signal=signals.spider_closed)
        return spider

    def _serve(self, site: Site) -> Site:
        if site.serve is None:
            return site
        local = LocalSite(site.serve, port=site.serve_port).start()
        self.local_sites.append(local)
        self.allowed_private_hosts.append(urlsplit(local.origin).netloc)
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

    def _request(
        self, url: str, site: Site, callback: Any, *, dont_filter: bool = False, **meta: Any
    ) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            dont_filter=dont_filter,
            meta={"site": site.name, **meta},
        )

    def _article_request(
        self, url: str, site: Site, source: str, listed_date: str | None = None
    ) -> Request | None:
        if not host_in_domains(url, site.allowed_domains) or not site.wants(url) or is_listing_url(url):
            return None
        self._count(site, f"discovered/{source}")
        if self.options.too_old(listed_date):
            self._count(site, "skipped/too_old")
            return None
        self._add_pending(PendingRequest(url, site.name, source, listed_date))
        return self._request(
            url, site, self.parse_page, source=source, listed_date=listed_date, link_depth=self.follow_depth
        )

    def _pending_requests(self, site: Site) -> Iterator[Request]:
        """Article URLs a killed or earlier run scheduled but never finished: requested again."""
        for pending in self.crawl_state.pending([site.name]) if self.crawl_state else []:
            self._count(site, "discovered/pending")
            yield self._request(
                pending.url,
                site,
                self.parse_page,
                source=pending.source,
                listed_date=pending.listed_date,
                link_depth=self.follow_depth,
                dont_filter=True,
            )

    def _add_pending(self, pending: PendingRequest) -> None:
        """Remember a page request until its page is finished (once per URL and run: repeats are filtered)."""
        url = normalise_url(pending.url)
        if self.crawl_state is None or url in self.pending_this_run:
            return
        self.pending_this_run.add(url)
        self.crawl_state.add_pending(replace(pending, url=url), utc_now())

    def _finish_pending(self, request: Request) -> None:
        if self.crawl_state is not None:
            self.crawl_state.finish_pending(requested_url(request))

    def _remember_validators(self, response: Response) -> None:
        """Store a discovery document's ETag/Last-Modified once its links are scheduled (for conditional GET)."""
        if self.crawl_state is not None and response.status == 200:
            validators = response_validators(response)
            if any(validators):
                url = requested_url(response.request or response)
                self.crawl_state.save_validators(url, response.meta["site"], validators, utc_now())

    async def start(self) -> AsyncIterator[Request]:
        """Seed each site: robots.txt (for its sitemaps), the home pages, and the configured sitemaps and feeds."""
        if self.crawl_state is not None:
            self.crawl_state.start_run(self.crawl_id, sorted(self.sites), utc_now())
        if self.frontier is not None:
            role = self.frontier.begin()
            self.logger.info(
                "Worker %(worker)s: %(role)s the distributed crawl %(key)s",
                {
                    "worker": self.frontier.worker_id,
                    "role": DISTRIBUTED_ROLES[role],
                    "key": self.frontier.prefix,
                },
            )
            if role != "seed":
                return
        for site in self.sites.values():
            for request in self._pending_requests(site):
                yield request
            for start_url in site.start_urls:
                yield self._request(
                    urljoin(start_url, "/robots.txt"),
                    site,
                    self.parse_robots,
                    start_url=start_url,
                    handle_httpstatus_all=True,  # a missing robots.txt still leads to /sitemap.xml
                    dont_filter=True,
                )
                yield self._request(
                    start_url, site, self.parse_page, source="home", link_depth=0, dont_filter=True
                )
            for sitemap_url in site.sitemaps:
                yield self._request(sitemap_url, site, self.parse_sitemap, dont_filter=True)
            known_feeds = self.crawl_state.feeds(site.name) if self.crawl_state else []
            for feed_url in dict.fromkeys([*site.feeds, *known_feeds]):
                yield self._request(feed_url, site, self.parse_feed, dont_filter=True)

    def on_error(self, failure: Failure) -> None:
        """Count a failed request by kind (``http_404``, ``TimeoutError``…), or a skipped one, for its site."""
        request = failure.request  # type: ignore[attr-defined]
        site = request.meta.get("site", "unknown")
        if isinstance(failure.value, SiteLimitReached):
            self._count(site, "skipped/page_limit")  # still pending: the next run asks again
            return
        if isinstance(failure.value, SiteBlocked):  # counted by the politeness middleware; pending
            return
        if isinstance(failure.value, COUNTED_ELSEWHERE):  # refused for good, counted where refused
            self._finish_pending(request)
            return
        if isinstance(failure.value, NotModified):
            self._count(site, "skipped/not_modified")
            self._finish_pending(request)
            return
        if isinstance(failure.value, HttpError) and request.meta.get("optional"):
            self._count(site, "skipped/absent")  # a guessed address such as /sitemap.xml
            return
        if isinstance(failure.value, HttpError):
            status = failure.value.response.status
            kind = f"http_{status}"
            if 400 <= status < 500 and status != 429:  # gone for good; 429, 5xx and timeouts stay pending
                self._finish_pending(request)
        elif isinstance(failure.value, IgnoreRequest):  # robots.txt or offsite: Scrapy counts the reason
            self._count(site, "skipped/ignored")
            self._finish_pending(request)
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
        sitemaps = robots_sitemaps(response.body, response.url) if readable else []
        if not sitemaps:
            fallback = urljoin(response.meta["start_url"], "/sitemap.xml")
            yield self._request(fallback, site, self.parse_sitemap, optional=True)
        for url in self._child_sitemaps(site, response.url, sitemaps):
            yield self._request(url, site, self.parse_sitemap)

    def _sitemap_body(self, response: Response, site: Site) -> bytes | None:
        """The sitemap's bytes, gunzipped within the size limit; None, counted and logged, when refused.

        The limit is ``DOWNLOAD_MAXSIZE`` (or the ``download_maxsize`` meta key), as for Scrapy's
        ``SitemapSpider``, and at most the protocol's 50 MiB; gunzip stops once it is passed.
        """
        download_max: int = response.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
        max_size = min(download_max or SITEMAP_MAX_BYTES, SITEMAP_MAX_BYTES)
        body = response.body
        try:
            if gzip_magic_number(response):
                body = gunzip(body, max_size=max_size)
        except _DecompressionMaxSizeExceeded:
            kind, reason = "sitemap_too_large", f"inflates past {max_size} bytes"
        except (OSError, EOFError, zlib.error, struct.error) as error:
            kind, reason = "bad_gzip", f"broken gzip data ({error})"
        else:
            if len(body) <= max_size:
                return body
            kind, reason = "sitemap_too_large", f"larger than {max_size} bytes"
        self._count(site, f"discovery_errors/{kind}")
        self.logger.warning("Sitemap %(url)s refused: %(reason)s", {"url": response.url, "reason": reason})
        return None

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Follow a sitemap index's sitemaps; request a sitemap's (and news sitemap's) article URLs."""
        site = self.sites[response.meta["site"]]
        body = self._sitemap_body(response, site)
        if body is None:
            return
        sitemap = parse_sitemap(body, response.url, self.max_sitemap_urls)
        if sitemap is None:
            self._count(site, "discovery_errors/bad_sitemap")
            self.logger.warning("Not a readable sitemap: %(url)s", {"url": response.url})
            return
        if sitemap.truncated:
            self._count(site, "discovery_errors/sitemap_truncated")
        if sitemap.malformed:
            self._count(site, "discovery_errors/sitemap_malformed")
        self._count_bad_dates(site, sitemap.entries)
        if sitemap.is_index:
            yield from self._index_requests(response, site, sitemap.entries)
        for entry in () if sitemap.is_index else sitemap.entries:
            source = "news_sitemap" if entry.publication_date else "sitemap"
            request = self._article_request(entry.url, site, source, entry.publication_date or entry.lastmod)
            if request is not None:
                yield request
        self._remember_validators(response)

    def _index_requests(
        self, response: Response, site: Site, entries: Sequence[SitemapEntry]
    ) -> Iterator[Request]:
        """Requests for a sitemap index's sitemaps, newest first, never one of the indexes above it.

        ``sitemap_chain`` (meta) holds the indexes above; deeper than ``NEWS_MAX_SITEMAP_DEPTH`` nothing
        is followed, as Scrapy's duplicate filter alone would not stop a loop of ``dont_filter`` requests.
        """
        chain: tuple[str, ...] = (
            *response.meta.get("sitemap_chain", ()),
            normalise_url(requested_url(response)),
        )
        if len(chain) > self.max_sitemap_depth:
            self._count(site, "discovery_errors/sitemap_too_deep")
            self.logger.warning(
                "Sitemap index %(url)s is %(depth)d levels deep (NEWS_MAX_SITEMAP_DEPTH): not followed",
                {"url": response.url, "depth": len(chain)},
            )
            return
        above = {*chain, normalise_url(response.url)}
        urls = [entry.url for entry in newest_first(entries)]
        if any(normalise_url(url) in above for url in urls):
            self._count(site, "discovery_errors/sitemap_loop")
            self.logger.warning(
                "Sitemap index %(url)s lists itself or an index above it", {"url": response.url}
            )
            urls = [url for url in urls if normalise_url(url) not in above]
        for url in self._child_sitemaps(site, response.url, urls):
            yield self._request(url, site, self.parse_sitemap, sitemap_chain=chain)

    def _child_sitemaps(self, site: Site, source_url: str, urls: list[str]) -> list[str]:
        """The sitemaps of ``urls`` on the site's domains, at most ``NEWS_MAX_CHILD_SITEMAPS``.

        More are counted (``too_many_sitemaps``) and logged, and the first ones kept.
        """
        urls = [url for url in urls if host_in_domains(url, site.allowed_domains)]
        if len(urls) > self.max_child_sitemaps:
            self._count(site, "discovery_errors/too_many_sitemaps")
            self.logger.warning(
                "%(url)s lists %(count)d sitemaps; only %(max)d are followed (NEWS_MAX_CHILD_SITEMAPS)",
                {"url": source_url, "count": len(urls), "max": self.max_child_sitemaps},
            )
        return urls[: self.max_child_sitemaps]

    def _count_bad_dates(self, site: Site, entries: Iterable[SitemapEntry | FeedEntry]) -> None:
        """Count the entries whose date was unreadable or in the future: the date is dropped, the URL kept."""
        if bad := sum(entry.bad_date for entry in entries):
            self._count(site, "discovery_errors/bad_date", bad)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Request the articles an RSS, Atom or JSON feed lists."""
        site = self.sites[response.meta["site"]]
        entries = parse_feed(response.body, response.url)
        if entries is None:
            self._count(site, "discovery_errors/bad_feed")
            self.logger.warning("Not a readable feed: %(url)s", {"url": response.url})
            return
        self._count_bad_dates(site, entries)
        for entry in entries:
            request = self._article_request(entry.url, site, "feed", entry.published)
            if request is not None:
                yield request
        self._remember_validators(response)

    def parse_page(self, response: Response) -> Iterator[Request | ArticlePage]:
        """Yield the page as a possible article unless it is a listing; follow its links within the depth limits."""
        site = self.sites[response.meta["site"]]
        html = self._html_response(response, site)
        if html is None:
            self._finish_pending(response.request or Request(response.url))
            return
        response = html
        self._count(site, "pages/fetched")
        if not self._mines_links(response):
            # The deepest pages, most articles among them, are parsed once only: by extraction, which also
            # tells articles from listings.
            yield from self._article_page(response, site)
            return
        tree = response.selector.root
        signals_ = page_signals(tree, response.url)
        if not signals_.is_listing:
            yield from self._article_page(response, site)
        else:
            self._finish_pending(response.request or Request(response.url))
        yield from self._follow(response, site, tree, signals_)
        if signals_.is_listing:
            self._remember_validators(response)

    def _mines_links(self, response: Response) -> bool:
        """Whether a page may lead to more pages: the home page, pages above the depth limit, archive mode."""
        depth: int = response.meta.get("link_depth", self.follow_depth)
        return self.mode == "archive" or response.meta.get("source") == "home" or depth < self.follow_depth

    def _article_page(self, response: Response, site: Site) -> Iterator[ArticlePage]:
        """The page as a possible article, when the site wants its URL."""
        if not site.wants(response.url):
            self._finish_pending(response.request or Request(response.url))
            return
        etag, last_modified = response_validators(response)
        yield ArticlePage(
            url=response.url,
            html=response.text,
            site=site.name,
            fetched_at=utc_now(),
            discovered_via=response.meta.get("source", "links"),
            listed_date=response.meta.get("listed_date"),
            requested_url=requested_url(response),
            etag=etag,
            last_modified=last_modified,
        )

    def _html_response(self, response: Response, site: Site) -> HtmlResponse | None:
        """The response as an HTML page read in its real charset, cut to ``EXTRACT_MAX_HTML_CHARS``.

        None, counted (``pages/empty``, ``pages/binary``, ``pages/not_html``) and logged, when it is no HTML page.
        """
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        sniffed = sniff_page(response.body, content_type)
        if not sniffed.is_html:
            self._count(site, f"pages/{sniffed.kind}")
            self.logger.info(
                "Not an HTML page (%(why)s): %(url)s", {"why": sniffed.detail, "url": response.url}
            )
            return None
        if sniffed.kind == "sniffed_html":
            self._count(site, "pages/sniffed_html")
            self.logger.info("Read as HTML (%(why)s): %(url)s", {"why": sniffed.detail, "url": response.url})
        charset = html_charset(response.body, content_type)
        self._count(site, f"encoding/{charset.source}")
        if charset.overridden:
            self._count(site, "encoding/overridden")
            self.logger.info(
                "Read as %(encoding)s (%(source)s), not as the declared %(declared)s: %(url)s",
                {
                    "encoding": charset.encoding,
                    "source": charset.source,
                    "declared": charset.overridden,
                    "url": response.url,
                },
            )
        html = response.replace(cls=HtmlResponse, encoding=charset.encoding)
        limit = self.settings.getint("EXTRACT_MAX_HTML_CHARS", defaults.EXTRACT_MAX_HTML_CHARS)
        if limit and len(html.text) > limit:
            self._count(site, "pages/truncated")
            self.logger.info(
                "Page of %(chars)d characters cut to EXTRACT_MAX_HTML_CHARS (%(limit)d): %(url)s",
                {"chars": len(html.text), "limit": limit, "url": response.url},
            )
            html = html.replace(body=html.text[:limit].encode("utf-8"), encoding="utf-8")
        return html

    def _follow(self, response: Response, site: Site, tree: Any, signals_: PageSignals) -> Iterator[Request]:
        """Requests for a page's feeds (home page), pagination (listings) and links, within the depth limits."""
        depth: int = response.meta.get("link_depth", self.follow_depth)
        if response.meta.get("source") == "home":
            for url in feed_links(tree, response.url):
                if self.crawl_state is not None:
                    self.crawl_state.remember_feed(site.name, url)
                yield self._request(url, site, self.parse_feed)
        mine_links = self.mode == "archive" or not signals_.claims_article
        if depth >= self.follow_depth and not mine_links:
            return
        links = page_links(tree, response.url)
        pages_deep: int = response.meta.get("pagination_depth", 0)
        if pages_deep < self.pagination_depth and mine_links:
            for url in links.pagination:
                if host_in_domains(url, site.allowed_domains):
                    yield self._page_request(url, site, link_depth=depth, pagination_depth=pages_deep + 1)
        if depth >= self.follow_depth:
            return
        for url in links.links:
            if url in site.start_urls or url in self.followed:  # start URLs bypass the duplicate filter
                continue
            self.followed.add(url)  # a link on every page is followed once, before any filter runs
            if host_in_domains(url, site.allowed_domains) and not any(p.search(url) for p in site.exclude):
                self._count(site, "discovered/links")
                yield self._page_request(url, site, link_depth=depth + 1)

    def _page_request(self, url: str, site: Site, **meta: Any) -> Request:
        """A request for a linked page, remembered as pending until its page is finished."""
        self._add_pending(PendingRequest(url, site.name, "links", None))
        return self._request(url, site, self.parse_page, source="links", **meta)
