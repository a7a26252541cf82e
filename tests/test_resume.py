"""Runs killed and resumed at scale, and two runs started on one state.

The site is the benchmark site generator's (``benchmarks/news_site.py``) at 420 articles, reached through
a sitemap index of five sitemaps, a news sitemap, an RSS feed and paginated sections, and served without
page validators; its sitemaps answer slowly, each a little later than the one before, so that a kill can
land while they are read.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from benchmarks.news_site import write_site
from crawler.config import ConfigError
from crawler.demo.server import LocalSite
from crawler.run.lock import RunLocked, SiteLocks
from tests.conftest import FAST_SETTINGS, ROOT, make_news_site

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

ARTICLES = 420
SITEMAPS = 5


def sitemap_delay(path: str) -> float:
    """``/sitemaps/articles-00k.xml`` answers after 0.4 k seconds; everything else at once."""
    name = urlsplit(path).path
    if name.startswith("/sitemaps/articles-"):
        return 0.4 * int(name.removeprefix("/sitemaps/articles-").removesuffix(".xml"))
    return 0.0


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("big-site")
    paths = write_site(
        root, ARTICLES, page_kb=(12, 16), news_sitemap=30, sitemap_size=-(-ARTICLES // SITEMAPS)
    )
    return root, paths


def crawl_command(origin: str, output: Path, **settings: str) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={origin}/"]
    for key, value in {**FAST_SETTINGS, "OUTPUT_DIR": str(output), **settings}.items():
        command += ["-s", f"{key}={value}"]
    return command


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as stderr:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


def lines(output: Path) -> list[dict[str, object]]:
    """Every whole record in the output: finished, recovered and still-open (``.part``) files."""
    text = "".join(path.read_text("utf-8") for path in sorted(output.rglob("*.jsonl*")))
    return [json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("}\n")]


def article_paths(output: Path) -> list[str]:
    return [urlsplit(str(record["canonical_url"])).path for record in lines(output)]


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the crawl ended before the kill"
        assert time.monotonic() < deadline, "the crawl never got there"
        time.sleep(0.02)


def test_killed_at_three_points_with_jobdir_every_article_is_written_once_and_none_fetched_twice(
    tmp_path: Path, big_site: tuple[Path, list[str]]
) -> None:
    """SIGKILL while the sitemaps are read, right after, and mid-articles; then a run to the end. Each run
    uses the same JOBDIR, whose queue and seen-set a kill leaves inconsistent: the crawl state resumes."""
    root, paths = big_site
    site = LocalSite(root, delay=sitemap_delay, validators=False).start()
    output = tmp_path / "output"
    command = crawl_command(site.origin, output, JOBDIR=str(tmp_path / "job"))
    fetched_after_written: list[str] = []

    def requested_since(mark: int) -> list[str]:
        return [urlsplit(path).path for path in site.requested_paths[mark:]]

    def sitemap_answered(mark: int, number: int) -> Callable[[], bool]:
        """Whether this run's request for sitemap ``number`` has had its answer (and a moment to be read)."""
        name = f"/sitemaps/articles-{number:03d}.xml"

        def answered() -> bool:
            sent = [at for at, path in site.requests[mark:] if path == name]
            return bool(sent) and time.monotonic() > sent[0] + sitemap_delay(name) + 0.3

        return answered

    def more_lines(count: int) -> Callable[[], bool]:
        return lambda: len(lines(output)) >= count

    kill_points: list[Callable[[int], Callable[[], bool]]] = [
        lambda mark: sitemap_answered(mark, 2),  # while the sitemaps are read: 2 of 5 answered
        lambda mark: sitemap_answered(mark, SITEMAPS),  # right after the last one
        lambda mark: more_lines(len(lines(output)) + 100),  # mid-articles
    ]
    try:
        for number, kill_point in enumerate(kill_points, 1):
            written = set(article_paths(output))
            mark = len(site.requested_paths)
            process = start(command, tmp_path / f"run{number}.log")
            wait_for(kill_point(mark), process)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            fetched_after_written += [path for path in requested_since(mark) if path in written]
        written = set(article_paths(output))
        mark = len(site.requested_paths)
        last = start(command, tmp_path / "last.log")
        assert last.wait(timeout=300) == 0, (tmp_path / "last.log").read_text()[-3000:]
        fetched_after_written += [path for path in requested_since(mark) if path in written]
    finally:
        site.stop()
    assert 0 < len(written) < ARTICLES  # the kills landed before the end
    union = article_paths(output)
    assert len(union) == len(set(union)), "an article was written twice"
    assert set(union) == set(paths), f"{len(set(paths) - set(union))} articles lost"
    assert fetched_after_written == []  # no run fetched what an earlier one had written
    assert not list(output.rglob("*.part"))


@pytest.fixture
def slow_site(tmp_path: Path) -> Iterator[tuple[LocalSite, list[str]]]:
    paths = make_news_site(tmp_path / "site", 40)
    site = LocalSite(tmp_path / "site", delay=0.25).start()
    yield site, paths
    site.stop()


def test_a_second_run_on_the_same_output_refuses_or_waits_and_nothing_is_lost(
    tmp_path: Path, slow_site: tuple[LocalSite, list[str]]
) -> None:
    site, paths = slow_site
    output = tmp_path / "output"
    command = crawl_command(site.origin, output, CONCURRENT_REQUESTS="1")
    first = start(command, tmp_path / "first.log")
    wait_for(lambda: len(lines(output)) >= 3, first)
    refused = start(command, tmp_path / "refused.log")
    waiting = start([*command, "-s", "RUN_LOCK_WAIT=300"], tmp_path / "waiting.log")
    codes = [process.wait(timeout=120) for process in (refused, first, waiting)]
    logs = [(tmp_path / f"{name}.log").read_text() for name in ("refused", "first", "waiting")]
    assert codes == [75, 0, 0], "\n".join(log[-2000:] for log in logs)
    assert "newscrawl: not started: site 127.0.0.1 is being crawled by another run (pid" in logs[0]
    assert "is being crawled by another run" in logs[2]  # it waited, then ran
    assert sorted(article_paths(output)) == sorted(paths)  # the first run's output, whole, once
    assert not list(output.rglob("*.interrupted.jsonl"))  # nobody took a live file for a killed run's


def test_a_site_lock_is_held_until_released_and_names_its_holder(tmp_path: Path) -> None:
    first = SiteLocks.acquire(tmp_path, ["courier", "gazette"], "crawl-1", wait=0)
    with pytest.raises(
        RunLocked, match=r"site gazette is being crawled by another run \(pid \d+, crawl crawl-1\)"
    ):
        SiteLocks.acquire(tmp_path, ["gazette", "herald"], "crawl-2", wait=0)
    started = time.monotonic()
    with pytest.raises(RunLocked, match=r"after waiting 0.3 s \(RUN_LOCK_WAIT\)"):
        SiteLocks.acquire(tmp_path, ["courier"], "crawl-2", wait=0.3)
    assert time.monotonic() - started >= 0.3
    herald = SiteLocks.acquire(tmp_path, ["herald"], "crawl-2", wait=0)  # not held: the failed try let go
    first.release()
    second = SiteLocks.acquire(tmp_path, ["courier", "gazette"], "crawl-3", wait=0)
    second.release()
    herald.release()
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(ConfigError, match="setting OUTPUT_DIR: cannot create the lock file"):
        SiteLocks.acquire(tmp_path / "file", ["courier"], "crawl-4", wait=0)
