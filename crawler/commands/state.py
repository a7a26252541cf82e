"""``scrapy state``: what the crawl state holds (articles and pending URLs per site, last runs).

The state is the SQLite file (``STATE_PATH``, or ``OUTPUT_DIR/state.sqlite3``), or the Redis of a
distributed crawl when ``REDIS_URL`` is set.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.store import state_path
from crawler.store.redis_client import redacted
from crawler.store.redis_state import RedisCrawlState
from crawler.store.sqlite_state import CrawlState

if TYPE_CHECKING:
    import argparse

    from crawler.store import StateStore


class Command(ScrapyCommand):
    """The ``state`` command."""

    requires_project = True
    default_settings = {"LOG_ENABLED": False}  # noqa: RUF012 - Scrapy's class attribute

    def short_desc(self) -> str:
        """One-line help."""
        return (
            "Show what the crawl state holds (REDIS_URL if set, else STATE_PATH or OUTPUT_DIR/state.sqlite3) "
            "as JSON"
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Print the state summary."""
        if args:
            raise UsageError(
                "takes no arguments; choose the state with -s OUTPUT_DIR=…, -s STATE_PATH=… or -s REDIS_URL=…"
            )
        state, where = self._open()
        summary = {**where, **state.summary()}
        state.close()
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")

    def _open(self) -> tuple[StateStore, dict[str, Any]]:
        """The state and where it is (``path``, or ``redis`` and ``prefix``)."""
        assert self.settings is not None
        url = self.settings.get("REDIS_URL")
        if url:
            try:
                redis_state = RedisCrawlState.open(
                    url, self.settings.get("REDIS_STATE_KEY") or "newscrawl:state"
                )
            except ConnectionError as error:
                raise UsageError(f"setting REDIS_URL: {error}") from error
            return redis_state, {"redis": redacted(url), "prefix": redis_state.prefix}
        path = state_path(self.settings)
        if not path.exists():
            raise UsageError(f"no crawl state at {path}")
        return CrawlState.open(path), {"path": str(path)}
