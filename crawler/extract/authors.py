"""Authors and the raw byline: candidates gathered from the page and the most trustworthy one chosen.

The candidates, in order of trust: byline lines the body cleanup took out of the text, the JSON-LD
``author`` of the page's own article, byline elements inside the article (class, id or itemprop
naming an author or byline, ``rel=author``, links to author pages), labelled bylines printed between
the headline and the text or at the ends of the text, the JSON-LD author of the page's own other work
(a web page, a recipe), the meta tags, byline elements elsewhere, trafilatura's author; then a
source that credits the publication alone (a byline elsewhere may name the person who wrote it), and
last an organisation the JSON-LD credits. Each is cleaned by :mod:`crawler.extract.byline`: a credit is an
author, an agency or the publication itself beside persons, in page order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.extract.byline import BylineLine, is_agency, is_credit, name_key, split_authors
from crawler.extract.lexicon import AUTHOR_META_LABEL_PATTERN
from crawler.page.text import element_text, normalise

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from crawler.extract.context import PageContext

META_AUTHOR_NAMES = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)
TWITTER_LABEL_RE = re.compile(r"twitter:label\d$")
# What a "twitter:labelN" says when its "twitter:dataN" is the author (Yoast and similar plugins).
AUTHOR_META_LABEL_RE = re.compile(AUTHOR_META_LABEL_PATTERN, re.IGNORECASE)
ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation", "WebSite", "Brand"})
# Objects whose author is not the page's: media (a photographer), lists, the site, people.
NOT_WORK_TYPES = ORGANISATION_TYPES | {
    "ImageObject",
    "VideoObject",
    "AudioObject",
    "MediaObject",
    "ItemList",
    "ListItem",
    "Person",
    "BreadcrumbList",
}
AUTHOR_ATTR_RE = re.compile(
    r"by-?line|author|autor|auteur|writer|creator|verfasser|journalist|contributor|reporter"
    r"|(?:posted|written|submitted|wrote)[-_]?by|submitted|user-?name",
    re.IGNORECASE,
)
BYLINE_TAGS = frozenset({"address", "byline", "author"})
AUTHOR_HREF_RE = re.compile(
    r"/(?:authors?|autor(?:en)?|auteurs?|autore|profile|people|staff|redaktion|journalist)/", re.IGNORECASE
)
# Parts of an author block that hold no name: the avatar, the bio, a follow button, the affiliation.
NOT_NAME_ATTR_RE = re.compile(
    r"avatar|image|img|photo|pic|thumb|bio|desc|follow|social|share|twitter|facebook|mail|count"
    r"|comment|job|position|role|affiliation|address",
    re.IGNORECASE,
)
# Regions whose author names are not the article's: comments, teasers, related items, references.
FOREIGN_REGION_RE = re.compile(
    r"comment|respond|reply|related|recommend|teaser|popular|trending|most-?read|newsletter|breadcrumb"
    r"|promo(?!ted)|advert|sponsor|carousel|slider|more-?(?:stories|articles|news|posts)|read-?more|list-?posts"
    r"|(?<!p)reference|bibliograph",
    re.IGNORECASE,
)
FOREIGN_TAGS = frozenset({"nav", "form", "select", "option", "button", "script", "style", "template"})
# Other items between a headline and its text (a "teaser" there is often the article's own lead).
OTHER_ITEMS_RE = re.compile(
    r"comment|respond|reply|related|recommend|popular|trending|most-?read|newsletter|advert|sponsor",
    re.IGNORECASE,
)
# Page furniture; inside the article such class names are often mere layout flags ("has-sidebar").
FURNITURE_RE = re.compile(r"sidebar|widget|share|social|recent|footer|nav", re.IGNORECASE)
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "form"})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
ARTICLE_ITEMTYPE_RE = re.compile(r"Article|Posting", re.IGNORECASE)
ARTICLE_CLASSES = frozenset({"hentry", "post", "article", "entry", "story", "type-post", "h-entry"})
_TEXT_HOLDING = etree.XPath("//body//text()[contains(., $name)]")
MAX_BYLINE_CHARS = 120
TEXT_START_CHARS = 30  # how much of a text line identifies the element it starts in
TEXT_END_LINES = 3  # lines at each end of the article text looked at for a byline
HEADER_ELEMENTS = 80  # elements after the headline looked at when the start of the text is not found


@dataclass(frozen=True)
class Candidate:
    """Names found in one place of the page, with the raw text they came from."""

    names: tuple[str, ...]
    raw: str


# ----------------------------------------------------------------------------- JSON-LD and meta tags


def _jsonld_person(value: Any, nodes: dict[str, dict[str, Any]], *, organisations: bool) -> str | None:
    """The name in a JSON-LD author value: a string, a Person or a reference to one; an organisation's
    only when ``organisations`` (else only a news agency's).
    """
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in nodes:
        value = nodes[value["@id"]]
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return None
    types = value.get("@type")
    types = set(types) if isinstance(types, list) else {types}
    if types & ORGANISATION_TYPES and "Person" not in types:
        name = value.get("name")
        return name if isinstance(name, str) and (organisations or is_agency(name)) else None
    name = value.get("name")
    if not isinstance(name, str):
        parts = [value.get(key) for key in ("givenName", "additionalName", "familyName")]
        name = " ".join(part for part in parts if isinstance(part, str))
    return name or None


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    return {item for item in (value if isinstance(value, list) else [value]) if isinstance(item, str)}


def _urls(node: dict[str, Any]) -> set[str]:
    values = [node.get(key) for key in ("url", "@id", "mainEntityOfPage")]
    urls = [value.get("@id") if isinstance(value, dict) else value for value in values]
    return {url.split("#")[0].rstrip("/") for url in urls if isinstance(url, str)}


def own_work(page: PageContext) -> dict[str, Any]:
    """The JSON-LD object of the page's own work when no article describes it: the authored object (a
    recipe, a web page) whose URL is the page's, else the only authored object of the page, else empty.
    """
    if page.main:
        return {}
    works = [node for node in page.jsonld if node.get("author") and not _types(node) & NOT_WORK_TYPES]
    urls = {url.split("#")[0].rstrip("/") for url in (page.url, page.canonical_url)}
    return next((node for node in works if _urls(node) & urls), works[0] if len(works) == 1 else {})


def jsonld_candidate(
    page: PageContext, work: dict[str, Any], site: tuple[str, ...], *, organisations: bool = False
) -> Candidate | None:
    """The authors of a JSON-LD object of the page: its article (``page.main``) or its own work.

    An organisation credited as the author (often the publisher, set on every page of a site) counts
    only with ``organisations``, the last resort; a news agency always does.
    """
    value = work.get("author") or work.get("creator")
    nodes = {node["@id"]: node for node in page.jsonld if isinstance(node.get("@id"), str)}
    raws = [
        raw
        for item in (value if isinstance(value, list) else [value])
        if (raw := _jsonld_person(item, nodes, organisations=organisations))
    ]
    names = [name for raw in raws for name in split_authors(raw, (*site, raw) if organisations else site)]
    return Candidate(tuple(names), "; ".join(normalise(raw) for raw in raws)) if names else None


def _meta_authors(tree: HtmlElement) -> list[str]:
    """The meta tags' author values, best first: ``twitter:dataN`` labelled "Written by", then ``author`` and kin."""
    values: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if content := normalise(meta.get("content") or meta.get("value") or ""):
            values.setdefault(key, content)
    labelled = [
        values.get(key.replace("label", "data"), "")
        for key, label in values.items()
        if TWITTER_LABEL_RE.match(key) and AUTHOR_META_LABEL_RE.match(label)
    ]
    return [value for value in (*labelled, *(values.get(key, "") for key in META_AUTHOR_NAMES)) if value]


def meta_candidate(tree: HtmlElement, site: tuple[str, ...]) -> Candidate | None:
    """Authors from the meta tags: the first value holding a name (a profile URL holds none)."""
    for value in _meta_authors(tree):
        if names := split_authors(value, site):
            return Candidate(tuple(names), value)
    return None


# ----------------------------------------------------------------------------- the article in the page


def _value(element: HtmlElement) -> str:
    """The element's text as a byline reads it: its parts spaced ("Von<a>Jane Doe</a>"), or a ``<meta>``'s content."""
    return normalise(element.get("content") or "" if element.tag == "meta" else element_text(element, " "))


def _attrs(element: HtmlElement) -> str:
    """The element's class, id, itemprop, rel and test ids, in one string."""
    get = element.get
    return (
        f"{get('class', '')} {get('id', '')} {get('itemprop', '')} {get('rel', '')}"
        f" {get('data-testid', '')} {get('data-component', '')}"
    )


def _text_start(tree: HtmlElement, text: str | None) -> HtmlElement | None:
    """The element where the article text starts: the first one (no heading) opening one of its long lines."""
    prefixes = {normalise(line)[:TEXT_START_CHARS] for line in (text or "").splitlines() if len(line) >= 40}
    body = tree.find(".//body")
    for element in (body if body is not None else tree).iter():
        own = element.text
        if (
            not own
            or len(own) < TEXT_START_CHARS
            or element.tag in HEADINGS
            or not isinstance(element.tag, str)
        ):
            continue
        if normalise(own)[:TEXT_START_CHARS] in prefixes:
            return element
    return None


def _is_article_container(element: HtmlElement) -> bool:
    """Whether the element wraps a whole article or post: ``<article>``, ``<main>``, an Article item, a post's class."""
    if element.tag in {"article", "main"} or ARTICLE_ITEMTYPE_RE.search(element.get("itemtype") or ""):
        return True
    return not ARTICLE_CLASSES.isdisjoint((element.get("class") or "").split())


@dataclass(frozen=True)
class Layout:
    """Where the article is in the page: its headline, the element its text starts in, the element holding it."""

    heading: HtmlElement | None
    start: HtmlElement | None
    scope: HtmlElement | None


def page_layout(page: PageContext) -> Layout:
    """The article's headline and text start, and its scope: their smallest common ancestor, or the article
    or post container around it (None when the article cannot be told from the rest of the page).
    """
    heading = page.headline.element
    start = _text_start(page.tree, page.document.text if page.document else None)
    common = None
    if heading is not None and start is not None:
        ancestors = set(heading.iterancestors())
        common = next((ancestor for ancestor in start.iterancestors() if ancestor in ancestors), None)
    anchor = next((element for element in (common, heading, start) if element is not None), None)
    if anchor is None:
        return Layout(heading, start, None)
    container = next((a for a in (anchor, *anchor.iterancestors()) if _is_article_container(a)), None)
    if container is None and common is not None and common.tag not in ("body", "html"):
        container = common
    return Layout(heading, start, container)


# ----------------------------------------------------------------------------- byline elements


def _within(element: HtmlElement, scope: HtmlElement | None) -> bool:
    return scope is not None and any(ancestor is scope for ancestor in element.iterancestors())


def _is_foreign(element: HtmlElement, scope: HtmlElement | None) -> bool:
    """Whether the element sits in comments, teasers or, outside the article ``scope``, sidebars and menus."""
    inside = _within(element, scope)
    for ancestor in element.iterancestors():
        if ancestor is scope or ancestor.tag in ("body", "html"):
            return False
        attrs = _attrs(ancestor)
        if ancestor.tag in FOREIGN_TAGS or FOREIGN_REGION_RE.search(attrs):
            return True
        if not inside and (ancestor.tag in FURNITURE_TAGS or FURNITURE_RE.search(attrs)):
            return True
    return False


def _is_byline_element(element: HtmlElement) -> bool:
    """Whether the element's class, id, itemprop or rel name an author or byline, or it links to an author page."""
    attrs = _attrs(element)
    if not (
        element.tag in BYLINE_TAGS
        or AUTHOR_ATTR_RE.search(attrs)
        or (element.tag == "a" and AUTHOR_HREF_RE.search(element.get("href") or ""))
    ):
        return False
    return not NOT_NAME_ATTR_RE.search(attrs)


def _bare_link(element: HtmlElement) -> bool:
    """A link taken for its address only (to an author page), not for its class."""
    return element.tag == "a" and not AUTHOR_ATTR_RE.search(_attrs(element))


def _author_link(link: HtmlElement, page: PageContext, inside: bool) -> bool:
    """Whether a link to an author page names the article's author: in the article, outside its prose, same site."""
    if not inside or any(ancestor.tag == "p" for ancestor in link.iterancestors()):
        return False
    host = urlsplit(urljoin(page.url, link.get("href") or "")).hostname or ""
    return _registered_domain(host) == _registered_domain(urlsplit(page.url).hostname or "")


def _registered_domain(host: str) -> str:
    return ".".join(host.split(".")[-2:])


def _linked_names(element: HtmlElement, names: list[str], site: tuple[str, ...]) -> list[str]:
    """The names as the element's links give them, when its text adds words ("Jane Doe Education editor")."""
    linked = [name for link in element.iter("a") for name in split_authors(_value(link), site)]
    if len(linked) != len(names) or linked == names:
        return names
    if all(name_key(name).startswith(name_key(link)) for name, link in zip(names, linked, strict=True)):
        return linked
    return names


@dataclass(frozen=True)
class Byline:
    """Names found in a byline element, and whether the element is inside the article (None: not known)."""

    candidate: Candidate
    in_article: bool | None


def byline_elements(page: PageContext, scope: HtmlElement | None, site: tuple[str, ...]) -> list[Byline]:
    """Names in the page's byline elements, in page order: the outermost short enough element of each block.

    Elements in comments, teasers, sidebars and menus are skipped; a link to an author page counts
    only inside the article ``scope``.
    """
    found: list[Byline] = []
    taken: set[HtmlElement] = set()
    for element in page.tree.iter():
        if not isinstance(element.tag, str) or element.tag in FOREIGN_TAGS or not _is_byline_element(element):
            continue
        if any(ancestor in taken for ancestor in element.iterancestors()) or _is_foreign(element, scope):
            continue
        inside = _within(element, scope) if scope is not None else None
        if _bare_link(element) and not _author_link(element, page, inside is True):
            continue
        text = _value(element)
        if text and len(text) <= MAX_BYLINE_CHARS and (names := split_authors(text, site)):
            taken.add(element)
            found.append(Byline(Candidate(tuple(_linked_names(element, names, site)), text), inside))
    return found


# ----------------------------------------------------------------------------- bylines in the text


def header_lines(page: PageContext, layout: Layout) -> list[str]:
    """Short texts between the headline and the start of the article text, where bylines are printed."""
    if layout.heading is None:
        return []
    elements = page.tree.iter()
    for element in elements:
        if element is layout.heading:
            break
    lines: list[str] = []
    taken: set[HtmlElement] = {layout.heading}
    for count, element in enumerate(elements):
        if element is layout.start or count >= HEADER_ELEMENTS:
            break
        if not isinstance(element.tag, str) or any(ancestor in taken for ancestor in element.iterancestors()):
            continue
        if (
            element.tag in FOREIGN_TAGS
            or element.tag in FURNITURE_TAGS
            or OTHER_ITEMS_RE.search(_attrs(element))
        ):
            taken.add(element)  # comments, related items, menus: skipped with all they hold
            continue
        text = _value(element)
        if text and len(text) <= MAX_BYLINE_CHARS:
            lines.append(text)
            taken.add(element)
    return lines


def text_ends(page: PageContext) -> list[str]:
    """The first and last few lines of the article text, where a byline may stand."""
    text = page.document.text if page.document else None
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[:TEXT_END_LINES] + lines[TEXT_END_LINES:][-TEXT_END_LINES:]


# ----------------------------------------------------------------------------- choosing


def _extends(visible: Candidate, chosen: Candidate) -> bool:
    """Whether a visible byline names everyone the chosen candidate names: as written on the page, with more
    names, or with the surname of a first name given alone ("Todd" in the metadata, "Todd Bates" on the page).
    """
    keys = [name_key(name) for name in visible.names]
    if visible.names == chosen.names or len(keys) < len(chosen.names):
        return False
    return all(
        any(key == name_key(name) or (" " not in name and key.startswith(name_key(name))) for key in keys)
        for name in chosen.names
    )


def _filtered(candidate: Candidate | None, *, single: bool = True) -> Candidate | None:
    """The candidate if it names someone (with one-word names only if ``single``), else None."""
    if candidate is None:
        return None
    names = tuple(name for name in candidate.names if single or " " in name)
    return Candidate(names, candidate.raw) if names else None


def trafilatura_candidate(
    page: PageContext, site: tuple[str, ...], scope: HtmlElement | None
) -> Candidate | None:
    """The authors trafilatura found (its own byline and metadata rules), cleaned as any byline is; a name
    the page prints only in comments, teasers or related items is someone else's.
    """
    raw = page.metadata.author
    names = [
        name
        for part in (raw or "").split(";")
        for name in split_authors(part, site)
        if (" " in name or is_credit(name, _keys(site))) and not _printed_elsewhere_only(page, name, scope)
    ]
    return Candidate(tuple(dict.fromkeys(names)), raw or "") if names else None


def _keys(site: tuple[str, ...]) -> frozenset[str]:
    return frozenset(key for key in map(name_key, site) if key)


def _names_only_the_publication(candidate: Candidate | None, site: frozenset[str]) -> bool:
    """Whether the candidate credits the publication alone: a byline elsewhere may name its author."""
    return candidate is not None and all(name_key(name) in site for name in candidate.names)


def _printed_elsewhere_only(page: PageContext, name: str, scope: HtmlElement | None) -> bool:
    """Whether the page prints ``name``, and only in comments, teasers, related items or page furniture."""
    holders = [text.getparent() for text in _TEXT_HOLDING(page.tree, name=name)]
    return bool(holders) and all(_is_foreign(holder, scope) for holder in holders if holder is not None)


def _strict(lines: list[str], site: tuple[str, ...]) -> list[Candidate]:
    return [Candidate(tuple(split_authors(line, site, strict=True)), line) for line in lines]


def select_authors(page: PageContext, bylines: list[BylineLine]) -> tuple[list[str], str | None]:
    """``(authors, byline)``: author names in page order (empty rather than wrong) and the raw byline text.

    ``bylines`` are the byline lines the body cleanup took out of the article text, their names already
    read. The first source (see the module's docstring) that names someone wins, unless a byline visible
    on the page names the same people as written there, or more of them.
    """
    site = page.site_names.written
    layout = page_layout(page)
    elements = byline_elements(page, layout.scope, site)
    lines = [Candidate(line.names, line.text) for line in bylines]
    printed = _strict([*header_lines(page, layout), *text_ends(page)], site)
    ranked = [
        *map(_filtered, lines),
        _filtered(jsonld_candidate(page, page.main, site)),
        *(_filtered(found.candidate) for found in elements if found.in_article),
        *map(_filtered, printed),
        _filtered(jsonld_candidate(page, own_work(page), site)),
        _filtered(meta_candidate(page.tree, site)),
        *(
            _filtered(found.candidate, single=found.in_article is None)
            for found in elements
            if not found.in_article
        ),
    ]
    keys = _keys(site)
    chosen = (
        next(
            (
                candidate
                for candidate in ranked
                if candidate and not _names_only_the_publication(candidate, keys)
            ),
            None,
        )
        or trafilatura_candidate(page, site, layout.scope)
        or next((candidate for candidate in ranked if candidate), None)
        or _filtered(jsonld_candidate(page, page.main or own_work(page), site, organisations=True))
    )
    if chosen is None:
        return [], bylines[0].text if bylines else None
    visible = [*lines, *(found.candidate for found in elements if found.in_article), *printed]
    chosen = next(
        (found for candidate in visible if (found := _filtered(candidate)) and _extends(found, chosen)),
        chosen,
    )
    return list(chosen.names), chosen.raw
