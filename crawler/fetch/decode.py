"""Reading a fetched page as HTML: is it a page at all (sniffing), in which charset, and how much of it.

:func:`read_html` is the plain function (``scrapy extract`` shares it); :class:`HtmlDecodingMiddleware`
applies it to every page the spider asked for (requests with ``meta["html_page"]``), so the spider gets
an ``HtmlResponse`` in the page's real charset, cut to ``EXTRACT_MAX_HTML_CHARS``, and never a PDF.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse

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
        site = request.meta.get("site")
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        reading = read_html(response.body, content_type)
        sniffed, charset = reading.sniffed, reading.charset
        if charset is None:
            count(self.stats, f"pages/{sniffed.kind}", site)
            logger.info("Not an HTML page (%(why)s): %(url)s", {"why": sniffed.detail, "url": response.url})
            raise NotHtml(f"Not an HTML page ({sniffed.detail}): {response.url}")
        if sniffed.kind == "sniffed_html":
            count(self.stats, "pages/sniffed_html", site)
            logger.info("Read as HTML (%(why)s): %(url)s", {"why": sniffed.detail, "url": response.url})
        count(self.stats, f"encoding/{charset.source}", site)
        if charset.overridden:
            count(self.stats, "encoding/overridden", site)
            logger.info(
                "Read as %(encoding)s (%(source)s), not as the declared %(declared)s: %(url)s",
                {
                    "encoding": charset.encoding,
                    "source": charset.source,
                    "declared": charset.overridden,
                    "url": response.url,
                },
            )
        html = response.replace(cls=HtmlResponse, encoding=charset.encoding)
        if self.max_chars and len(html.text) > self.max_chars:
            count(self.stats, "pages/truncated", site)
            logger.info(
                "Page of %(chars)d characters cut to EXTRACT_MAX_HTML_CHARS (%(limit)d): %(url)s",
                {"chars": len(html.text), "limit": self.max_chars, "url": response.url},
            )
            html = html.replace(body=html.text[: self.max_chars].encode("utf-8"), encoding="utf-8")
        return html
