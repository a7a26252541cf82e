"""RunRecorder: keeps the crawl state in step with drops, and writes each run's manifest at the end."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from crawler import settings as defaults
from crawler.dates import utc_now
from crawler.drops import ExtractionFailed, NotAnArticle, OutputFailed, TooOld, UnchangedArticle
from crawler.items import ArticlePage
from crawler.run.context import run_of
from crawler.stats import OUTPUT_FILES, PREFIX, SITE_PREFIX, WRITTEN, count

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

    from crawler.run.context import Run

logger = logging.getLogger(__name__)
OUTCOME_PREFIXES = (
    "item_dropped_reasons_count/",
    "newscrawl/errors/",
    "newscrawl/skipped/",
    "newscrawl/pending/",
    "newscrawl/refused/",
    "newscrawl/conditional/",
)
# Drops that say nothing lasting about the page: a later run with another cutoff or luck may write it.
RETRIED = (TooOld, ExtractionFailed)
# What a site that answered nothing did instead, for its line in the log and the manifest.
FAILURE_GROUPS = ("refused", "errors", "blocked_by_site", "skipped")


def run_succeeded(stats: dict[str, Any]) -> bool:
    """Whether a finished run succeeded: closed as ``finished``, no error logged, and every site answered."""
    return (
        stats.get("finish_reason") == "finished"
        and not stats.get("log_count/ERROR")
        and not stats.get(f"{PREFIX}not_reached")
    )


class RunRecorder:
    """Finish the pending entry of every dropped page, and record the run in the state and a manifest.

    The manifest, ``OUTPUT_DIR/runs/<crawl_id>.json``, gives the crawl id, start and end, the close
    reason and whether the run succeeded, counts by outcome, what was left pending and why, the sites that
    answered nothing and why, and the output files. A site answered nothing when no request to it got an
    answer (every one refused, or failed): the run then did not succeed (``newscrawl/not_reached``).
    """

    def __init__(self, crawler: Crawler, output_dir: Path) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.started = utc_now()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Connect to the item-dropped, response-downloaded and spider-closed signals."""
        recorder = cls(crawler, Path(crawler.settings.get("OUTPUT_DIR", defaults.OUTPUT_DIR)))
        crawler.signals.connect(recorder.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(recorder.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def item_dropped(self, item: Any, exception: BaseException) -> None:
        """A dropped page is finished: its pending entry goes; one that gave no article for good is known,
        so that a later run fetches it again only with a reason (``crawler.run.revalidation``), unless the
        crawl followed its links (a section page): that one is read again by every run, conditionally.

        ``item`` is the page as the spider yielded it (Scrapy reports the pipelines' input), not the record.
        """
        run = run_of(self.crawler)
        url = getattr(item, "requested_url", None) or getattr(item, "url", None)
        if run is None or not url or isinstance(exception, OutputFailed):  # unwritten: still pending
            return
        if isinstance(exception, (*RETRIED, UnchangedArticle)) or not isinstance(item, ArticlePage):
            run.ledger.finished(url)  # an unchanged article is known as one (Ledger.unchanged)
        elif isinstance(exception, NotAnArticle) and item.links_followed:
            run.ledger.finished(url)  # a listing whose links the crawl followed: read again by the next run,
            run.ledger.fetched(url, item.site, (item.etag, item.last_modified))  # conditionally
        else:
            run.ledger.no_article(url, item.site, item.listed_date, item.lastmod)

    def response_downloaded(self, request: Request) -> None:
        """A site answered (any status, 304 included): count ``newscrawl/responses`` for it."""
        assert self.crawler.stats is not None
        count(self.crawler.stats, "responses", request.meta.get("site"))

    def not_reached(self, run: Run) -> dict[str, str]:
        """The run's sites that answered no request, each with what became of its requests."""
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        silent = {}
        for site in sorted(run.sites):
            if stats.get(f"{SITE_PREFIX}{site}/responses"):
                continue
            counters = [
                f"{group} {key.rsplit('/', 1)[1]} {value}"
                for group in FAILURE_GROUPS
                for key, value in sorted(stats.items())
                if key.startswith(f"{SITE_PREFIX}{site}/{group}/")
            ]
            if counters:  # a site no request was made to (a re-extraction's) was not missed
                silent[site] = "; ".join(counters)
        return silent

    def manifest(self, run: Run, reason: str, not_reached: dict[str, str]) -> dict[str, Any]:
        """The run's manifest."""
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        written = int(stats.get(PREFIX + WRITTEN, 0))
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
            "succeeded": run_succeeded({**stats, "finish_reason": reason}),
            "pages_fetched": int(stats.get("newscrawl/pages/fetched", 0)),
            "articles_written": written,
            "left_pending": {
                key.removeprefix(f"{PREFIX}pending/"): value
                for key, value in sorted(stats.items())
                if key.startswith(f"{PREFIX}pending/") and value
            },
            "not_reached": not_reached,
            "outcomes": outcomes,
            "files": stats.get(OUTPUT_FILES, []),
        }

    def spider_closed(self, reason: str) -> None:
        """Say which sites answered nothing, write the manifest and close the state file; a spider without
        a run (``scrapy extract``) has none.
        """
        run = run_of(self.crawler)
        if run is None:
            return
        assert self.crawler.stats is not None
        not_reached = self.not_reached(run)
        for site, why in not_reached.items():
            count(self.crawler.stats, "not_reached", site)
            logger.warning(
                "Site %(site)s answered nothing: every request was refused or failed (%(why)s)",
                {"site": site, "why": why},
            )
        manifest = self.manifest(run, reason, not_reached)
        path = self.output_dir / "runs" / f"{manifest['crawl_id']}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
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
