"""``scrapy extract`` on saved files and on live URLs served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from tests.conftest import DEMO_SITE, ROOT

if TYPE_CHECKING:
    from crawler.demo.server import LocalSite

SEED_PAGE = DEMO_SITE / "2019" / "02" / "26" / "xiaomi-announces-organization-restructure" / "index.html"


def scrapy_extract(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "scrapy", "extract", *args, "-s", "DOWNLOAD_DELAY=0"]
    command += ["-s", "ALLOW_PRIVATE_ADDRESSES=True"]  # the test pages are served on 127.0.0.1
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_extract_saved_file() -> None:
    url = "https://equalocean.example/2019/02/26/xiaomi-announces-organization-restructure/"
    done = scrapy_extract(str(SEED_PAGE), "--url", url)
    assert done.returncode == 0, done.stderr[-2000:]
    (line,) = done.stdout.splitlines()
    record = json.loads(line)
    assert record["url"] == url
    assert record["title"] == "Xiaomi Announces Organization Restructure"
    assert record["language"] == "en"
    assert record["body"].endswith("overseas revenues are relatively small.")


def test_extract_live_urls_and_a_listing_page(test_site: LocalSite) -> None:
    article = f"{test_site.origin}/2026/11/24/river-ferry-returns-to-service/"
    done = scrapy_extract(article, f"{test_site.origin}/news/")
    assert done.returncode == 1  # one of the two pages is not an article
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["canonical_url"] for r in records] == [article]
    assert f"{test_site.origin}/news/: not an article" in done.stderr


def test_extract_missing_file_is_a_usage_error() -> None:
    done = scrapy_extract("no-such-file.html")
    assert done.returncode == 2
    assert "no such file" in done.stderr
