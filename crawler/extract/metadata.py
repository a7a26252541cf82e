"""trafilatura's metadata of a page, each part read on first use.

trafilatura's ``extract_metadata`` reads every part on every page: its author search, htmldate's
extensive date search, categories, tags and licence. Extraction asks for most of them only as a last
resort, when the page's JSON-LD, meta tags and headline area say nothing, so here each part is read
when first asked for, with the same trafilatura and htmldate functions and the same clean-up.
"""

from __future__ import annotations

import logging
from functools import cached_property
from html import unescape
from typing import TYPE_CHECKING

from htmldate import find_date
from trafilatura.metadata import (
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.utils import line_processing

if TYPE_CHECKING:
    from datetime import datetime

    from lxml.html import HtmlElement
    from trafilatura.settings import Document

logger = logging.getLogger(__name__)

MAX_CHARS = 10_000  # trafilatura's limit on a metadata value


def _tidy(value: str | None) -> str | None:
    """A metadata value as trafilatura leaves it: entities decoded, spaces and control characters trimmed."""
    if not value:
        return None
    if len(value) > MAX_CHARS:
        value = value[: MAX_CHARS - 1] + "…"
    return line_processing(unescape(value)) or None


class PageMetadata:
    """What trafilatura and htmldate read of a page's metadata: title, author, date, site name, tags."""

    def __init__(self, tree: HtmlElement, url: str, fetched: datetime) -> None:
        self._tree = tree
        self._url = url
        self._fetched = fetched

    @cached_property
    def _declared(self) -> Document:
        """The page's meta tags and JSON-LD as trafilatura reads them (a one-word author is no author)."""
        declared = examine_meta(self._tree)
        if declared.author and " " not in declared.author:
            declared.author = None
        try:
            return extract_meta_json(self._tree, declared)
        except Exception as error:  # noqa: BLE001  (trafilatura's JSON-LD reader fails on odd objects)
            logger.debug("trafilatura could not read the JSON-LD metadata: %s", error)
            return declared

    @cached_property
    def title(self) -> str | None:
        """The declared title, else trafilatura's title of the page."""
        return _tidy(self._declared.title or extract_title(self._tree))

    @cached_property
    def description(self) -> str | None:
        """The declared description."""
        return _tidy(self._declared.description)

    @cached_property
    def author(self) -> str | None:
        """The declared authors, else those trafilatura's byline search finds; several are ``;``-separated."""
        return _tidy(self._declared.author or extract_author(self._tree))

    @cached_property
    def date(self) -> str | None:
        """htmldate's publication date of the page (extensive search, never after the fetch)."""
        url = self._declared.url or extract_url(self._tree, self._url)
        return find_date(
            self._tree,
            url=url,
            extensive_search=True,
            original_date=True,
            max_date=self._fetched.date().isoformat(),
        )

    @cached_property
    def sitename(self) -> str | None:
        """The declared site name, else the one trafilatura reads from the page, as trafilatura tidies it."""
        name = (_tidy(self._declared.sitename or extract_sitename(self._tree)) or "").lstrip("@")
        if name and "." not in name and not name[0].isupper():
            name = name.title()
        return name or None

    @cached_property
    def tags(self) -> list[str]:
        """The declared tags, else the page's tag links."""
        return list(self._declared.tags or extract_catstags("tag", self._tree))
