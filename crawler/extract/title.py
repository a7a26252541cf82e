"""The article's headline: from the page's own ``<h1>``, JSON-LD ``headline`` or ``og:title``, without site names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from crawler.extract import jsonld
from crawler.extract.meta import meta_content

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from crawler.extract.context import PageContext

TITLE_SEPARATORS_RE = re.compile(r"\s+[|\-–—:·•»]\s+")


def clean_title(title: str | None, site_name: str | None) -> str | None:
    """The headline without the site name glued before or after it (" | Site", "Site - ")."""
    if not title:
        return None
    title = re.sub(r"\s+", " ", title).strip()
    parts = TITLE_SEPARATORS_RE.split(title)
    if len(parts) > 1:
        site = (site_name or "").casefold()
        kept = [part for part in parts if part.casefold() != site]
        if len(kept) == len(parts) and len(parts[0].split()) >= 3:
            kept = [parts[0]]  # "Headline | Section | Site": keep the long first part
        title = " - ".join(kept) if kept else title
    return title or None


def first_h1(tree: HtmlElement) -> str | None:
    """Text of the first non-empty ``<h1>``."""
    for h1 in tree.iterfind(".//h1"):
        text = " ".join(h1.text_content().split())
        if text:
            return text
    return None


def select_title(page: PageContext) -> str | None:
    """The article's headline."""
    raw = (
        jsonld.text_value(page.main.get("headline"))
        or first_h1(page.tree)
        or meta_content(page.tree, "og:title", "twitter:title")
        or (page.document.title if page.document else None)
    )
    return clean_title(raw, page.site_name)
