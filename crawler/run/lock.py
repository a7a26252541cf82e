"""One run at a time per site and output folder: a lock file per site, held until the run's process ends.

Cron may start tonight's run while last night's is still going. Both would write ``OUTPUT_DIR/<site>/``
and share the crawl state: the second would take the first's ``.part`` file for a killed run's. So a run
takes ``OUTPUT_DIR/.locks/<site>.lock`` for each of its sites with ``fcntl.flock``: the kernel releases it
when the process ends, however it ends, so a lock is never stale. A second run refuses at once
(:class:`RunLocked`, exit status 75), or waits up to ``RUN_LOCK_WAIT`` seconds for the first to finish.
Workers of a distributed crawl (``REDIS_URL``) are one run and take no lock.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from typing import IO, TYPE_CHECKING

from crawler.config import ConfigError
from crawler.output.files import safe_name

if TYPE_CHECKING:
    from pathlib import Path

logger = logging.getLogger(__name__)

LOCK_FOLDER = ".locks"
POLL_SECONDS = 0.5


class RunLocked(Exception):
    """Another live run holds the lock of a site this run would crawl."""


class SiteLocks:
    """The locks a run holds on its sites' output folders."""

    def __init__(self, files: list[IO[str]]) -> None:
        self.files = files

    @classmethod
    def acquire(cls, output_dir: Path, sites: list[str], crawl_id: str, wait: float) -> SiteLocks:
        """Lock every site, waiting up to ``wait`` seconds for a run that holds one; ``RunLocked`` after that.

        ``ConfigError`` when a lock file cannot be created.
        """
        locks = cls([])
        try:
            for site in sorted(sites):
                path = output_dir / LOCK_FOLDER / f"{safe_name(site)}.lock"
                try:
                    locks.files.append(_lock(path, site, crawl_id, wait))
                except OSError as error:
                    raise ConfigError(
                        f"setting OUTPUT_DIR: cannot create the lock file {path} ({error.strerror or error}); "
                        "expected a folder this user can create and write"
                    ) from error
        except BaseException:
            locks.release()
            raise
        return locks

    def release(self) -> None:
        """Let other runs crawl these sites."""
        for file in self.files:
            fcntl.flock(file, fcntl.LOCK_UN)
            file.close()
        self.files.clear()


def _lock(path: Path, site: str, crawl_id: str, wait: float) -> IO[str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    file = path.open("a+", encoding="utf-8")
    deadline = time.monotonic() + wait
    logged = False
    while True:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _holder(file)
            if time.monotonic() >= deadline:
                file.close()
                waited = f"after waiting {wait:g} s (RUN_LOCK_WAIT)" if wait else "(RUN_LOCK_WAIT=0)"
                raise RunLocked(
                    f"site {site} is being crawled by another run ({holder}) with the same OUTPUT_DIR ({path}); "
                    f"not started {waited}; a later run continues where that one stops"
                ) from None
            if not logged:
                logger.warning(
                    "Site %(site)s is being crawled by another run (%(holder)s): waiting up to %(wait)g s "
                    "(RUN_LOCK_WAIT)",
                    {"site": site, "holder": holder, "wait": wait},
                )
                logged = True
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
    file.seek(0)
    file.truncate()
    file.write(f"pid {os.getpid()}, crawl {crawl_id}\n")
    file.flush()
    return file


def _holder(file: IO[str]) -> str:
    """What the holder of a lock file wrote in it: its process id and crawl id."""
    file.seek(0)
    return file.read().strip() or "unknown"
