"""JsonlWriterPipeline: append each article as one JSON line, flushed at once, one file per site and crawl."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import IO, TYPE_CHECKING

from crawler import settings as defaults
from crawler.record import record_dict
from crawler.sites import safe_name

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.items import ArticleRecord


logger = logging.getLogger(__name__)
PART_SUFFIX = ".part"


class JsonlWriterPipeline:
    """Write records to ``OUTPUT_DIR/<site>/<UTC date>/<crawl_id>.jsonl``.

    Each line is flushed when written, so a crash leaves every finished line whole. While the crawl
    runs the file is named ``….jsonl.part``; it is renamed to ``….jsonl`` when the crawl closes, so a
    file without ``.part`` is always complete.
    """

    def __init__(self, crawler: Crawler, output_dir: Path, stats: StatsCollector) -> None:
        self.crawler = crawler
        self.output_dir = output_dir
        self.stats = stats
        self.files: dict[str, IO[str]] = {}
        self.paths: dict[str, Path] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the writer from ``OUTPUT_DIR``."""
        assert crawler.stats is not None
        return cls(crawler, Path(crawler.settings.get("OUTPUT_DIR", defaults.OUTPUT_DIR)), crawler.stats)

    def path_for(self, site: str) -> Path:
        """The final output path of ``site``'s records in this crawl."""
        spider = self.crawler.spider
        crawl_id = safe_name(getattr(spider, "crawl_id", "") or "crawl")
        started = getattr(spider, "crawl_started", None)
        day = started.strftime("%Y-%m-%d") if started else crawl_id[:8]
        return self.output_dir / safe_name(site) / day / f"{crawl_id}.jsonl"

    def _file(self, site: str) -> IO[str]:
        if site not in self.files:
            path = self.path_for(site)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.paths[site] = path
            self.files[site] = path.with_name(path.name + PART_SUFFIX).open("a", encoding="utf-8")
            logger.info("Writing %(site)s articles to %(path)s", {"site": site, "path": path})
        return self.files[site]

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Append the record as one JSON line and flush it; count ``output/written``."""
        out = self._file(item.site)
        out.write(json.dumps(record_dict(item), ensure_ascii=False) + "\n")
        out.flush()
        self.stats.inc_value("output/written")
        self.stats.inc_value(f"output/site/{item.site}/written")
        return item

    def close_spider(self) -> None:
        """Close every file and give it its final name."""
        for site, out in self.files.items():
            out.close()
            path = self.paths[site]
            path.with_name(path.name + PART_SUFFIX).replace(path)
            self.stats.set_value(f"output/site/{site}/file", str(path))
        self.files.clear()
