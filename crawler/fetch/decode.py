"""Reading a fetched page as HTML: is it a page at all (sniffing), in which charset, and how much of it.

:func:`decode_html` is the plain function: ``scrapy extract`` (saved files) and re-extraction from WARC
files call it, and :class:`HtmlDecodingMiddleware` applies it to every page the spider asked for
(requests with ``meta["html_page"]``), so the spider gets an ``HtmlResponse`` of the same text: in the
page's real charset, cut to ``EXTRACT_MAX_HTML_CHARS``, and never a PDF.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from w3lib.encoding import html_to_unicode

from crawler import settings as defaults
from crawler.fetch.charset import Charset, html_charset
from crawler.fetch.sniff import Sniffed, sniff_page
from crawler.stats import count

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

PAGE_META = "html_page"  # request meta key: the response is a page to read as HTML


class NotHtml(IgnoreRequest):
    """The response to a page request is empty, binary or of another type: counted as ``pages/<kind>``."""


@dataclass(frozen=True)
class HtmlReading:
    """How a body reads as HTML: ``sniffed`` says whether it is a page; ``charset`` how to decode it."""

    sniffed: Sniffed
    charset: Charset | None = None


def read_html(body: bytes, content_type: str | None) -> HtmlReading:
    """Whether ``body`` (served as ``content_type``) is an HTML page, and the charset to read it in."""
    sniffed = sniff_page(body, content_type)
    if not sniffed.is_html:
        return HtmlReading(sniffed)
    return HtmlReading(sniffed, html_charset(body, content_type))


@dataclass(frozen=True)
class DecodedHtml:
    """A body read as HTML: how (``reading``), its text (None when it is no HTML page), and its length
    before the cut (``chars``; more than ``len(text)`` when it was cut to the limit)."""

    reading: HtmlReading
    text: str | None = None
    chars: int = 0

    @property
    def truncated(self) -> bool:
        """Whether the text was cut to the limit."""
        return self.text is not None and self.chars > len(self.text)


def decode_html(body: bytes, content_type: str | None, max_chars: int) -> DecodedHtml:
    """``body`` as the crawl reads it: sniffed, decoded in its real charset (as Scrapy's ``HtmlResponse``
    decodes: a BOM first, undecodable bytes replaced) and cut to ``max_chars`` characters (0: no limit)."""
    reading = read_html(body, content_type)
    if reading.charset is None:
        return DecodedHtml(reading)
    text = html_to_unicode(f"charset={reading.charset.encoding}", body)[1]
    return DecodedHtml(reading, text[:max_chars] if max_chars else text, len(text))


def count_decoding(decoded: DecodedHtml, url: str, stats: StatsCollector, site: str | None) -> None:
    """Count and log how a page was read: ``pages/<kind>`` of what is no page, ``pages/sniffed_html``,
    ``encoding/<source>``, ``encoding/overridden`` and ``pages/truncated``."""
    sniffed, charset = decoded.reading.sniffed, decoded.reading.charset
    if charset is None:
        count(stats, f"pages/{sniffed.kind}", site)
        logger.info("Not an HTML page (%(why)s): %(url)s", {"why": sniffed.detail, "url": url})
        return
    if sniffed.kind == "sniffed_html":
        count(stats, "pages/sniffed_html", site)
        logger.info("Read as HTML (%(why)s): %(url)s", {"why": sniffed.detail, "url": url})
    count(stats, f"encoding/{charset.source}", site)
    if charset.overridden:
        count(stats, "encoding/overridden", site)
        logger.info(
            "Read as %(encoding)s (%(source)s), not as the declared %(declared)s: %(url)s",
            {
                "encoding": charset.encoding,
                "source": charset.source,
                "declared": charset.overridden,
                "url": url,
            },
        )
    if decoded.truncated:
        assert decoded.text is not None
        count(stats, "pages/truncated", site)
        logger.info(
            "Page of %(chars)d characters cut to EXTRACT_MAX_HTML_CHARS (%(limit)d): %(url)s",
            {"chars": decoded.chars, "limit": len(decoded.text), "url": url},
        )


class HtmlDecodingMiddleware:
    """Read each page response as HTML in its real charset, cut to ``EXTRACT_MAX_HTML_CHARS``; refuse the rest.

    A page request's 2xx response that is no HTML page raises :class:`NotHtml` (``pages/empty``,
    ``pages/binary``, ``pages/not_html``); HTML served under a generic type is read all the same
    (``pages/sniffed_html``). Counts ``encoding/<source>``, ``encoding/overridden`` and ``pages/truncated``.
    """

    def __init__(self, stats: StatsCollector, max_chars: int) -> None:
        self.stats = stats
        self.max_chars = max_chars

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the middleware from ``EXTRACT_MAX_HTML_CHARS``."""
        assert crawler.stats is not None
        limit = crawler.settings.getint("EXTRACT_MAX_HTML_CHARS", defaults.EXTRACT_MAX_HTML_CHARS)
        return cls(crawler.stats, limit)

    def process_response(self, request: Request, response: Response) -> Response:
        """The page response as an ``HtmlResponse``; other responses pass untouched."""
        if not request.meta.get(PAGE_META) or not 200 <= response.status < 300:
            return response
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        decoded = decode_html(response.body, content_type, self.max_chars)
        count_decoding(decoded, response.url, self.stats, request.meta.get("site"))
        if decoded.text is None:
            sniffed = decoded.reading.sniffed
            raise NotHtml(f"Not an HTML page ({sniffed.detail}): {response.url}")
        return response.replace(cls=HtmlResponse, body=decoded.text.encode("utf-8"), encoding="utf-8")
