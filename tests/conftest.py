"""Shared fixtures: local sites served on 127.0.0.1 and a helper that runs a real crawl."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from crawler.localsite import LocalSite

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
}


@pytest.fixture
def test_site() -> Iterator[LocalSite]:
    """The end-to-end test news site, served on a free loopback port."""
    site = LocalSite(TEST_SITE).start()
    yield site
    site.stop()


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
