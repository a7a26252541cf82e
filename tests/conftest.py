"""Shared fixtures: local sites served on 127.0.0.1 and a helper that runs a real crawl."""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from crawler.demo.server import LocalSite

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent
TEST_SITE = Path(__file__).parent / "site"
DEMO_SITE = ROOT / "crawler" / "demo" / "site"
SEED_TEXT = Path(__file__).parent / "fixtures" / "equalocean-xiaomi-restructure.txt"
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "INFO",
    "ALLOW_PRIVATE_ADDRESSES": "True",  # the test sites are served on 127.0.0.1
}


@pytest.fixture
def test_site() -> Iterator[LocalSite]:
    """The end-to-end test news site, served on a free loopback port."""
    site = LocalSite(TEST_SITE).start()
    yield site
    site.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``redis-server`` on a free loopback port, for the session; yields its ``redis://`` URL.

    Skipped where redis-server is not installed, except under CI (``CI`` set), where that fails.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (.ci/run installs it with apt-get)")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """The session's redis-server, emptied before each test (database 0)."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushall()
    client.close()
    return redis_server + "/0"


@dataclass
class CrawlResult:
    """What a finished ``scrapy crawl`` process left behind."""

    returncode: int
    log: str
    output_dir: Path

    def output_files(self) -> list[Path]:
        """Every JSONL output file, sorted."""
        return sorted(self.output_dir.rglob("*.jsonl"))

    def records(self) -> list[dict[str, Any]]:
        """Every record of every output file, in file order."""
        return [
            json.loads(line) for path in self.output_files() for line in path.read_text("utf-8").splitlines()
        ]


def run_crawl(
    tmp_path: Path, *args: str, settings: dict[str, str] | None = None, timeout: float = 120
) -> CrawlResult:
    """Run ``scrapy crawl news`` in a subprocess from the project root, writing to ``tmp_path/output``."""
    output_dir = tmp_path / "output"
    command = [sys.executable, "-m", "scrapy", "crawl", "news", *args]
    for key, value in {**FAST_SETTINGS, "OUTPUT_DIR": str(output_dir), **(settings or {})}.items():
        command += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )
    return CrawlResult(done.returncode, done.stderr, output_dir)


WORDS = [
    "council",
    "harbour",
    "railway",
    "budget",
    "school",
    "river",
    "bridge",
    "market",
    "energy",
    "housing",
    "library",
    "festival",
    "museum",
    "hospital",
    "election",
    "tram",
    "ferry",
    "farmers",
    "weather",
    "storm",
    "water",
    "airport",
    "station",
    "police",
    "court",
    "teachers",
    "parents",
    "students",
    "workers",
    "union",
    "factory",
    "harvest",
    "prices",
    "tourism",
    "village",
    "street",
    "park",
    "garden",
    "climate",
]


def article_html(number: int, origin: str = "https://demo.newscrawl.invalid", extra: str = "") -> str:
    """A realistic article page whose text is unique to ``number`` (seeded pseudo-random prose)."""
    rng = random.Random(number)
    paragraphs = [" ".join(rng.choice(WORDS) for _ in range(45)).capitalize() + "." for _ in range(4)] + (
        [extra] if extra else []
    )
    day = 1 + number % 28
    path = f"/2026/10/{day:02d}/story-{number}/"
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><title>Story {number} | The Generated Times</title>'
        f'<link rel="canonical" href="{origin}{path}"><meta property="og:type" content="article">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Story '
        f'{number}", "datePublished": "2026-10-{day:02d}T08:00:00+00:00"'
        '}</script></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>Story {number}</h1>{body}</article><footer>© The Generated Times</footer></body></html>"
    )


def make_news_site(root: Path, count: int) -> list[str]:
    """Write a site of ``count`` articles listed in a sitemap; return their paths."""
    paths = []
    for number in range(count):
        day = 1 + number % 28
        path = f"/2026/10/{day:02d}/story-{number}/"
        (root / path.strip("/")).mkdir(parents=True)
        (root / path.strip("/") / "index.html").write_text(article_html(number), "utf-8")
        paths.append(path)
    locs = "".join(f"<url><loc>https://demo.newscrawl.invalid{p}</loc></url>" for p in paths)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
        "utf-8",
    )
    (root / "robots.txt").write_text(
        "User-agent: *\nSitemap: https://demo.newscrawl.invalid/sitemap.xml\n", "utf-8"
    )
    (root / "index.html").write_text("<html><body><p>The Generated Times</p></body></html>", "utf-8")
    return paths
