"""How far discovery goes on one site: link depth, pagination, sitemap size and nesting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler import settings as defaults

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


@dataclass(frozen=True)
class DiscoveryLimits:
    """The ``NEWS_*`` limits of discovery; ``follow_depth`` is ``NEWS_ARCHIVE_DEPTH`` in archive mode."""

    follow_depth: int = defaults.NEWS_FOLLOW_DEPTH
    pagination_depth: int = defaults.NEWS_PAGINATION_DEPTH
    max_sitemap_urls: int = defaults.NEWS_MAX_SITEMAP_URLS
    max_sitemap_depth: int = defaults.NEWS_MAX_SITEMAP_DEPTH
    max_child_sitemaps: int = defaults.NEWS_MAX_CHILD_SITEMAPS

    @classmethod
    def from_settings(cls, settings: BaseSettings, mode: str) -> DiscoveryLimits:
        """The limits the settings give a run in ``mode`` (``articles`` or ``archive``)."""
        depth = "NEWS_ARCHIVE_DEPTH" if mode == "archive" else "NEWS_FOLLOW_DEPTH"
        return cls(
            follow_depth=settings.getint(depth, getattr(defaults, depth)),
            pagination_depth=settings.getint("NEWS_PAGINATION_DEPTH", defaults.NEWS_PAGINATION_DEPTH),
            max_sitemap_urls=settings.getint("NEWS_MAX_SITEMAP_URLS", defaults.NEWS_MAX_SITEMAP_URLS),
            max_sitemap_depth=settings.getint("NEWS_MAX_SITEMAP_DEPTH", defaults.NEWS_MAX_SITEMAP_DEPTH),
            max_child_sitemaps=settings.getint("NEWS_MAX_CHILD_SITEMAPS", defaults.NEWS_MAX_CHILD_SITEMAPS),
        )
