"""``scrapy parse URL --spider news [-c CALLBACK]``: Scrapy's ``parse``, made to look at one page safely.

For the ``news`` spider, unless told otherwise (``-a``, ``-s``): the page's site is crawled from its
home page (``-a url=<origin>/``), the crawl state is left alone (``-a state=ignore``) and the run writes
into a temporary folder removed afterwards (``OUTPUT_DIR``); a page callback reads the page as the crawl
does (``crawler.fetch.decode``). The items are shown with their HTML as a length, not the page.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.commands.parse import Command as ScrapyParseCommand
from scrapy.settings import SETTINGS_PRIORITIES

from crawler.fetch.decode import PAGE_META
from crawler.items import ArticlePage
from crawler.spiders.news import NewsSpider

if TYPE_CHECKING:
    import argparse

PAGE_CALLBACKS = (None, "parse", "parse_page")


def shown(item: Any) -> Any:
    """An item as the command prints it: an ``ArticlePage``'s HTML replaced by its length."""
    if isinstance(item, ArticlePage):
        return dataclasses.replace(item, html=f"<{len(item.html):,} characters of HTML>")
    return item


class Command(ScrapyParseCommand):
    """Scrapy's ``parse`` with the ``news`` spider's defaults for looking at one page."""

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        """Default the ``news`` spider's arguments, meta and output folder for one page."""
        super().process_options(args, opts)
        self.scratch: str | None = None
        if opts.spider != NewsSpider.name or not args:
            return
        if "url" not in opts.spargs and "site" not in opts.spargs:
            opts.spargs["url"] = urljoin(args[0], "/")
        opts.spargs.setdefault("state", "ignore")
        if opts.callback in PAGE_CALLBACKS:
            opts.meta = {PAGE_META: True, **(opts.meta or {})}
        assert self.settings is not None
        if (self.settings.getpriority("OUTPUT_DIR") or 0) < SETTINGS_PRIORITIES["cmdline"]:
            self.scratch = tempfile.mkdtemp(prefix="newscrawl-parse-")
            self.settings.set("OUTPUT_DIR", self.scratch, "cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Parse the page; remove the temporary output folder."""
        try:
            super().run(args, opts)
        finally:
            if self.scratch:
                shutil.rmtree(self.scratch, ignore_errors=True)

    def print_items(self, lvl: int | None = None, colour: bool = True) -> None:
        """Print the items, an ``ArticlePage``'s HTML as its length."""
        for items in self.items.values():
            items[:] = [shown(item) for item in items]
        super().print_items(lvl, colour)
