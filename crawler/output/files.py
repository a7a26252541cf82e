"""Where output files go, and how a file being written is named until it is finished.

Every run writes to ``OUTPUT_DIR/<site>/<UTC date of the run's start>/<crawl id>…``: JSONL records and
WARC archives alike. A file is written as ``<name>.part`` and renamed to ``<name>`` once finished, so a
file without the suffix is always complete; a ``.part`` file is one being written (locked by its writer
with ``flock`` until it is closed), or left by a killed run.
"""

from __future__ import annotations

import fcntl
import re
from datetime import UTC
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

PART_SUFFIX = ".part"
_UNSAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(name: str) -> str:
    """``name`` reduced to characters that are safe in a folder or file name (no ``/``, no ``..``)."""
    cleaned = _UNSAFE_RE.sub("_", name).strip("._")
    return cleaned or "site"


def run_folder(output_dir: Path, site: str, started: datetime) -> Path:
    """The folder of one site's files of a run that started at ``started``."""
    return output_dir / safe_name(site) / started.astimezone(UTC).strftime("%Y-%m-%d")


def part_path(path: Path) -> Path:
    """The name of ``path`` while it is being written."""
    return path.with_name(path.name + PART_SUFFIX)


def finished_path(part: Path) -> Path:
    """The name a ``.part`` file gets once finished."""
    return part.with_name(part.name.removesuffix(PART_SUFFIX))


def unfinished_files(output_dir: Path, site: str) -> list[Path]:
    """The JSONL ``.part`` files in a site's folders, oldest run first."""
    return sorted((output_dir / safe_name(site)).glob(f"*/*.jsonl*{PART_SUFFIX}"))


def being_written(path: Path) -> bool:
    """Whether a live process holds ``path`` open for writing (its writer locks it, see ``lock_for_writing``)."""
    with path.open("rb") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(file, fcntl.LOCK_UN)
    return False


def lock_for_writing(fileno: int) -> None:
    """Mark a file being written as this process's until it is closed: another run leaves it alone."""
    fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
