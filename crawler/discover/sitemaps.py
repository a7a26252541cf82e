"""Sitemaps: XML urlsets and sitemap indexes (news sitemaps included) and plain-text sitemaps.

Plain functions, no Scrapy: the spider fetches the documents and hands the bodies over. XML sitemaps are
read incrementally and stop after ``max_entries``, so a huge one costs no more memory than a short one.
"""

from __future__ import annotations

import logging
import struct
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree
from scrapy.utils._compression import _DecompressionMaxSizeExceeded  # as Scrapy's SitemapSpider
from scrapy.utils.gz import gunzip

from crawler.discover.xml import (
    SAFE_XML,
    child,
    clean_text,
    element_texts,
    has_errors,
    http_url,
    is_absolute_http_url,
    looks_like_xml,
    pull_events,
    read_date,
    refused,
    split_tag,
    xml_text,
)
from crawler.urls import host_in_domains, normalise_url

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

logger = logging.getLogger(__name__)

SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemaps protocol's limit on an uncompressed sitemap
GZIP_MAGIC = b"\x1f\x8b\x08"


_SITEMAP_ITEMS = {"urlset": "url", "sitemapindex": "sitemap"}


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` of a urlset or ``<sitemap>`` of a sitemap index."""

    url: str
    lastmod: str | None
    publication_date: str | None
    title: str | None
    bad_date: bool = False  # a date was given but unreadable or in the future, and was dropped


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: a urlset (pages) or a sitemap index (more sitemaps)."""

    is_index: bool
    entries: tuple[SitemapEntry, ...]
    truncated: bool  # more than ``max_entries`` entries: the rest were not read
    malformed: bool = False  # broken XML: the entries read before (and around) the break are kept


class SitemapRefused(Exception):
    """A sitemap not read: ``kind`` names the counter (``sitemap_too_large``, ``bad_gzip``), ``reason`` the log."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def sitemap_body(body: bytes, max_size: int) -> bytes:
    """A sitemap's bytes, gunzipped when gzipped, at most ``max_size`` of them; ``SitemapRefused`` if not.

    Gunzipping stops as soon as the limit is passed, so a decompression bomb costs nothing.
    """
    try:
        if body[:3] == GZIP_MAGIC:
            body = gunzip(body, max_size=max_size)
    except _DecompressionMaxSizeExceeded:
        raise SitemapRefused("sitemap_too_large", f"inflates past {max_size} bytes") from None
    except (OSError, EOFError, zlib.error, struct.error) as error:
        raise SitemapRefused("bad_gzip", f"broken gzip data ({error})") from error
    if len(body) > max_size:
        raise SitemapRefused("sitemap_too_large", f"larger than {max_size} bytes")
    return body


def parse_sitemap(body: bytes, base_url: str, max_entries: int = 50_000) -> Sitemap | None:
    """Parse an XML (urlset or sitemap index, any namespace) or plain-text sitemap.

    Returns None when ``body`` is not a sitemap. ``<loc>`` values are resolved against
    ``base_url`` and only http(s) URLs are kept; reading stops after ``max_entries`` entries and the
    result is flagged ``truncated``. Broken XML is read up to the break and flagged ``malformed``.
    """
    if not looks_like_xml(body):
        return _parse_text_sitemap(body, base_url, max_entries)
    parser = etree.XMLPullParser(events=("start", "end"), **SAFE_XML)
    root = None
    item = ""
    entries: list[SitemapEntry] = []
    truncated = False
    for event, element in pull_events(parser, body):
        if root is None:
            root = element
            item = _SITEMAP_ITEMS.get(split_tag(root.tag)[1], "")
            if not item:
                logger.debug("Not a sitemap: root element %r in %s", root.tag, base_url)
                return None
            continue
        # Items at any depth: broken XML (a missing </url>) nests the following items in one.
        is_item = event == "end" and split_tag(element.tag)[1] == item
        if not is_item and (event != "end" or element.getparent() is not root):
            continue
        entry = _sitemap_entry(element, base_url, item) if is_item else None
        element.clear(keep_tail=False)  # read: free it, so memory stays flat however long the sitemap
        if element.getparent() is root:
            while element.getprevious() is not None:
                del root[0]
        if entry is None:
            continue
        if len(entries) >= max_entries:
            truncated = True
            break
        entries.append(entry)
    if root is None or refused(parser.feed_error_log, base_url):
        return None
    malformed = has_errors(parser.feed_error_log)
    if malformed:
        logger.warning("Sitemap %s is not well-formed XML; read as far as possible", base_url)
    if truncated:
        logger.warning("Sitemap %s has more than %d entries; the rest are dropped", base_url, max_entries)
    return Sitemap(
        is_index=item == "sitemap", entries=tuple(entries), truncated=truncated, malformed=malformed
    )


def _sitemap_entry(element: Any, base_url: str, item: str) -> SitemapEntry | None:
    """The entry of one ``<url>`` or ``<sitemap>`` element; None without an http(s) ``<loc>``."""
    loc = child(element, "loc")
    url = http_url(xml_text(loc), base_url) if loc is not None else None
    if url is None:
        return None
    news = child(element, "news") if item == "url" else None
    title = child(news, "title") if news is not None else None
    lastmod, bad_lastmod = read_date(element_texts([child(element, "lastmod")]))
    published, bad_published = read_date(
        element_texts([child(news, "publication_date") if news is not None else None])
    )
    return SitemapEntry(
        url=url,
        lastmod=lastmod,
        publication_date=published,
        title=clean_text(xml_text(title)) if title is not None else None,
        bad_date=bad_lastmod or bad_published,
    )


@dataclass(frozen=True)
class SitemapProblem:
    """Something wrong with a sitemap: ``kind`` names the counter (counted ``count`` times), ``message`` the
    log line.
    """

    kind: str
    message: str
    count: int = 1


def read_sitemap(
    body: bytes, url: str, max_size: int, max_entries: int
) -> tuple[Sitemap | None, list[SitemapProblem]]:
    """A fetched sitemap read within the limits (:func:`sitemap_body`, :func:`parse_sitemap`), and its problems:
    refused (``bad_gzip``, ``sitemap_too_large``) or unreadable (``bad_sitemap``) ones give no sitemap;
    ``sitemap_truncated``, ``sitemap_malformed`` and ``bad_date`` are read as far as they go.
    """
    try:
        sitemap = parse_sitemap(sitemap_body(body, max_size), url, max_entries)
    except SitemapRefused as refused:
        return None, [SitemapProblem(refused.kind, f"refused: {refused.reason}")]
    if sitemap is None:
        return None, [SitemapProblem("bad_sitemap", "is not a readable sitemap")]
    problems = [
        SitemapProblem(kind, message)
        for kind, message, found in (
            (
                "sitemap_truncated",
                f"has more than {max_entries} entries (NEWS_MAX_SITEMAP_URLS)",
                sitemap.truncated,
            ),
            ("sitemap_malformed", "is not well-formed XML; read as far as possible", sitemap.malformed),
        )
        if found
    ]
    if bad := sum(entry.bad_date for entry in sitemap.entries):
        problems.append(SitemapProblem("bad_date", f"has {bad} unreadable or future dates (dropped)", bad))
    return sitemap, problems


def child_sitemaps(
    urls: Sequence[str], domains: Sequence[str], above: Collection[str], max_children: int
) -> tuple[list[str], list[SitemapProblem]]:
    """The sitemaps to follow of those an index (or robots.txt) lists, and what was left out and why.

    ``above`` holds the normalised URLs of this index and of the indexes above it: an index listing one
    of them loses that entry (Scrapy's duplicate filter alone would not stop a loop of ``dont_filter``
    requests). Sitemaps off the site's ``domains`` are left out, and past ``max_children`` the rest.
    """
    problems = []
    kept = [url for url in urls if normalise_url(url) not in above]
    if len(kept) < len(urls):
        problems.append(SitemapProblem("sitemap_loop", "lists itself or an index above it"))
    kept = [url for url in kept if host_in_domains(url, domains)]
    if len(kept) > max_children:
        problems.append(
            SitemapProblem(
                "too_many_sitemaps",
                f"lists {len(kept)} sitemaps; only {max_children} are followed (NEWS_MAX_CHILD_SITEMAPS)",
            )
        )
    return kept[:max_children], problems


def _parse_text_sitemap(body: bytes, base_url: str, max_entries: int) -> Sitemap | None:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        logger.debug("Not a sitemap: %s is neither XML nor UTF-8 text", base_url)
        return None
    entries: list[SitemapEntry] = []
    truncated = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not is_absolute_http_url(line):
            logger.debug("Not a text sitemap: %s has the line %r", base_url, line[:200])
            return None
        if len(entries) >= max_entries:
            truncated = True  # keep checking the rest: one bad line means this is no sitemap
            continue
        entries.append(SitemapEntry(url=line, lastmod=None, publication_date=None, title=None))
    if not entries:
        return None
    if truncated:
        logger.warning("Sitemap %s has more than %d entries; the rest are dropped", base_url, max_entries)
    return Sitemap(is_index=False, entries=tuple(entries), truncated=truncated)
