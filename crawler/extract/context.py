"""What every extraction step may read about one page: the parsed page, its site's names and its headline."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from crawler.extract.headline import Headline, find_headline
from crawler.extract.parsed import ParsedPage
from crawler.extract.sitenames import SiteNames, site_names
from crawler.page.text import link_texts


@dataclass(frozen=True)
class PageContext(ParsedPage):
    """One parsed page, with what several steps read found on first use, once for all of them."""

    @cached_property
    def site_names(self) -> SiteNames:
        """The site's own names, found once for every step that must tell them from a headline or an author."""
        return site_names(self)

    @cached_property
    def headline(self) -> Headline:
        """The article's headline element and text, found once for the title, the byline search and the dates."""
        return find_headline(self, self.site_names)

    @cached_property
    def link_texts(self) -> set[str]:
        """The page's link texts, collected once for the body's teaser lists and article detection."""
        return link_texts(self.tree)
