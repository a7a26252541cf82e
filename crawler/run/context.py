"""One crawl run as every component sees it: its id, start, options and sites, its ledger, frontier and budget.

The spider opens the run from its arguments (``Run.open``) when Scrapy builds it, before any other
component exists; components then ask ``run_of(crawler)`` for it instead of reading spider attributes.
Opening a run checks the settings, selects the sites, locks them against another run on the same
``OUTPUT_DIR`` (``crawler.run.lock``; not in a distributed crawl), connects to the shared frontier
(``REDIS_URL``), opens the crawl state and, last, serves the sites that are served locally (the demo).
Scrapy builds the spider before it loads add-ons, so the run checks the settings itself before it uses
any, with the same checks as ``NewscrawlAddon``.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit
from weakref import WeakKeyDictionary

from scrapy import signals

from crawler import settings as defaults
from crawler.config import check_settings
from crawler.demo.server import PLACEHOLDER_ORIGIN, LocalSite
from crawler.output.files import safe_name
from crawler.run.admission import Admission
from crawler.run.budget import PageBudget
from crawler.run.ledger import Ledger
from crawler.run.lock import SiteLocks
from crawler.run.revalidation import Revalidation
from crawler.run.sites import Site, select_sites, site_for_url
from crawler.store import open_store, uses_redis
from crawler.store.frontier import SharedFrontier, frontier_key
from crawler.urls import host_in_domains, url_origin

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.run.options import RunOptions

logger = logging.getLogger(__name__)

ROLES = {"seed": "seeds", "join": "joins", "resume": "resumes"}
BUDGET_WINDOW = 32  # backlog pages of a site released and unfinished at once, at least
_RUNS: WeakKeyDictionary[Crawler, Run] = WeakKeyDictionary()


def new_crawl_id() -> str:
    """A crawl identifier: the UTC start time and a random suffix (``20261126T070501Z-3f9a1c``)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass
class Run:
    """One crawl run of the ``news`` spider."""

    crawl_id: str
    options: RunOptions
    sites: dict[str, Site]
    ledger: Ledger
    budget: PageBudget
    admission: Admission
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    served_hosts: list[str] = field(default_factory=list)  # host:port of the sites served locally
    local_sites: list[LocalSite] = field(default_factory=list)
    locks: SiteLocks | None = None

    @property
    def mode(self) -> str:
        """``articles`` or ``archive``."""
        return self.options.mode

    @property
    def frontier(self) -> SharedFrontier | None:
        """The shared frontier of a distributed crawl (``REDIS_URL``), else None."""
        return self.ledger.frontier

    @classmethod
    def open(
        cls, crawler: Crawler, spider_name: str, urls: str | None, site_names: str | None, options: RunOptions
    ) -> Run:
        """Open the run of ``crawler``; a bad setting, argument or sites file raises ``ConfigError`` at once."""
        settings = crawler.settings
        check_settings(settings)
        crawl_id = safe_name(settings.get("CRAWL_ID") or new_crawl_id())  # it names files
        sites_file = Path(settings.get("NEWS_SITES_FILE", defaults.NEWS_SITES_FILE))
        selected = select_sites(urls, site_names, sites_file)
        names = sorted(site.name for site in selected)
        locks = None
        if not uses_redis(settings):  # the workers of a distributed crawl are one run
            output_dir = Path(settings.get("OUTPUT_DIR") or defaults.OUTPUT_DIR)
            wait = settings.getfloat("RUN_LOCK_WAIT", defaults.RUN_LOCK_WAIT)
            locks = SiteLocks.acquire(output_dir, names, crawl_id, wait)
        try:
            frontier = (
                SharedFrontier.from_settings(settings, frontier_key(spider_name, names))
                if uses_redis(settings)
                else None
            )
            state = None
            if options.state != "ignore":
                state = open_store(settings)
                if options.state == "reset":
                    state.reset(names)
        except BaseException:
            if locks is not None:
                locks.release()
            raise
        run = cls._new(crawler, crawl_id, options, Ledger(state, frontier), locks)
        # Served last: nothing above may fail and leave a local server running.
        run.sites = {site.name: run._serve(site) for site in selected}
        crawler.signals.connect(run.close, signal=signals.spider_closed)
        _RUNS[crawler] = run
        return run

    @classmethod
    def replay(cls, crawler: Crawler, options: RunOptions) -> Run:
        """Open the run of a re-extraction from WARC files: no sites file, no crawl state, no frontier;
        its sites are those of the archived responses (``site_for``)."""
        check_settings(crawler.settings)
        crawl_id = safe_name(crawler.settings.get("CRAWL_ID") or new_crawl_id())
        run = cls._new(crawler, crawl_id, options, Ledger(None))
        _RUNS[crawler] = run
        return run

    @classmethod
    def _new(
        cls,
        crawler: Crawler,
        crawl_id: str,
        options: RunOptions,
        ledger: Ledger,
        locks: SiteLocks | None = None,
    ) -> Run:
        """A run with its page budget and admission, from the settings (the defaults when add-ons have not
        applied them yet)."""
        settings = crawler.settings
        concurrency = settings.getint("CONCURRENT_REQUESTS", defaults.CONCURRENT_REQUESTS)
        limit = settings.getint("NEWS_MAX_PAGES_PER_SITE", defaults.NEWS_MAX_PAGES_PER_SITE)
        budget = PageBudget(limit, max(BUDGET_WINDOW, 2 * concurrency))
        revalidation = Revalidation.from_settings(settings)
        shared = ledger.frontier is not None
        return cls(
            crawl_id=crawl_id,
            options=options,
            sites={},
            ledger=ledger,
            budget=budget,
            admission=Admission(ledger, budget, revalidation, options, shared=shared),
            locks=locks,
        )

    def _serve(self, site: Site) -> Site:
        if site.serve is None:
            return site
        local = LocalSite(site.serve, port=site.serve_port).start()
        self.local_sites.append(local)
        self.served_hosts.append(urlsplit(local.origin).netloc)
        logger.info(
            "Site %(site)s is served locally at %(origin)s", {"site": site.name, "origin": local.origin}
        )
        return site.with_origin(PLACEHOLDER_ORIGIN, local.origin)

    def close(self) -> None:
        """Stop serving the locally served sites and let other runs crawl these sites."""
        for local in self.local_sites:
            local.stop()
        if self.locks is not None:
            self.locks.release()

    def named_hosts(self) -> list[str]:
        """``host:port`` of every URL the operator named: the sites' start URLs, sitemaps and feeds."""
        return sorted(
            {
                origin
                for site in self.sites.values()
                for url in (*site.start_urls, *site.sitemaps, *site.feeds)
                if (origin := url_origin(url))
            }
        )

    def begin(self) -> bool:
        """Start the run; whether this process seeds it (always, unless it joins a distributed crawl that
        other workers are crawling: a crawl whose workers all stopped is seeded again from the crawl state).
        """
        self.ledger.start(self.crawl_id, sorted(self.sites))
        if self.frontier is None:
            return True
        role = self.frontier.begin()
        logger.info(
            "Worker %(worker)s: %(role)s the distributed crawl %(key)s",
            {"worker": self.frontier.worker_id, "role": ROLES[role], "key": self.frontier.prefix},
        )
        return role != "join"

    def site_for(self, url: str, name: str | None = None) -> Site:
        """The site named ``name``, else the site of ``url``; a URL of no site of the run (``scrapy parse``
        of any page, an archived response) gets its own site: ``name``, or its host as ``-a url=`` names it."""
        site = self.sites.get(name or "") or self.site_of(url)
        if site is None:
            site = site_for_url(urljoin(url, "/"))
            site = replace(site, name=safe_name(name)) if name else site
            self.sites[site.name] = site
        return site

    def site_of(self, url: str) -> Site | None:
        """The site whose domains hold ``url``, if any."""
        return next(
            (site for site in self.sites.values() if host_in_domains(url, site.allowed_domains)), None
        )


def run_of(crawler: Crawler) -> Run | None:
    """The run of ``crawler``'s ``news`` spider; None for another spider (``scrapy extract``'s fetcher)."""
    return _RUNS.get(crawler)
