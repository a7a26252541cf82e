"""Crawl from Python, in a script or a notebook: ``crawl(urls)`` yields the article records.

    from crawler.api import crawl

    for record in crawl("https://www.example-news.com/", since="2026-11-01"):
        print(record["date_published"], record["title"])

Each call runs ``scrapy crawl news`` in a child process, so it can be called again and again, from a
notebook too: Scrapy's reactor runs once per process, and not inside a running event loop. The
records come from the crawl's feed export (``-o -:jsonlines``) as they are written, as dicts of the
record's fields in its order (``crawler.items``). Without ``output_dir`` the crawl writes into a
temporary folder removed afterwards, and so starts from no crawl state; with one, it writes its JSONL
files, manifest and crawl state there, and a later call with the same folder yields only what is new.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.commands.crawl import EXIT_FAILED, EXIT_UNSUCCESSFUL, REFUSED
from crawler.config import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping

logger = logging.getLogger(__name__)

STOP_TIMEOUT = 60.0  # seconds a crawl stopped early gets to close its files before it is killed


class CrawlFailed(RuntimeError):
    """The crawl process failed (it crashed or was killed); the message ends with its last log lines."""


def crawl(
    urls: str | Iterable[str] = (),
    *,
    sites: str | Iterable[str] = (),
    since: date | str | None = None,
    settings: Mapping[str, Any] | None = None,
    output_dir: str | Path | None = None,
) -> Iterator[dict[str, Any]]:
    """Crawl news sites and yield each article record as the crawl writes it.

    ``urls``: home pages (``-a url=``); ``sites``: entries of the sites file (``-a site=``); neither: every
    site of the sites file. ``since``: skip older articles (a date or ``YYYY-MM-DD``). ``settings``: any
    Scrapy or newscrawl setting (``{"DOWNLOAD_DELAY": 2}``). A bad setting or argument raises
    ``ConfigError``; a crawl that ran but did not succeed (an error logged, closed early) is logged as
    a warning; a crash raises ``CrawlFailed``. Stopping the iteration early stops the crawl.
    """
    with tempfile.TemporaryDirectory(prefix="newscrawl-") as scratch:
        output = Path(output_dir) if output_dir is not None else Path(scratch) / "output"
        command = [sys.executable, "-m", "scrapy", "crawl", "news", "-o", "-:jsonlines"]
        command += _arguments(urls, sites, since) + _settings({**(settings or {}), "OUTPUT_DIR": output})
        log_path = Path(scratch) / "crawl.log"
        env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawler.settings"}  # wherever the caller runs
        with (
            log_path.open("w", encoding="utf-8") as log,
            subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=log, env=env, text=True, encoding="utf-8"
            ) as process,
        ):
            assert process.stdout is not None
            try:
                for line in process.stdout:
                    yield json.loads(line)
            finally:
                _stop(process)
        _outcome(process.returncode, log_path.read_text("utf-8"))


def _arguments(urls: str | Iterable[str], sites: str | Iterable[str], since: date | str | None) -> list[str]:
    arguments = []
    for name, values in (("url", urls), ("site", sites)):
        listed = [values] if isinstance(values, str) else list(values)
        if listed:
            arguments += ["-a", f"{name}={','.join(listed)}"]
    if since is not None:
        arguments += ["-a", f"since={since.isoformat() if isinstance(since, date) else since}"]
    return arguments


def _settings(settings: Mapping[str, Any]) -> list[str]:
    """``-s NAME=VALUE`` for each setting; lists and dicts as JSON, which Scrapy's getters read."""
    arguments = []
    for name, value in settings.items():
        text = json.dumps(value) if isinstance(value, (dict, list, tuple)) else str(value)
        arguments += ["-s", f"{name}={text}"]
    return arguments


def _stop(process: subprocess.Popen[str]) -> None:
    """Wait for the crawl; one stopped early (the caller broke off) is asked to close, then killed."""
    if process.poll() is None:
        process.terminate()  # Scrapy closes the crawl cleanly on SIGTERM
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def _outcome(returncode: int, log: str) -> None:
    """Raise or warn for a crawl that did not succeed."""
    lines = log.strip().splitlines()
    if returncode == EXIT_FAILED and lines and lines[-1].startswith(REFUSED):
        raise ConfigError(lines[-1].removeprefix(REFUSED))
    if returncode == EXIT_UNSUCCESSFUL:
        logger.warning("The crawl ran but did not succeed (an error was logged, or it closed early)")
    elif returncode != 0:
        raise CrawlFailed(f"the crawl exited with status {returncode}:\n" + "\n".join(lines[-20:]))
