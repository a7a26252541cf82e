"""No log line carries an item's contents: a drop is one line with its reason and URL, whatever the page."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.drops import JavaScriptOnly
from crawler.items import ArticlePage
from crawler.logformat import ItemLogFormatter
from tests.conftest import article_html, run_crawl
from tests.hostile.page_server import Page, PageServer

if TYPE_CHECKING:
    from pathlib import Path

HTML = {"Content-Type": "text/html; charset=utf-8"}
APP_DATA = '{"story": "' + "x" * 1_500_000 + '"}'  # a 1.5 MB app state the page's scripts render
HUGE_SHELL = (
    '<!doctype html><html><head><title>Tram plan approved</title><meta property="og:type" content="article">'
    '<script src="/_next/static/chunks/main.js" defer></script></head><body><div id="__next"></div>'
    f'<script id="__NEXT_DATA__" type="application/json">{APP_DATA}</script></body></html>'
)
LONG_STORY = " ".join(["The harbour tram extension opens to passengers on Monday morning."] * 20_000)


def test_a_crawl_of_huge_pages_logs_short_lines(tmp_path: Path) -> None:
    with PageServer() as server:
        shell, story = "/2026/11/20/tram-app/", "/2026/11/21/story-1/"
        server.pages[shell] = Page(HUGE_SHELL.encode(), HTML)
        server.pages[story] = Page(article_html(1, server.origin, extra=LONG_STORY).encode(), HTML)
        locs = "".join(f"<url><loc>{server.origin}{path}</loc></url>" for path in (shell, story))
        server.pages["/sitemap.xml"] = Page(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(),
            {"Content-Type": "application/xml"},
        )
        server.pages["/"] = Page(b"<html><body><p>The Gazette</p></body></html>", HTML)
        # DEBUG: Scrapy's "Scraped" line of the 1.3 MB record is among them.
        result = run_crawl(tmp_path, "-a", f"url={server.origin}/", settings={"LOG_LEVEL": "DEBUG"})
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.records()) == 1
    assert len(result.records()[0]["body"]) > 1_000_000
    assert max(len(line) for line in result.log.splitlines()) < 1_000
    (dropped,) = [line for line in result.log.splitlines() if "Dropped" in line]
    assert re.search(
        r"WARNING: Dropped \(JavaScriptOnly\): JavaScript-only page \(an app shell, no text without scripts\) "
        rf"<{re.escape(server.origin + shell)}>$",
        dropped,
    ), dropped
    (scraped,) = [line for line in result.log.splitlines() if "Scraped" in line]
    assert scraped.endswith(f"DEBUG: Scraped ArticleRecord <{server.origin}{story}>")


def test_a_drop_from_any_pipeline_is_one_short_line() -> None:
    crawler = get_crawler(settings_dict={"LOG_FORMATTER": "crawler.logformat.ItemLogFormatter"})
    formatter = ItemLogFormatter.from_crawler(crawler)
    page = ArticlePage(
        url="https://gazette.example/a/",
        html="<p>" * 500_000,
        site="gazette",
        fetched_at="",
        discovered_via="",
    )
    spider = Spider.from_crawler(crawler, name="news")  # its settings give the default drop level
    for exception in (
        JavaScriptOnly("no text: https://gazette.example/a/"),
        DropItem("x" * 5_000 + "\n" * 3),
    ):
        entry = formatter.dropped(page, exception, None, spider)
        line = entry["msg"] % entry["args"]
        assert "\n" not in line
        assert len(line) < 400
        assert line.endswith("<https://gazette.example/a/>")
        assert entry["level"] == logging.WARNING
    assert "html" not in repr(page)
