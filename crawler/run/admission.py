"""What a run schedules of the page URLs its discovery finds, and what it leaves pending, and why.

Each URL is considered once per run (normalised). A page an earlier run wrote is fetched again only with
a reason (``crawler.run.revalidation``), else skipped (``skipped/known``). A URL listed before the run's
``since`` cutoff is not requested but stays pending (``pending/since``), so that a later run with an
earlier cutoff, or none, continues from there even when the sitemap answers 304. Every other URL is
recorded pending in the crawl state before it is scheduled; the news is scheduled at once unless the
site's page budget is spent (then it stays pending: ``pending/budget``), and plain sitemap URLs go to the
budget's backlog (``crawler.run.budget``), what is left of it staying pending (``pending/archive``). In a
distributed crawl (``shared``) the backlog is the shared queue itself, so that a worker that dies takes
none of it along: plain sitemap URLs are queued at once, newest first by Scrapy priority.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.dates import newest_first
from crawler.run.budget import BACKLOG_SOURCES, listing_date
from crawler.urls import normalise_url

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.discover.leads import Lead
    from crawler.run.budget import PageBudget
    from crawler.run.ledger import Ledger
    from crawler.run.options import RunOptions
    from crawler.run.revalidation import Revalidation


@dataclass
class Admitted:
    """What to schedule now of a batch of leads (``queued``: the backlog's, in a distributed crawl, newest
    first), and the per-site counters of what became of the rest.
    """

    now: list[Lead] = field(default_factory=list)
    queued: list[Lead] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


class Admission:
    """The run's gate between discovery and the scheduler (see the module docstring)."""

    def __init__(
        self,
        ledger: Ledger,
        budget: PageBudget,
        revalidation: Revalidation,
        options: RunOptions,
        *,
        shared: bool = False,
    ) -> None:
        self.ledger = ledger
        self.budget = budget
        self.revalidation = revalidation
        self.options = options
        self.shared = shared
        self.scheduled: set[str] = set()  # normalised URLs scheduled or held in this run

    def admit(self, site: str, leads: Iterable[Lead], *, key: str, pending: bool = False) -> Admitted:
        """Admit a source's leads (``key`` names the source document); ``pending``: an earlier run's."""
        fresh: dict[str, Lead] = {}
        for lead in leads:
            url = normalise_url(lead.url)
            if url not in self.scheduled and url not in fresh:
                fresh[url] = replace(lead, url=url)
        revalidate = not pending and self.options.mode != "archive"  # an archive fetches every page
        known = self.ledger.known_pages(list(fresh)) if revalidate else {}
        now = datetime.now(UTC)
        admitted = Admitted()
        recorded: list[Lead] = []
        held: list[Lead] = []
        for url, lead in fresh.items():
            page = known.get(url)
            if page is not None:
                reason = self.revalidation.reason(page, lead.lastmod, now)
                if reason is None:
                    admitted.counts["skipped/known"] += 1
                    continue
                admitted.counts[f"revalidated/{reason}"] += 1
            if self.options.too_old(lead.listed_date):
                admitted.counts["skipped/too_old"] += 1
                if page is None:  # a later run with an earlier cutoff, or none, fetches it
                    admitted.counts["pending/since"] += 1
                    recorded.append(lead)
                continue
            recorded.append(lead)
            self.scheduled.add(url)
            if lead.source in BACKLOG_SOURCES:
                held.append(lead)
            elif self.budget.exhausted(site):
                admitted.counts["pending/budget"] += 1
            else:
                admitted.now.append(lead)
        self.ledger.schedule(site, recorded)  # pending before anything is scheduled
        if self.shared:
            admitted.queued = newest_first(held, listing_date)
        elif held:  # until the budget lets them out (the spider counts each one released)
            self.budget.hold(site, key, held)
            admitted.counts["pending/archive"] += len(held)
        return admitted
