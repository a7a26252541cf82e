"""The progress line: pages, articles, pending requests, errors, rates and per-site counts, every interval."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.demo.server import LocalSite
from crawler.run.progress import ProgressLog
from tests.conftest import TEST_SITE, run_crawl

if TYPE_CHECKING:
    from pathlib import Path

LINE = re.compile(
    r"Progress: (\d+) pages fetched \([\d.]+/min\), (\d+) articles written \([\d.]+/min\), "
    r"(\d+) requests pending, (\d+) errors; by site: (.*)$"
)


def test_the_line_counts_the_crawl_and_each_site() -> None:
    crawler = get_crawler(settings_dict={"PROGRESS_INTERVAL": 30})
    progress = build_from_crawler(ProgressLog, crawler)
    stats = crawler.stats
    assert stats is not None
    for key, value in {
        "newscrawl/pages/fetched": 12,
        "newscrawl/site/courier/pages/fetched": 8,
        "newscrawl/site/gazette/pages/fetched": 4,
        "newscrawl/output/written": 5,
        "newscrawl/site/courier/output/written": 5,
        "newscrawl/errors/http_404": 2,
        "newscrawl/site/gazette/errors/http_404": 1,
        "newscrawl/site/gazette/errors/TimeoutError": 1,
    }.items():
        stats.set_value(key, value)
    message, args = progress.line(stats.get_stats(), pending=3)
    line = message % args
    found = LINE.search(line)
    assert found is not None, line
    assert found.groups()[:4] == ("12", "5", "3", "2")
    assert found.group(5) == "courier 8 pages, 5 articles, 0 errors; gazette 4 pages, 0 articles, 2 errors"


def test_an_interval_of_zero_turns_it_off() -> None:
    with pytest.raises(NotConfigured):
        build_from_crawler(ProgressLog, get_crawler(settings_dict={"PROGRESS_INTERVAL": 0}))


def test_a_crawl_logs_its_progress(tmp_path: Path) -> None:
    site = LocalSite(TEST_SITE, delay=0.1).start()  # slow enough for a few lines
    try:
        result = run_crawl(tmp_path, "-a", f"url={site.origin}/", settings={"PROGRESS_INTERVAL": "0.2"})
    finally:
        site.stop()
    assert result.returncode == 0, result.log[-3000:]
    lines = [found for line in result.log.splitlines() if (found := LINE.search(line))]
    assert lines
    pages = [int(found.group(1)) for found in lines]
    written = [int(found.group(2)) for found in lines]
    assert pages == sorted(pages)  # counts only grow
    assert written == sorted(written)
    assert written[-1] <= len(result.records()) == 9
    assert any(int(found.group(3)) > 0 for found in lines)  # requests were pending while it ran
    assert all(found.group(5) == "none yet" or found.group(5).startswith("127.0.0.1 ") for found in lines)
