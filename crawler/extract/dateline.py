"""Datelines: the place, agency and date that open a news story ("BEIJING, Feb 26 (Reuters) -").

Recognised forms, the Latin-script ones ending with a dash (a hyphen, two, an en or an em dash):

- ``PLACE[, REGION][, DATE] (AGENCY) -``: ``WASHINGTON (AP) —``, ``PARIS, 3 mars (AFP) -``,
  ``Frankfurt/Main (dpa/lhe) -``, ``HOUSTON, Texas (KTRK) --``;
- ``[PLACE[, REGION], ]DATE /WIRE/ -``: ``NEW YORK, Nov. 20, 2026 /PRNewswire/ --``,
  ``Feb 26, 2019/EqualOcean/-``;
- ``PLACE[, REGION], DATE -``: ``Düsseldorf, 22. November 2022 -``;
- ``PLACE[, REGION] -`` with the place in capitals: ``LONDON —``, ``KHAN YOUNIS, GAZA —``;
- ``PLACE.`` with the place in capitals and alone: ``CALDEN. In Sorge um…``;
- CJK: ``【北京=共同】``, ``(서울=연합뉴스)``, and Chinese ``新华社北京2月26日电`` or ``东京电``, with the
  reporter's name in brackets after them.

An agency in brackets must be a known one, or a US broadcaster's call sign after a place in capitals;
anything else in brackets ("Paris (the city) -") is not a dateline. A place with neither agency nor date
must be in capitals, not a label ("UPDATE -"), and be followed by sentences, not a heading's second half
("BMAS - Änderung der Anforderungen").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from crawler.dates import MONTH_PATTERN, month_number
from crawler.extract.lexicon import AGENCIES, DATELINE_LABELS, PLACE_SMALL_WORDS
from crawler.page.text import CJK_CHARS, CJK_RE

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline: its raw text, and the place, agency and date it names (None when absent)."""

    text: str
    place: str | None
    agency: str | None
    date: str | None


_KNOWN_AGENCIES = {name.casefold(): name for name in AGENCIES}
# Agencies of Chinese, Japanese and Korean datelines, as they are written there.
_CJK_AGENCIES = tuple(name for name in AGENCIES if CJK_RE.search(name))
_DASH = r"\s*(?:--|[–—―]{1,2}|-(?=\s))"
_SMALL = "|".join(sorted(PLACE_SMALL_WORDS, key=len, reverse=True))
_NAME = rf"(?!(?:{_SMALL})\s)[^\W\d_][\w'’.-]*(?:/[^\W\d_][\w'’.-]*)?"
_PLACE = rf"{_NAME}(?:\s+(?:(?:{_SMALL})\s+){{0,2}}{_NAME}){{0,4}}"
_REGION = rf"(?!(?i:{MONTH_PATTERN})\b){_NAME}(?:\s+{_NAME})?"
_MONTH = rf"(?i:{MONTH_PATTERN})\b\.?"
_DATE = (
    rf"(?P<month1>{_MONTH})\s+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year1>\d{{4}}))?"
    rf"|(?P<day2>\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?(?P<month2>{_MONTH})(?:\s+(?:de\s+)?(?P<year2>\d{{4}}))?"
)
_LATIN = re.compile(
    rf"(?:(?P<place>{_PLACE})(?:,\s*(?P<region>{_REGION}))?(?:,\s*(?P<date>{_DATE}))?"
    rf"|(?P<month0>{_MONTH})\s+(?P<day0>\d{{1,2}}),?\s+(?P<year0>\d{{4}}))"
    rf"\s*(?:\((?P<agency>[^()\n]{{2,40}})\)|/(?P<wire>[^/\n\d]{{2,40}})/)?"
    rf"(?P<dash>{_DASH}|\.(?=\s+[^\W\d_]))"
)
_CJK_BRACKETED = re.compile(
    rf"[【\[(（]\s*(?P<place>[^\s=＝】\])）]*[{CJK_CHARS}][^\s=＝】\])）]*?)\s*"
    rf"(?:[=＝]\s*(?P<who>[^】\])）]{{1,20}}?)|(?P<agency>{'|'.join(_CJK_AGENCIES)}))\s*[】\])）]"
)
_CJK_FILED = re.compile(
    rf"(?P<agency>{'|'.join(_CJK_AGENCIES)})?(?P<place>[\u4e00-\u9fff]{{2,8}}?)?"
    r"(?:(?P<month>\d{1,2})月(?P<day>\d{1,2})日)?电(?P<byline>\s*[（(]\s*(?:记者|特派记者|通讯员)[^）)]{0,40}[）)])?"
)
_CALL_SIGN = re.compile(r"[KW][A-Z]{2,3}")
_AGENCY_SUFFIX = re.compile(r"(?<=[a-z])[A-ZÄÖÜ]$")  # a regional service: "epdÖ" is epd Österreich
MAX_DATELINE = 120
MIN_PROSE_WORDS = 6
MIN_CAPITALS = 3
MAX_ABBREVIATION = 6  # "Calif." keeps its full stop, "HONDURAS." loses it
_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)]*(?:\s|$)")


def parse_dateline(first_paragraph: str, reference: datetime) -> Dateline | None:
    """The dateline opening ``first_paragraph``, or None; a date without a year takes ``reference``'s year.

    A yearless date that would then fall after ``reference`` is taken in the year before.
    """
    text = first_paragraph.lstrip()
    return _latin(text, reference) or _cjk(text, reference)


def _latin(text: str, reference: datetime) -> Dateline | None:
    match = _LATIN.match(text[: MAX_DATELINE + 2])
    if match is None or match.end() > MAX_DATELINE:
        return None
    place, rest = match["place"], text[match.end() :]
    agency = _agency(match["agency"], place) if match["agency"] else None
    source = agency or (match["wire"].strip() if match["wire"] else None)
    if (match["agency"] and agency is None) or (place is not None and not _is_place(place)):
        return None
    if source is None and not _stands_alone(match, rest):
        return None
    if source is not None and (match["dash"] == "." or not rest.strip()):
        return None
    return Dateline(
        match[0].strip(), _place_name(place, match["region"]), source, _latin_date(match, reference)
    )


def _stands_alone(match: re.Match[str], rest: str) -> bool:
    """Whether a dateline without an agency is one: a place in capitals, or a place and a date, then prose."""
    dated = bool(match["date"]) and match["dash"] != "."
    return (_is_capitals(match["place"]) or dated) and _is_prose(rest)


def _is_prose(text: str) -> bool:
    """Whether ``text`` reads as sentences, not a heading's second half: words and a sentence's end."""
    return len(text.split()) >= MIN_PROSE_WORDS and _SENTENCE_END.search(text) is not None


def _agency(text: str, place: str | None) -> str | None:
    """The agency named in brackets: known ones in their own spelling ("dpa/lhe" gives "dpa")."""
    parts = [_AGENCY_SUFFIX.sub("", part.strip()) for part in text.split("/")]
    known = [_KNOWN_AGENCIES[part.casefold()] for part in parts if part.casefold() in _KNOWN_AGENCIES]
    if known:
        return "/".join(known)
    if place is not None and _is_capitals(place) and _CALL_SIGN.fullmatch(text.strip()):
        return text.strip()
    return None


def _is_capitals(text: str | None) -> bool:
    """Whether ``text`` is a name in capitals ("LONDON"), of at least three letters."""
    return text is not None and sum(ch.isalpha() for ch in text) >= MIN_CAPITALS and text.upper() == text


def _is_place(place: str) -> bool:
    """Whether ``place`` reads as a place name: capitalised words but for small ones, and not a label."""
    if place.casefold() in DATELINE_LABELS:
        return False
    return all(word[0].isupper() or word in PLACE_SMALL_WORDS for word in place.split())


def _natural(text: str) -> str:
    """A name in capitals in natural case ("NEW YORK" -> "New York", "RIO DE JANEIRO" -> "Rio de Janeiro").

    A final full stop is dropped unless it ends an abbreviation ("Calif.", "Fla.").
    """
    if text.endswith(".") and len(text.split()[-1]) > MAX_ABBREVIATION:
        text = text[:-1]
    if not _is_capitals(text):
        return text
    words = text.title().split()
    return " ".join(
        word.lower() if index and word.lower() in PLACE_SMALL_WORDS else word
        for index, word in enumerate(words)
    )


def _place_name(place: str | None, region: str | None) -> str | None:
    if place is None:
        return None
    return _natural(place) + (f", {_natural(region)}" if region else "")


def _latin_date(match: re.Match[str], reference: datetime) -> str | None:
    for index in "012":
        if match[f"month{index}"]:
            month = month_number(match[f"month{index}"])
            year = match[f"year{index}"]
            return _resolve(int(year) if year else None, month, int(match[f"day{index}"]), reference)
    return None


def _resolve(year: int | None, month: int | None, day: int, reference: datetime) -> str | None:
    """An ISO day; without a year, ``reference``'s year, or the year before if that is after ``reference``."""
    if month is None:
        return None
    try:
        if year is not None:
            return date(year, month, day).isoformat()
        found = date(reference.year, month, day)
        if found > reference.date():
            found = date(reference.year - 1, month, day)
    except ValueError:
        return None
    return found.isoformat()


def _cjk(text: str, reference: datetime) -> Dateline | None:
    if match := _CJK_BRACKETED.match(text):
        who = (match["who"] or "").strip()
        agency = match["agency"] or (who if who in _CJK_AGENCIES else None)
        return Dateline(match[0], match["place"], agency, None)
    match = _CJK_FILED.match(text)
    if match is None or not (match["agency"] or match["month"] or match["byline"]):
        return None
    if not (match["place"] or match["agency"]):
        return None
    day = _resolve(None, int(match["month"]), int(match["day"]), reference) if match["month"] else None
    return Dateline(match[0].strip(), match["place"], match["agency"], day)
