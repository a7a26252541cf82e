"""Extraction functions that misbehave on purpose, run by the worker-pool tests (``EXTRACT_FUNCTION``)."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING

from crawler.extract import extract_page

if TYPE_CHECKING:
    from datetime import datetime

    from crawler.extract import PageExtraction
    from crawler.page.signals import PageSignals

CRASHING_PAGE = "/story-3/"
HANGING_PAGE = "/story-5/"
FAILING_PAGE = "/story-7/"


def extract_or_misbehave(
    html: str,
    url: str,
    fetched_at: datetime | None = None,
    listed_date: str | None = None,
    signals: PageSignals | None = None,
    discovered_via: str | None = None,
) -> PageExtraction | None:
    """``extract_page``, except that one page kills the worker, one hangs it and one raises."""
    if url.endswith(CRASHING_PAGE):
        os._exit(3)
    if url.endswith(HANGING_PAGE):
        time.sleep(3600)
    if url.endswith(FAILING_PAGE):
        raise RuntimeError("this page breaks the extractor")
    return extract_page(html, url, fetched_at, listed_date, signals, discovered_via)


def sleep_then_echo(delay: float, value: int) -> int:
    """Return ``value`` after ``delay`` seconds (for ordering tests)."""
    time.sleep(delay)
    return value
