"""JSONL output files: one site's rotating files of a run, and what a killed run's ``.part`` file still holds.

Each line is flushed (and fsynced when asked) as it is written, so a crash or kill leaves every finished
line readable. Files are named ``<crawl id>.jsonl``, then ``<crawl id>-00001.jsonl``… after rotation,
with ``.gz`` when compressed (``crawler.output.files`` gives their folder and the ``.part`` convention).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
from typing import IO, TYPE_CHECKING, Any

from crawler.output.files import PART_SUFFIX, finished_path, lock_for_writing, part_path

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

logger = logging.getLogger(__name__)
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


def salvage(part: Path) -> tuple[list[str], Path]:
    """Keep the whole lines of a killed run's ``.part`` file in ``….interrupted.jsonl[.gz]``; remove the part.

    Returns the lines kept and the file they are in.
    """
    lines = complete_lines(part)
    final = finished_path(part)
    recovered = final.with_name(final.name.replace(".jsonl", INTERRUPTED_MARK + ".jsonl", 1))
    with open_text(recovered, recovered.suffix == ".gz") as out:
        out.writelines(lines)
    part.unlink()
    return lines, recovered


class SiteOutput:
    """The current output file of one site in one run, rotated by size or count of lines."""

    def __init__(self, base: Path, gzipped: bool) -> None:
        self.base = base  # …/<crawl_id>.jsonl
        self.gzipped = gzipped
        self.part = 0
        self.stream: IO[str] | None = None
        self.items = 0
        self.bytes = 0
        self.finished: list[Path] = []

    def path(self) -> Path:
        """The final name of the file being written."""
        name = self.base.stem + (f"-{self.part:05d}" if self.part else "") + ".jsonl"
        return self.base.with_name(name + (".gz" if self.gzipped else ""))

    def write(self, line: str, fsync: bool) -> None:
        """Append one line and flush it (to the disk too with ``fsync``); OSError when it cannot be written."""
        if self.stream is None:
            self.base.parent.mkdir(parents=True, exist_ok=True)
            self.stream = open_text(part_path(self.path()), self.gzipped)
            lock_for_writing(_fileno(self.stream))
        self.stream.write(line)
        self.stream.flush()
        if fsync:
            os.fsync(_fileno(self.stream))
        self.items += 1
        self.bytes += len(line.encode())

    def rotate_if(self, max_items: int, max_bytes: int) -> None:
        """Finish the file once it holds ``max_items`` lines or ``max_bytes`` bytes (0: no limit)."""
        if (max_items and self.items >= max_items) or (max_bytes and self.bytes >= max_bytes):
            self.close()
            self.part += 1

    def close(self) -> None:
        """Finish the file: close it and give it its final name."""
        if self.stream is None:
            return
        self.stream.close()
        self.stream = None
        part_path(self.path()).replace(self.path())
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
            os.truncate(part_path(self.path()), self.bytes)
        part_path(self.path()).replace(self.path())
        self.finished.append(self.path())


def _fileno(stream: IO[str]) -> int:
    """The OS file descriptor under a text stream (under the gzip layer for a gzip stream)."""
    inner = getattr(getattr(stream, "buffer", None), "fileobj", None)
    return int((inner or stream).fileno())


class JsonlFiles:
    """Every site's output file of one run: ``<folder of the site>/<crawl id>.jsonl``, rotated and finished.

    ``folder`` gives a site's folder (``crawler.output.files.run_folder``); lines are flushed, and fsynced
    with ``fsync``, as they are written.
    """

    def __init__(
        self,
        folder: Callable[[str], Path],
        crawl_id: str,
        *,
        gzipped: bool = False,
        fsync: bool = True,
        rotate_items: int = 0,
        rotate_bytes: int = 0,
    ) -> None:
        self.folder = folder
        self.crawl_id = crawl_id
        self.gzipped = gzipped
        self.fsync = fsync
        self.rotate_items = rotate_items
        self.rotate_bytes = rotate_bytes
        self.outputs: dict[str, SiteOutput] = {}

    def output(self, site: str) -> SiteOutput:
        """The site's output, opened with its first line."""
        output = self.outputs.get(site)
        if output is None:
            output = self.outputs[site] = SiteOutput(
                self.folder(site) / f"{self.crawl_id}.jsonl", self.gzipped
            )
            logger.info("Writing %(site)s articles to %(path)s", {"site": site, "path": output.path()})
        return output

    def write(self, site: str, record: dict[str, Any]) -> None:
        """Append ``record`` as one JSON line of ``site``'s file, durable once this returns.

        OSError when it cannot be written: the file is then cut back to its last whole line and finished.
        """
        output = self.output(site)
        try:
            output.write(json.dumps(record, ensure_ascii=False) + "\n", self.fsync)
        except OSError:
            output.close_after_failed_write()
            raise

    def rotate_if_full(self, site: str) -> None:
        """Finish ``site``'s file once it is full (``rotate_items``, ``rotate_bytes``); the next line opens one."""
        self.output(site).rotate_if(self.rotate_items, self.rotate_bytes)

    def close(self) -> list[Path]:
        """Finish every file; the finished files, in order."""
        files: list[Path] = []
        for output in self.outputs.values():
            output.close()
            files.extend(output.finished)
        self.outputs.clear()
        return files
