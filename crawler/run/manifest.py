"""RunRecorder: keeps the crawl state in step with drops, and writes each run's manifest at the end."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import settings as defaults
from crawler.dates import utc_now
from crawler.drops import OutputFailed
from crawler.run.context import run_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

    from crawler.run.context import Run

logger = logging.getLogger(__name__)
OUTCOME_PREFIXES = ("item_dropped_reasons_count/", "newscrawl/errors/", "newscrawl/skipped/", "conditional/")


class RunRecorder:
    """Finish the pending entry of every dropped page, and record the run in the state and a manifest.

    The manifest, ``OUTPUT_DIR/runs/<crawl_id>.json``, gives the crawl id, start and end, the close
    reason and whether the run succeeded, counts by outcome, and the output files.
    """

    def __init__(self, crawler: Crawler, output_dir: Path) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.started = utc_now()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Connect to the item-dropped and spider-closed signals."""
        recorder = cls(crawler, Path(crawler.settings.get("OUTPUT_DIR", defaults.OUTPUT_DIR)))
        crawler.signals.connect(recorder.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """A dropped page is finished: its pending entry goes.

        ``item`` is the page as the spider yielded it (Scrapy reports the pipelines' input), not the record.
        """
        run = run_of(self.crawler)
        url = getattr(item, "requested_url", None) or getattr(item, "url", None)
        if run is not None and url and not isinstance(exception, OutputFailed):  # unwritten: still pending
            run.ledger.finished(url)

    def manifest(self, run: Run, reason: str) -> dict[str, Any]:
        """The run's manifest."""
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        written = int(stats.get("output/written", 0))
        outcomes = {
            key: value
            for key, value in sorted(stats.items())
            if key.startswith(OUTCOME_PREFIXES) and "/site/" not in key
        }
        return {
            "crawl_id": run.crawl_id,
            "sites": sorted(run.sites),
            "mode": run.mode,
            "started_at": self.started,
            "finished_at": utc_now(),
            "finish_reason": reason,
            "succeeded": reason == "finished" and not stats.get("log_count/ERROR"),
            "pages_fetched": int(stats.get("newscrawl/pages/fetched", 0)),
            "articles_written": written,
            "outcomes": outcomes,
            "files": stats.get("output/files", []),
        }

    def spider_closed(self, reason: str) -> None:
        """Write the manifest and close the state file; a spider without a run (``scrapy extract``) has none."""
        run = run_of(self.crawler)
        if run is None:
            return
        manifest = self.manifest(run, reason)
        path = self.output_dir / "runs" / f"{manifest['crawl_id']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("newscrawl/manifest", str(path))
        status = "succeeded" if manifest["succeeded"] else f"failed ({reason})"
        run.ledger.finish(run.crawl_id, status, manifest["articles_written"])
        logger.info(
            "Run %(id)s %(status)s: %(written)d articles written; manifest %(path)s",
            {
                "id": manifest["crawl_id"],
                "status": "succeeded" if manifest["succeeded"] else f"did not succeed ({reason})",
                "written": manifest["articles_written"],
                "path": path,
            },
        )
