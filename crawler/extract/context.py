"""What every extraction step may read about one page: its tree, URLs, JSON-LD and trafilatura's result."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from crawler.extract.headline import Headline, find_headline
from crawler.extract.sitenames import SiteNames, site_names

if TYPE_CHECKING:
    from datetime import datetime

    from lxml.html import HtmlElement
    from trafilatura.settings import Document


@dataclass(frozen=True)
class PageContext:
    """One parsed page. ``tree`` is never modified; ``document`` is trafilatura's extraction of it.

    The site's names and the headline are found on first use, once for all the steps that read them.
    """

    tree: HtmlElement
    url: str
    canonical_url: str
    jsonld: list[dict[str, Any]]
    main: dict[str, Any]  # the JSON-LD object of the page's own article; empty when there is none
    site_name: str | None
    fetched: datetime
    document: Document | None

    @cached_property
    def site_names(self) -> SiteNames:
        """The site's own names, found once for every step that must tell them from a headline or an author."""
        return site_names(self)

    @cached_property
    def headline(self) -> Headline:
        """The article's headline element and text, found once for the title, the byline search and the dates."""
        return find_headline(self)
