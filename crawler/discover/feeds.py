"""Feeds: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed documents, and the feed links of an HTML page.

Plain functions, no Scrapy: the spider fetches the documents and hands the bodies over.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from crawler.discover.xml import (
    child,
    children,
    clean_text,
    element_texts,
    http_url,
    looks_like_xml,
    parse_xml,
    read_date,
    split_tag,
    xml_base,
    xml_text,
)

if TYPE_CHECKING:
    import lxml.html

logger = logging.getLogger(__name__)

ATOM_NAMESPACES = frozenset({"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"})


RSS_NAMESPACES = frozenset({None, "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"})


DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


RDF_NAMESPACE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)


_COMMENT_FEED_HREF = re.compile(r"/comments?/feed\b|/feed/comments?\b|[?&]feed=comments", re.IGNORECASE)


_COMMENT_FEED_TITLE = re.compile(
    r"\bcomments\b|kommentar-?feed|commentaires|comentarios|coment[aá]rios|commenti\b", re.IGNORECASE
)


_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class FeedEntry:
    """One item of an RSS, Atom or JSON feed."""

    url: str
    published: str | None
    title: str | None
    bad_date: bool = False  # a date was given but unreadable or in the future, and was dropped
    updated: str | None = None  # when the entry says it was last updated (Atom updated, JSON date_modified)


def parse_feed(body: bytes, base_url: str, max_entries: int = 10_000) -> list[FeedEntry] | None:
    """Parse an RSS 0.9x/1.0/2.0, Atom or JSON Feed document into its entries, in document order.

    Returns None when ``body`` is none of these. Entry URLs are resolved against ``base_url`` (and
    ``xml:base``) and only http(s) URLs are kept; at most ``max_entries`` entries are returned.
    """
    stripped = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"{"):
        entries = _json_feed(stripped, base_url)
    elif looks_like_xml(body):
        entries = _xml_feed(body, base_url)
    else:
        entries = None
    if entries is None:
        logger.debug("Not a feed: %s", base_url)
        return None
    if len(entries) > max_entries:
        logger.warning("Feed %s has more than %d entries; the rest are dropped", base_url, max_entries)
        del entries[max_entries:]
    return entries


def _json_feed(body: bytes, base_url: str) -> list[FeedEntry] | None:
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None
    if not isinstance(document, dict):
        return None
    version, items = document.get("version"), document.get("items")
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version or not isinstance(items, list):
        return None
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        url = next(
            (
                found
                for key in ("url", "external_url")
                if isinstance(value := item.get(key), str) and (found := http_url(value, base_url))
            ),
            None,
        )
        if url is None:
            continue
        # RFC 3339 strings; anything else given (an epoch number) is a bad date.
        published, bad_date = read_date(
            None if value is None else str(value)
            for value in (item.get("date_published"), item.get("date_modified"))
        )
        modified = item.get("date_modified")
        updated, _ = read_date([modified if isinstance(modified, str) else None])
        title = item.get("title")
        entries.append(
            FeedEntry(
                url=url,
                published=published,
                title=clean_text(title) if isinstance(title, str) else None,
                bad_date=bad_date,
                updated=updated,
            )
        )
    return entries


def _xml_feed(body: bytes, base_url: str) -> list[FeedEntry] | None:
    root = parse_xml(body, base_url)
    if root is None:
        return None
    local = split_tag(root.tag)[1]
    if local == "feed":
        # Atom 1.0 or 0.3 (or an unnamespaced feed): entries and their parts share the root's namespace.
        namespaces = frozenset({split_tag(root.tag)[0]})
        return [
            entry
            for item in children(root, "entry", namespaces)
            if (entry := _atom_entry(item, base_url, namespaces))
        ]
    if local == "rss" or (
        local == "RDF" and (child(root, "channel") is not None or child(root, "item") is not None)
    ):
        # RSS 2.0 nests items in <channel>; RSS 0.90/1.0 put them beside it.
        items = [*children(root, "item")]
        for channel in children(root, "channel"):
            items.extend(children(channel, "item"))
        return [entry for item in items if (entry := _rss_item(item, base_url))]
    return None


def _atom_link(
    element: Any, base_url: str, namespaces: frozenset[str | None] = ATOM_NAMESPACES
) -> str | None:
    """The ``alternate`` link of an Atom entry, preferring an HTML one."""
    candidates: list[tuple[str, str]] = []
    for link in children(element, "link", namespaces):
        rel = (link.get("rel") or "alternate").strip().lower()
        href = link.get("href")
        if rel in ("alternate", "http://www.iana.org/assignments/relation/alternate") and href:
            url = http_url(href, xml_base(link, base_url))
            if url is not None:
                candidates.append(((link.get("type") or "text/html").lower(), url))
    html_urls = [url for kind, url in candidates if "html" in kind]
    if html_urls:
        return html_urls[0]
    return candidates[0][1] if candidates else None


def _atom_title(element: Any, namespaces: frozenset[str | None]) -> str | None:
    title = child(element, "title", namespaces)
    if title is None:
        return None
    text = xml_text(title)
    if (title.get("type") or "").lower() in ("html", "text/html"):
        text = html.unescape(_TAG.sub("", text))
    return clean_text(text)


def _atom_entry(entry: Any, base_url: str, namespaces: frozenset[str | None]) -> FeedEntry | None:
    url = _atom_link(entry, base_url, namespaces)
    if url is None:
        return None
    # Atom 1.0 has published/updated; Atom 0.3 had issued/modified.
    dates = (child(entry, name, namespaces) for name in ("published", "issued", "updated", "modified"))
    published, bad_date = read_date(element_texts(dates))
    updated, _ = read_date(element_texts(child(entry, name, namespaces) for name in ("updated", "modified")))
    return FeedEntry(
        url=url,
        published=published,
        title=_atom_title(entry, namespaces),
        bad_date=bad_date,
        updated=updated,
    )


def _rss_item(item: Any, base_url: str) -> FeedEntry | None:
    base = xml_base(item, base_url)
    url = None
    link = child(item, "link", RSS_NAMESPACES)
    if link is not None:
        url = http_url(xml_text(link), base)
    if url is None:
        url = http_url(item.get(f"{{{RDF_NAMESPACE}}}about"), base)
    if url is None:
        guid = child(item, "guid", RSS_NAMESPACES)
        if guid is not None and (guid.get("isPermaLink") or "true").strip().lower() != "false":
            url = http_url(xml_text(guid), base)
    if url is None:
        url = _atom_link(item, base_url)  # an atom:link rel="alternate" inside an RSS item
    if url is None:
        return None
    dates = (
        child(item, "pubDate", RSS_NAMESPACES),
        child(item, "date", (DC_NAMESPACE,)),
        child(item, "published", ATOM_NAMESPACES),
        child(item, "updated", ATOM_NAMESPACES),
    )
    published, bad_date = read_date(element_texts(dates))
    updated, _ = read_date(element_texts([child(item, "updated", ATOM_NAMESPACES)]))
    title = child(item, "title", RSS_NAMESPACES)
    if title is None:
        title = child(item, "title", (DC_NAMESPACE,))
    return FeedEntry(
        url=url,
        published=published,
        title=clean_text(xml_text(title)) if title is not None else None,
        bad_date=bad_date,
        updated=updated,
    )


def feed_links(tree: lxml.html.HtmlElement, base_url: str) -> list[str]:
    """Absolute URLs of the RSS, Atom and JSON feeds a page announces, in page order, deduplicated.

    Reads ``<link rel="alternate" type="...">`` (honouring ``<base href>``) and skips comment feeds
    and WordPress REST API links (``/wp-json/``), which are also typed ``application/json``.
    """
    base = base_url
    for element in tree.iter("base"):
        href = element.get("href")
        if href and href.strip():
            base = urljoin(base_url, href.strip())
            break
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = link.get("href")
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        url = http_url(href, base)
        if url is None or url in found:
            continue
        path = urlsplit(url)
        if kind == "application/json" and "/wp-json/" in path.path:
            continue
        if _COMMENT_FEED_HREF.search(url) or _COMMENT_FEED_TITLE.search(link.get("title") or ""):
            logger.debug("Skipping comment feed %s", url)
            continue
        found.append(url)
    return found
