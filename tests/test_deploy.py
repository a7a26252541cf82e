"""Deploying to scrapyd as the README says: build the egg with scrapyd-deploy, upload it to a real scrapyd
on loopback, schedule the news spider, and read its records."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests

from tests.conftest import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.demo.server import LocalSite

# What a checkout holds that the egg is built from (tests/ and benchmarks/ are not part of it).
PROJECT = ("crawler", "pipelines", "pyproject.toml", "setup.py", "scrapy.cfg", "README.md")
BIN = Path(sys.executable).parent
IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
from scrapyd.runner import activate_egg
activate_egg(sys.argv[1])
import crawler, pipelines
for package in (crawler, pipelines):
    print(package.__file__)
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        print(importlib.import_module(module.name).__file__)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(what: str, check: Any, timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real scrapyd on a free loopback port, in its own folder; yields its URL and its log file."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\n"
        "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n",
        "utf-8",
    )
    log = home / "scrapyd.log"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}  # the egg's code only
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(BIN / "scrapyd")], cwd=home, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return requests.get(f"{url}/daemonstatus.json", timeout=2).ok
        except requests.ConnectionError:
            return process.poll() is not None and pytest.fail(log.read_text("utf-8"))

    try:
        _wait("scrapyd to start", answers, timeout=60)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def build_egg(tmp_path: Path) -> Path:
    """``scrapyd-deploy --build-egg`` in a copy of the project, as in a fresh checkout."""
    checkout = tmp_path / "checkout"
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, checkout / name)
    egg = tmp_path / "newscrawl.egg"
    done = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return egg


def test_deploy_to_scrapyd_and_crawl(tmp_path: Path, test_site: LocalSite, scrapyd: tuple[str, Path]) -> None:
    url, scrapyd_log = scrapyd
    egg = build_egg(tmp_path)

    # scrapyd's runner activates the egg, then imports the project: from the egg, not from this checkout.
    where = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE, str(egg)],
        cwd=tmp_path / "scrapyd",
        env={key: value for key, value in os.environ.items() if key != "PYTHONPATH"},
        capture_output=True,
        text=True,
        check=True,
    )
    modules = where.stdout.splitlines()
    assert len(modules) > 50
    assert all(module.startswith(f"{egg}/") for module in modules), modules
    assert all(line.startswith(str(egg)) for line in where.stdout.splitlines()), where.stdout

    with egg.open("rb") as file:
        added = requests.post(
            f"{url}/addversion.json",
            data={"project": "newscrawl", "version": "1"},
            files={"egg": file},
            timeout=60,
        ).json()
    assert added["status"] == "ok", added
    assert added["spiders"] == 2  # news and warc
    listed = requests.get(f"{url}/listspiders.json", params={"project": "newscrawl"}, timeout=60).json()
    assert sorted(listed["spiders"]) == ["news", "warc"]

    output = tmp_path / "output"
    jobs = {
        name: requests.post(
            f"{url}/schedule.json",
            data={"project": "newscrawl", "spider": "news", **arguments, "setting": settings},
            timeout=30,
        ).json()["jobid"]
        for name, arguments, settings in [
            (
                "site",
                {"url": f"{test_site.origin}/"},
                [f"OUTPUT_DIR={output}", "ALLOW_PRIVATE_ADDRESSES=True", "DOWNLOAD_DELAY=0"],
            ),
            ("demo", {"site": "demo"}, [f"OUTPUT_DIR={tmp_path / 'demo'}", "DOWNLOAD_DELAY=0"]),
            ("refused", {"url": f"{test_site.origin}/"}, [f"OUTPUT_DIR={output}", "NEWS_FOLLOW_DEPTH=-1"]),
        ]
    }

    def finished() -> list[dict[str, Any]] | None:
        listed = requests.get(f"{url}/listjobs.json", params={"project": "newscrawl"}, timeout=30).json()
        done = [job for job in listed["finished"] if job["id"] in jobs.values()]
        return done if len(done) == len(jobs) else None

    _wait("the jobs to finish", finished, timeout=240)
    records = [json.loads(line) for path in output.rglob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(records) == 9, scrapyd_log.read_text("utf-8")[-5000:]
    assert all(record["url"].startswith(f"{test_site.origin}/2026/11/") for record in records)
    demo = list((tmp_path / "demo").rglob("*.jsonl"))  # the demo site, served from the egg's own files
    assert len(demo) == 1
    assert len(demo[0].read_text("utf-8").splitlines()) == 9
    job_log = (tmp_path / "scrapyd" / "logs" / "newscrawl" / "news" / f"{jobs['site']}.log").read_text(
        "utf-8"
    )
    assert "Summary for 127.0.0.1 (finished)" in job_log
    assert (
        "newscrawl: cannot start: setting NEWS_FOLLOW_DEPTH from the command line (-s): '-1'"
        in scrapyd_log.read_text("utf-8")
    )
