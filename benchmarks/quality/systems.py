"""The two systems the gate compares, run the same way on the same bytes.

1. newscrawl: ``crawler.extract.extract_page(html, url)``; the page is kept when it is an article with a
   body, as ``extract_article`` keeps it. A page that is not kept (or an exception) counts as an empty
   title, body, author list, date and language.
2. bare trafilatura 2.x: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)`` with its
   defaults; a page is kept when it gives a text.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from benchmarks.quality.corpora import Page

OURS, TRAFILATURA = "newscrawl", "trafilatura"
_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "crawler")
_WARM_UP_PAGE = (
    b"<html lang=en><head><title>Warm-up</title></head><body><article><h1>Warm-up</h1>"
    + b"<p>A paragraph of text that both systems read before any page is timed.</p>" * 5
    + b"</article></body></html>"
)


@dataclass
class Extracted:
    """The fields one system produced for one page (empty when it kept nothing)."""

    kept: bool = False
    title: str | None = None
    body: str = ""
    authors: list[str] = field(default_factory=list)
    author_string: str | None = None  # trafilatura's own "A; B", compared as is for the exact metric
    date: str | None = None
    language: str | None = None
    seconds: float = 0.0
    error: str | None = None


def run_ours(html: bytes, url: str) -> Extracted:
    """Run newscrawl's ``extract_page``; keep what ``extract_article`` would return."""
    from crawler.extract import extract_page

    page = extract_page(html, url)
    if page is None or not page.is_article or not page.body:
        return Extracted()
    return Extracted(
        kept=True,
        title=page.title,
        body=page.body,
        authors=list(page.authors),
        date=page.date_published,
        language=page.language,
    )


def run_trafilatura(html: bytes, url: str) -> Extracted:
    """Run bare trafilatura with its defaults (metadata on) and keep the fields scored."""
    from trafilatura import bare_extraction

    document = bare_extraction(html, url=url, with_metadata=True)
    if document is None or not document.text:
        return Extracted()
    return Extracted(
        kept=True,
        title=document.title,
        body=document.text,
        authors=[name.strip() for name in (document.author or "").split(";") if name.strip()],
        author_string=document.author or "",
        date=document.date,
    )


RUNNERS: dict[str, Callable[[bytes, str], Extracted]] = {OURS: run_ours, TRAFILATURA: run_trafilatura}


def timed(system: str, html: bytes, url: str) -> Extracted:
    """Run one system on one page, timed; a crash counts as an empty extraction."""
    start = time.perf_counter()
    try:
        result = RUNNERS[system](html, url)
    except Exception as error:  # noqa: BLE001 - a crash counts as an empty extraction
        result = Extracted(error=f"{type(error).__name__}: {error}")
    result.seconds = time.perf_counter() - start
    return result


def extract(task: tuple[Page, tuple[str, ...]]) -> dict[str, Extracted]:
    """Run the systems named in ``task`` on its page: what a worker process does for one page."""
    page, systems = task
    html = page.html()
    return {system: timed(system, html, page.url) for system in systems}


def prepare() -> None:
    """Silence the extractors' loggers (pages are noisy) and warm both systems up on a small page, so that
    no page's time includes imports and first-call set-up: what each worker process does first.
    """
    for name in _LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    for system in RUNNERS:
        timed(system, _WARM_UP_PAGE, "https://example.org/2024/01/02/warm-up")


@contextmanager
def quiet() -> Iterator[None]:
    """Silence the extractors' loggers while the gate runs in this process; restore them afterwards."""
    saved: dict[str, Any] = {name: logging.getLogger(name).level for name in _LOGGERS}
    prepare()
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
