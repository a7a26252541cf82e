"""Log lines about items that name the item by its URL, never by its contents.

Scrapy's own ``LogFormatter`` writes the whole item into the line that reports a drop, a scraped item
or a pipeline error. Our pages carry their HTML (up to ``EXTRACT_MAX_HTML_CHARS`` characters) and our
records their text, so one ``JavaScriptOnly`` drop would be a log line of the size of the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.logformatter import LogFormatter

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.logformatter import LogFormatterResult
    from twisted.python.failure import Failure

MAX_REASON_CHARS = 300  # a drop message of a third-party pipeline could embed anything


def item_url(item: Any) -> str:
    """The URL an item is about, or its class name when it has none."""
    if ItemAdapter.is_item(item):
        url = ItemAdapter(item).get("url")
        if isinstance(url, str):
            return url
    return f"<{type(item).__name__}>"


def _short(text: str) -> str:
    text = " ".join(text.split())  # one line
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


class ItemLogFormatter(LogFormatter):
    """Scrapy's log formatter, with one short line per dropped, scraped or failed item: reason and URL."""

    def dropped(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        """``Dropped (JavaScriptOnly): <message> <url>``, at the drop's own log level."""
        result = super().dropped(item, exception, response, spider)
        url = item_url(item)
        message = str(exception).removesuffix(url).rstrip(": ")  # our reasons end with the URL already
        result["msg"] = "Dropped (%(reason)s): %(message)s <%(url)s>"
        result["args"] = {"reason": type(exception).__name__, "message": _short(message), "url": url}
        return result

    def scraped(self, item: Any, response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        """``Scraped <url>`` (DEBUG)."""
        result = super().scraped(item, response, spider)
        result["msg"] = "Scraped %(kind)s <%(url)s>"
        result["args"] = {"kind": type(item).__name__, "url": item_url(item)}
        return result

    def item_error(
        self, item: Any, exception: BaseException, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult:
        """``Error processing <url>`` (ERROR; the traceback follows, as in Scrapy)."""
        result = super().item_error(item, exception, response, spider)
        result["msg"] = "Error processing %(kind)s <%(url)s>"
        result["args"] = {"kind": type(item).__name__, "url": item_url(item)}
        return result
