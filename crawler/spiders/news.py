"""The ``news`` spider: asks discovery for a site's article URLs and yields their pages, never extracting text."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import TextResponse
from scrapy.utils.misc import load_object

from crawler.dates import newest_first, utc_now
from crawler.discover.feeds import parse_feed
from crawler.discover.leads import Lead, feed_leads, sitemap_leads
from crawler.discover.limits import DiscoveryLimits
from crawler.discover.pages import PageLeads, page_leads
from crawler.discover.robots import robots_sitemaps
from crawler.discover.sitemaps import SITEMAP_MAX_BYTES, child_sitemaps, read_sitemap
from crawler.fetch.decode import PAGE_META
from crawler.fetch.failures import failure_outcome
from crawler.fetch.http import requested_url, response_validators
from crawler.fetch.robots import SitemapRobotParser
from crawler.items import ArticlePage
from crawler.run.budget import PRIORITIES
from crawler.run.context import Run
from crawler.run.options import RunOptions
from crawler.stats import count
from crawler.urls import host_in_domains, normalise_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator, Sequence
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser
    from twisted.python.failure import Failure

    from crawler.run.sites import Site


class NewsSpider(Spider):
    """Crawl news sites from their home pages, robots.txt sitemaps, news sitemaps, feeds and section pages.

    Arguments: ``-a url=https://site/[,https://other/]`` crawls sites with no configuration;
    ``-a site=NAME[,NAME]`` crawls entries of the sites file (``NEWS_SITES_FILE``); with neither, every
    site of the sites file, or the bundled demo when the file names none. ``mode``, ``since``,
    ``since_days`` and ``state`` set the run's options (``crawler.run.options``).
    """

    name = "news"
    run: Run

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
        self.feeds_requested: set[str] = set()
        self.allowed_domains: list[str] = []
        self.limits = DiscoveryLimits()
        self.robots_shared = False  # Scrapy's robots.txt middleware fetches each host's file, read here too

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Build the spider and open its run; bad arguments or a bad sites file stop the crawl at once."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.run = Run.open(crawler, spider.name, spider.url_argument, spider.site_argument, spider.options)
        sites = spider.run.sites.values()
        spider.allowed_domains = sorted({domain for site in sites for domain in site.allowed_domains})
        spider.limits = DiscoveryLimits.from_settings(crawler.settings, spider.run.mode)
        crawler.signals.connect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        settings = crawler.settings
        spider.robots_shared = settings.getbool("ROBOTSTXT_OBEY") and issubclass(
            load_object(settings.get("ROBOTSTXT_PARSER")), SitemapRobotParser
        )
        if spider.robots_shared:
            crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    # -- requests ---------------------------------------------------------------------------------

    def _count(self, site: Site | str, key: str, n: int = 1) -> None:
        assert self.crawler.stats is not None
        count(self.crawler.stats, key, site if isinstance(site, str) else site.name, n)

    def _request(
        self,
        url: str,
        site: Site,
        callback: Any,
        *,
        priority: int = PRIORITIES["discovery"],
        dont_filter: bool = False,
        **meta: Any,
    ) -> Request:
        if callback == self.parse_page:
            meta[PAGE_META] = True
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            priority=priority,
            dont_filter=dont_filter,
            meta={"site": site.name, **meta},
        )

    def _page_request(self, lead: Lead, site: Site, priority: int | None = None, **meta: Any) -> Request:
        """A request for a page that the run admitted (pending in the crawl state until its page is finished)."""
        return self._request(
            lead.url,
            site,
            self.parse_page,
            priority=PRIORITIES.get(lead.source, PRIORITIES["links"]) if priority is None else priority,
            source=lead.source,
            listed_date=lead.listed_date,
            lastmod=lead.lastmod,
            link_depth=lead.link_depth,
            pagination_depth=lead.pagination_depth,
            **meta,
        )

    def _schedule(
        self, site: Site, leads: list[Lead], key: str, *, pending: bool = False
    ) -> Iterator[Request]:
        """Requests for what the run admits of a source's leads (``crawler.run.admission``), and what its
        page budget lets out of the sitemap backlog; counts what became of the others.
        """
        admitted = self.run.admission.admit(site.name, leads, key=key, pending=pending)
        for counter, n in admitted.counts.items():
            self._count(site, counter, n)
        for lead in admitted.now:
            yield self._page_request(lead, site)
        for rank, lead in enumerate(admitted.queued):  # a distributed crawl's backlog: newest first
            yield self._page_request(lead, site, priority=PRIORITIES["sitemap"] - rank)
        yield from self._release()

    def _release(self, *, idle: bool = False) -> Iterator[Request]:
        """Requests for the backlog URLs the sites' page budgets let through now."""
        for name, lead in self.run.budget.release(idle=idle):
            self._count(name, "pending/archive", -1)
            yield self._page_request(lead, self.run.sites[name], held=True)

    def _leads(self, site: Site, leads: list[Lead]) -> list[Lead]:
        """The leads on the site's domains; counts them by source (``discovered/<source>``)."""
        leads = [lead for lead in leads if host_in_domains(lead.url, site.allowed_domains)]
        for source in {lead.source for lead in leads}:
            self._count(site, f"discovered/{source}", sum(lead.source == source for lead in leads))
        return leads

    def _done(self, request: Request) -> None:
        """A page request is finished here (answered or failed): a backlog page frees its place."""
        if request.meta.get("held"):
            self.run.budget.finished(request.meta["site"])

    def _finished(self, response: Response) -> None:
        self.run.ledger.finished(requested_url(response.request or response))

    def _fetched(self, response: Response, site: Site) -> None:
        """A discovery document was read in full: keep its validators for a conditional GET next time."""
        if response.status == 200:
            url = requested_url(response.request or response)
            self.run.ledger.fetched(url, site.name, response_validators(response))

    def _site(self, response: Response) -> Site:
        """The site a response belongs to: its request's, else its URL's (``scrapy parse`` sends no meta)."""
        return self.run.site_for(response.url, response.meta.get("site"))

    async def start(self) -> AsyncIterator[Request]:
        """Seed each site: the pages earlier runs left pending, robots.txt (for its sitemaps), the home pages,
        and the configured sitemaps and feeds.
        """
        if not self.run.begin():
            return  # a worker joining a distributed crawl that another worker seeded
        for site in self.run.sites.values():
            pending = self.run.ledger.pending(site.name)  # what a killed or earlier run left
            if pending:
                self._count(site, "discovered/pending", len(pending))
            leads = [
                Lead(p.url, p.source, p.listed_date, link_depth=self.limits.follow_depth) for p in pending
            ]
            for request in self._schedule(site, leads, "pending", pending=True):
                yield request
            for start_url in site.start_urls:
                if not self.robots_shared:  # else Scrapy's robots.txt middleware fetches it (robots_parsed)
                    yield self._request(
                        urljoin(start_url, "/robots.txt"),
                        site,
                        self.parse_robots,
                        handle_httpstatus_all=True,  # a missing robots.txt still leads to /sitemap.xml
                        dont_filter=True,
                    )
                yield self._request(
                    start_url,
                    site,
                    self.parse_page,
                    priority=PRIORITIES["home"],
                    source="home",
                    link_depth=0,
                    dont_filter=True,
                )
            for url in site.sitemaps:
                yield self._request(url, site, self.parse_sitemap, dont_filter=True)
            for url in dict.fromkeys([*site.feeds, *self.run.ledger.feeds(site.name)]):
                self.feeds_requested.add(url)
                yield self._request(url, site, self.parse_feed, dont_filter=True)

    def on_error(self, failure: Failure) -> Iterator[Request]:
        """Count a failed request for its site (``errors/http_404``, ``pending/budget``…); finish it if gone."""
        request = failure.request  # type: ignore[attr-defined]
        assert failure.value is not None
        self._done(request)
        outcome = failure_outcome(failure.value, optional=bool(request.meta.get("optional")))
        if outcome.counter:
            self._count(request.meta.get("site", "unknown"), outcome.counter)
        if outcome.gone and request.meta.get(PAGE_META) and "site" in request.meta:
            site, meta = request.meta["site"], request.meta
            self.run.ledger.no_article(
                requested_url(request), site, meta.get("listed_date"), meta.get("lastmod")
            )
        elif outcome.finished:
            self.run.ledger.finished(requested_url(request))
        if outcome.logged:
            kind = outcome.counter.removeprefix("errors/") if outcome.counter else "unknown"
            self.logger.info("Request failed (%(kind)s): %(url)s", {"kind": kind, "url": request.url})
        yield from self._release()

    def request_dropped(self, request: Request) -> None:
        """The scheduler dropped a request as a duplicate: a backlog page frees its place."""
        self._done(request)

    def spider_idle(self) -> None:
        """Nothing left to do: schedule what the sites' page budgets let out of the backlog, if anything."""
        released = list(self._release(idle=True))
        for request in released:
            assert self.crawler.engine is not None
            self.crawler.engine.crawl(request)
        if released:
            raise DontCloseSpider

    # -- discovery --------------------------------------------------------------------------------

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        """Scrapy's robots.txt middleware read a host's robots.txt: follow its sitemaps if the host is a site's."""
        robots_url = urljoin(request.url, "/robots.txt")
        netloc = urlsplit(robots_url).netloc
        sites = self.run.sites.values()
        site = next((s for s in sites if any(urlsplit(url).netloc == netloc for url in s.start_urls)), None)
        if site is None:
            return  # another host of a site (a subdomain, a CDN): its robots.txt only says what may be fetched
        body = getattr(robotparser, "body", b"")
        assert self.crawler.engine is not None
        for sitemap_request in self._robots_requests(site, robots_url, robots_sitemaps(body, robots_url)):
            self.crawler.engine.crawl(sitemap_request)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """robots.txt as the spider fetched it itself (``ROBOTSTXT_OBEY`` off, or another parser)."""
        readable = response.status == 200 and isinstance(response, TextResponse)
        sitemaps = robots_sitemaps(response.body, response.url) if readable else []
        yield from self._robots_requests(self._site(response), response.url, sitemaps)

    def _robots_requests(self, site: Site, robots_url: str, sitemaps: list[str]) -> Iterator[Request]:
        """Requests for the sitemaps robots.txt names, or for ``/sitemap.xml`` when it names none."""
        if not sitemaps:
            yield self._request(urljoin(robots_url, "/sitemap.xml"), site, self.parse_sitemap, optional=True)
        yield from self._sitemap_requests(robots_url, site, sitemaps)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """Follow a sitemap index's sitemaps; request a sitemap's (and news sitemap's) article URLs."""
        site = self._site(response)
        # DOWNLOAD_MAXSIZE (or download_maxsize) limits a sitemap as in Scrapy's SitemapSpider, at most 50 MiB.
        download_max: int = response.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
        max_size = min(download_max or SITEMAP_MAX_BYTES, SITEMAP_MAX_BYTES)
        sitemap, problems = read_sitemap(response.body, response.url, max_size, self.limits.max_sitemap_urls)
        for problem in problems:
            self._count(site, f"discovery_errors/{problem.kind}", problem.count)
        if sitemap is None:
            self.logger.warning(
                "Sitemap %(url)s %(problem)s", {"url": response.url, "problem": problems[0].message}
            )
            return
        if sitemap.is_index:
            chain = (*response.meta.get("sitemap_chain", ()), normalise_url(requested_url(response)))
            children = newest_first(sitemap.entries, lambda entry: entry.lastmod)
            yield from self._sitemap_requests(response.url, site, [entry.url for entry in children], chain)
        else:
            leads = sitemap_leads(sitemap.entries, site.wants, self.limits.follow_depth)
            yield from self._schedule(site, self._leads(site, leads), requested_url(response))
        self._fetched(response, site)  # after every entry is pending: a 304 next time loses none

    def _sitemap_requests(
        self, source_url: str, site: Site, urls: Sequence[str], chain: tuple[str, ...] = ()
    ) -> Iterator[Request]:
        """Requests for the sitemaps robots.txt or a sitemap index lists, within the limits; ``chain``: the
        indexes above (``sitemap_chain``), deeper than ``NEWS_MAX_SITEMAP_DEPTH`` nothing is followed.
        """
        if len(chain) > self.limits.max_sitemap_depth:
            self._count(site, "discovery_errors/sitemap_too_deep")
            self.logger.warning(
                "Sitemap index %(url)s is %(depth)d levels deep (NEWS_MAX_SITEMAP_DEPTH): not followed",
                {"url": source_url, "depth": len(chain)},
            )
            return
        above = {*chain, normalise_url(source_url)} if chain else set()
        followed, problems = child_sitemaps(urls, site.allowed_domains, above, self.limits.max_child_sitemaps)
        for problem in problems:
            self._count(site, f"discovery_errors/{problem.kind}")
            self.logger.warning("%(url)s %(problem)s", {"url": source_url, "problem": problem.message})
        for url in followed:
            yield self._request(url, site, self.parse_sitemap, sitemap_chain=chain)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        """Request the articles an RSS, Atom or JSON feed lists."""
        site = self._site(response)
        entries = parse_feed(response.body, response.url)
        if entries is None:
            self._count(site, "discovery_errors/bad_feed")
            self.logger.warning("Not a readable feed: %(url)s", {"url": response.url})
            return
        if bad := sum(entry.bad_date for entry in entries):
            self._count(site, "discovery_errors/bad_date", bad)
        leads = feed_leads(entries, site.wants, self.limits.follow_depth)
        yield from self._schedule(site, self._leads(site, leads), requested_url(response))
        self._fetched(response, site)

    def parse(self, response: Response) -> Iterator[Request | ArticlePage]:
        """Scrapy's default callback (``scrapy parse URL``): the response is a page."""
        return self.parse_page(response)

    def parse_page(self, response: Response) -> Iterator[Request | ArticlePage]:
        """Yield the page as a possible article unless it is a listing; follow its links within the depth limits.

        A page requested without the crawl's meta (``scrapy parse``) is parsed as a start page of its site.
        """
        site = self._site(response)
        self._count(site, "pages/fetched")
        if response.request is not None:
            self._done(response.request)
        depth: int = response.meta.get("link_depth", 0)
        home = response.meta.get("source", "home" if response.url in site.start_urls else None) == "home"
        if not (self.run.mode == "archive" or home or depth < self.limits.follow_depth):
            # The deepest pages, most articles among them, are parsed once only: by extraction, which also
            # tells articles from listings.
            yield from self._article_page(response, site, None)
            yield from self._release()
            return
        assert isinstance(response, TextResponse)  # HtmlDecodingMiddleware made it an HtmlResponse
        leads = page_leads(response.selector.root, response.url, with_feeds=home)
        listing = leads.signals.is_listing_when_found_by(_discovered_via(response))
        if listing:
            self._finished(response)
        else:
            yield from self._article_page(response, site, leads)
        yield from self._follow(response, site, leads, depth)
        if listing:
            self._fetched(response, site)

    def _article_page(self, response: Response, site: Site, leads: PageLeads | None) -> Iterator[ArticlePage]:
        """The page as a possible article, when the site wants its URL."""
        if not site.wants(response.url):
            self._finished(response)
            return
        etag, last_modified = response_validators(response)
        yield ArticlePage(
            url=response.url,
            html=response.text,
            site=site.name,
            fetched_at=utc_now(),
            discovered_via=_discovered_via(response),
            listed_date=response.meta.get("listed_date"),
            lastmod=response.meta.get("lastmod"),
            requested_url=requested_url(response),
            etag=etag,
            last_modified=last_modified,
            signals=leads.signals if leads else None,
            links_followed=leads is not None,
        )

    def _follow(self, response: Response, site: Site, leads: PageLeads, depth: int) -> Iterator[Request]:
        """Requests for a page's feeds (home page), pagination (listings) and links, within the depth limits."""
        for url in leads.feeds:
            self.run.ledger.remember_feed(site.name, url)
            if url not in self.feeds_requested:  # remembered feeds were requested at the start
                self.feeds_requested.add(url)
                yield self._request(url, site, self.parse_feed)
        found: list[Lead] = []
        mine_links = self.run.mode == "archive" or not leads.signals.claims_article
        pages_deep: int = response.meta.get("pagination_depth", 0)
        if pages_deep < self.limits.pagination_depth and mine_links:
            found += [
                Lead(url, "links", link_depth=depth, pagination_depth=pages_deep + 1)
                for url in leads.links.pagination
                if host_in_domains(url, site.allowed_domains)
            ]
        links = leads.links.links if depth < self.limits.follow_depth else ()
        # A link on every page is followed once, before any filter runs (the run's set ``followed``, on
        # disk); start URLs bypass the duplicate filter.
        for url in self.run.ledger.sets.add("followed", [url for url in links if url not in site.start_urls]):
            if host_in_domains(url, site.allowed_domains) and not any(p.search(url) for p in site.exclude):
                self._count(site, "discovered/links")
                found.append(Lead(url, "links", link_depth=depth + 1))
        yield from self._schedule(site, found, requested_url(response))


def _discovered_via(response: Response) -> str:
    """How the crawl found the page: the source of its request (a page without one was linked)."""
    source: str = response.meta.get("source", "links")
    return source
