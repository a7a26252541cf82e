"""JsonlWriterPipeline: append each article as one JSON line, made durable at once, then mark it seen."""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

from scrapy.utils.defer import deferred_from_coro

from crawler import settings as defaults
from crawler.config import ConfigError
from crawler.dates import utc_now
from crawler.drops import OutputFailed
from crawler.items import record_dict
from crawler.run.distributed import frontier_of
from crawler.run.sites import safe_name
from crawler.store import crawl_state_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from twisted.internet.defer import Deferred

    from crawler.items import ArticleRecord
    from crawler.store import StateStore

logger = logging.getLogger(__name__)
PART_SUFFIX = ".part"
INTERRUPTED_MARK = ".interrupted"


def open_text(path: Path, gzipped: bool) -> IO[str]:
    """Open ``path`` for appending text, gzip-compressed or not."""
    if gzipped:
        return gzip.open(path, "at", encoding="utf-8")
    return path.open("a", encoding="utf-8")


def complete_lines(path: Path) -> list[str]:
    """The whole JSON lines of a possibly truncated JSONL (or gzip JSONL) file; a torn last line is left out."""
    opener = gzip.open if path.name.endswith(".gz" + PART_SUFFIX) or path.suffix == ".gz" else open
    lines: list[str] = []
    try:
        with opener(path, "rt", encoding="utf-8") as stream:
            for line in stream:
                if not line.endswith("\n"):
                    break
                try:
                    json.loads(line)
                except ValueError:
                    break
                lines.append(line)
    except (EOFError, OSError) as error:  # a gzip stream cut short ends here
        logger.debug(
            "Read %(n)d lines of %(path)s before %(error)s", {"n": len(lines), "path": path, "error": error}
        )
    return lines


class _SiteOutput:
    """The current output file of one site, with rotation by size or count."""

    def __init__(self, base: Path, gzipped: bool) -> None:
        self.base = base  # …/<crawl_id>.jsonl
        self.gzipped = gzipped
        self.part = 0
        self.stream: IO[str] | None = None
        self.items = 0
        self.bytes = 0
        self.finished: list[Path] = []

    def path(self) -> Path:
        name = self.base.stem + (f"-{self.part:05d}" if self.part else "") + ".jsonl"
        return self.base.with_name(name + (".gz" if self.gzipped else ""))

    def write(self, line: str, fsync: bool) -> None:
        if self.stream is None:
            self.base.parent.mkdir(parents=True, exist_ok=True)
            self.stream = open_text(_part(self.path()), self.gzipped)
        self.stream.write(line)
        self.stream.flush()
        if fsync:
            os.fsync(_fileno(self.stream))
        self.items += 1
        self.bytes += len(line.encode())

    def rotate_if(self, max_items: int, max_bytes: int) -> None:
        if (max_items and self.items >= max_items) or (max_bytes and self.bytes >= max_bytes):
            self.close()
            self.part += 1

    def close(self) -> None:
        if self.stream is None:
            return
        self.stream.close()
        self.stream = None
        _part(self.path()).replace(self.path())
        self.finished.append(self.path())
        self.items = self.bytes = 0

    def close_after_failed_write(self) -> None:
        """Close after a write failed: the file is cut back to its last whole line, then finished as usual."""
        if self.stream is None:
            return
        with contextlib.suppress(OSError):  # flushing what is buffered fails again
            self.stream.close()
        self.stream = None
        if not self.gzipped:  # a gzip file's torn end is skipped by readers (complete_lines)
            os.truncate(_part(self.path()), self.bytes)
        _part(self.path()).replace(self.path())
        self.finished.append(self.path())


def _part(path: Path) -> Path:
    return path.with_name(path.name + PART_SUFFIX)


def _fileno(stream: IO[str]) -> int:
    """The OS file descriptor under a text stream (under the gzip layer for a gzip stream)."""
    inner = getattr(getattr(stream, "buffer", None), "fileobj", None)
    return int((inner or stream).fileno())


class JsonlWriterPipeline:
    """Write records to ``OUTPUT_DIR/<site>/<UTC date>/<crawl_id>.jsonl`` (``.jsonl.gz`` with ``OUTPUT_GZIP``).

    Each line is flushed (and fsynced, ``OUTPUT_FSYNC``) before the crawl state marks the article
    seen, so state and output agree. While written, a file is named ``….part``; it gets its final
    name when the crawl closes or the file rotates (``OUTPUT_ROTATE_ITEMS``, ``OUTPUT_ROTATE_BYTES``).
    A ``.part`` file left by a killed crawl is recovered at the next start: its whole lines are kept,
    their articles marked seen, and it is renamed ``….interrupted.jsonl``.
    """

    def __init__(
        self,
        crawler: Crawler,
        output_dir: Path,
        stats: StatsCollector,
        *,
        gzipped: bool = False,
        fsync: bool = True,
        rotate_items: int = 0,
        rotate_bytes: int = 0,
    ) -> None:
        if rotate_items < 0 or rotate_bytes < 0:
            raise ConfigError(
                "settings OUTPUT_ROTATE_ITEMS and OUTPUT_ROTATE_BYTES: expected numbers >= 0 (0: no rotation)"
            )
        self.crawler = crawler
        self.output_dir = output_dir
        self.stats = stats
        self.gzipped = gzipped
        self.fsync = fsync
        self.rotate_items = rotate_items
        self.rotate_bytes = rotate_bytes
        self.outputs: dict[str, _SiteOutput] = {}
        self.write_error: str | None = None
        self.closing: Deferred[None] | None = None  # the close a write error started, kept referenced

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build the writer from the ``OUTPUT_*`` settings."""
        assert crawler.stats is not None
        s = crawler.settings
        return cls(
            crawler,
            Path(s.get("OUTPUT_DIR", defaults.OUTPUT_DIR)),
            crawler.stats,
            gzipped=s.getbool("OUTPUT_GZIP", defaults.OUTPUT_GZIP),
            fsync=s.getbool("OUTPUT_FSYNC", defaults.OUTPUT_FSYNC),
            rotate_items=s.getint("OUTPUT_ROTATE_ITEMS", defaults.OUTPUT_ROTATE_ITEMS),
            rotate_bytes=s.getint("OUTPUT_ROTATE_BYTES", defaults.OUTPUT_ROTATE_BYTES),
        )

    def _state(self) -> StateStore | None:
        return crawl_state_of(self.crawler)

    def path_for(self, site: str) -> Path:
        """The base output path of ``site``'s records in this crawl (before rotation numbering and gzip)."""
        spider = self.crawler.spider
        crawl_id = safe_name(getattr(spider, "crawl_id", "") or "crawl")
        started = getattr(spider, "crawl_started", None)
        day = started.strftime("%Y-%m-%d") if started else crawl_id[:8]
        return self.output_dir / safe_name(site) / day / f"{crawl_id}.jsonl"

    def open_spider(self) -> None:
        """Recover the output files a killed crawl of the same sites left behind."""
        sites = getattr(self.crawler.spider, "sites", {}) or {}
        for site in sites:
            for part in sorted((self.output_dir / safe_name(site)).glob(f"*/*{PART_SUFFIX}")):
                self._recover(part, site)

    def _recover(self, part: Path, site: str) -> None:
        lines = complete_lines(part)
        state = self._state()
        now = utc_now()
        for line in lines:
            record = json.loads(line)
            if state is not None and state.article(record["canonical_url"]) is None:
                state.record_article(record, site, now)
        final = part.with_name(part.name.removesuffix(PART_SUFFIX))
        name = final.name.replace(".jsonl", INTERRUPTED_MARK + ".jsonl", 1)
        recovered = final.with_name(name)
        with open_text(recovered, recovered.suffix == ".gz") as out:
            out.writelines(lines)
        part.unlink()
        self.stats.inc_value("output/recovered_lines", len(lines))
        logger.warning(
            "Recovered %(n)d whole lines of an interrupted crawl's output into %(path)s",
            {"n": len(lines), "path": recovered},
        )

    def process_item(self, item: ArticleRecord) -> ArticleRecord:
        """Append the record as one JSON line and make it durable, then mark it seen; count ``output/written``."""
        output = self.outputs.get(item.site)
        if output is None:
            output = self.outputs[item.site] = _SiteOutput(self.path_for(item.site), self.gzipped)
            logger.info("Writing %(site)s articles to %(path)s", {"site": item.site, "path": output.path()})
        if self.write_error is None:
            try:
                output.write(json.dumps(record_dict(item), ensure_ascii=False) + "\n", self.fsync)
            except OSError as error:
                self._stop(error, output.path())
                output.close_after_failed_write()
        if self.write_error is not None:  # this write failed, or an earlier one stopped the crawl
            raise OutputFailed(f"Not written (the output failed: {self.write_error}): {item.url}")
        self._mark_seen(item)
        output.rotate_if(self.rotate_items, self.rotate_bytes)
        self.stats.inc_value("output/written")
        self.stats.inc_value(f"output/site/{item.site}/written")
        return item

    def _stop(self, error: OSError, path: Path) -> None:
        """The output cannot be written (disk full, folder gone…): stop the crawl; the page stays pending."""
        self.write_error = os.strerror(error.errno) if error.errno else str(error)
        self.stats.inc_value("output/errors")
        logger.error(
            "Cannot write %(path)s (%(error)s): stopping the crawl; unwritten articles stay pending for the next run",
            {"path": path, "error": self.write_error},
        )
        self.closing = deferred_from_coro(self.crawler.engine.close_spider_async(reason="output_error"))

    def _mark_seen(self, item: ArticleRecord) -> None:
        frontier = frontier_of(self.crawler)
        if frontier is not None:  # no other worker may write it again, even if this one dies now
            frontier.settle({"url": item.canonical_url, "content": item.content_hash})
        state = self._state()
        if state is None:
            return
        now = utc_now()
        state.record_article(record_dict(item), item.site, now, item.etag, item.last_modified)
        if item.etag or item.last_modified:
            state.save_validators(
                item.requested_url or item.url, item.site, (item.etag, item.last_modified), now
            )
        state.finish_pending(item.requested_url or item.url)

    def close_spider(self) -> None:
        """Close every file and give it its final name; list the files in the ``output/files`` stat."""
        files: list[str] = []
        for output in self.outputs.values():
            output.close()
            files.extend(str(path) for path in output.finished)
        self.stats.set_value("output/files", files)
        self.outputs.clear()
