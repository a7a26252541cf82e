"""Bad configuration: one clear line naming where, which key, which value and what was expected; exit 1;
nothing crawled."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from scrapy.settings import Settings

from crawler.config import ConfigError, check_settings
from tests.conftest import run_crawl

if TYPE_CHECKING:
    from pathlib import Path

BAD_ARGUMENTS_AND_SETTINGS = [
    (["-a", "since=last tuesday"], {}, "argument since: 'last tuesday'; expected a date such as 2026-11-01"),
    (["-a", "since_days=-3"], {}, "argument since_days: '-3'; expected a number of days >= 0"),
    (["-a", "mode=fast"], {}, "argument mode: 'fast'; expected one of articles, archive"),
    (["-a", "site=nowhere"], {}, "argument site: 'nowhere' is not in"),
    (["-a", "url=not-a-url"], {}, "argument url: 'not-a-url' is not an http(s) URL"),
    (
        [],
        {"NEWS_FOLLOW_DEPTH": "-1"},
        "setting NEWS_FOLLOW_DEPTH from the command line (-s): '-1'; expected a whole number >= 0",
    ),
    (
        [],
        {"EXTRACT_WORKERS": "two"},
        "setting EXTRACT_WORKERS from the command line (-s): 'two'; expected a whole number",
    ),
    (
        [],
        {"EXTRACT_TIMEOUT": "0"},
        "setting EXTRACT_TIMEOUT from the command line (-s): '0'; expected a number of seconds > 0",
    ),
    (
        [],
        {"NEAR_DUPLICATE_THRESHOLD": "2"},
        "setting NEAR_DUPLICATE_THRESHOLD from the command line (-s): '2'",
    ),
    (
        [],
        {"OUTPUT_GZIP": "perhaps"},
        "setting OUTPUT_GZIP from the command line (-s): 'perhaps'; expected True or False",
    ),
    ([], {"DOWNLOAD_DELAY": "-0.5"}, "setting DOWNLOAD_DELAY from the command line (-s): '-0.5'"),
    (
        [],
        {"REDIS_URL": "http://127.0.0.1:6379"},
        "setting REDIS_URL from the command line (-s): 'http://127.0.0.1:6379'",
    ),
    ([], {"REDIS_URL": "redis://127.0.0.1:1/0"}, "cannot reach Redis at 'redis://127.0.0.1:1/0'"),
]

BAD_ARGUMENTS_AND_SETTINGS += [
    (
        [],
        {"BLOCKED_STOP_AFTER": "0"},
        "setting BLOCKED_STOP_AFTER from the command line (-s): '0'; expected a whole number >= 1",
    ),
    (
        [],
        {"NEWS_MAX_PAGES_PER_SITE": "lots"},
        "setting NEWS_MAX_PAGES_PER_SITE from the command line (-s): 'lots'",
    ),
]

BAD_SITES_FILES = [
    ('[sites.courier]\nstart_url = ["https://courier.example/"]\n', "unknown key 'start_url'"),
    (
        '[sites.courier]\nstart_urls = "https://courier.example/"\n',
        "key 'start_urls' is 'https://courier.example/'; expected",
    ),
    ('[sites.courier]\nfeeds = ["https://courier.example/rss"]\n', "key 'start_urls' is missing"),
    ('[sites.courier]\nstart_urls = ["https://courier.example/"\n', "not valid TOML"),
    ('[sites.courier]\nstart_urls = ["ftp://courier.example/"]\n', "'ftp://courier.example/'"),
]


def assert_refused(result_log: str, returncode: int, message: str, output_dir: Path) -> None:
    """Exit 1, the message on the last line, no traceback, no request made, no output."""
    assert returncode == 1, result_log[-2000:]
    last = result_log.strip().splitlines()[-1]
    assert last.startswith("newscrawl: cannot start: "), last
    assert message in last
    assert "Traceback" not in result_log
    assert "downloader/request_count" not in result_log
    assert not list(output_dir.rglob("*.jsonl"))


@pytest.mark.parametrize(("arguments", "settings", "message"), BAD_ARGUMENTS_AND_SETTINGS)
def test_a_bad_argument_or_setting_stops_the_crawl_with_one_clear_line(
    tmp_path: Path, arguments: list[str], settings: dict[str, str], message: str
) -> None:
    result = run_crawl(tmp_path, *arguments, settings=settings)
    assert_refused(result.log, result.returncode, message, result.output_dir)


@pytest.mark.parametrize(("text", "message"), BAD_SITES_FILES)
def test_a_bad_sites_file_names_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    sites = tmp_path / "my-sites.toml"
    sites.write_text(text, "utf-8")
    result = run_crawl(tmp_path, "-a", "site=courier", settings={"NEWS_SITES_FILE": str(sites)})
    assert_refused(result.log, result.returncode, message, result.output_dir)
    assert str(sites) in result.log.strip().splitlines()[-1]


def test_an_output_folder_that_cannot_be_written_stops_the_crawl(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    result = run_crawl(tmp_path, "-a", "site=demo", settings={"OUTPUT_DIR": str(blocker / "output")})
    assert_refused(result.log, result.returncode, "setting OUTPUT_DIR from the command line (-s)", tmp_path)
    assert "cannot be written (Not a directory)" in result.log


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("NEWS_REVALIDATE_DAYS", "-1", "'-1'; expected a number of days >= 0"),
        ("RUN_LOCK_WAIT", "soon", "'soon'; expected a number of seconds >= 0"),
        ("ALLOW_PRIVATE_START_URLS", "maybe", "'maybe'; expected True or False"),
    ],
)
def test_the_settings_of_scheduled_runs_are_checked(name: str, value: str, expected: str) -> None:
    with pytest.raises(
        ConfigError, match=re.escape(f"setting {name} from the command line (-s): {expected}")
    ):
        check_settings(Settings({name: value}, priority="cmdline"))
