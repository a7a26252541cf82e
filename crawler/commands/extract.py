"""``scrapy extract PATH_OR_URL... [--url URL]``: run article extraction on saved pages or live URLs."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from scrapy import Request, Spider
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from w3lib.url import is_url

from crawler.extract import extract_article

if TYPE_CHECKING:
    from argparse import ArgumentParser, Namespace
    from collections.abc import AsyncIterator

    from scrapy.http import Response


def print_record(record: dict[str, Any] | None, source: str) -> bool:
    """Print one extraction result as a JSON line (stdout), or say on stderr why there is none."""
    if record is None:
        sys.stderr.write(f"{source}: not an article (no record)\n")
        return False
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return True


class ExtractFetchSpider(Spider):
    """Fetches the command's URLs (robots.txt, retries and throttling apply) and prints their extraction."""

    name = "extract-fetch"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.failures = 0

    async def start(self) -> AsyncIterator[Request]:
        """Request each URL once."""
        for url in self.urls:
            yield Request(url, callback=self.parse, dont_filter=True)

    def parse(self, response: Response) -> None:
        """Extract the fetched page and print its record."""
        if not print_record(extract_article(response.body, response.url), response.url):
            self.failures += 1


class Command(ScrapyCommand):
    """The ``extract`` command."""

    requires_project = True
    default_settings: ClassVar[dict[str, Any]] = {
        "LOG_LEVEL": "WARNING",
        "ITEM_PIPELINES": {},
        "EXTENSIONS": {},
    }

    def syntax(self) -> str:
        """Arguments."""
        return "[options] PATH_OR_URL..."

    def short_desc(self) -> str:
        """One-line help."""
        return "Extract articles from saved HTML files or live URLs and print them as JSON lines"

    def add_options(self, parser: ArgumentParser) -> None:
        """Add ``--url``, the address a saved file was fetched from."""
        super().add_options(parser)
        parser.add_argument(
            "--url", dest="url", help="the URL a saved file came from (default: its file:// URL)"
        )

    def run(self, args: list[str], opts: Namespace) -> None:
        """Extract each file at once, then fetch and extract the URLs in one crawl."""
        if not args:
            raise UsageError("give at least one file or URL")
        urls = [arg for arg in args if is_url(arg) and arg.startswith(("http://", "https://"))]
        failures = 0
        for arg in args:
            if arg in urls:
                continue
            path = Path(arg)
            if not path.is_file():
                raise UsageError(f"{arg}: no such file, and not an http(s) URL")
            page_url = opts.url or path.resolve().as_uri()
            failures += not print_record(extract_article(path.read_bytes(), page_url), arg)
        if urls:
            assert self.crawler_process is not None
            crawler = self.crawler_process.create_crawler(ExtractFetchSpider)
            self.crawler_process.crawl(crawler, urls=urls)
            self.crawler_process.start()
            failures += getattr(crawler.spider, "failures", 0)
        self.exitcode = 1 if failures else 0
