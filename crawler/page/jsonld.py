"""Read schema.org JSON-LD: find the page's main article and its fields.

Publishers' JSON-LD is often not JSON: a raw newline in ``articleBody``, the whole block HTML-escaped
(``{&quot;@type&quot;: …}``), comments, CDATA wrappers, trailing commas, ``\'``, a stray ``;`` or
``}`` after the object, several objects in one block. :func:`parse_jsonld` reads what a browser's
``JSON.parse`` would refuse, so one such slip does not lose the headline, authors and dates.
"""

from __future__ import annotations

import html
import json
import logging
import re
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
# Other kinds of page content: a shop's product, a forum thread or question, an event, a job, a course.
OTHER_CONTENT_TYPES = frozenset(
    {
        "Product",
        "Offer",
        "AggregateOffer",
        "DiscussionForumPosting",
        "QAPage",
        "Question",
        "SoftwareApplication",
        "Event",
        "JobPosting",
        "Course",
        "Service",
    }
)


_DECODER = json.JSONDecoder(strict=False)  # raw control characters (newlines, tabs) inside strings
_SEPARATORS = re.compile(r"[\s,;]*")
_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_JSON_ESCAPES = frozenset('"\\/bfnrtu')
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def parse_jsonld(text: str) -> list[Any]:
    """Every JSON value of a JSON-LD block, read leniently (see the module); empty when none is readable."""
    values = _values(text) or _values(_repaired(text))
    if not values and "&" in text:  # the whole block HTML-escaped
        values = _values(_repaired(html.unescape(text)))
    return [_unescaped(value) for value in values]


def _values(text: str) -> list[Any]:
    """The JSON values at the start of ``text``, one after the other; reading stops at the first junk."""
    values: list[Any] = []
    position = _skip_separators(text, 0)
    while position < len(text):
        try:
            value, position = _DECODER.raw_decode(text, position)
        except ValueError:
            break
        values.append(value)
        position = _skip_separators(text, position)
    return values


def _skip_separators(text: str, position: int) -> int:
    match = _SEPARATORS.match(text, position)
    return match.end() if match else position


def _repaired(text: str) -> str:
    """``text`` without comment wrappers, ``//`` and ``/* */`` comments and trailing commas outside strings,
    and without the backslash of escapes JSON does not have (``\\'``) inside them."""
    text = _WRAPPERS.sub("", text)
    out: list[str] = []
    i, n, in_string = 0, len(text), False
    while i < n:
        char = text[i]
        if in_string:
            if char == "\\":
                escaped = text[i + 1 : i + 2]
                out.append(text[i : i + 2] if escaped in _JSON_ESCAPES else escaped)
                i += 2
                continue
            out.append(char)
            in_string = char != '"'
        elif text.startswith("//", i):
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
            continue
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close < 0 else close + 2
            continue
        elif not (char == "," and text[i + 1 :].lstrip()[:1] in {"}", "]"}):
            out.append(char)
            in_string = char == '"'
        i += 1
    return "".join(out)


def _unescaped(value: Any) -> Any:
    """``value`` with HTML entities in its strings decoded (``AT&amp;T`` is ``AT&T``)."""
    if isinstance(value, str):
        return html.unescape(value) if _ENTITY.search(value) else value
    if isinstance(value, list):
        return [_unescaped(item) for item in value]
    if isinstance(value, dict):
        return {key: _unescaped(item) for key, item in value.items()}
    return value


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
        values = parse_jsonld(script.text)
        if not values:
            logger.debug("Unreadable JSON-LD block skipped")
        for value in values:
            objects.extend(_walk(value))
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
