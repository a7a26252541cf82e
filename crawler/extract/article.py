"""Extraction of one article from its HTML: the plain-function core used everywhere."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from crawler.dates import is_after, normalise_date
from crawler.extract import jsonld
from crawler.extract.body import clean_lines, drop_captions, normalised_text, word_count
from crawler.extract.byline import split_authors
from crawler.extract.detection import PageSignals, page_signals
from crawler.extract.language import detect_language
from crawler.extract.meta import html_lang, link_href, meta_content, meta_contents
from crawler.urls import is_http_url, normalise_url, site_host

if TYPE_CHECKING:
    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

MIN_WORDS_UNTYPED = 250  # a page with no article signal must be at least this long to count as one
TITLE_SEPARATORS_RE = re.compile(r"\s+[|\-–—:·•»]\s+")


@dataclass
class PageExtraction:
    """Everything extracted from one page, before language detection."""

    url: str
    canonical_url: str
    is_article: bool
    title: str | None = None
    body: str = ""
    authors: list[str] = field(default_factory=list)
    byline: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    dateline: str | None = None
    site_name: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    word_count: int = 0
    content_hash: str = ""
    language_hints: list[str] = field(default_factory=list)


def canonical_url(tree: HtmlElement, url: str) -> str:
    """The page's canonical URL (``rel=canonical``, else ``og:url``) when on the same site, else ``url``."""
    for candidate in (link_href(tree, "canonical"), meta_content(tree, "og:url")):
        if not candidate:
            continue
        absolute = urljoin(url, candidate)
        if is_http_url(absolute) and site_host(absolute) == site_host(url):
            return normalise_url(absolute)
    return normalise_url(url)


def clean_title(title: str | None, site_name: str | None) -> str | None:
    """The headline without the site name glued before or after it (" | Site", "Site - ")."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    parts = TITLE_SEPARATORS_RE.split(title)
    if len(parts) > 1:
        site = (site_name or "").casefold()
        kept = [part for part in parts if part.casefold() != site]
        if len(kept) == len(parts) and len(parts[0].split()) >= 3:
            kept = [parts[0]]  # "Headline | Section | Site": keep the long first part
        title = " - ".join(kept) if kept else title
    return title or None


def _first_date(candidates: list[str | None], fetched: datetime) -> str | None:
    for candidate in candidates:
        iso = normalise_date(candidate)
        if iso and not is_after(iso, fetched):
            return iso
    return None


def _header_time(tree: HtmlElement) -> str | None:
    for time in tree.iterfind(".//time[@datetime]"):
        return str(time.get("datetime"))
    return None


def _h1(tree: HtmlElement) -> str | None:
    for h1 in tree.iterfind(".//h1"):
        text = " ".join(h1.text_content().split())
        if text:
            return text
    return None


def _is_article(signals: PageSignals, words: int) -> bool:
    if signals.is_listing:
        return False
    return signals.claims_article or words >= MIN_WORDS_UNTYPED


def extract_page(
    html: bytes | str, url: str, fetched_at: datetime | None = None, listed_date: str | None = None
) -> PageExtraction | None:
    """Extract every field of an article page; None when the HTML cannot be parsed at all.

    ``listed_date`` is the date a sitemap or feed gave the page: used when the page itself states none.
    """
    tree = load_html(html)
    if tree is None:
        return None
    fetched = fetched_at or datetime.now(UTC)
    signals = page_signals(tree, url)
    canonical = canonical_url(tree, url)
    objects = jsonld.jsonld_objects(tree)
    main: dict[str, Any] = jsonld.main_article(objects, {url, canonical}) or {}
    site_name = meta_content(tree, "og:site_name") or jsonld.text_value(main.get("publisher"))
    raw_title = (
        jsonld.text_value(main.get("headline"))
        or _h1(tree)
        or meta_content(tree, "og:title", "twitter:title")
    )
    jsonld_authors = jsonld.person_names(main.get("author"))
    meta_author = meta_content(tree, "author", "article:author", "dc.creator", "parsely-author")
    dates_published = [
        jsonld.text_value(main.get("datePublished")),
        meta_content(
            tree,
            "article:published_time",
            "og:published_time",
            "datePublished",
            "pubdate",
            "publishdate",
            "dc.date.issued",
            "dc.date",
        ),
        _header_time(tree),
    ]
    date_modified = jsonld.text_value(main.get("dateModified")) or meta_content(
        tree, "article:modified_time", "og:updated_time", "dateModified"
    )
    tags = jsonld.keywords(main.get("keywords")) or meta_contents(tree, "article:tag")
    hints = [
        html_lang(tree),
        meta_content(tree, "og:locale", "content-language", "language"),
        jsonld.text_value(main.get("inLanguage")),
    ]
    image = jsonld.text_value(main.get("image")) or meta_content(tree, "og:image", "twitter:image")

    drop_captions(tree)
    extracted = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={
            "extensive_search": True,
            "original_date": True,
            "max_date": fetched.date().isoformat(),
        },
    )
    document = extracted if isinstance(extracted, Document) else None
    site_name = site_name or (document.sitename if document else None)
    title = clean_title(raw_title or (document.title if document else None), site_name)
    lines, byline = clean_lines(document.text.splitlines() if document and document.text else [], title)
    body = "\n\n".join(lines)
    words = word_count(body)
    author_source = (
        byline or ", ".join(jsonld_authors) or meta_author or (document.author if document else None)
    )
    authors = jsonld_authors or split_authors(author_source or "", exclude=(site_name or "",))
    if byline and not jsonld_authors:
        authors = split_authors(byline, exclude=(site_name or "",))
    return PageExtraction(
        url=normalise_url(url),
        canonical_url=canonical,
        is_article=_is_article(signals, words),
        title=title,
        body=body,
        authors=authors,
        byline=byline,
        date_published=_first_date(
            [*dates_published, listed_date, document.date if document else None], fetched
        ),
        date_modified=_first_date([date_modified], fetched),
        site_name=site_name,
        description=meta_content(tree, "og:description", "description", "twitter:description")
        or jsonld.text_value(main.get("description")),
        tags=tags or (list(document.tags or []) if document else []),
        image=urljoin(url, image) if image else None,
        word_count=words,
        content_hash=hashlib.sha256(normalised_text(body).encode()).hexdigest(),
        language_hints=[hint for hint in hints if hint],
    )


def extract_article(html: bytes | str, url: str) -> dict[str, Any] | None:
    """Extract an article record's fields from a page; None when the page is not an article."""
    page = extract_page(html, url)
    if page is None or not page.is_article or not page.body:
        return None
    language, _score = detect_language(page.body, page.language_hints)
    fields = {
        name: value for name, value in vars(page).items() if name not in {"is_article", "language_hints"}
    }
    return {**fields, "language": language}
