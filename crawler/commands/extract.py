"""``scrapy extract PATH_OR_URL... [--url URL]``: run article extraction on saved pages or live URLs;
``scrapy extract --warc FILE...``: re-extract the articles of WARC files into JSONL, as a crawl writes them.

A page is read as the crawl reads it (``crawler.fetch.decode``: sniffed, decoded in its real charset,
cut to ``EXTRACT_MAX_HTML_CHARS``), so ``scrapy extract`` and the crawl agree on the same page.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES
from w3lib.url import is_url

from crawler import settings as defaults
from crawler.commands.crawl import EXIT_FAILED, EXIT_UNSUCCESSFUL
from crawler.config import ConfigError, check_settings
from crawler.extract import extract_article
from crawler.fetch.decode import PAGE_META, decode_html
from crawler.run.manifest import run_succeeded
from crawler.spiders.warc import WarcSpider
from crawler.stats import OUTPUT_FILES

if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace
    from collections.abc import AsyncIterator

    from scrapy.http import Response
    from twisted.python.failure import Failure


def print_record(record: dict[str, Any] | None, source: str) -> bool:
    """Print one extraction result as a JSON line (stdout), or say on stderr why there is none."""
    if record is None:
        sys.stderr.write(f"{source}: not an article (no record)\n")
        return False
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return True


class ExtractFetchSpider(Spider):
    """Fetches the command's URLs as the crawl fetches pages (robots.txt, retries, throttling, the address
    guard, the crawl's decoding) and prints their extraction."""

    name = "extract-fetch"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.failures = 0

    async def start(self) -> AsyncIterator[Request]:
        """Request each URL once, as a page to read as HTML."""
        for url in self.urls:
            yield Request(
                url, callback=self.parse, errback=self.failed, dont_filter=True, meta={PAGE_META: True}
            )

    def parse(self, response: Response) -> None:
        """Extract the fetched page and print its record."""
        if not print_record(extract_article(response.text, response.url), response.url):
            self.failures += 1

    def failed(self, failure: Failure) -> None:
        """Say why a URL gave no page (not found, not HTML, refused…)."""
        self.failures += 1
        sys.stderr.write(f"{failure.request.url}: no page ({failure.value})\n")  # type: ignore[attr-defined]


class Command(ScrapyCommand):
    """The ``extract`` command."""

    requires_project = True

    def syntax(self) -> str:
        """Arguments."""
        return "[options] PATH_OR_URL... | --warc WARC_FILE..."

    def short_desc(self) -> str:
        """One-line help."""
        return "Extract articles from saved HTML files or live URLs and print them as JSON lines"

    def add_options(self, parser: ArgumentParser) -> None:
        """Add ``--url``, the address a saved file was fetched from."""
        super().add_options(parser)
        parser.add_argument(
            "--url", dest="url", help="the URL a saved file came from (default: its file:// URL)"
        )
        parser.add_argument(
            "--warc",
            action="store_true",
            help="re-extract the archived pages of WARC files into OUTPUT_DIR, as a crawl writes them",
        )

    def process_options(self, args: list[str], opts: Namespace) -> None:
        """Log warnings and errors only, unless ``-L`` or ``-s LOG_LEVEL`` asks for more."""
        super().process_options(args, opts)
        assert self.settings is not None
        if (self.settings.getpriority("LOG_LEVEL") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            self.settings.set("LOG_LEVEL", "WARNING", "cmdline")

    def run(self, args: list[str], opts: Namespace) -> None:
        """Extract each file at once, then fetch and extract the URLs in one crawl."""
        if not args:
            raise UsageError("give at least one file or URL")
        assert self.settings is not None
        try:
            check_settings(self.settings)
        except ConfigError as error:
            raise UsageError(str(error)) from error
        if opts.warc:
            self.replay(args)
            return
        max_chars = self.settings.getint("EXTRACT_MAX_HTML_CHARS", defaults.EXTRACT_MAX_HTML_CHARS)
        urls = [arg for arg in args if is_url(arg) and arg.startswith(("http://", "https://"))]
        failures = 0
        for arg in args:
            if arg in urls:
                continue
            path = Path(arg)
            if not path.is_file():
                raise UsageError(f"{arg}: no such file, and not an http(s) URL")
            decoded = decode_html(path.read_bytes(), None, max_chars)
            if decoded.text is None:
                sys.stderr.write(f"{arg}: not an HTML page ({decoded.reading.sniffed.detail})\n")
                failures += 1
                continue
            failures += not print_record(
                extract_article(decoded.text, opts.url or path.resolve().as_uri()), arg
            )
        if urls:
            assert self.crawler_process is not None
            crawler = self.crawler_process.create_crawler(ExtractFetchSpider)
            self.crawler_process.crawl(crawler, urls=urls)
            self.crawler_process.start()
            failures += getattr(crawler.spider, "failures", 0)
        self.exitcode = 1 if failures else 0

    def replay(self, files: list[str]) -> None:
        """Run the ``warc`` spider over ``files``; print the JSONL files written. Exit status as ``crawl``'s."""
        missing = [name for name in files if not Path(name).is_file()]
        if missing:
            raise UsageError(f"{missing[0]}: no such WARC file")
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(WarcSpider)
        self.crawler_process.crawl(crawler, files=files)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = EXIT_FAILED
            return
        assert crawler.stats is not None
        for path in crawler.stats.get_value(OUTPUT_FILES, []):
            sys.stdout.write(f"{path}\n")
        self.exitcode = 0 if run_succeeded(crawler.stats.get_stats()) else EXIT_UNSUCCESSFUL
