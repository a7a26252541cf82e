"""Article discovery: parse sitemaps and feeds, and find a page's feed links.

Plain functions, no Scrapy: the spider fetches the documents and hands the bodies over. XML is
parsed with entity resolution, DTD loading and network access off, so external-entity documents are
harmless and "billion laughs" ones, which libxml2 stops, are refused; other broken XML is read as far
as it can be. XML sitemaps are read incrementally and stop after ``max_entries``, so a huge one costs
no more memory than a short one. Dates are normalised by :func:`crawler.dates.normalise_date`;
unreadable and future dates are dropped and flagged on their entry (``bad_date``).
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.dates import date_value, is_after, normalise_date

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    import lxml.html

logger = logging.getLogger(__name__)

ATOM_NAMESPACES = frozenset({"http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"})
RSS_NAMESPACES = frozenset({None, "http://purl.org/rss/1.0/", "http://my.netscape.com/rdf/simple/0.9/"})
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"
RDF_NAMESPACE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
_HTTP_SCHEMES = ("http", "https")
MAX_URL_LENGTH = 2048  # the sitemaps protocol's limit; longer "URLs" are junk or entity expansions
SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemaps protocol's limit on an uncompressed sitemap
_SITEMAP_ITEMS = {"urlset": "url", "sitemapindex": "sitemap"}
_CHUNK_SIZE = 64 * 1024
_FUTURE_SLACK = timedelta(days=1)  # time zones and clock skew: a date up to a day ahead is accepted
_SAFE_XML = {
    "resolve_entities": False,
    "no_network": True,
    "recover": True,
    "remove_comments": True,
    "huge_tree": False,
}

_COMMENT_FEED_HREF = re.compile(r"/comments?/feed\b|/feed/comments?\b|[?&]feed=comments", re.IGNORECASE)
_COMMENT_FEED_TITLE = re.compile(
    r"\bcomments\b|kommentar-?feed|commentaires|comentarios|coment[aá]rios|commenti\b", re.IGNORECASE
)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


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


@dataclass(frozen=True)
class FeedEntry:
    """One item of an RSS, Atom or JSON feed."""

    url: str
    published: str | None
    title: str | None
    bad_date: bool = False  # a date was given but unreadable or in the future, and was dropped


def _safe_parser() -> Any:
    # A new parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(**_SAFE_XML)


def _pull_events(parser: Any, body: bytes) -> Iterator[tuple[str, Any]]:
    """The events of a pull ``parser`` fed ``body`` in chunks.

    Elements that only the end of a cut-off document closes are left out: their text may be cut too.
    """
    try:
        for offset in range(0, len(body), _CHUNK_SIZE):
            parser.feed(body[offset : offset + _CHUNK_SIZE])
            yield from parser.read_events()
        errors = len(parser.feed_error_log)
        parser.close()
    except etree.XMLSyntaxError:  # nothing recoverable, e.g. an empty document
        return
    if len(parser.feed_error_log) == errors:
        yield from parser.read_events()


def _has_errors(error_log: Any) -> bool:
    return any(error.level >= etree.ErrorLevels.ERROR for error in error_log)


def _refused(error_log: Any, base_url: str) -> bool:
    """Whether libxml2 stopped an entity expansion attack ("billion laughs"); logged when it did."""
    limits = error_log.filter_types([etree.ErrorTypes.ERR_RESOURCE_LIMIT, etree.ErrorTypes.ERR_ENTITY_LOOP])
    if limits:
        logger.warning("Refused %s: %s", base_url, limits[0].message)
    return bool(limits)


def _parse_xml(body: bytes, base_url: str) -> Any:
    """The root element of ``body``, or None when it is not XML at all."""
    parser = _safe_parser()
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        logger.debug("Not XML: %s", exc)
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    if _refused(parser.error_log, base_url):
        return None
    if _has_errors(parser.error_log):
        logger.warning("%s is not well-formed XML; read as far as possible", base_url)
    return root


def _looks_like_xml(body: bytes) -> bool:
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 byte order marks
        return True
    return body.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def _split_tag(tag: object) -> tuple[str | None, str]:
    """``(namespace, local name)`` of an element tag; ``(None, "")`` for entities and PIs."""
    if not isinstance(tag, str):
        return None, ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


def _children(element: Any, local: str, namespaces: Iterable[str | None] | None = None) -> Iterator[Any]:
    """Child elements named ``local``, in any namespace or in one of ``namespaces``."""
    allowed = None if namespaces is None else frozenset(namespaces)
    for child in element:
        namespace, name = _split_tag(child.tag)
        if name == local and (allowed is None or namespace in allowed):
            yield child


def _child(element: Any, local: str, namespaces: Iterable[str | None] | None = None) -> Any:
    return next(_children(element, local, namespaces), None)


def _text(element: Any) -> str:
    """The element's text, its child elements' included; unexpanded entity references dropped."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _clean(text: str | None) -> str | None:
    """Whitespace collapsed; None when nothing is left."""
    if text is None:
        return None
    cleaned = _SPACE.sub(" ", text).strip()
    return cleaned or None


def _http_url(url: str | None, base_url: str) -> str | None:
    """``url`` made absolute against ``base_url``, or None unless it is an http(s) URL."""
    if url is None:
        return None
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        return None
    try:
        absolute = urljoin(base_url, url)
        parts = urlsplit(absolute)
    except ValueError:  # e.g. an invalid IPv6 host
        return None
    if parts.scheme.lower() not in _HTTP_SCHEMES or not parts.hostname:
        return None
    return absolute


def _is_absolute_http_url(text: str) -> bool:
    if any(char.isspace() for char in text):
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in _HTTP_SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


def _xml_base(element: Any, base_url: str) -> str:
    """``base_url`` with the ``xml:base`` of ``element`` and its ancestors applied."""
    bases = [value for node in (element, *element.iterancestors()) if (value := node.get(XML_BASE))]
    for value in reversed(bases):
        base_url = urljoin(base_url, value.strip())
    return base_url


def _read_date(texts: Iterable[str | None]) -> tuple[str | None, bool]:
    """The first readable date of ``texts`` not in the future, and whether dates were given but none was."""
    given = False
    latest = datetime.now(UTC) + _FUTURE_SLACK
    for text in texts:
        if text is None or not text.strip():
            continue
        given = True
        parsed = normalise_date(text)
        if parsed is not None and not is_after(parsed, latest):
            return parsed, False
    return None, given


def _element_texts(elements: Iterable[Any]) -> Iterator[str | None]:
    return (None if element is None else _text(element) for element in elements)


def parse_sitemap(body: bytes, base_url: str, max_entries: int = 50_000) -> Sitemap | None:
    """Parse an XML (urlset or sitemap index, any namespace) or plain-text sitemap.

    Returns None when ``body`` is not a sitemap. ``<loc>`` values are resolved against
    ``base_url`` and only http(s) URLs are kept; reading stops after ``max_entries`` entries and the
    result is flagged ``truncated``. Broken XML is read up to the break and flagged ``malformed``.
    """
    if not _looks_like_xml(body):
        return _parse_text_sitemap(body, base_url, max_entries)
    parser = etree.XMLPullParser(events=("start", "end"), **_SAFE_XML)
    root = None
    item = ""
    entries: list[SitemapEntry] = []
    truncated = False
    for event, element in _pull_events(parser, body):
        if root is None:
            root = element
            item = _SITEMAP_ITEMS.get(_split_tag(root.tag)[1], "")
            if not item:
                logger.debug("Not a sitemap: root element %r in %s", root.tag, base_url)
                return None
            continue
        # Items at any depth: broken XML (a missing </url>) nests the following items in one.
        is_item = event == "end" and _split_tag(element.tag)[1] == item
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
    if root is None or _refused(parser.feed_error_log, base_url):
        return None
    malformed = _has_errors(parser.feed_error_log)
    if malformed:
        logger.warning("Sitemap %s is not well-formed XML; read as far as possible", base_url)
    if truncated:
        logger.warning("Sitemap %s has more than %d entries; the rest are dropped", base_url, max_entries)
    return Sitemap(
        is_index=item == "sitemap", entries=tuple(entries), truncated=truncated, malformed=malformed
    )


def _sitemap_entry(element: Any, base_url: str, item: str) -> SitemapEntry | None:
    """The entry of one ``<url>`` or ``<sitemap>`` element; None without an http(s) ``<loc>``."""
    loc = _child(element, "loc")
    url = _http_url(_text(loc), base_url) if loc is not None else None
    if url is None:
        return None
    news = _child(element, "news") if item == "url" else None
    title = _child(news, "title") if news is not None else None
    lastmod, bad_lastmod = _read_date(_element_texts([_child(element, "lastmod")]))
    published, bad_published = _read_date(
        _element_texts([_child(news, "publication_date") if news is not None else None])
    )
    return SitemapEntry(
        url=url,
        lastmod=lastmod,
        publication_date=published,
        title=_clean(_text(title)) if title is not None else None,
        bad_date=bad_lastmod or bad_published,
    )


def newest_first(entries: Sequence[SitemapEntry]) -> list[SitemapEntry]:
    """Sitemap entries by ``lastmod``, newest first; undated ones last, in their order."""
    dated = [(date_value(entry.lastmod), entry) for entry in entries if entry.lastmod]
    dated.sort(key=itemgetter(0), reverse=True)  # stable: equal dates keep their order
    return [entry for _, entry in dated] + [entry for entry in entries if not entry.lastmod]


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
        if not _is_absolute_http_url(line):
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


def parse_feed(body: bytes, base_url: str, max_entries: int = 10_000) -> list[FeedEntry] | None:
    """Parse an RSS 0.9x/1.0/2.0, Atom or JSON Feed document into its entries, in document order.

    Returns None when ``body`` is none of these. Entry URLs are resolved against ``base_url`` (and
    ``xml:base``) and only http(s) URLs are kept; at most ``max_entries`` entries are returned.
    """
    stripped = body.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"{"):
        entries = _json_feed(stripped, base_url)
    elif _looks_like_xml(body):
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
                if isinstance(value := item.get(key), str) and (found := _http_url(value, base_url))
            ),
            None,
        )
        if url is None:
            continue
        # RFC 3339 strings; anything else given (an epoch number) is a bad date.
        published, bad_date = _read_date(
            None if value is None else str(value)
            for value in (item.get("date_published"), item.get("date_modified"))
        )
        title = item.get("title")
        entries.append(
            FeedEntry(
                url=url,
                published=published,
                title=_clean(title) if isinstance(title, str) else None,
                bad_date=bad_date,
            )
        )
    return entries


def _xml_feed(body: bytes, base_url: str) -> list[FeedEntry] | None:
    root = _parse_xml(body, base_url)
    if root is None:
        return None
    local = _split_tag(root.tag)[1]
    if local == "feed":
        # Atom 1.0 or 0.3 (or an unnamespaced feed): entries and their parts share the root's namespace.
        namespaces = frozenset({_split_tag(root.tag)[0]})
        return [
            entry
            for item in _children(root, "entry", namespaces)
            if (entry := _atom_entry(item, base_url, namespaces))
        ]
    if local == "rss" or (
        local == "RDF" and (_child(root, "channel") is not None or _child(root, "item") is not None)
    ):
        # RSS 2.0 nests items in <channel>; RSS 0.90/1.0 put them beside it.
        items = [*_children(root, "item")]
        for channel in _children(root, "channel"):
            items.extend(_children(channel, "item"))
        return [entry for item in items if (entry := _rss_item(item, base_url))]
    return None


def _atom_link(
    element: Any, base_url: str, namespaces: frozenset[str | None] = ATOM_NAMESPACES
) -> str | None:
    """The ``alternate`` link of an Atom entry, preferring an HTML one."""
    candidates: list[tuple[str, str]] = []
    for link in _children(element, "link", namespaces):
        rel = (link.get("rel") or "alternate").strip().lower()
        href = link.get("href")
        if rel in ("alternate", "http://www.iana.org/assignments/relation/alternate") and href:
            url = _http_url(href, _xml_base(link, base_url))
            if url is not None:
                candidates.append(((link.get("type") or "text/html").lower(), url))
    html_urls = [url for kind, url in candidates if "html" in kind]
    if html_urls:
        return html_urls[0]
    return candidates[0][1] if candidates else None


def _atom_title(element: Any, namespaces: frozenset[str | None]) -> str | None:
    title = _child(element, "title", namespaces)
    if title is None:
        return None
    text = _text(title)
    if (title.get("type") or "").lower() in ("html", "text/html"):
        text = html.unescape(_TAG.sub("", text))
    return _clean(text)


def _atom_entry(entry: Any, base_url: str, namespaces: frozenset[str | None]) -> FeedEntry | None:
    url = _atom_link(entry, base_url, namespaces)
    if url is None:
        return None
    # Atom 1.0 has published/updated; Atom 0.3 had issued/modified.
    dates = (_child(entry, name, namespaces) for name in ("published", "issued", "updated", "modified"))
    published, bad_date = _read_date(_element_texts(dates))
    return FeedEntry(url=url, published=published, title=_atom_title(entry, namespaces), bad_date=bad_date)


def _rss_item(item: Any, base_url: str) -> FeedEntry | None:
    base = _xml_base(item, base_url)
    url = None
    link = _child(item, "link", RSS_NAMESPACES)
    if link is not None:
        url = _http_url(_text(link), base)
    if url is None:
        url = _http_url(item.get(f"{{{RDF_NAMESPACE}}}about"), base)
    if url is None:
        guid = _child(item, "guid", RSS_NAMESPACES)
        if guid is not None and (guid.get("isPermaLink") or "true").strip().lower() != "false":
            url = _http_url(_text(guid), base)
    if url is None:
        url = _atom_link(item, base_url)  # an atom:link rel="alternate" inside an RSS item
    if url is None:
        return None
    dates = (
        _child(item, "pubDate", RSS_NAMESPACES),
        _child(item, "date", (DC_NAMESPACE,)),
        _child(item, "published", ATOM_NAMESPACES),
        _child(item, "updated", ATOM_NAMESPACES),
    )
    published, bad_date = _read_date(_element_texts(dates))
    title = _child(item, "title", RSS_NAMESPACES)
    if title is None:
        title = _child(item, "title", (DC_NAMESPACE,))
    return FeedEntry(
        url=url,
        published=published,
        title=_clean(_text(title)) if title is not None else None,
        bad_date=bad_date,
    )


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The http(s) URLs of robots.txt's ``Sitemap:`` lines, resolved against ``base_url``, deduplicated.

    Unlike Scrapy's ``sitemap_urls_from_robots``, a malformed URL (``http://[oops``) is skipped rather
    than raised, and an empty ``Sitemap:`` line does not resolve to robots.txt itself.
    """
    found: dict[str, None] = {}
    for line in body.splitlines():
        name, _, value = line.partition(b":")
        if name.strip().lower() != b"sitemap" or not value.strip():
            continue
        try:
            url = _http_url(value.decode(), base_url)
        except UnicodeDecodeError:
            continue
        if url is not None:
            found[url] = None
    return list(found)


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
        url = _http_url(href, base)
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
