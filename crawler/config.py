"""Configuration checks: a bad setting, argument or sites file stops the crawl before it starts, with one
clear message naming where the value came from, the key, the value and the form expected."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler import settings as defaults

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.settings import BaseSettings

# Scrapy's settings priorities, by where a value came from.
_SOURCES = {
    40: "the command line (-s)",
    30: "the spider",
    20: "the project settings (crawler/settings.py, or a script's CrawlerProcess)",
}


class ConfigError(ValueError):
    """Configuration that cannot be used; the message says where, which key, which value and what was expected."""


def _number(minimum: float, *, above: bool = False, whole: bool = False) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        number = int(str(value)) if whole else float(str(value))
        return number > minimum if above else number >= minimum

    return check


def _boolean(value: Any) -> bool:
    return str(value).lower() in {"true", "false", "1", "0", "yes", "no", "on", "off"}


def _fraction(value: Any) -> bool:
    return 0 < float(str(value)) <= 1


def _redis_url(value: Any) -> bool:
    return str(value).startswith(("redis://", "rediss://", "unix://"))


WHOLE_0 = (_number(0, whole=True), "a whole number >= 0")
WHOLE_1 = (_number(1, whole=True), "a whole number >= 1")
SECONDS_0 = (_number(0), "a number of seconds >= 0")
SECONDS_POSITIVE = (_number(0, above=True), "a number of seconds > 0")
BOOLEAN = (_boolean, "True or False")

# Each checked setting: (test, expected form). An unset (None or empty) value is left to the default.
RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "NEWS_FOLLOW_DEPTH": WHOLE_0,
    "NEWS_PAGINATION_DEPTH": WHOLE_0,
    "NEWS_ARCHIVE_DEPTH": WHOLE_0,
    "NEWS_MAX_SITEMAP_URLS": WHOLE_1,
    "NEWS_MAX_PAGES_PER_SITE": WHOLE_0,
    "NEWS_REVALIDATE_DAYS": (_number(0), "a number of days >= 0"),
    "RUN_LOCK_WAIT": SECONDS_0,
    "ALLOW_PRIVATE_START_URLS": BOOLEAN,
    "OUTPUT_ROTATE_ITEMS": WHOLE_0,
    "OUTPUT_ROTATE_BYTES": WHOLE_0,
    "OUTPUT_GZIP": BOOLEAN,
    "OUTPUT_FSYNC": BOOLEAN,
    "CONDITIONAL_REQUESTS": BOOLEAN,
    "WARC_ENABLED": BOOLEAN,
    "WARC_MAX_SIZE": WHOLE_1,
    "VALIDATE_MIN_WORDS": WHOLE_0,
    "NEAR_DUPLICATES": (lambda value: str(value) in {"mark", "drop", "off"}, "mark, drop or off"),
    "NEAR_DUPLICATE_THRESHOLD": (_fraction, "a number above 0 and at most 1"),
    "EXTRACT_WORKERS": WHOLE_0,
    "EXTRACT_TIMEOUT": SECONDS_POSITIVE,
    "REDIS_URL": (_redis_url, "a Redis URL such as redis://host:6379/0"),
    "REDIS_IDLE_CLOSE": SECONDS_POSITIVE,
    "REDIS_WORKER_TIMEOUT": SECONDS_POSITIVE,
    "DOWNLOAD_DELAY": SECONDS_0,
    "DOWNLOAD_TIMEOUT": SECONDS_POSITIVE,
    "DOWNLOAD_MAXSIZE": WHOLE_0,
    "CONCURRENT_REQUESTS": WHOLE_1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": WHOLE_1,
    "REDIRECT_MAX_TIMES": WHOLE_0,
    "RETRY_TIMES": WHOLE_0,
    "CLOSESPIDER_TIMEOUT": SECONDS_0,
    "CLOSESPIDER_ITEMCOUNT": WHOLE_0,
    "CLOSESPIDER_PAGECOUNT": WHOLE_0,
    "NEWS_MAX_SITEMAP_DEPTH": WHOLE_0,
    "NEWS_MAX_CHILD_SITEMAPS": WHOLE_1,
    "EXTRACT_MAX_HTML_CHARS": WHOLE_0,
    "ALLOW_PRIVATE_ADDRESSES": BOOLEAN,
    "RETRY_AFTER_MAX": SECONDS_0,
    "BLOCKED_BACKOFF_AFTER": WHOLE_1,
    "BLOCKED_BACKOFF_DELAY": SECONDS_0,
    "BLOCKED_BACKOFF_MAX_DELAY": SECONDS_0,
    "BLOCKED_STOP_AFTER": WHOLE_1,
    "CRAWL_DELAY_MAX": SECONDS_0,
    "PROGRESS_INTERVAL": SECONDS_0,
}


def source_of(settings: BaseSettings, name: str) -> str:
    """Where a setting's value came from, for messages."""
    return _SOURCES.get(settings.getpriority(name) or 0, "the settings")


def check_settings(settings: BaseSettings) -> None:
    """Raise ``ConfigError`` for the first setting whose value has the wrong form, or an ``OUTPUT_DIR``
    that cannot be written."""
    for name, (test, expected) in RULES.items():
        value = settings.get(name)
        if value is None or value == "":
            continue
        try:
            valid = test(value)
        except (TypeError, ValueError):
            valid = False
        if not valid:
            raise ConfigError(
                f"setting {name} from {source_of(settings, name)}: {value!r}; expected {expected}"
            )
    check_writable(settings)


def check_writable(settings: BaseSettings, name: str = "OUTPUT_DIR") -> Path:
    """Create the folder a setting names and prove it can be written; ``ConfigError`` when it cannot."""
    folder = Path(settings.get(name) or getattr(defaults, name))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check-"):
            pass
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise ConfigError(
            f"setting {name} from {source_of(settings, name)}: {str(folder)!r} cannot be written ({reason}); "
            "expected a folder this user can create and write"
        ) from error
    return folder
