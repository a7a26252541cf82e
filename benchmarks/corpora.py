"""The annotated corpora beside the repository, read page by page, each page in its tuning or validation part.

- ``../shared/devset``: 990 pages, annotations in ``evaldata.json`` keyed by URL;
- ``../shared/wcxb-dev``: 1,358 pages of seven types, ``ground-truth/<id>.json`` with the URL;
- ``../shared/readability``: 130 pages, ``pages/<name>/``, no URL recorded (the page's canonical or
  ``og:url`` is used, else ``https://<name>.example/article``): validation only.

A page of the devset or wcxb-dev is in the **validation** part when the SHA-256 of its URL, read as
a number, is divisible by 4; else in the **tuning** part. Rules are developed on tuning pages only; the
validation part is looked at only in aggregate, as the evidence that a rule holds on pages nobody
tuned it on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import html as lxml_html

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
DEVSET = SHARED / "devset"
WCXB = SHARED / "wcxb-dev"
READABILITY = SHARED / "readability"

TUNING, VALIDATION = "tuning", "validation"
PARTS = (TUNING, VALIDATION)
VALIDATION_MODULUS = 4


def part_of(url: str) -> str:
    """The part a devset or wcxb-dev page belongs to, by the hash of its URL."""
    digest = int(hashlib.sha256(url.encode("utf-8")).hexdigest(), 16)
    return VALIDATION if digest % VALIDATION_MODULUS == 0 else TUNING


@dataclass(frozen=True)
class Page:
    """One annotated page: its corpus, its name there, its URL, part and annotation, and where its HTML is."""

    corpus: str
    ref: str
    url: str
    part: str
    path: Path
    annotation: dict[str, Any]

    @cached_property
    def html(self) -> bytes:
        """The page's bytes as saved."""
        return gzip.decompress(self.path.read_bytes())


def devset_pages(root: Path = DEVSET) -> Iterator[Page]:
    """The devset's pages, in the order of ``evaldata.json``."""
    annotations: dict[str, dict[str, Any]] = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    for url, annotation in annotations.items():
        path = root / "html" / f"{annotation['file']}.gz"
        yield Page("devset", annotation["file"], url, part_of(url), path, annotation)


def wcxb_pages(root: Path = WCXB, types: tuple[str, ...] = ("article",)) -> Iterator[Page]:
    """wcxb-dev's pages of the page ``types`` (its articles by default), in the order of their ids."""
    for truth in sorted((root / "ground-truth").glob("*.json")):
        data = json.loads(truth.read_text(encoding="utf-8"))
        if data["_internal"]["page_type"]["primary"] not in types:
            continue
        url = data["url"]
        path = root / "html" / f"{truth.stem}.html.gz"
        yield Page("wcxb", truth.stem, url, part_of(url), path, data["ground_truth"])


def readability_url(name: str, html: bytes) -> str:
    """The page's own canonical URL or ``og:url`` when it gives an absolute one, else a stand-in."""
    tree = lxml_html.fromstring(html)
    for value in (
        *tree.xpath("//link[contains(concat(' ', @rel, ' '), ' canonical ')]/@href"),
        *tree.xpath("//meta[@property='og:url']/@content"),
    ):
        if str(value).startswith(("http://", "https://")):
            return str(value).strip()
    return f"https://{name}.example/article"


def readability_pages(root: Path = READABILITY) -> Iterator[Page]:
    """Readability's test pages, by name; every one is in the validation part."""
    for folder in sorted(path for path in (root / "pages").iterdir() if path.is_dir()):
        metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        path = folder / "source.html.gz"
        url = readability_url(folder.name, gzip.decompress(path.read_bytes()))
        yield Page("readability", folder.name, url, VALIDATION, path, metadata)
