"""Read schema.org JSON-LD: find the page's main article and its fields."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "AskPublicNewsArticle",
        "LiveBlogPosting",
        "ScholarlyArticle",
        "SatiricalArticle",
        "Report",
        "TechArticle",
        "SocialMediaPosting",
    }
)
LISTING_TYPES = frozenset(
    {"CollectionPage", "ItemList", "SearchResultsPage", "ProfilePage", "AboutPage", "ContactPage"}
)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Yield every typed object at the top level of a JSON-LD value and inside ``@graph`` lists."""
    if depth > 4:
        return
    if isinstance(node, list):
        for child in node:
            yield from _walk(child, depth + 1)
    elif isinstance(node, dict):
        if "@type" in node:
            yield node
        if "@graph" in node:
            yield from _walk(node["@graph"], depth + 1)
        main_entity = node.get("mainEntity")
        if isinstance(main_entity, dict):
            yield from _walk(main_entity, depth + 1)


def jsonld_objects(tree: HtmlElement) -> list[dict[str, Any]]:
    """All top-level JSON-LD objects of the page (``@graph`` flattened), in page order."""
    objects: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type]"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text.strip().rstrip(";"))
        except ValueError:
            logger.debug("Unreadable JSON-LD block skipped")
            continue
        objects.extend(_walk(data))
    return objects


def page_types(objects: list[dict[str, Any]]) -> set[str]:
    """The schema.org types declared by the page's JSON-LD objects."""
    return set().union(*(_types(obj) for obj in objects)) if objects else set()


def _url_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        found = value.get("@id") or value.get("url")
        return found if isinstance(found, str) else None
    return None


def main_article(objects: list[dict[str, Any]], page_urls: set[str]) -> dict[str, Any] | None:
    """The article object describing this page: the one whose URL is the page's, else the first one."""
    articles = [obj for obj in objects if _types(obj) & ARTICLE_TYPES]
    if not articles:
        return None
    stripped = {url.rstrip("/") for url in page_urls}
    for article in articles:
        for key in ("mainEntityOfPage", "url", "@id"):
            url = _url_of(article.get(key))
            if url and url.split("#")[0].rstrip("/") in stripped:
                return article
    return articles[0]


def text_value(value: Any) -> str | None:
    """A plain string from a JSON-LD value that may be a string, a list or an object with a name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("url")
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def keywords(value: Any) -> list[str]:
    """Keywords from a JSON-LD ``keywords`` value (a comma-separated string or a list)."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list):
        items = [text_value(v) or "" for v in value]
    else:
        return []
    return [item.strip() for item in items if item.strip()]
