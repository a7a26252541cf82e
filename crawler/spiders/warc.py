"""The ``warc`` spider: re-extract the articles of archived responses, without a request to any site.

``scrapy extract --warc FILE…`` runs it, as does ``scrapy crawl warc -a files=A.warc.gz,B.warc.gz``
(with ``-a since=`` or ``-a since_days=`` if wanted). Each archived ``200`` response that reads as an
HTML page (``crawler.fetch.decode``: sniffing, charset policy, ``EXTRACT_MAX_HTML_CHARS``) becomes an
``ArticlePage`` with the response's own fetch time (its ``WARC-Date``) and goes through today's
pipelines: extraction, validation, language, deduplication within the run, and the JSONL writer. The
crawl state is not used: what is re-extracted is written again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Spider

from crawler import settings as defaults
from crawler.fetch.decode import count_decoding, decode_html
from crawler.items import ArticlePage
from crawler.output.warc import UnreadableWarc, read_responses
from crawler.run.context import Run
from crawler.run.options import RunOptions
from crawler.stats import count

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.output.warc import ArchivedResponse


class WarcSpider(Spider):
    """Yield the HTML pages of WARC files as article pages; count ``warc/replayed``, ``warc/skipped`` and
    ``warc/unreadable`` (a file that cannot be read to its end: logged, the other files go on)."""

    name = "warc"
    run: Run

    def __init__(
        self,
        files: str | list[str] = "",
        since: str | None = None,
        since_days: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.files = [Path(f) for f in (files.split(",") if isinstance(files, str) else files) if f]
        self.options = RunOptions.parse(None, since, since_days, "ignore", datetime.now(UTC))

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        """Build the spider and open its run."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.run = Run.replay(crawler, spider.options)
        return spider

    async def start(self) -> AsyncIterator[ArticlePage]:
        """The archived pages of every file, in file order."""
        self.run.begin()
        assert self.crawler.stats is not None
        s = self.settings
        max_size = s.getint("DOWNLOAD_MAXSIZE")
        max_chars = s.getint("EXTRACT_MAX_HTML_CHARS", defaults.EXTRACT_MAX_HTML_CHARS)
        for path in self.files:
            try:
                for response in read_responses(path, max_size):
                    page = self._page(response, max_chars)
                    count(self.crawler.stats, "warc/replayed" if page else "warc/skipped")
                    if page is not None:
                        yield page
            except UnreadableWarc as error:
                count(self.crawler.stats, "warc/unreadable")
                self.logger.error(
                    "Unreadable WARC file %(path)s (%(error)s): the responses after that point are not re-extracted",
                    {"path": path, "error": error},
                )

    def _page(self, response: ArchivedResponse, max_chars: int) -> ArticlePage | None:
        """The response as an article page, or None: not a 200, no HTML page, or a body over the size limit."""
        if response.status != 200 or response.body is None:
            return None
        decoded = decode_html(response.body, response.headers.get_header("Content-Type"), max_chars)
        if decoded.text is None:
            return None
        site = self.run.site_for(response.url, response.site)
        assert self.crawler.stats is not None
        count_decoding(decoded, response.url, self.crawler.stats, site.name)
        return ArticlePage(
            url=response.url,
            html=decoded.text,
            site=site.name,
            fetched_at=response.fetched_at,
            discovered_via="warc",
            requested_url=response.url,
            etag=response.headers.get_header("ETag"),
            last_modified=response.headers.get_header("Last-Modified"),
        )
