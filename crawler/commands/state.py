"""``scrapy state``: what the crawl state file holds (articles and pending URLs per site, last runs)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.state import CrawlState, state_path

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCommand):
    """The ``state`` command."""

    requires_project = True
    default_settings = {"LOG_ENABLED": False}  # noqa: RUF012 - Scrapy's class attribute

    def short_desc(self) -> str:
        """One-line help."""
        return "Show what the crawl state holds (STATE_PATH, or OUTPUT_DIR/state.sqlite3) as JSON"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        """Print the state summary."""
        if args:
            raise UsageError("takes no arguments; choose the file with -s OUTPUT_DIR=… or -s STATE_PATH=…")
        assert self.settings is not None
        path = state_path(self.settings)
        if not path.exists():
            raise UsageError(f"no crawl state at {path}")
        state = CrawlState.open(path)
        summary = {"path": str(path), **state.summary()}
        state.close()
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
