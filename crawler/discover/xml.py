"""Safe XML reading for discovery documents: no entities, no DTDs, no network, broken XML read as far as it goes.

XML is parsed with entity resolution, DTD loading and network access off, so external-entity documents
are harmless and "billion laughs" ones, which libxml2 stops, are refused; other broken XML is read as far
as it can be. Dates are normalised by :func:`crawler.dates.normalise_date`; unreadable and future dates
are dropped and reported (``read_date``).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.dates import is_after, normalise_date

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

logger = logging.getLogger(__name__)

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

_HTTP_SCHEMES = ("http", "https")


MAX_URL_LENGTH = 2048  # the sitemaps protocol's limit; longer "URLs" are junk or entity expansions


CHUNK_SIZE = 64 * 1024


_FUTURE_SLACK = timedelta(days=1)  # time zones and clock skew: a date up to a day ahead is accepted


SAFE_XML = {
    "resolve_entities": False,
    "no_network": True,
    "recover": True,
    "remove_comments": True,
    "huge_tree": False,
}


_SPACE = re.compile(r"\s+")


def safe_parser() -> Any:
    # A new parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(**SAFE_XML)


def pull_events(parser: Any, body: bytes) -> Iterator[tuple[str, Any]]:
    """The events of a pull ``parser`` fed ``body`` in chunks.

    Elements that only the end of a cut-off document closes are left out: their text may be cut too.
    """
    try:
        for offset in range(0, len(body), CHUNK_SIZE):
            parser.feed(body[offset : offset + CHUNK_SIZE])
            yield from parser.read_events()
        errors = len(parser.feed_error_log)
        parser.close()
    except etree.XMLSyntaxError:  # nothing recoverable, e.g. an empty document
        return
    if len(parser.feed_error_log) == errors:
        yield from parser.read_events()


def has_errors(error_log: Any) -> bool:
    return any(error.level >= etree.ErrorLevels.ERROR for error in error_log)


def refused(error_log: Any, base_url: str) -> bool:
    """Whether libxml2 stopped an entity expansion attack ("billion laughs"); logged when it did."""
    limits = error_log.filter_types([etree.ErrorTypes.ERR_RESOURCE_LIMIT, etree.ErrorTypes.ERR_ENTITY_LOOP])
    if limits:
        logger.warning("Refused %s: %s", base_url, limits[0].message)
    return bool(limits)


def parse_xml(body: bytes, base_url: str) -> Any:
    """The root element of ``body``, or None when it is not XML at all."""
    parser = safe_parser()
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        logger.debug("Not XML: %s", exc)
        return None
    if root is None or not isinstance(root.tag, str):
        return None
    if refused(parser.error_log, base_url):
        return None
    if has_errors(parser.error_log):
        logger.warning("%s is not well-formed XML; read as far as possible", base_url)
    return root


def looks_like_xml(body: bytes) -> bool:
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 byte order marks
        return True
    return body.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")


def split_tag(tag: object) -> tuple[str | None, str]:
    """``(namespace, local name)`` of an element tag; ``(None, "")`` for entities and PIs."""
    if not isinstance(tag, str):
        return None, ""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return None, tag


def children(element: Any, local: str, namespaces: Iterable[str | None] | None = None) -> Iterator[Any]:
    """Child elements named ``local``, in any namespace or in one of ``namespaces``."""
    allowed = None if namespaces is None else frozenset(namespaces)
    for child in element:
        namespace, name = split_tag(child.tag)
        if name == local and (allowed is None or namespace in allowed):
            yield child


def child(element: Any, local: str, namespaces: Iterable[str | None] | None = None) -> Any:
    return next(children(element, local, namespaces), None)


def xml_text(element: Any) -> str:
    """The element's text, its child elements' included; unexpanded entity references dropped."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(xml_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def clean_text(text: str | None) -> str | None:
    """Whitespace collapsed; None when nothing is left."""
    if text is None:
        return None
    cleaned = _SPACE.sub(" ", text).strip()
    return cleaned or None


def http_url(url: str | None, base_url: str) -> str | None:
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


def is_absolute_http_url(text: str) -> bool:
    if any(char.isspace() for char in text):
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in _HTTP_SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


def xml_base(element: Any, base_url: str) -> str:
    """``base_url`` with the ``xml:base`` of ``element`` and its ancestors applied."""
    bases = [value for node in (element, *element.iterancestors()) if (value := node.get(XML_BASE))]
    for value in reversed(bases):
        base_url = urljoin(base_url, value.strip())
    return base_url


def read_date(texts: Iterable[str | None]) -> tuple[str | None, bool]:
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


def element_texts(elements: Iterable[Any]) -> Iterator[str | None]:
    return (None if element is None else xml_text(element) for element in elements)
