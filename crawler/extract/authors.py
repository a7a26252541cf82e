"""Authors and the raw byline: gathered from JSON-LD, meta tags and byline lines, cleaned and split."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extract import jsonld
from crawler.extract.byline import split_authors
from crawler.extract.meta import meta_content

if TYPE_CHECKING:
    from crawler.extract.context import PageContext


def select_authors(page: PageContext, bylines: list[str]) -> tuple[list[str], str | None]:
    """``(authors, byline)``: author names in page order (empty rather than wrong) and the raw byline text.

    ``bylines`` are byline lines the body cleanup took out of the article text.
    """
    exclude = (page.site_name or "",)
    byline = bylines[0] if bylines else None
    if byline:
        names = split_authors(byline, exclude=exclude)
        if names:
            return names, byline
    names = jsonld.person_names(page.main.get("author"))
    if names:
        return names, byline
    source = meta_content(page.tree, "author", "article:author", "dc.creator", "parsely-author") or (
        page.document.author if page.document else None
    )
    return split_authors(source or "", exclude=exclude), byline
