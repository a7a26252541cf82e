"""Extraction of one article from its HTML: the plain-function core used everywhere."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from crawler.extract.appshell import is_javascript_only
from crawler.extract.authors import select_authors
from crawler.extract.body import extract_body, normalised_text
from crawler.extract.context import PageContext
from crawler.extract.dateline import find_dateline
from crawler.extract.detection import is_article, page_evidence
from crawler.extract.language import detect_language
from crawler.extract.metadata import PageMetadata
from crawler.extract.paywall import accessible_for_free
from crawler.extract.pubdate import select_dates
from crawler.extract.title import select_title
from crawler.items import ordered_record
from crawler.page import jsonld
from crawler.page.meta import html_lang, link_href, meta_content, meta_contents
from crawler.page.signals import NEWS_ITEM_SOURCES, PageSignals, page_signals
from crawler.page.text import word_count
from crawler.urls import is_http_url, normalise_url, site_host

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

PARSER_DEPTH_LIMIT = 255  # libxml2 stops parsing at this depth of nested elements: the rest is lost
AT_DEPTH_LIMIT_XPATH = etree.XPath("/*" * (PARSER_DEPTH_LIMIT + 1))  # the elements that deep (one pass)


@dataclass
class PageExtraction:
    """Everything extracted from one page, its language included (detected for articles only)."""

    url: str
    canonical_url: str
    is_article: bool
    title: str | None = None
    body: str = ""
    kicker: str | None = None
    authors: list[str] = field(default_factory=list)
    byline: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    dateline: str | None = None
    dateline_place: str | None = None
    dateline_agency: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    is_accessible_for_free: bool | None = None
    paywalled: bool = False
    word_count: int = 0
    content_hash: str = ""
    language_hints: list[str] = field(default_factory=list)
    language: str | None = None
    language_score: float | None = None
    javascript_only: bool = False  # an app shell: scripts render its text (``is_javascript_only``)
    nesting_cut: bool = False  # elements nest down to PARSER_DEPTH_LIMIT: the text after that is lost
    evidence: dict[str, float] = field(default_factory=dict)  # what weighed for and against an article


def canonical_url(tree: HtmlElement, url: str) -> str:
    """The page's canonical URL (``rel=canonical``, else ``og:url``) when on the same site, else ``url``."""
    for candidate in (link_href(tree, "canonical"), meta_content(tree, "og:url")):
        if not candidate:
            continue
        absolute = urljoin(url, candidate)
        if is_http_url(absolute) and site_host(absolute) == site_host(url):
            return normalise_url(absolute)
    return normalise_url(url)


def _is_article(signals: PageSignals, evidence: dict[str, float], discovered_via: str | None) -> bool:
    """Whether the page is an article: a news item the crawl found listed as one unless its JSON-LD types it a
    listing (``PageSignals.is_listing_when_found_by``), else as its evidence weighs (``detection``).
    """
    if discovered_via in NEWS_ITEM_SOURCES:
        return not signals.is_listing_when_found_by(discovered_via)
    return is_article(evidence)


def nesting_cut(tree: HtmlElement) -> bool:
    """Whether elements nest down to the parser's depth limit, where it stops: the text after that is missing."""
    return bool(AT_DEPTH_LIMIT_XPATH(tree.getroottree()))


def _trafilatura(tree: HtmlElement, url: str) -> Document | None:
    """trafilatura's extraction of the page's text; its metadata is read apart, as needed (``PageMetadata``)."""
    extracted = bare_extraction(
        tree, url=url, with_metadata=False, include_comments=False, include_tables=True
    )
    return extracted if isinstance(extracted, Document) else None


def parse_page(html: bytes | str, url: str, fetched_at: datetime | None = None) -> PageContext | None:
    """Parse a page once and run trafilatura on it; None when the HTML cannot be parsed at all."""
    tree = load_html(html)
    if tree is None:
        return None
    held = tuple(tree.iter())  # see ``ParsedPage.held``
    fetched = fetched_at or datetime.now(UTC)
    canonical = canonical_url(tree, url)
    objects = jsonld.jsonld_objects(tree)
    main: dict[str, Any] = jsonld.main_article(objects, {url, canonical}) or {}
    metadata = PageMetadata(tree, url, fetched)
    site_name = (
        meta_content(tree, "og:site_name") or jsonld.text_value(main.get("publisher")) or metadata.sitename
    )
    document = _trafilatura(tree, url)
    return PageContext(tree, url, canonical, objects, main, site_name, fetched, document, metadata, held)


def extract_page(
    html: bytes | str,
    url: str,
    fetched_at: datetime | None = None,
    listed_date: str | None = None,
    signals: PageSignals | None = None,
    discovered_via: str | None = None,
) -> PageExtraction | None:
    """Extract every field of an article page; None when the HTML cannot be parsed at all.

    ``listed_date`` is the date a sitemap or feed gave the page: used when the page itself states none.
    ``signals`` are the page's own signals when the crawl already read them (else they are read here).
    ``discovered_via`` is how the crawl found the page (``news_sitemap``, ``feed``, ``links``…): a news item
    listed as such is an article unless its JSON-LD says it is a listing.
    """
    page = parse_page(html, url, fetched_at)
    if page is None:
        return None
    tree, main = page.tree, page.main
    title = select_title(page)
    body = extract_body(page, title)
    text = "\n\n".join(body.paragraphs)
    authors, byline = select_authors(page, body.bylines)
    dateline = find_dateline(page, body.paragraphs, title, authors)
    published, modified = select_dates(page, dateline.date if dateline else None, listed_date)
    free = accessible_for_free(page)
    words = word_count(text)
    image = jsonld.text_value(main.get("image")) or meta_content(tree, "og:image", "twitter:image")
    hints = [
        html_lang(tree),
        meta_content(tree, "og:locale", "content-language", "language"),
        jsonld.text_value(main.get("inLanguage")),
    ]
    signals = signals or page_signals(tree, url, page.jsonld)
    found = {"date": bool(published), "authors": bool(authors), "dateline": dateline is not None}
    evidence = page_evidence(tree, page.held, url, signals, body.paragraphs, page.link_texts, found)
    article = _is_article(signals, evidence, discovered_via)
    declared = [hint for hint in hints if hint]
    language, score = detect_language(text, declared) if article and text else (None, None)
    return PageExtraction(
        url=normalise_url(url),
        canonical_url=page.canonical_url,
        is_article=article,
        title=title,
        body=text,
        kicker=page.headline.kicker,
        authors=authors,
        byline=byline,
        date_published=published,
        date_modified=modified,
        dateline=dateline.text if dateline else None,
        dateline_place=dateline.place if dateline else None,
        dateline_agency=dateline.agency if dateline else None,
        site_name=page.site_name,
        description=meta_content(tree, "og:description", "description", "twitter:description")
        or jsonld.text_value(main.get("description")),
        tags=jsonld.keywords(main.get("keywords"))
        or meta_contents(tree, "article:tag")
        or page.metadata.tags,
        image=urljoin(url, image) if image else None,
        is_accessible_for_free=free,
        paywalled=free is False or body.paywall_notice,
        word_count=words,
        content_hash=hashlib.sha256(normalised_text(text).encode()).hexdigest(),
        language_hints=declared,
        language=language,
        language_score=score,
        javascript_only=is_javascript_only(tree, words),
        nesting_cut=nesting_cut(tree),
        evidence=evidence,
    )


def extract_article(
    html: bytes | str, url: str, *, fetched_at: datetime | None = None
) -> dict[str, Any] | None:
    """Extract an article record's fields from a page; None when the page is not an article.

    ``fetched_at`` (default: now) bounds the dates: nothing after it is taken for a publication date.
    """
    page = extract_page(html, url, fetched_at)
    if page is None or not page.is_article or not page.body:
        return None
    fields = {
        name: value
        for name, value in vars(page).items()
        if name not in {"is_article", "language_hints", "javascript_only", "nesting_cut", "evidence"}
    }
    return ordered_record(fields)
