"""``scrapy state``: what the crawl state holds (articles and pending URLs per site, last runs).

The state is the SQLite file (``STATE_PATH``, or ``OUTPUT_DIR/state.sqlite3``), or the Redis of a
distributed crawl when ``REDIS_URL`` is set.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.config import ConfigError
from crawler.run.ledger import state_report

if TYPE_CHECKING:
    import argparse


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
        assert self.settings is not None
        try:
            summary = state_report(self.settings)
        except (ConfigError, FileNotFoundError) as error:
            raise UsageError(str(error)) from error
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
