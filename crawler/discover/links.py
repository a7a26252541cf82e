"""Links of an HTML page, split into pagination and other links, for the spider's discovery."""

from __future__ import annotations

import re
from dataclasses import dataclass
from posixpath import splitext
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS

from crawler.urls import is_http_url

if TYPE_CHECKING:
    from lxml.html import HtmlElement

PAGINATION_PATH_RE = re.compile(r"/(?:page|seite|pagina|strona|p)/?\d+/?$", re.IGNORECASE)
PAGINATION_QUERY_RE = re.compile(
    r"(?:^|&)(?:page|p|pg|paged|seite|pagina|strona|start|offset)=\d+", re.IGNORECASE
)
NEXT_TEXTS = frozenset(
    {
        "next",
        "next page",
        "older",
        "older posts",
        "»",
        "›",
        ">",
        "→",
        "weiter",
        "nächste seite",
        "suivant",
        "page suivante",
        "siguiente",
        "successivo",
        "próxima",
        "volgende",
        "następna",
        "далее",
        "次へ",
        "下一页",
    }
)
_IGNORED = frozenset("." + ext for ext in IGNORED_EXTENSIONS)


@dataclass(frozen=True)
class PageLinks:
    """A page's followable links: pagination of the listing it shows, and every other link."""

    pagination: tuple[str, ...]
    links: tuple[str, ...]


def _base_url(tree: HtmlElement, url: str) -> str:
    for base in tree.iterfind(".//base[@href]"):
        return urljoin(url, str(base.get("href")).strip())
    return url


def is_pagination(href: str, text: str, rel: str) -> bool:
    """Whether a link goes to another page of the same listing (``rel=next``, ``/page/2/``, ``?page=2``, "2")."""
    if "next" in rel or text.lower() in NEXT_TEXTS:
        return True
    parts = urlsplit(href)
    return bool(PAGINATION_PATH_RE.search(parts.path) or PAGINATION_QUERY_RE.search(parts.query))


def _page_furniture_links(tree: HtmlElement) -> set[HtmlElement]:
    """Links in the page's footer (``<footer>`` outside the article, ``role=contentinfo``): imprint, terms."""
    footers = [f for f in tree.iter("footer") if next(f.iterancestors("article"), None) is None]
    footers += tree.xpath('//*[@role="contentinfo"]')
    return {link for footer in footers for link in footer.iter("a", "area")}


def page_links(tree: HtmlElement, url: str) -> PageLinks:
    """Absolute http(s) links of a page (``<a>``, ``<area>``, ``<link rel=next>``), without fragments or files.

    Links of the page footer are left out: they lead to the imprint and terms, not to articles.
    """
    base = _base_url(tree, url)
    pagination: dict[str, None] = {}
    links: dict[str, None] = {}
    furniture = _page_furniture_links(tree)
    for element in tree.iter("a", "area", "link"):
        if element in furniture:
            continue
        rel = (element.get("rel") or "").lower()
        if element.tag == "link" and "next" not in rel.split():
            continue
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        absolute = urljoin(base, href).split("#", 1)[0]
        if not is_http_url(absolute) or splitext(urlsplit(absolute).path)[1].lower() in _IGNORED:
            continue
        text = " ".join(element.text_content().split()) if element.tag != "link" else ""
        target = pagination if is_pagination(absolute, text, rel) else links
        target[absolute] = None
    return PageLinks(
        pagination=tuple(pagination), links=tuple(link for link in links if link not in pagination)
    )
