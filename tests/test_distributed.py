"""Distributed crawls: worker processes sharing one real redis-server and one local site."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest
import redis

from crawler.demo.server import LocalSite
from crawler.store.frontier import SharedFrontier, frontier_key, lease_key
from tests.conftest import FAST_SETTINGS, ROOT, make_news_site

if TYPE_CHECKING:
    from pathlib import Path

WORKER_SETTINGS = {
    **FAST_SETTINGS,
    "CONCURRENT_REQUESTS": "4",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
    "EXTRACT_WORKERS": "1",
    "REDIS_IDLE_CLOSE": "2",
    "REDIS_WORKER_TIMEOUT": "5",
}


def start_worker(origin: str, redis_url: str, output_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start ``scrapy crawl news`` as one worker of the distributed crawl of ``origin``."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={origin}/"]
    for key, value in {**WORKER_SETTINGS, "REDIS_URL": redis_url, "OUTPUT_DIR": str(output_dir)}.items():
        command += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("wb") as stderr:
        return subprocess.Popen(command, cwd=ROOT, env=env, stderr=stderr)


def written_urls(output_dir: Path) -> list[str]:
    """URLs of every finished record of a worker, including a killed worker's unfinished file."""
    lines = [
        line for path in sorted(output_dir.rglob("*.jsonl*")) for line in path.read_text("utf-8").splitlines()
    ]
    return [json.loads(line)["url"] for line in lines if line.endswith("}")]


def test_two_workers_write_disjoint_outputs_whose_union_is_every_article_once(
    tmp_path: Path, redis_url: str
) -> None:
    paths = make_news_site(tmp_path / "site", 60)
    site = LocalSite(tmp_path / "site", delay=0.3).start()
    try:
        workers = [
            start_worker(site.origin, redis_url, tmp_path / name, tmp_path / f"{name}.log")
            for name in ("a", "b")
        ]
        codes = [worker.wait(timeout=120) for worker in workers]
    finally:
        site.stop()
    logs = [(tmp_path / f"{name}.log").read_text() for name in ("a", "b")]
    assert codes == [0, 0], logs[0][-2000:] + logs[1][-2000:]
    roles = sorted("seeds the distributed crawl" in log for log in logs)
    assert roles == [False, True]  # exactly one worker seeded
    first, second = written_urls(tmp_path / "a"), written_urls(tmp_path / "b")
    assert first
    assert second
    assert sorted(first + second) == sorted(site.origin + path for path in paths)
    client = redis.Redis.from_url(redis_url)
    key = frontier_key("news", ["127.0.0.1"])
    assert client.zcard(f"{key}:requests") == 0
    assert client.keys(f"{key}:leases:*") == []


@pytest.mark.parametrize(
    ("after", "delay", "role", "output"),
    [
        # another worker is crawling: it requeues the dead worker's requests
        ("joined", 1.0, "joins", "b"),
        # the only worker died: the next, on the same OUTPUT_DIR, recovers its file and is seeded again
        # from the crawl state
        ("alone", 0.2, "resumes", "a"),
    ],
)
def test_a_killed_workers_requests_are_finished_by_the_next(
    tmp_path: Path, redis_url: str, after: str, delay: float, role: str, output: str
) -> None:
    paths = make_news_site(tmp_path / "site", 80)
    site = LocalSite(tmp_path / "site", delay=delay).start()
    try:
        doomed = start_worker(site.origin, redis_url, tmp_path / "a", tmp_path / "a.log")
        deadline = time.monotonic() + 60
        while len(written_urls(tmp_path / "a")) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        if after == "joined":
            successor = start_worker(site.origin, redis_url, tmp_path / output, tmp_path / "b.log")
            time.sleep(2)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        killed = written_urls(tmp_path / "a")
        if after == "alone":
            time.sleep(float(WORKER_SETTINGS["REDIS_WORKER_TIMEOUT"]) + 0.5)  # its heartbeat has expired
            successor = start_worker(site.origin, redis_url, tmp_path / output, tmp_path / "b.log")
        code = successor.wait(timeout=120)
    finally:
        site.stop()
    log = (tmp_path / "b.log").read_text()
    assert code == 0, log[-3000:]
    assert f"{role} the distributed crawl" in log
    assert after == "alone" or "Requeued" in log
    assert len(killed) >= 5
    outputs = {tmp_path / "a", tmp_path / output}
    assert sorted(url for folder in outputs for url in written_urls(folder)) == sorted(
        site.origin + path for path in paths
    )


def frontier(redis_url: str, prefix: str = "newscrawl:test", timeout: float = 1.0) -> SharedFrontier:
    return SharedFrontier(redis.Redis.from_url(redis_url), prefix, worker_timeout=timeout, idle_close=0.5)


def test_the_first_worker_seeds_the_next_joins_and_after_a_crash_the_run_is_seeded_again(
    redis_url: str,
) -> None:
    first, second, later = frontier(redis_url), frontier(redis_url), frontier(redis_url)
    assert first.begin() == "seed"
    assert second.begin() == "join"
    assert first.push("fp-queued", b"a request", 0)
    assert first.push("fp-lost", b"a request the crash lost", 0)
    assert first.pop() == b"a request"  # taken, while the other is queued
    first.claim("url", "https://a.example/x", "https://a.example/x")
    for worker in (first, second):
        worker.client.delete(f"{worker.prefix}:worker:{worker.worker_id}")  # both die
    # The rest of the run is seeded again from the crawl state: its queue and duplicate filter go, so
    # that no fingerprint they marked seen hides a pending URL; its claims stay.
    assert later.begin() == "resume"
    assert later.client.zcard(later.queue_key) == 0
    assert later.push("fp-lost", b"a request the crash lost", 0)
    assert later.claim("url", "https://a.example/x", "https://a.example/y") is None  # its worker is dead
    later.settle({"url": "https://a.example/x"})
    assert later.pop() == b"a request the crash lost"
    later.release(lease_key(b"a request the crash lost"))
    later.leave()
    assert frontier(redis_url).begin() == "seed"  # nothing left: a new run, claims cleared


def test_leases_of_a_dead_worker_go_back_on_the_queue_once(redis_url: str) -> None:
    dead, alive = frontier(redis_url), frontier(redis_url)
    dead.begin()
    alive.begin()
    assert dead.push("fp1", b"request 1", 0)
    assert dead.push("fp2", b"request 2", 0)
    assert not dead.push("fp2", b"request 2 again", 0)  # seen
    assert dead.pop() == b"request 1"
    assert dead.pop() == b"request 2"
    assert dead.pop() is None
    dead.release(lease_key(b"request 2"))
    assert alive.reclaim_orphans() == 0  # still beating
    dead.client.delete(f"{dead.prefix}:worker:{dead.worker_id}")
    assert alive.reclaim_orphans() == 1
    assert alive.reclaim_orphans() == 0
    assert alive.client.zrange(alive.queue_key, 0, -1) == [b"request 1"]


def test_the_frontier_drains_only_after_staying_empty(redis_url: str) -> None:
    one, other = frontier(redis_url), frontier(redis_url)
    one.begin()
    other.begin()
    other.push(None, b"request", 0)
    assert not one.drained(now=99.0)  # queued
    assert other.pop() == b"request"  # leased
    assert not one.drained(now=100.0)
    other.release_all()
    assert not one.drained(now=100.1)  # empty from now on
    assert one.drained(now=100.7)


def test_a_claim_is_taken_once_and_taken_over_from_a_dead_worker_unless_written(redis_url: str) -> None:
    one, other = frontier(redis_url), frontier(redis_url)
    one.begin()
    other.begin()
    assert one.claim("url", "https://a.example/x", "https://a.example/x") is None
    assert one.claim("url", "https://a.example/x", "https://a.example/x2") == "https://a.example/x"
    assert other.claim("url", "https://a.example/x", "https://a.example/y") == "https://a.example/x"
    assert one.claim("url", "https://a.example/z", "https://a.example/z") is None
    one.settle({"url": "https://a.example/z"})
    one.client.delete(f"{one.prefix}:worker:{one.worker_id}")  # it dies
    assert (
        other.claim("url", "https://a.example/x", "https://a.example/y") is None
    )  # never written: taken over
    assert (
        other.claim("url", "https://a.example/z", "https://a.example/w") == "https://a.example/z"
    )  # written


def test_without_redis_url_nothing_is_shared(tmp_path: Path, redis_url: str, test_site: Any) -> None:
    from tests.conftest import run_crawl

    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/")
    assert result.returncode == 0
    assert "distributed crawl" not in result.log
    assert "scrapy_redis" not in result.log
    assert redis.Redis.from_url(redis_url).keys("*") == []
