"""The article's title: the headline as its heading writes it, else a metadata title without the site's names.

The heading is found by :mod:`crawler.extract.headline`. Without one, the first metadata title (JSON-LD
``headline``, ``og:title``, ``twitter:title``, ``<title>``) is taken without the parts that name the site.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.extract.headline import metadata_titles
from crawler.extract.sitenames import strip_site
from crawler.page.text import normalise

if TYPE_CHECKING:
    from crawler.extract.context import PageContext
    from crawler.extract.sitenames import SiteNames


def clean_title(title: str | None, site: SiteNames) -> str | None:
    """The headline in a metadata title: entities decoded, without the site name (" | Site", "Site: ")."""
    text = normalise(title)
    return strip_site(text, site) if text else None


def select_title(page: PageContext) -> str | None:
    """The article's headline: its heading's text (see :func:`~crawler.extract.headline.find_headline`), else
    the first metadata title without the site's name, else trafilatura's title.
    """
    headline = page.headline
    if headline.text is not None:
        return headline.text
    for title in metadata_titles(page):
        if cleaned := clean_title(title, headline.site):
            return cleaned
    return normalise(page.metadata.title) or None
