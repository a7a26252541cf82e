"""JsonlWriterPipeline: append each article as one JSON line, made durable at once, then mark it written."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.utils.defer import deferred_from_coro

from crawler import settings as defaults
from crawler.drops import OutputFailed
from crawler.items import record_dict
from crawler.output.files import being_written, run_folder, safe_name, unfinished_files
from crawler.output.jsonl import JsonlFiles, salvage
from crawler.run.context import run_of
from crawler.stats import OUTPUT_FILES, WRITTEN, count

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred

    from crawler.items import ArticleRecord

logger = logging.getLogger(__name__)


class JsonlWriterPipeline:
    """Write records to ``OUTPUT_DIR/<site>/<UTC date>/<crawl_id>.jsonl`` (``.jsonl.gz`` with ``OUTPUT_GZIP``).

    Each line is flushed (and fsynced, ``OUTPUT_FSYNC``) before the run's ledger marks the article
    written, so state and output agree. While written, a file is named ``….part``; it gets its final
    name when the crawl closes or the file rotates (``OUTPUT_ROTATE_ITEMS``, ``OUTPUT_ROTATE_BYTES``).
    A ``.part`` file left by a killed crawl is recovered at the next start: its whole lines are kept,
    their articles marked written, and it is renamed ``….interrupted.jsonl``.
    """

    def __init__(self, crawler: Crawler, output_dir: Path) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.output_dir = output_dir
        run = run_of(crawler)
        started, crawl_id = (run.started, run.crawl_id) if run is not None else (datetime.now(UTC), "crawl")
        s = crawler.settings
        self.files = JsonlFiles(
            partial(run_folder, output_dir, started=started),
            safe_name(crawl_id),
            gzipped=s.getbool("OUTPUT_GZIP", defaults.OUTPUT_GZIP),
            fsync=s.getbool("OUTPUT_FSYNC", defaults.OUTPUT_FSYNC),
            rotate_items=s.getint("OUTPUT_ROTATE_ITEMS", defaults.OUTPUT_ROTATE_ITEMS),
            rotate_bytes=s.getint("OUTPUT_ROTATE_BYTES", defaults.OUTPUT_ROTATE_BYTES),
        )
        self.write_error: str | None = None
        self.closing: Deferred[None] | None = None  # the close a write error started, kept referenced

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the writer from ``OUTPUT_DIR`` and the ``OUTPUT_*`` settings."""
        return cls(crawler, Path(crawler.settings.get("OUTPUT_DIR", defaults.OUTPUT_DIR)))

    def path_for(self, site: str) -> Path:
        """The base output path of ``site``'s records in this crawl (before rotation numbering and gzip)."""
        return self.files.folder(site) / f"{self.files.crawl_id}.jsonl"

    def open_spider(self) -> None:
        """Recover the output files a killed crawl of the same sites left behind."""
        run = run_of(self.crawler)
        assert self.stats is not None
        if run is None:
            return
        for site in run.sites:
            for part in unfinished_files(self.output_dir, site):
                if being_written(part):  # a worker of the same distributed crawl, or another live run
                    logger.info("%(path)s is being written by a live crawl: left alone", {"path": part})
                    continue
                lines, recovered = salvage(part)
                for line in lines:
                    run.ledger.salvaged(json.loads(line), site)
                count(self.stats, "output/recovered_lines", n=len(lines))
                logger.warning(
                    "Recovered %(n)d whole lines of an interrupted crawl's output into %(path)s",
                    {"n": len(lines), "path": recovered},
                )

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Append the record as one JSON line and make it durable, then mark it written; count ``output/written``."""
        assert self.stats is not None
        record = record_dict(item)
        if self.write_error is None:
            try:
                self.files.write(item.site, record)
            except OSError as error:
                self._stop(error, self.files.output(item.site).path())
        if self.write_error is not None:  # this write failed, or an earlier one stopped the crawl
            raise OutputFailed(f"Not written (the output failed: {self.write_error}): {item.url}")
        if (run := run_of(self.crawler)) is not None:
            run.ledger.written(record, item)
        self.files.rotate_if_full(item.site)
        count(self.stats, WRITTEN, item.site)
        return item

    def _stop(self, error: OSError, path: Path) -> None:
        """The output cannot be written (disk full, folder gone…): stop the crawl; the page stays pending."""
        assert self.stats is not None
        self.write_error = os.strerror(error.errno) if error.errno else str(error)
        count(self.stats, "output/errors")
        logger.error(
            "Cannot write %(path)s (%(error)s): stopping the crawl; unwritten articles stay pending for the next run",
            {"path": path, "error": self.write_error},
        )
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="output_error"))

    def close_spider(self) -> None:
        """Close every file and give it its final name; list the files in the ``newscrawl/output/files`` stat."""
        assert self.stats is not None
        self.stats.set_value(OUTPUT_FILES, [str(path) for path in self.files.close()])
