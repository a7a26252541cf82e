"""NewscrawlAddon from a script: a bare ``CrawlerProcess`` with the add-on crawls as ``scrapy crawl`` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

from tests.conftest import FAST_SETTINGS, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.demo.server import LocalSite

SCRIPT = """
import json, sys
from scrapy import Spider
from scrapy.crawler import CrawlerProcess
from crawler.spiders.news import NewsSpider

settings, spider, arguments = json.loads(sys.argv[1])
process = CrawlerProcess(settings={"ADDONS": {"crawler.run.addon.NewscrawlAddon": 0}, **settings})

class Quiet(Spider):
    name = "quiet"

failures = []
started = process.crawl(NewsSpider if spider == "news" else Quiet, **arguments)
started.addErrback(lambda failure: failures.append(f"{type(failure.value).__name__}: {failure.value}"))
process.start()
print(json.dumps(failures))
"""


def run_script(tmp_path: Path, settings: dict[str, str], spider: str = "news", **arguments: str) -> list[str]:
    """Run the script in a folder without a Scrapy project; return the errors its crawl failed with."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(SCRIPT), "utf-8")
    done = subprocess.run(
        [sys.executable, str(script), json.dumps([settings, spider, arguments])],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_a_script_with_the_addon_crawls_as_the_command_does(test_site: LocalSite, tmp_path: Path) -> None:
    output = tmp_path / "output"
    failures = run_script(tmp_path, {**FAST_SETTINGS, "OUTPUT_DIR": str(output)}, url=f"{test_site.origin}/")
    assert failures == []
    records = [json.loads(line) for path in output.rglob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(records) == 9  # the JSONL writer is wired
    assert not [
        path for path in test_site.requested_paths if path.startswith("/private/")
    ]  # robots.txt obeyed
    assert list((output / "runs").glob("*.json"))  # and the manifest written


def test_a_script_with_a_bad_setting_is_refused(tmp_path: Path) -> None:
    for spider in ("news", "quiet"):  # the news spider's run checks first; the add-on checks any spider
        failures = run_script(tmp_path, {"NEWS_FOLLOW_DEPTH": "-1"}, spider=spider)
        expected = (
            "ConfigError: setting NEWS_FOLLOW_DEPTH from the project settings (crawler/settings.py, or a "
            "script's CrawlerProcess): '-1'; expected a whole number >= 0"
        )
        assert failures == [expected], spider
