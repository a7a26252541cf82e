"""The bundled demo: a static news site (``site/``) served on loopback, and the sites file that names it."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def demo_sites_file() -> Path:
    """The demo's sites file, in a folder on disk (its ``serve`` folder beside it)."""
    return _demo_folder() / "sites.toml"


@functools.cache
def _demo_folder() -> Path:
    """This package's folder; run from a zipped egg (scrapyd), a copy of it, removed at exit."""
    package = resources.files(__name__)
    if isinstance(package, Path):
        return package
    folder = Path(tempfile.mkdtemp(prefix="newscrawl-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    _copy(package, folder)
    return folder


def _copy(source: Traversable, target: Path) -> None:
    for child in source.iterdir():
        if child.is_dir():
            (target / child.name).mkdir()
            _copy(child, target / child.name)
        else:
            (target / child.name).write_bytes(child.read_bytes())
