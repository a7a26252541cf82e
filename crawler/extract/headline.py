"""The article's headline: the heading element that carries it, found once per page for the title, the byline
search and the header dates.

The metadata titles (JSON-LD ``headline``, ``og:title``, ``twitter:title``, ``<title>``) often carry the
site's name, a section or a shortened wording; the page's heading carries the headline as the reader sees
it, but a page may also use ``<h1>`` for its logo, a widget or a breadcrumb. So headings are ranked by
how well the metadata confirm them (a whole metadata title, the start of one, a part between separators).
A kicker (overline) set apart in the heading's first element goes when the rest is a metadata title or a
part of one; either way it is named (the record's ``kicker``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.extract.boilerplate import is_date_line
from crawler.extract.sitenames import SiteNames, joined, loose, split_parts, strip_site
from crawler.page import jsonld
from crawler.page.meta import meta_content
from crawler.page.text import normalise
from crawler.urls import site_host

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.html import HtmlElement

    from crawler.extract.parsed import ParsedPage

_EDGE_PUNCTUATION_RE = re.compile(r"^[\s:|\-–—·•,;/]+|[\s:|\-–—·•,;/]+$")
_WORD_RE = re.compile(r"\w+")
_HIDDEN_CLASS_RE = re.compile(
    r"^(?:hidden|invisible|aural|offscreen|element-invisible|hide-accessible|is-hidden|u-hidden"
    r"|.*(?:visually-?hidden|sr-only|screen-reader-text))$",
    re.IGNORECASE,
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "rt", "rp", "svg", "button"})
_INLINE = frozenset(
    {"a", "b", "strong", "i", "em", "q", "mark", "u", "s", "sup", "sub", "abbr", "cite", "code", "font"}
)
_CHROME_XPATH = "boolean(ancestor-or-self::nav or ancestor::footer or ancestor::aside)"
_ARTICLE_XPATH = "boolean(ancestor::article or ancestor::main or ancestor::*[@itemprop='articleBody'])"
_OTHER_HEADINGS_XPATH = ".//*[@itemprop='headline'] | .//h2 | .//h3"
_HEADINGS_XPATH = ".//h1 | .//h2 | .//h3"

# How well the metadata confirm a heading's text, from worst to best.
UNCONFIRMED, INNER, CONTAINS, LEADING, WHOLE, WITHOUT_KICKER = range(6)


@dataclass(frozen=True)
class References:
    """The metadata titles a heading is checked against, as loose keys."""

    whole: frozenset[str]  # whole titles, and the same without the site's name
    leading: frozenset[str]  # runs of parts that start a title (without the site's name)
    inner: frozenset[str]  # runs of parts that start after a separator

    @classmethod
    def of(cls, titles: Iterable[str], site: SiteNames) -> References:
        """The references from the (normalised) metadata titles."""
        whole: set[str] = set()
        leading: set[str] = set()
        inner: set[str] = set()
        for title in titles:
            stripped = strip_site(title, site)
            whole |= {loose(title), loose(stripped)}
            pieces = split_parts(stripped)
            count = len(pieces) // 2 + 1
            for start in range(count):
                runs = {loose(joined(pieces, start, end)) for end in range(start, count)}
                (inner if start else leading).update(runs)
        whole.discard("")
        leading -= whole | {""}
        return cls(frozenset(whole), frozenset(leading), frozenset(inner - leading - whole - {""}))

    def level(self, text: str) -> int:
        """How well the metadata confirm ``text``: a whole title, a title's start, a part, an overlap."""
        key = loose(text)
        if key in self.whole:
            return WHOLE
        if key in self.leading:
            return LEADING
        if key in self.inner:
            return INNER
        return CONTAINS if any(_overlaps(key, title) for title in self.whole) else UNCONFIRMED


def _overlaps(key: str, title: str) -> bool:
    """Whether one text holds the other at word boundaries, the shorter being at least half the longer."""
    short, long = sorted((key, title), key=len)
    return 2 * len(short) >= len(long) and f" {short} " in f" {long} "


def metadata_titles(page: ParsedPage) -> list[str]:
    """The page's titles from its metadata, normalised, most specific first."""
    tree = page.tree
    title_element = tree.find(".//title")
    raw = [
        jsonld.text_value(page.main.get("headline")),
        meta_content(tree, "og:title"),
        meta_content(tree, "twitter:title"),
        title_element.text_content() if title_element is not None else None,
        jsonld.text_value(page.main.get("name")),
    ]
    titles = [normalise(text) for text in raw]
    return [title for title in titles if title]


def is_hidden(element: HtmlElement) -> bool:
    """Whether ``element`` is hidden from sight (``hidden``, an inline style, a visually-hidden class)."""
    if element.get("hidden") is not None or _HIDDEN_STYLE_RE.search(element.get("style") or ""):
        return True
    return any(_HIDDEN_CLASS_RE.match(token) for token in (element.get("class") or "").split())


def _shown_children(element: HtmlElement) -> list[HtmlElement]:
    return [
        child
        for child in element
        if isinstance(child.tag, str) and child.tag not in _NOT_TEXT and not is_hidden(child)
    ]


def _shown_text(element: HtmlElement, skipped: HtmlElement | None) -> str:
    chunks = [element.text or ""]
    shown = _shown_children(element)
    for child in element:
        if child in shown and child is not skipped:
            chunks.append(" " if child.tag == "br" else _shown_text(child, None))
        chunks.append(child.tail or "")
    return "".join(chunks)


def visible_text(element: HtmlElement, skipped: HtmlElement | None = None) -> str:
    """The text of ``element`` a reader sees (no scripts, styles, ruby readings, hidden parts, nor ``skipped``)."""
    return normalise(_shown_text(element, skipped))


@dataclass(frozen=True)
class Variant:
    """The heading's text without one edge child element (a kicker, an overline, a subtitle)."""

    text: str  # the rest of the heading
    edge: str  # the text of the child left out
    first: bool  # the child was the first one (a kicker), else the last (a subtitle)
    inline: bool  # the child is inline markup (``<em>``), part of the wording rather than set apart


def edge_child_variants(element: HtmlElement) -> list[Variant]:
    """The heading's text without its first or its last child element. A heading holding nothing but one
    element is looked into.
    """
    children = [child for child in _shown_children(element) if visible_text(child)]
    full = visible_text(element)
    if len(children) == 1 and visible_text(children[0]) == full:
        return edge_child_variants(children[0])
    variants = []
    for edges, first in ((children[:1], True), (children[-1:], False)):
        for edge in edges:
            rest = _EDGE_PUNCTUATION_RE.sub("", visible_text(element, skipped=edge))
            edge_text = visible_text(edge)
            if rest and edge_text != full:
                variants.append(Variant(rest, edge_text, first, edge.tag in _INLINE))
    return variants


def links_home(element: HtmlElement, page: ParsedPage) -> bool:
    """Whether ``element`` holds a link to the site's home page, as a logo does."""
    host = site_host(page.url)
    for link in element.iterfind(".//a[@href]"):
        href = (link.get("href") or "").strip().split("?")[0].rstrip("/")
        if href in {"", "."} or href.endswith(("//" + host, "." + host)):
            return True
    return False


@dataclass(frozen=True)
class Candidate:
    """A heading's text, how well the metadata confirm it, and the kicker the heading sets apart."""

    text: str
    level: int
    kicker: str | None = None


def _kicker(variant: Variant, level: int) -> str | None:
    """The text of a first child set apart from the rest of a heading the metadata confirm, unless it is a date."""
    if not variant.first or variant.inline or level < INNER or is_date_line(variant.edge):
        return None
    return _EDGE_PUNCTUATION_RE.sub("", variant.edge) or None


def heading_candidates(element: HtmlElement, refs: References, own: SiteNames) -> list[Candidate]:
    """The heading's text, and without a kicker or subtitle that the metadata leave out, with their levels.

    A kicker (the first child) goes when the rest is a metadata title or a part of one; a subtitle (the
    last child) when the rest is a title or its start and the subtitle is not longer; inline markup
    (``<b>Editor's letter:</b> …``) only when the rest is a whole title. The kicker that a heading sets
    apart so is named, whichever text is taken.
    """
    full = visible_text(element)
    candidates = []
    kicker = None
    for variant in edge_child_variants(element):
        text = variant.text
        level = refs.level(text)
        kicker = kicker or _kicker(variant, level)
        words = len(_WORD_RE.findall(text))
        dropped = variant.first and level in {WHOLE, LEADING, INNER}
        subtitle = level in {WHOLE, LEADING} and len(_WORD_RE.findall(full)) - words <= words
        if not own.is_name(text) and (level == WHOLE or (not variant.inline and (dropped or subtitle))):
            candidates.append(Candidate(text, WITHOUT_KICKER, kicker if variant.first else None))
    candidates.append(Candidate(full, refs.level(full), kicker))
    return candidates


def _names_no_site(element: HtmlElement, own: SiteNames) -> bool:
    """Whether ``element`` has text and it is not the site's name."""
    text = visible_text(element)
    return bool(text) and not own.is_name(text)


def _in_article(element: HtmlElement) -> bool:
    return element.xpath(_ARTICLE_XPATH) is True


def best_h1(h1s: list[HtmlElement], refs: References, own: SiteNames) -> tuple[HtmlElement, Candidate] | None:
    """The best-confirmed ``<h1>`` and its text; among equals one in the article, else the first.

    An ``<h1>`` in navigation or a page's margins counts only when the metadata confirm it.
    """
    ranked = [
        (candidate.level, _in_article(h1), h1, candidate)
        for h1 in h1s
        for candidate in heading_candidates(h1, refs, own)
        if candidate.level >= LEADING or h1.xpath(_CHROME_XPATH) is False
    ]
    return max(ranked, key=lambda item: item[:2])[2:] if ranked else None


def other_heading(page: ParsedPage, refs: References, own: SiteNames) -> tuple[HtmlElement, Candidate] | None:
    """The first other heading (``<h2>``, ``<h3>``, ``itemprop=headline``) whose text starts a metadata title."""
    for element in page.tree.xpath(_OTHER_HEADINGS_XPATH):
        if is_hidden(element) or not _names_no_site(element, own):
            continue
        confirmed = [c for c in heading_candidates(element, refs, own) if c.level >= LEADING]
        if confirmed:
            return element, max(confirmed, key=lambda c: c.level)
    return None


def part_heading(page: ParsedPage, refs: References) -> HtmlElement | None:
    """The first heading outside navigation and margins whose text is a metadata title or a part of one."""
    headings: list[HtmlElement] = page.tree.xpath(_HEADINGS_XPATH)
    return next(
        (
            heading
            for heading in headings
            if (text := visible_text(heading))
            and not is_hidden(heading)
            and heading.xpath(_CHROME_XPATH) is False
            and refs.level(text) >= INNER
        ),
        None,
    )


@dataclass(frozen=True)
class Headline:
    """The article's headline: its heading element and its text, and the site's names its search learnt.

    ``text`` is None when no heading gives the title (the metadata do); ``element`` is then a heading that
    a part of a metadata title names (a section, the site's name): it still marks the article's header.
    ``site`` holds the site's names with the texts of the logos found among the ``<h1>`` elements.
    ``kicker`` is the kicker or overline the heading sets apart in an element of its own
    (see :func:`heading_candidates`).
    """

    element: HtmlElement | None
    text: str | None
    site: SiteNames
    kicker: str | None = None


def find_headline(page: ParsedPage, own: SiteNames) -> Headline:
    """The article's headline, for the title, the byline search and the header dates.

    In order: the ``<h1>`` the metadata confirm best (its kicker left out) unless it is only a part of a
    title; another heading starting a metadata title; the first ``<h1>`` of the article, else of the page
    (outside navigation). An ``<h1>`` naming the site or linking to its home page (a logo) is never taken,
    and its text counts as a site name. Without any, a heading naming a part of a metadata title.
    """
    titles = metadata_titles(page)
    h1s = [h1 for h1 in page.tree.iterfind(".//h1") if not is_hidden(h1) and _names_no_site(h1, own)]
    logos = [h1 for h1 in h1s if links_home(h1, page)]
    site = own.with_names(page.site_name or "", *(visible_text(h1) for h1 in logos))
    refs = References.of(titles, site)
    best = best_h1([h1 for h1 in h1s if h1 not in logos], refs, own)
    if best is not None and best[1].level >= CONTAINS:
        return Headline(best[0], best[1].text, site, best[1].kicker)
    if other := other_heading(page, refs, own):
        return Headline(other[0], other[1].text, site, other[1].kicker)
    if best is not None:
        return Headline(best[0], best[1].text, site, best[1].kicker)
    return Headline(part_heading(page, refs), None, site)
