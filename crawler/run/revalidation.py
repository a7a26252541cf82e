"""When a run fetches a page again whose article an earlier run wrote: only with a reason.

A known page is fetched again when a discovery source gives it a date (sitemap ``lastmod``, news
sitemap publication date, feed ``updated``) newer than the one stored when it was last fetched, or, lacking
one, than that fetch itself (``changed``); or while its article is young: published (or first seen, when
earlier) less than ``NEWS_REVALIDATE_DAYS`` ago (``young``), as news is corrected in its first days.
Otherwise it is skipped (``skipped/known``). Where the site gave validators, the request is conditional.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from crawler import settings as defaults
from crawler.dates import date_value

if TYPE_CHECKING:
    from datetime import datetime

    from scrapy.settings import BaseSettings

    from crawler.store import KnownPage


@dataclass(frozen=True)
class Revalidation:
    """The revalidation policy of a run: ``window`` after publication during which known pages are fetched again."""

    window: timedelta

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> Revalidation:
        """``NEWS_REVALIDATE_DAYS`` (0: known pages are fetched again only when a source says they changed)."""
        days = settings.getfloat("NEWS_REVALIDATE_DAYS", defaults.NEWS_REVALIDATE_DAYS)
        return cls(timedelta(days=days))

    def reason(self, known: KnownPage | None, lastmod: str | None, now: datetime) -> str | None:
        """Why the page should be fetched: ``new``, ``changed`` or ``young``; None when nothing says so."""
        if known is None:
            return "new"
        if lastmod and date_value(lastmod) > date_value(known.lastmod or known.fetched_at):
            return "changed"
        born = date_value(known.first_seen)
        if known.published:
            born = min(born, date_value(known.published))
        return "young" if now - born < self.window else None
