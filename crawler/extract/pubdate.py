"""Publication and modification dates of the main article, never a related item's and never in the future."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.dates import is_after, normalise_date
from crawler.extract import jsonld
from crawler.extract.meta import meta_content

if TYPE_CHECKING:
    from datetime import datetime

    from lxml.html import HtmlElement

    from crawler.extract.context import PageContext

PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dc.date",
)
MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified")


def first_date(candidates: list[str | None], fetched: datetime) -> str | None:
    """The first candidate that reads as a date not after ``fetched``, in ISO 8601."""
    for candidate in candidates:
        iso = normalise_date(candidate)
        if iso and not is_after(iso, fetched):
            return iso
    return None


def header_time(tree: HtmlElement) -> str | None:
    """The ``datetime`` of the first ``<time>`` element."""
    for time in tree.iterfind(".//time[@datetime]"):
        return str(time.get("datetime"))
    return None


def select_dates(
    page: PageContext, dateline_date: str | None, listed_date: str | None
) -> tuple[str | None, str | None]:
    """``(date_published, date_modified)`` in ISO 8601 with the precision the page gives.

    ``dateline_date`` comes from the body's dateline, ``listed_date`` from a sitemap or feed.
    """
    published = first_date(
        [
            jsonld.text_value(page.main.get("datePublished")),
            meta_content(page.tree, *PUBLISHED_META),
            header_time(page.tree),
            dateline_date,
            listed_date,
            page.document.date if page.document else None,
        ],
        page.fetched,
    )
    modified = first_date(
        [jsonld.text_value(page.main.get("dateModified")), meta_content(page.tree, *MODIFIED_META)],
        page.fetched,
    )
    return published, modified
