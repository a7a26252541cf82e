"""A parsed page: what every extraction step may read of it, before anything is found in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime

    from lxml.html import HtmlElement
    from trafilatura.settings import Document

    from crawler.extract.metadata import PageMetadata


@dataclass(frozen=True)
class ParsedPage:
    """One parsed page. ``tree`` is never modified; ``document`` is trafilatura's extraction of its text,
    ``metadata`` what trafilatura and htmldate read of its metadata (each part on first use).
    """

    tree: HtmlElement
    url: str
    canonical_url: str
    jsonld: list[dict[str, Any]]
    main: dict[str, Any]  # the JSON-LD object of the page's own article; empty when there is none
    site_name: str | None
    fetched: datetime
    document: Document | None
    metadata: PageMetadata
    # Every element of ``tree``, held while the page is: lxml.html builds an element's Python object anew,
    # looking up its class in Python, each time a walk reaches an element nobody holds; held, each is built once.
    held: tuple[HtmlElement, ...] = field(default=(), repr=False, compare=False)
