"""Output safety and limits: names cannot escape OUTPUT_DIR, a failing disk stops the crawl without losing
an article, and the per-site page limit stops a site and says so."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import subprocess
import sys
from typing import TYPE_CHECKING

from crawler.demo.server import LocalSite
from tests.conftest import FAST_SETTINGS, ROOT, make_news_site, run_crawl

if TYPE_CHECKING:
    from pathlib import Path


def all_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_site_names_and_crawl_ids_cannot_escape_the_output_folder(tmp_path: Path) -> None:
    make_news_site(tmp_path / "site", 3)
    site = LocalSite(tmp_path / "site").start()
    sites = tmp_path / "sites.toml"
    sites.write_text(f'[sites."../../escaped"]\nstart_urls = ["{site.origin}/"]\n', "utf-8")
    try:
        result = run_crawl(
            tmp_path / "run",
            "-a",
            "site=../../escaped",
            settings={"NEWS_SITES_FILE": str(sites), "CRAWL_ID": "../../../evil/id"},
        )
    finally:
        site.stop()
    assert result.returncode == 0, result.log[-2000:]
    written = result.output_files()
    assert len(written) == 1
    assert written[0].is_relative_to(result.output_dir)
    assert written[0].relative_to(result.output_dir).parts[0] == "escaped"
    assert ".." not in written[0].name
    assert len(result.records()) == 3
    outside = [path for path in all_files(tmp_path) if not path.is_relative_to(tmp_path / "run")]
    assert sorted(p.name for p in outside) == [
        *sorted(p.name for p in all_files(tmp_path / "site")),
        "sites.toml",
    ]


def limit_file_size(limit: int) -> None:
    """In the crawl process: files may not grow past ``limit`` bytes (writes fail with EFBIG, as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_failing_disk_stops_the_crawl_and_keeps_every_written_line_whole(tmp_path: Path) -> None:
    make_news_site(tmp_path / "site", 60)
    site = LocalSite(tmp_path / "site").start()
    output = tmp_path / "output"
    command = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "news",
        "-a",
        f"url={site.origin}/",
        "-a",
        "state=ignore",
    ]
    for key, value in {**FAST_SETTINGS, "OUTPUT_DIR": str(output)}.items():
        command += ["-s", f"{key}={value}"]
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            preexec_fn=lambda: limit_file_size(40_000),
        )
    finally:
        site.stop()
    assert done.returncode == 3, done.stderr[-2000:]  # did not succeed
    assert "Cannot write" in done.stderr
    assert "'finish_reason': 'output_error'" in done.stderr
    files = sorted(output.rglob("*.jsonl"))
    assert len(files) == 1
    text = files[0].read_text("utf-8")
    assert text.endswith("\n")
    records = [json.loads(line) for line in text.splitlines()]  # every line whole
    assert 5 < len(records) < 60
    assert "item_dropped_reasons_count/OutputFailed" in done.stderr


def test_the_page_limit_stops_a_site_says_so_and_the_next_run_carries_on(tmp_path: Path) -> None:
    paths = make_news_site(tmp_path / "site", 40)
    site = LocalSite(tmp_path / "site").start()
    try:
        limited = run_crawl(tmp_path, "-a", f"url={site.origin}/", settings={"NEWS_MAX_PAGES_PER_SITE": "20"})
        first = {r["url"] for r in limited.records()}
        rest = run_crawl(tmp_path, "-a", f"url={site.origin}/")
    finally:
        site.stop()
    assert limited.returncode == 0, limited.log[-2000:]
    assert "reached NEWS_MAX_PAGES_PER_SITE (20 pages)" in limited.log
    assert re.search(r"left pending archive \d+;", limited.log)  # in the end-of-run summary
    assert len(first) == 19  # the home page and 19 articles: pages sent, not requests scheduled
    written = [r["url"] for r in rest.records()]
    assert len(written) == len(set(written)) == 40  # the first run's records and the rest, each once
    assert {url.removeprefix(site.origin) for url in written} == set(paths)


def test_the_run_time_limit_closes_the_crawl_and_the_summary_says_so(tmp_path: Path) -> None:
    make_news_site(tmp_path / "site", 40)
    site = LocalSite(tmp_path / "site", delay=0.5).start()
    try:
        result = run_crawl(
            tmp_path,
            "-a",
            f"url={site.origin}/",
            settings={"CLOSESPIDER_TIMEOUT": "2", "CONCURRENT_REQUESTS_PER_DOMAIN": "2"},
        )
    finally:
        site.stop()
    assert result.returncode == 3, result.log[-2000:]  # the run did not finish its work
    assert "Summary for 127.0.0.1 (closespider_timeout)" in result.log
    assert 0 < len(result.records()) < 40
