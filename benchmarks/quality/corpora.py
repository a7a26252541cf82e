"""The corpora of the quality gate, as pages with their labels, each in a tuning or a validation part.

- ``devset`` (``../shared/devset``): 990 annotated pages (body segments, author, date, title), all articles.
- ``wcxb`` (``../shared/wcxb-dev``): 1,358 pages of seven types (711 articles; listing, collection,
  product, forum, service and documentation pages), with title, author, date and main text.
- ``readability`` (``../shared/readability``): Mozilla Readability's 130 test pages (8 are not articles),
  with the expected article HTML, title, byline, language and publication time. Validation only.
- ``sites``: the pages of the bundled sites (``crawler/demo/site``, ``tests/site``), labelled article or
  listing/service in ``benchmarks/bundled_pages.json``: what the crawl meets on a site.

A devset or WCXB page is in the validation part when the SHA-256 of its URL is divisible by 4, else in
the tuning part: rules are developed on the tuning part only, and the validation part says whether they
hold on pages they were not written for.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import lxml.html

from crawler.page.meta import link_href, meta_content
from crawler.page.text import element_text

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
SHARED = REPO_ROOT.parent / "shared"
BUNDLED_PAGES = REPO_ROOT / "benchmarks" / "bundled_pages.json"
BUNDLED_ORIGIN = "https://demo.newscrawl.invalid"

TUNING, VALIDATION, BUNDLED = "tuning", "validation", "bundled"
PARTS = (TUNING, VALIDATION)
ARTICLE = "article"

DEVSET, WCXB, READABILITY, SITES = "devset", "wcxb", "readability", "sites"
CORPORA = (DEVSET, WCXB, READABILITY, SITES)
# Where each corpus is found: its folder under ../shared, the environment variable that overrides it,
# and the file that must exist in it.
LOCATIONS = {
    DEVSET: ("devset", "NEWSCRAWL_DEVSET", "evaldata.json"),
    WCXB: ("wcxb-dev", "NEWSCRAWL_WCXB", "ground-truth"),
    READABILITY: ("readability", "NEWSCRAWL_READABILITY", "pages"),
}
DEVSET_ENV = LOCATIONS[DEVSET][1]
DEFAULT_DEVSET = SHARED / LOCATIONS[DEVSET][0]


def part_of(url: str) -> str:
    """The part a page of a split corpus belongs to: validation when SHA-256(url) is divisible by 4."""
    return VALIDATION if int(hashlib.sha256(url.encode("utf-8")).hexdigest(), 16) % 4 == 0 else TUNING


@dataclass(frozen=True)
class Page:
    """One labelled page of a corpus; its HTML is read on demand (``html()``), in whichever process scores it."""

    corpus: str
    key: str
    url: str
    part: str
    page_type: str
    path: Path
    labels: dict[str, Any] = field(default_factory=dict)

    def html(self) -> bytes:
        """The page's bytes, as saved."""
        data = self.path.read_bytes()
        return gzip.decompress(data) if self.path.suffix == ".gz" else data

    @property
    def is_article(self) -> bool:
        """Whether the page is an article, which extraction must keep."""
        return self.page_type == ARTICLE


def resolve(corpus: str, cli_value: str | None = None) -> Path:
    """A corpus folder: the command line's, else its environment variable's, else ``../shared/<folder>``."""
    folder, env, _ = LOCATIONS[corpus]
    if cli_value:
        return Path(cli_value)
    if value := os.environ.get(env):
        return Path(value)
    return SHARED / folder


def resolve_devset(cli_value: str | None) -> Path:
    """The devset folder: ``--devset``, else ``$NEWSCRAWL_DEVSET``, else ``../shared/devset``."""
    return resolve(DEVSET, cli_value)


def available(corpus: str, folder: Path) -> bool:
    """Whether the corpus is present in ``folder``."""
    return corpus == SITES or (folder / LOCATIONS[corpus][2]).exists()


def devset_pages(folder: Path) -> Iterator[Page]:
    """The devset's pages: all articles, labelled with body segments, author, date and title."""
    annotations: dict[str, dict[str, Any]] = json.loads(
        (folder / "evaldata.json").read_text(encoding="utf-8")
    )
    for url, annotation in annotations.items():
        labels = {key: annotation.get(key) for key in ("with", "without", "author", "date", "title")}
        yield Page(
            DEVSET,
            annotation["file"],
            url,
            part_of(url),
            ARTICLE,
            folder / "html" / f"{annotation['file']}.gz",
            labels,
        )


def wcxb_pages(folder: Path) -> Iterator[Page]:
    """WCXB's pages, of seven types, labelled with title, author, date, main text and snippets."""
    for path in sorted((folder / "ground-truth").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        truth = data["ground_truth"]
        labels = {
            "title": truth.get("title"),
            "authors": truth.get("author"),
            "date": truth.get("publish_date"),
            "main_content": truth.get("main_content") or "",
            "with": truth.get("with") or [],
            "without": truth.get("without") or [],
        }
        page_type = data["_internal"]["page_type"]["primary"]
        url = data["url"]
        yield Page(
            WCXB, path.stem, url, part_of(url), page_type, folder / "html" / f"{path.stem}.html.gz", labels
        )


def _readability_url(name: str, source: bytes) -> str:
    """The page's own URL (``rel=canonical``, ``og:url``) when absolute, else ``https://<name>.example/article``."""
    tree = lxml.html.fromstring(source)
    for candidate in (link_href(tree, "canonical"), meta_content(tree, "og:url")):
        if candidate and candidate.startswith(("http://", "https://")):
            return candidate
    return f"https://{name}.example/article"


def readability_pages(folder: Path) -> Iterator[Page]:
    """Readability's test pages (validation only), labelled with title, byline, date, language and text."""
    for directory in sorted(path for path in (folder / "pages").iterdir() if path.is_dir()):
        metadata = json.loads((directory / "expected-metadata.json").read_text(encoding="utf-8"))
        source = directory / "source.html.gz"
        expected = lxml.html.fromstring(gzip.decompress((directory / "expected.html.gz").read_bytes()))
        labels = {
            "title": metadata.get("title"),
            "byline": metadata.get("byline"),
            "date": (metadata.get("publishedTime") or "")[:10] or None,
            "lang": metadata.get("lang"),
            "main_content": element_text(expected, " "),
        }
        page_type = ARTICLE if metadata.get("readerable", True) else "not readerable"
        url = _readability_url(directory.name, gzip.decompress(source.read_bytes()))
        yield Page(READABILITY, directory.name, url, VALIDATION, page_type, source, labels)


def bundled_pages() -> Iterator[Page]:
    """The bundled sites' pages as the crawl meets them: their articles and their listing and service pages."""
    sites: dict[str, dict[str, str]] = json.loads(BUNDLED_PAGES.read_text(encoding="utf-8"))
    for site, pages in sites.items():
        for path, page_type in pages.items():
            url = f"{BUNDLED_ORIGIN}/{path.removesuffix('index.html')}"
            yield Page(SITES, f"{site}/{path}", url, BUNDLED, page_type, REPO_ROOT / site / path)


def load(corpus: str, folder: Path) -> list[Page]:
    """Every page of a corpus."""
    if corpus == DEVSET:
        return list(devset_pages(folder))
    if corpus == WCXB:
        return list(wcxb_pages(folder))
    if corpus == READABILITY:
        return list(readability_pages(folder))
    return list(bundled_pages())
