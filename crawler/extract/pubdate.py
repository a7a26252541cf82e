"""Publication and modification dates of the main article, never a related item's and never in the future.

The sources, most trusted first: the main article's JSON-LD, the page's ``<meta>`` dates, the dated
elements of the article's header (a ``<time>``, a microdata ``datePublished``, a date written near the
headline), the body's dateline, a full date in the URL, the date a sitemap or feed listed, and last
htmldate's guess (read only when nothing before it gives a day). A full date beats a year or a month alone. A
timestamp in UTC gives way to the same moment stated with the page's own UTC offset, or to the page's
local day (the URL's, the header's) when the two differ by a day: that is the day readers see.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from crawler.dates import date_value, is_after, normalise_date, text_date
from crawler.extract.boilerplate import is_credit
from crawler.extract.lexicon import OTHER_DATE_LABELS, OTHER_ITEM_CLASS_WORDS
from crawler.page import jsonld
from crawler.page.meta import meta_content
from crawler.page.text import element_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from lxml.html import HtmlElement

    from crawler.extract.context import PageContext

PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "prism.publicationDate",
    "dc.date",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "dateModified",
    "dc.date.modified",
    "dcterms.modified",
)
PUBLISHED_ITEMPROPS = ("datePublished", "dateCreated")
MODIFIED_ITEMPROPS = ("dateModified",)

MAX_HEADER_LEVELS = 6  # a header date shares an ancestor with the headline at most this far above it
NEAR_LEVELS = 0  # this close to the headline, a container's class does not exclude a date
NEAR_ANCESTORS = 4  # without a headline, the containers checked above a date
HEADER_WINDOW = 40  # elements after the headline searched for a written date (half as many before it)
MAX_DATE_TEXT = 80  # longer texts are sentences, not a header's date line
DAY_LENGTH = len("2026-11-20")
EARLIEST_ZONE = timedelta(hours=14)  # UTC+14: where a local day or time begins first

_LOOSE_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?)?\s*(UTC|GMT|Z)?",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/_.-]|$)")
_CLASS_SPLIT = re.compile(r"[\s_-]+")
_OTHER_DATE_RE = re.compile(rf"^\W*(?:{'|'.join(OTHER_DATE_LABELS)})\b", re.IGNORECASE)


def page_date(text: str | None) -> str | None:
    """A date string from a page in ISO 8601 with its own precision, read leniently; None if unreadable.

    Besides what :func:`normalise_date` reads: ``2022-5-5 22:17:36``, ``2022-05-04T03:00:00 UTC`` and
    dates written out in words or day first (``11.11.2021``, ``3 de mayo de 2022``, day precision).
    """
    if not text:
        return None
    iso = normalise_date(text)
    if iso is not None:
        return iso
    text = text.strip()
    if (match := _LOOSE_ISO.fullmatch(text)) is not None:
        year, month, day, hour, minute, second, zone = match.groups()
        iso = f"{year}-{int(month):02d}-{int(day):02d}"
        if hour is not None:
            iso += f"T{int(hour):02d}:{minute}" + (f":{second}" if second else "") + ("Z" if zone else "")
        return normalise_date(iso)
    return text_date(text)


def url_date(url: str) -> str | None:
    """The full date in a URL's path (``/2020/02/24/``), as ``YYYY-MM-DD``."""
    match = _URL_DATE.search(url)
    if match is None:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


# --------------------------------------------------------------------------- the article's header


def _link_key(url: str) -> str:
    """A URL without scheme, fragment and trailing slash, to tell links to this page from others."""
    return url.split("#")[0].split("://")[-1].rstrip("/")


def _class_words(element: HtmlElement) -> set[str]:
    words: set[str] = set()
    for name in ("class", "id"):
        words.update(word.lower() for word in _CLASS_SPLIT.split(element.get(name) or "") if word)
    return words


def _in_comment(element: HtmlElement) -> bool:
    return any(word.startswith("comment") for node in element.iterancestors() for word in _class_words(node))


class Header:
    """The article's header: what lies close to the headline, outside other items' containers."""

    def __init__(self, heading: HtmlElement | None, page_urls: Sequence[str]) -> None:
        self.heading = heading
        self._base = next(iter(page_urls), "")
        self._page_urls = {_link_key(url) for url in page_urls}
        self._levels = {} if heading is None else {node: i for i, node in enumerate(heading.iterancestors())}

    def distance(self, element: HtmlElement) -> int | None:
        """How far above the headline its closest common ancestor with ``element`` lies (0: its parent).

        None when ``element`` is in a comment, or in another item's container (related stories, teasers,
        sidebars…) that does not also hold the headline, unless it sits right beside the headline.
        Without a headline, every element outside comments and such containers is at distance 0.
        """
        if _in_comment(element) or self._links_away(element):
            return None
        branch: list[HtmlElement] = []
        level = 0
        for node in element.iterancestors():
            if node in self._levels:
                level = self._levels[node]
                break
            branch.append(node)
        if self.heading is None:
            branch = branch[:NEAR_ANCESTORS]
        elif level > MAX_HEADER_LEVELS:
            return None
        if level > NEAR_LEVELS and any(_class_words(node) & OTHER_ITEM_CLASS_WORDS for node in branch):
            return None
        return level

    def _links_away(self, element: HtmlElement) -> bool:
        """Whether ``element`` lies in a link to another page (whose date it then gives)."""
        for node in (element, *element.iterancestors("a")):
            href = node.get("href") if node.tag == "a" else None
            if (
                href
                and not href.startswith("#")
                and _link_key(urljoin(self._base, href)) not in self._page_urls
            ):
                return True
        return False

    def around(self) -> list[HtmlElement]:
        """The elements following the headline in document order, then fewer before it, nearest first."""
        if self.heading is None:
            return []
        after = self.heading.xpath(f"following::*[position() <= {HEADER_WINDOW}]")
        before = self.heading.xpath(f"preceding::*[position() <= {HEADER_WINDOW // 2}]")
        return [*after, *reversed(before)]


def dated_elements(tree: HtmlElement) -> list[HtmlElement]:
    """The page's ``<time>`` elements and microdata dates (``itemprop="date…"``, not ``<meta>``)."""
    return tree.xpath("//time | //*[starts-with(@itemprop, 'date') and not(self::meta)]")  # type: ignore[no-any-return]


def header_date(
    elements: list[HtmlElement], header: Header, itemprops: tuple[str, ...], times: bool = True
) -> str | None:
    """The date of the header's ``<time>`` or microdata ``itemprops`` element closest to the headline.

    ``elements`` are the page's :func:`dated_elements`; ``times=False`` leaves out the ``<time>``
    elements that carry no ``itemprop``.
    """
    best: tuple[int, str] | None = None
    for element in elements:
        prop = element.get("itemprop")
        if prop not in itemprops and (prop or not times):
            continue  # e.g. a <time itemprop="dateModified"> when datePublished is wanted
        iso = page_date(element.get("datetime") or element.get("content") or element.text_content())
        distance = header.distance(element) if iso else None
        if iso and distance is not None and (best is None or distance < best[0]):
            best = (distance, iso)
    return best[1] if best else None


def _is_other_date(text: str) -> bool:
    """Whether a short text dates something else than the article: a photo credit, a registration, a release."""
    return is_credit(text) or bool(_OTHER_DATE_RE.match(text))


def written_date(header: Header) -> str | None:
    """A date written as text beside the headline ("Stand: 28.04.2020", "5. November 2021").

    An element's text is read with its parts spaced and its white space collapsed, as a reader sees it.
    """
    for element in header.around():
        text = element_text(element, " ")
        found = text_date(text) if len(text) <= MAX_DATE_TEXT and not _is_other_date(text) else None
        if found and header.distance(element) is not None:
            return found
    return None


# --------------------------------------------------------------------------- choosing


def _readable(candidates: Iterable[str | None], fetched: datetime) -> list[str]:
    found = []
    for candidate in candidates:
        iso = page_date(candidate)
        if iso and not _in_future(iso, fetched):
            found.append(iso)
    return found


def _in_future(iso: str, fetched: datetime) -> bool:
    """Whether ``iso`` lies after ``fetched``; a day or a time without zone only if it does in every zone.

    A story fetched at 07:00 UTC may be dated 15:00 in Tokyo, or already tomorrow in Auckland.
    """
    if _offset(iso) is not None:
        return is_after(iso, fetched)
    return date_value(iso) - EARLIEST_ZONE > fetched


def _full_first(dates: list[str]) -> str | None:
    """The first date with a day; a year or month alone only when no date has a day."""
    return next((iso for iso in dates if len(iso) >= DAY_LENGTH), dates[0] if dates else None)


def _offset(iso: str) -> timedelta | None:
    """The UTC offset a timestamp states; None for a day, or a time without a zone."""
    return datetime.fromisoformat(iso).utcoffset() if "T" in iso else None


def _local_version(chosen: str, local_days: list[str], dates: list[str]) -> str:
    """``chosen``, or the page's own local form of it when ``chosen`` is a UTC timestamp.

    Another date of the page naming the same moment with a local UTC offset is preferred. Failing
    that, when a local day (the URL's, the header's) is one day off the UTC day, the page's local
    timestamp on that day is taken, else that day itself.
    """
    if _offset(chosen) != timedelta(0):
        return chosen
    moment = date_value(chosen)
    for other in dates:
        if _offset(other) and date_value(other) == moment:
            return other
    day = date.fromisoformat(chosen[:10])
    for local in local_days:
        if abs(date.fromisoformat(local) - day) == timedelta(days=1):
            same_day = (other for other in dates if other[:10] == local and "T" in other)
            return next((other for other in same_day if _offset(other) != timedelta(0)), local)
    return chosen


def _guess(page: PageContext, dates: list[str]) -> str | None:
    """htmldate's date (trafilatura's), unless it only completes a year or month the page gives.

    htmldate pads ``2026-11`` with the current day and ``2026`` with January 1st.
    """
    if any(len(iso) >= DAY_LENGTH for iso in dates):
        return None  # a full date is found: the guess would come last and be passed over
    guess = page.metadata.date
    if guess and any(len(iso) < DAY_LENGTH and guess.startswith(iso) for iso in dates):
        return None
    return guess


def select_dates(
    page: PageContext, dateline_date: str | None, listed_date: str | None
) -> tuple[str | None, str | None]:
    """``(date_published, date_modified)`` in ISO 8601 with the precision the page gives.

    ``dateline_date`` comes from the body's dateline, ``listed_date`` from a sitemap or feed.
    """
    tree, fetched = page.tree, page.fetched
    header = Header(page.headline.element, (page.url, page.canonical_url))
    written = written_date(header)
    from_url = url_date(page.url)
    elements = dated_elements(tree)
    dates = _readable(
        [
            jsonld.text_value(page.main.get("datePublished")),
            meta_content(tree, *PUBLISHED_META),
            header_date(elements, header, PUBLISHED_ITEMPROPS),
            written,
            dateline_date,
            from_url,
            listed_date,
        ],
        fetched,
    )
    dates += _readable([_guess(page, dates)], fetched)
    published = _full_first(dates)
    if published is not None:
        local_days = [day for day in (written, from_url) if day and not _in_future(day, fetched)]
        published = _local_version(published, local_days, dates)
    changes = _readable(
        [
            jsonld.text_value(page.main.get("dateModified")),
            meta_content(tree, *MODIFIED_META),
            header_date(elements, header, MODIFIED_ITEMPROPS, times=False),
        ],
        fetched,
    )
    modified = _full_first(changes)
    return published, _local_version(modified, [], changes) if modified else None
