"""Read ``<meta>`` and ``<link>`` tags of an HTML page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def meta_content(tree: HtmlElement, *names: str) -> str | None:
    """The first non-empty ``content`` of a ``<meta>`` whose ``property``/``name``/``itemprop`` is one of ``names``."""
    wanted = {name.lower() for name in names}
    found: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key in wanted and content and key not in found:
            found[key] = content
    return next((found[name.lower()] for name in names if name.lower() in found), None)


def meta_contents(tree: HtmlElement, name: str) -> list[str]:
    """Every non-empty ``content`` of the ``<meta>`` tags called ``name``, in page order."""
    values = []
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key == name and content:
            values.append(content)
    return values


def link_href(tree: HtmlElement, rel: str) -> str | None:
    """The ``href`` of the first ``<link>`` whose ``rel`` tokens include ``rel``."""
    for link in tree.iterfind(".//link[@rel]"):
        if rel in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return (link.get("href") or "").strip()
    return None


def html_lang(tree: HtmlElement) -> str | None:
    """The ``lang`` attribute of ``<html>``, if any."""
    root = tree.getroottree().getroot()
    lang = (root.get("lang") or root.get("xml:lang") or "").strip()
    return lang or None
