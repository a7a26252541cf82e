"""The site's own names: what the page calls its site and what its domain spells, never a headline nor an author.

Metadata titles carry them ("Headline | Section | Site"), and so do bylines and author fields ("GIGA",
"Die Furche"): the title step cuts them off titles, the authors step never takes them for a person.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.page import jsonld
from crawler.page.meta import meta_content
from crawler.page.text import normalise
from crawler.urls import site_host

if TYPE_CHECKING:
    from crawler.extract.parsed import ParsedPage

_SPACE_RE = re.compile(r"\s+")
# A separator between a headline and a site name or section: a dash, bar, colon, bullet… set off by spaces.
_SEPARATOR_RE = re.compile(r"(\s+[-|–—·•»›~/]+\s+|\s*[|•·»]\s*|\s*:\s+)")
_QUOTING_SEPARATOR_RE = re.compile(r"(\s+[-|–—·•›~/]+\s+|\s*[|•·]\s*|\s*:\s+)")  # when « » are quotes
# Where a site name has parts ("Achtsam durch die Krise | Die FURCHE"): each part names the site too.
_NAME_PARTS_RE = re.compile(r"\s+[-|–—:·•»]\s+|\s*\|\s*")
_WORD_RE = re.compile(r"\w+")

MAX_NAME_WORDS = 6  # a longer "site name" is a mistake (a headline taken for it)
MAX_EXTRA_WORDS = 3  # a site name may be the domain's name and a few words ("BBC News", "SPIEGEL ONLINE")
# Separators between sections: after the headline ("Headline | Section | Site"); before it, dashes too.
SECTION_SEPARATORS = frozenset({"|", "»", "›", "/", "·", "•"})
LEADING_SECTION_SEPARATORS = SECTION_SEPARATORS | {"-", "–", "—"}


def loose(text: str) -> str:
    """``text`` ignoring case, punctuation, symbols and white-space runs, for comparing titles."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join("" if unicodedata.category(ch)[0] in "PS" else ch for ch in folded)
    return _SPACE_RE.sub(" ", kept).strip()


def _keys(names: tuple[str, ...]) -> frozenset[str]:
    """The names as loose keys; a "name" of more than ``MAX_NAME_WORDS`` words is a headline taken for one."""
    keys = (loose(name) for name in names)
    return frozenset(key for key in keys if key and len(key.split()) <= MAX_NAME_WORDS)


@dataclass(frozen=True)
class SiteNames:
    """What a site calls itself: its names (as loose keys) and the names its domain spells.

    ``written`` holds the names as the page writes them, their parts and the site's host: the names
    that are never an author.
    """

    names: frozenset[str]
    labels: frozenset[str]
    written: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        """Whether ``text`` names the site: a known name, or the domain's name and a few words."""
        key = loose(text)
        if not key:
            return False
        if key in self.names:
            return True
        if _SEPARATOR_RE.search(text):
            return False
        words = _WORD_RE.findall(unicodedata.normalize("NFKC", text).casefold())
        first = max(1, len(words) - MAX_EXTRA_WORDS)
        return any("".join(words[:count]) in self.labels for count in range(first, len(words) + 1))

    def is_name(self, text: str) -> bool:
        """Whether ``text`` is exactly a name of the site or its domain (``Spiegel``, ``spiegel.de``)."""
        key = loose(text)
        return key in self.names or key.replace(" ", "") in self.labels

    def with_names(self, *names: str) -> SiteNames:
        """These names and ``names`` (the texts of the site's logos, say)."""
        return SiteNames(self.names | _keys(tuple(map(normalise, names))), self.labels, self.written)


def domain_labels(*urls: str) -> frozenset[str]:
    """The names the URLs' domains spell: ``spiegel`` and ``spiegelde`` for ``www.spiegel.de``."""
    labels: set[str] = set()
    for url in urls:
        parts = site_host(url).split(".")
        for index, part in enumerate(parts[:-1]):
            name = part.replace("-", "")
            if len(name) > 2:
                labels.update({name, name + "".join(parts[index + 1 :])})
    return frozenset(labels)


def site_names(page: ParsedPage) -> SiteNames:
    """The names the page declares for its site (``og:site_name`` or ``application-name``, the JSON-LD
    publisher) and its domain's; the name found for the page (:attr:`ParsedPage.site_name`) is never an
    author either.
    """
    found = (
        meta_content(page.tree, "og:site_name", "application-name"),
        jsonld.text_value(page.main.get("publisher")),
    )
    declared = tuple(name for name in map(normalise, found) if name)
    names = tuple(name for name in (*declared, normalise(page.site_name)) if name)
    parts = (part for name in names for part in _NAME_PARTS_RE.split(name))
    written = tuple(name for name in (site_host(page.url), *names, *parts) if name)
    return SiteNames(_keys(declared), domain_labels(page.url, page.canonical_url), written)


def split_parts(title: str) -> list[str]:
    """``title`` split at its separators, separators kept: ``[part, separator, part, …]``."""
    return (_QUOTING_SEPARATOR_RE if "«" in title else _SEPARATOR_RE).split(title)


def joined(pieces: list[str], start: int, end: int) -> str:
    """Parts ``start`` to ``end`` (included) of split pieces, with their separators."""
    return "".join(pieces[2 * start : 2 * end + 1])


def _separator(pieces: list[str], part: int) -> str:
    """The separator before part ``part`` of split pieces."""
    return pieces[2 * part - 1].strip()


def strip_site(title: str, site: SiteNames) -> str:
    """``title`` without the parts naming the site, the other parts and separators kept as they were.

    A site name ending the title goes with what follows it (a section); one starting it goes too. Parts
    between the site name and the headline joined by the same separator (a bar or an arrow; a dash only
    before the headline) are sections: ``Headline | Section | Site``, ``Site - Section - Headline``.
    """
    pieces = split_parts(title)
    count = len(pieces) // 2 + 1
    for start in range(1, count):
        if any(site.matches(joined(pieces, start, end)) for end in range(start, count)):
            separator, keep = _separator(pieces, start), start
            while keep > 1 and separator in SECTION_SEPARATORS and _separator(pieces, keep - 1) == separator:
                keep -= 1
            pieces = pieces[: 2 * keep - 1]
            break
    count = len(pieces) // 2 + 1
    for end in range(count - 1, 0, -1):
        if site.matches(joined(pieces, 0, end - 1)):
            separator, first = _separator(pieces, end), end
            while (
                first < count - 1
                and separator in LEADING_SECTION_SEPARATORS
                and _separator(pieces, first + 1) == separator
            ):
                first += 1
            pieces = pieces[2 * first :]
            break
    stripped = "".join(pieces).strip()
    return stripped if _WORD_RE.search(stripped) else title
