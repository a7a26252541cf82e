"""Is a page an article? Cheap signals from the URL, JSON-LD and Open Graph tags."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.page.jsonld import ARTICLE_TYPES, LISTING_TYPES, jsonld_objects, page_types
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
# Pagination beyond the first page (``?page=1`` is the page itself; WordPress's ``?p=123`` names a post).
PAGINATION_QUERY_RE = re.compile(r"(?:^|&)(?:page|pg|seite|pagina)=(?:[2-9]|\d{2,})(?:&|$)", re.IGNORECASE)


@dataclass(frozen=True)
class PageSignals:
    """What a page says about itself before its text is extracted.

    None of them decides alone whether the page is an article: extraction weighs them against the text
    (:mod:`crawler.extract.detection`). The crawl uses the strong ones to decide where to look for links.
    """

    article_typed: bool
    listing_typed: bool
    og_type: str | None
    date_in_url: bool
    home_url: bool  # the site's root, ``/``
    listing_path: bool  # a tag, topic, author, search, archive, about or service path
    paginated: bool  # a query asking for a second or later page

    @property
    def listing_url(self) -> bool:
        """The URL is that of a home, section, tag, author, search or about page, or a later page of one."""
        return self.home_url or self.listing_path or self.paginated

    @property
    def is_listing(self) -> bool:
        """The page presents itself as a listing or service page, by a listing type or by its URL, and its
        markup does not type it as an article: extraction need not look at it.
        """
        if self.article_typed:
            return False
        return self.listing_typed or (self.listing_url and self.og_type != "article")

    @property
    def claims_article(self) -> bool:
        """The page presents itself as an article (JSON-LD type, og:type or a date-shaped URL) at an article's URL."""
        typed = self.article_typed or self.og_type == "article"
        return not self.listing_url and not self.is_listing and (typed or self.date_in_url)


def _url_shape(url: str) -> tuple[bool, bool, bool]:
    """Whether the URL is a home page, has a listing path, asks for a later page (a dated path is neither)."""
    parts = urlsplit(url)
    if parts.path in {"", "/"} and not parts.query:
        return True, False, False
    if DATE_PATH_RE.search(parts.path):
        return False, False, False
    return False, bool(LISTING_PATH_RE.search(parts.path)), bool(PAGINATION_QUERY_RE.search(parts.query))


def is_listing_url(url: str) -> bool:
    """Whether the URL's path or query is that of a home, section, tag, author, search or about page."""
    return any(_url_shape(url))


def page_signals(tree: HtmlElement, url: str, jsonld: list[dict[str, Any]] | None = None) -> PageSignals:
    """Read the article/listing signals of a parsed page (``jsonld``: its JSON-LD objects, when read already)."""
    types = page_types(jsonld if jsonld is not None else jsonld_objects(tree))
    og_type = meta_content(tree, "og:type")
    home, listing, paginated = _url_shape(url)
    return PageSignals(
        article_typed=bool(types & ARTICLE_TYPES),
        listing_typed=bool(types & LISTING_TYPES),
        og_type=og_type.strip().lower() if og_type else None,
        date_in_url=bool(DATE_PATH_RE.search(urlsplit(url).path)),
        home_url=home,
        listing_path=listing,
        paginated=paginated,
    )
