"""Is a page an article? Cheap signals from the URL, JSON-LD and Open Graph tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.page.jsonld import ARTICLE_TYPES, LISTING_TYPES, OTHER_CONTENT_TYPES, jsonld_objects, page_types
from crawler.page.meta import meta_content

if TYPE_CHECKING:
    from lxml.html import HtmlElement

DATE_PATH_RE = re.compile(
    r"(?:^|[/_-])(?:19|20)\d{2}"
    r"(?:[/-](?:0[1-9]|1[0-2]|[1-9])(?:[/-](?:0[1-9]|[12]\d|3[01]|[1-9]))?|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"(?=[/_.-]|$)"
)
LISTING_PATH_RE = re.compile(
    r"/(?:tags?|topics?|themen|thema|authors?|autor(?:en)?|auteurs?|writers?|people|profiles?|category|categories"
    r"|kategorie|rubriek|section|sections|search|suche|recherche|buscar|archives?|about|about-us|impressum"
    r"|contact|kontakt|privacy|datenschutz|terms|newsletters?|subscribe|login|register|page|seite|pagina)"
    r"(?:/|$|\.html?$)",
    re.IGNORECASE,
)
PAGINATION_QUERY_RE = re.compile(r"(?:^|&)(?:page|p|pg|seite|pagina)=\d+", re.IGNORECASE)
NEWS_ITEM_SOURCES = frozenset({"news_sitemap", "feed"})  # how the crawl finds pages listed as news items


@dataclass(frozen=True)
class PageSignals:
    """What a page says about itself before its text is extracted."""

    article_typed: bool
    listing_typed: bool
    og_type: str | None
    date_in_url: bool
    listing_url: bool
    other_typed: bool = (
        False  # JSON-LD types a product, forum thread, question, event… (``OTHER_CONTENT_TYPES``)
    )
    person_typed: bool = False  # JSON-LD names a ``Person`` (an article's author, mostly)

    @property
    def is_listing(self) -> bool:
        """The page presents itself as a section, tag, author, search or about page: by its URL, a JSON-LD
        listing type or ``og:type=profile``. ``og:type=website`` does not: many CMSs set it on every page.
        """
        if self.article_typed:
            return False
        return self.listing_url or self.listing_typed or self.og_type == "profile"

    def is_listing_when_found_by(self, discovered_via: str | None) -> bool:
        """Whether the page is a listing, given how the crawl found it: a page a news sitemap or a feed lists as
        a news item is one only when its JSON-LD types it so; its URL and ``og:type`` do not make it one.
        """
        if discovered_via in NEWS_ITEM_SOURCES:
            return self.listing_typed and not self.article_typed
        return self.is_listing

    @property
    def claims_article(self) -> bool:
        """The page presents itself as an article (JSON-LD type, og:type or a date-shaped URL)."""
        return not self.is_listing and (self.article_typed or self.og_type == "article" or self.date_in_url)


def is_listing_url(url: str) -> bool:
    """Whether the URL's path or query is that of a home, section, tag, author, search or about page."""
    parts = urlsplit(url)
    if parts.path in {"", "/"} and not parts.query:
        return True
    if DATE_PATH_RE.search(parts.path):
        return False
    return bool(LISTING_PATH_RE.search(parts.path) or PAGINATION_QUERY_RE.search(parts.query))


def page_signals(tree: HtmlElement, url: str, jsonld: list[dict[str, Any]] | None = None) -> PageSignals:
    """Read the article/listing signals of a parsed page (``jsonld``: its JSON-LD objects, when read already)."""
    types = page_types(jsonld if jsonld is not None else jsonld_objects(tree))
    og_type = meta_content(tree, "og:type")
    return PageSignals(
        article_typed=bool(types & ARTICLE_TYPES),
        listing_typed=bool(types & LISTING_TYPES),
        og_type=og_type.strip().lower() if og_type else None,
        date_in_url=bool(DATE_PATH_RE.search(urlsplit(url).path)),
        listing_url=is_listing_url(url),
        other_typed=bool(types & OTHER_CONTENT_TYPES),
        person_typed="Person" in types,
    )
