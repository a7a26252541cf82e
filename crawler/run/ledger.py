"""The crawl state's one owner during a run: every component reports what happened here, never to the store.

Its lifecycle: opened with the run (``crawler.run.context``), started when the spider starts, told of
each page URL discovered (pending, before it is scheduled), each page finished, each article written or
seen unchanged (a known page, with the date its listing gave), and each discovery document's validators;
finished and closed when the run closes (``crawler.run.manifest``).
With the state ignored (``-a state=ignore``) it keeps nothing but this run's claims. In a distributed
crawl (``REDIS_URL``) claims are shared by every worker through the frontier, and a written article's
claims are settled so that no other worker writes it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.dates import utc_iso, utc_now
from crawler.store import (
    KnownPage,
    PendingRequest,
    open_near_duplicate_index,
    open_store,
    state_location,
    state_path,
    uses_redis,
)
from crawler.urls import normalise_url

if TYPE_CHECKING:
    from crawler.discover.leads import Lead
    from crawler.items import ArticleRecord
    from crawler.store import KnownArticle, NearDuplicateStore, StateStore
    from crawler.store.frontier import SharedFrontier

Validators = tuple[str | None, str | None]


class Ledger:
    """What the run tells the crawl state (SQLite or Redis) and the run's claims."""

    def __init__(self, state: StateStore | None, frontier: SharedFrontier | None = None) -> None:
        self.state = state
        self.frontier = frontier
        self._pending_this_run: set[str] = set()
        self._claims: dict[str, str] = {}

    # -- the run ----------------------------------------------------------------------------------

    def start(self, crawl_id: str, sites: list[str]) -> None:
        """The run starts: record it."""
        if self.state is not None:
            self.state.start_run(crawl_id, sites, utc_now())

    def finish(self, crawl_id: str, status: str, written: int) -> None:
        """The run ends: record how, and release the store."""
        if self.state is not None:
            self.state.finish_run(crawl_id, status, written, utc_now())
            self.state.close()

    # -- pending requests -------------------------------------------------------------------------

    def pending(self, site: str) -> list[PendingRequest]:
        """Requests of ``site`` that an earlier or killed run scheduled but never finished, oldest first."""
        return self.state.pending([site]) if self.state is not None else []

    def schedule(self, site: str, leads: list[Lead]) -> None:
        """Page URLs (normalised) are discovered: pending until their pages are finished (recorded once per run)."""
        if self.state is None:
            return
        new = [lead for lead in leads if lead.url not in self._pending_this_run]
        self._pending_this_run.update(lead.url for lead in new)
        if new:
            requests = [PendingRequest(lead.url, site, lead.source, lead.listed_date) for lead in new]
            self.state.add_pending(requests, utc_now())

    def finished(self, url: str) -> None:
        """The page first requested as ``url`` is finished: written, dropped, or failed for good."""
        if self.state is not None:
            self.state.finish_pending(url)

    def no_article(self, url: str, site: str, listed_date: str | None, lastmod: str | None) -> None:
        """The page first requested as ``url`` gave no article for good (not one, a duplicate, gone): it is
        finished, and known, so that a later run fetches it again only with a reason.
        """
        if self.state is None:
            return
        now = utc_now()
        url = normalise_url(url)
        self.state.record_page(
            KnownPage(url, site, None, now, listed_date, utc_iso(lastmod) if lastmod else None, now)
        )
        self.state.finish_pending(url)

    # -- conditional GET --------------------------------------------------------------------------

    def validators(self, url: str) -> Validators:
        """``(etag, last_modified)`` last stored for ``url``."""
        return self.state.validators(url) if self.state is not None else (None, None)

    def fetched(self, url: str, site: str, validators: Validators) -> None:
        """A document (sitemap, feed, listing) was read in full: keep its validators for the next run."""
        if self.state is not None and any(validators):
            self.state.save_validators(url, site, validators, utc_now())

    def feeds(self, site: str) -> list[str]:
        """The feeds earlier runs found on ``site``'s home page."""
        return self.state.feeds(site) if self.state is not None else []

    def remember_feed(self, site: str, url: str) -> None:
        """A feed was found on the site's home page: the next runs read it even if that page is unchanged."""
        if self.state is not None:
            self.state.remember_feed(site, url)

    # -- articles ---------------------------------------------------------------------------------

    def known_pages(self, urls: list[str]) -> dict[str, KnownPage]:
        """The pages among ``urls`` (normalised) an earlier run fetched for good, by URL."""
        return self.state.pages(urls) if self.state is not None and urls else {}

    def known(self, canonical_url: str) -> KnownArticle | None:
        """What an earlier run wrote under this canonical URL, if anything."""
        return self.state.article(canonical_url) if self.state is not None else None

    def unchanged(self, item: ArticleRecord) -> None:
        """A known article was fetched again with the same text: when, and its validators for next time."""
        if self.state is None:
            return
        now = utc_now()
        self.state.touch_article(item.canonical_url, now)
        self.state.record_page(_known_page(item))
        _save_page_validators(self.state, item, now)

    def written(self, record: dict[str, Any], item: ArticleRecord) -> None:
        """An article's line is durable in the output: settle its claims, remember it, finish its page."""
        if self.frontier is not None:  # no other worker may write it again, even if this one dies now
            self.frontier.settle({"url": item.canonical_url, "content": item.content_hash})
        if self.state is None:
            return
        now = utc_now()
        self.state.record_article(record, item.site, now, item.etag, item.last_modified)
        self.state.record_page(_known_page(item))
        _save_page_validators(self.state, item, now)
        self.state.finish_pending(item.requested_url or item.url)

    def salvaged(self, record: dict[str, Any], site: str) -> None:
        """A line of a killed run's output was kept: its article is written, its page known and finished."""
        if self.state is None:
            return
        if self.state.article(record["canonical_url"]) is None:
            self.state.record_article(record, site, utc_now())
        url = normalise_url(record["url"])  # its pending key, unless a redirect led there
        self.state.record_page(
            KnownPage(
                url,
                site,
                record["canonical_url"],
                record["first_seen"],
                record.get("date_published"),
                None,
                record["fetched_at"],
            )
        )
        self.state.finish_pending(url)

    # -- duplicates -------------------------------------------------------------------------------

    def claim(self, kind: str, key: str, url: str) -> str | None:
        """Claim ``key`` (a canonical URL or body hash) for ``url`` in this run: None the first time, else
        the URL that claimed it. In a distributed crawl the claims are shared by every worker.
        """
        if self.frontier is not None:
            return self.frontier.claim(kind, key, url)
        first = self._claims.get(f"{kind}:{key}")
        if first is None:
            self._claims[f"{kind}:{key}"] = url
        return first

    def near_duplicate_index(self, threshold: float) -> NearDuplicateStore:
        """The near-duplicate index of the state, or one in memory for this run when the state is ignored."""
        return open_near_duplicate_index(self.state, threshold)


def _known_page(item: ArticleRecord) -> KnownPage:
    """The page an article record was fetched from, as the state remembers it (dates in UTC)."""
    return KnownPage(
        normalise_url(item.requested_url or item.url),
        item.site,
        item.canonical_url,
        item.first_seen,
        item.date_published,
        utc_iso(item.lastmod) if item.lastmod else None,
        item.fetched_at,
    )


def _save_page_validators(state: StateStore, item: ArticleRecord, now: str) -> None:
    """Keep an article page's ``ETag``/``Last-Modified``, so the next run may ask whether it changed."""
    if item.etag or item.last_modified:
        state.save_validators(item.requested_url or item.url, item.site, (item.etag, item.last_modified), now)


def state_report(settings: Any) -> dict[str, Any]:
    """Where the crawl state the settings name is, and what it holds (for ``scrapy state``).

    ``FileNotFoundError`` when there is no state file yet; ``ConfigError`` when its Redis does not answer.
    """
    if not uses_redis(settings) and not state_path(settings).exists():
        raise FileNotFoundError(f"no crawl state at {state_path(settings)}")
    state = open_store(settings)
    try:
        return {**state_location(settings), **state.summary()}
    finally:
        state.close()
