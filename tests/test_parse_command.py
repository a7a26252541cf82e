"""``scrapy parse URL --spider news``: the page's item and requests, as the crawl would get them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import ROOT

if TYPE_CHECKING:
    from crawler.demo.server import LocalSite

ARTICLE = "/2026/11/24/river-ferry-returns-to-service/"


def scrapy_parse(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "parse", url, "--spider", "news", "--nocolour", *args]
    command += ["-s", "ALLOW_PRIVATE_ADDRESSES=True"]  # the test site is served on 127.0.0.1
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=60, check=False)


@pytest.mark.parametrize("callback", [[], ["-c", "parse_page"]], ids=["default callback", "parse_page"])
def test_an_article_page_gives_its_item_and_its_links(test_site: LocalSite, callback: list[str]) -> None:
    done = scrapy_parse(test_site.origin + ARTICLE, *callback)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    items, requests = done.stdout.split("# Requests")
    assert f"'url': '{test_site.origin}{ARTICLE}'" in items
    assert "'site': '127.0.0.1'" in items
    assert re.search(r"'html': '<\d{1,3}(,\d{3})* characters of HTML>'", items)
    assert "<p>" not in done.stdout  # the page itself is not printed
    assert f"<GET {test_site.origin}/2026/11/23/free-school-breakfast-pilot-extended/>" in requests
    manifest = re.search(r"manifest (\S+)", done.stderr)
    assert manifest is not None
    assert "newscrawl-parse-" in manifest.group(1)
    assert not Path(manifest.group(1)).parent.parent.exists()  # its temporary output folder is gone


def test_a_section_page_gives_its_pagination_and_goes_to_extraction(test_site: LocalSite) -> None:
    # og:type=website alone is no listing signal: extraction weighs the page (and rejects it, test_detection)
    done = scrapy_parse(f"{test_site.origin}/news/", "-c", "parse_page")
    assert done.returncode == 0, done.stderr[-3000:]
    items, requests = done.stdout.split("# Requests")
    assert "'links_followed': True" in items
    assert f"<GET {test_site.origin}/news/page/2/>" in requests


def test_a_page_with_a_listing_url_gives_no_item(test_site: LocalSite) -> None:
    done = scrapy_parse(f"{test_site.origin}/tag/politics/", "-c", "parse_page")
    assert done.returncode == 0, done.stderr[-3000:]
    items, _ = done.stdout.split("# Requests")
    assert "[]" in items


def test_a_sitemap_callback(test_site: LocalSite) -> None:
    done = scrapy_parse(f"{test_site.origin}/news-sitemap.xml", "-c", "parse_sitemap")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"<GET {test_site.origin}{ARTICLE}>" in done.stdout
