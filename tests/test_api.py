"""The Python API: crawl(urls) yields the records of a real crawl of a local site."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crawler.api import crawl
from crawler.config import ConfigError
from crawler.items import FIELD_NAMES
from tests.conftest import FAST_SETTINGS, ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.demo.server import LocalSite


@pytest.fixture(autouse=True)
def this_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    """The crawl process imports this checkout's code, as the other tests' crawls do."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def test_crawl_yields_the_records(test_site: LocalSite, tmp_path: Path) -> None:
    records = list(crawl(f"{test_site.origin}/", settings=FAST_SETTINGS, output_dir=tmp_path))
    assert len(records) == 9
    assert all(list(record) == list(FIELD_NAMES) for record in records)
    written = [line for path in tmp_path.rglob("*.jsonl") for line in path.read_text().splitlines()]
    assert len(written) == 9  # the JSONL files of output_dir hold the same records
    again = list(crawl([f"{test_site.origin}/"], settings=FAST_SETTINGS, output_dir=tmp_path))
    assert again == []  # the same folder, the same crawl state: nothing new


def test_since_and_a_temporary_folder(test_site: LocalSite) -> None:
    records = list(crawl(f"{test_site.origin}/", since="2026-11-22", settings=FAST_SETTINGS))
    assert records
    assert all(record["date_published"][:10] >= "2026-11-22" for record in records)
    assert len(records) < 9


def test_a_bad_setting_raises_config_error(test_site: LocalSite) -> None:
    with pytest.raises(ConfigError, match=r"setting NEWS_FOLLOW_DEPTH from the command line \(-s\): '-1'"):
        list(crawl(f"{test_site.origin}/", settings={"NEWS_FOLLOW_DEPTH": -1}))


def test_stopping_early_stops_the_crawl(test_site: LocalSite) -> None:
    records = crawl(f"{test_site.origin}/", settings={**FAST_SETTINGS, "CONCURRENT_REQUESTS": 1})
    first = next(records)
    assert first["url"].startswith(test_site.origin)
    records.close()  # the crawl process is stopped and waited for; its temporary folder removed
