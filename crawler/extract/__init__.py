"""Article extraction: plain functions over ``(html, url)``, with no Scrapy import."""

from __future__ import annotations

from crawler.extract.article import PageExtraction, extract_article, extract_page

__all__ = ["PageExtraction", "extract_article", "extract_page"]
