"""Datelines: the place, date and agency that open a news story ("BEIJING, Feb 26 (Reuters) -").

A dateline is read as a grammar, not matched against a list of forms:

    [DATE |] [(AGENCY) -] [(] PLACE [, REGION[, REGION]] [, DATE | - DATE | (DATE)] [)] [[--](AGENCY) | [.] /WIRE/]
    SEPARATOR TEXT

- PLACE: capitalised words, with small words inside ("Rio de Janeiro", "Frankfurt am Main", "NEW YORK",
  "Lüdenscheid/Südwestfalen"); REGION: a state, its abbreviation or a country ("Calif.", "NY",
  "United Arab Emirates");
- DATE: "Feb 26", "3 mars", "22. November 2022", "17.08.2007", "Januar 2021", "January 24, 2017", "3 Mart",
  after a small word ("le 3 mars", "den 3. März"), or a day alone before the agency ("MADRID, 3 (EUROPA PRESS)");
- AGENCY: a known agency ("AP", "dpa/lno" is dpa), a broadcaster's call sign, a short source name
  ("jur", "fn-press", "HawaiiNewsNow", "CNN Business"), but no state ("(PA)") and no words ("(the city)");
  WIRE: a wire between slashes, after the date or its full stop ("/PRNewswire/", "March 1. /TASS/.");
- SEPARATOR: a dash (a hyphen, two, an en, em or figure dash, a minus), a colon, a full stop, both (".-"), an
  agency's bracket glued to the text ("(CNN)President…") or, for a known agency, a space ("(IANS) The…"), or the
  end of a line of its own ("WASHINGTON —" above the text).

Or an agency alone ("(Reuters) —", "(EFE).-", "JTA —"), a wire date ("Feb 26, 2019/EqualOcean/-"), the
publication as the source ("PanARMENIAN.Net -"), and the Chinese, Japanese and Korean forms
("【北京=共同】", "(서울=연합뉴스)", "新华社北京2月26日电", "本报讯", "[東京 26日 ロイター] -",
"路透北京2月26日 -").

The text after it must start a sentence; without an agency it must read as sentences. A place in
mixed case before a full stop or a colon alone ("Chemnitz.") is a dateline only when the story names
it as a place ("in Chemnitz"): "Wochenende. Regen." and "Key Takeaway - The…" are no datelines, nor
is a sentence that opens with a place ("In Berlin brennen…").

:func:`find_dateline` looks for it where stories print it: the first paragraph, the first paragraph
after a standfirst or a heading, and an element apart just before the text or its headline, marked as
the dateline (``<span class="dateline">``, ``<span class="location-mark">``) or holding a place and a
date alone (``<span>Bonn, 11.10.2021</span>``). A name the page credits as its author is no place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from lxml import etree

from crawler.dates import MONTH_PATTERN, month_number
from crawler.extract.lexicon import (
    AGENCIES,
    CJK_SOURCE_SUFFIXES,
    DATE_ARTICLES,
    DATELINE_CLASS_WORDS,
    DATELINE_LABELS,
    LOCATIVE_PREPOSITIONS,
    PLACE_SMALL_WORDS,
    ROLES,
    STATE_CODES,
    WEEKDAY_PATTERN,
)
from crawler.page.text import CJK_CHARS, CJK_RE, element_text

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from datetime import datetime

    from lxml.html import HtmlElement

    from crawler.extract.context import PageContext
    from crawler.extract.sitenames import SiteNames


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline: its raw text, and the place, agency and date it names (None when absent)."""

    text: str
    place: str | None
    agency: str | None
    date: str | None


@dataclass(frozen=True)
class Surroundings:
    """What is around a paragraph that may open with a dateline.

    ``following`` is the next paragraphs (the story, when the dateline stands on a line of its own),
    ``text`` the rest of the story, where a place is named as one ("in Potsdam"), and ``site`` the
    publication's names, a dateline's source when one of them opens the text.
    """

    following: str = ""
    text: str = ""
    site: SiteNames | None = None


_KNOWN_AGENCIES = {name.casefold(): name for name in AGENCIES}
# Agencies of Chinese, Japanese and Korean datelines, as they are written there.
_CJK_AGENCIES = tuple(name for name in AGENCIES if CJK_RE.search(name))
_DASH = r"(?:--|[–—―‒−]{1,2}|-(?=\s|$))"
_SEPARATOR = rf"\s*(?:[.:]?\s*{_DASH}|:(?=\s|$)|\.(?=\s|$))"
_DASH_AFTER = re.compile(_DASH)
_SMALL = "|".join(sorted(PLACE_SMALL_WORDS, key=len, reverse=True))
_UPPER = "".join(re.escape(ch) for ch in map(chr, range(0x2000)) if ch.isupper())
_WORD = r"[^\W\d_](?:[\w'’.]|-(?=\w))*"  # a word; a hyphen only inside it ("Miami-Dade")
_CAPITALISED = rf"[{_UPPER}](?:[\w'’]|\.(?!$)|-(?=\w))*"  # a full stop at the end is the separator
_NAME = rf"{_CAPITALISED}(?:/{_CAPITALISED})?"
_PLACE = rf"{_NAME}(?:\s+(?:(?:{_SMALL})\s+){{0,2}}{_NAME}){{0,4}}"
_MONTH = rf"(?i:{MONTH_PATTERN})\b\.?"
_DATE_ONLY = (
    rf"{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:\.|er|º)?\s+(?:de\s+)?{_MONTH}(?:\s+(?:de\s+)?\d{{2,4}})?"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\b"
    rf"|{_MONTH}\s+\d{{4}}"
)
# A day of the week in full, before a date or alone ("LONDON, Tuesday (Reuters) -", "PARIS, lundi 3 mars").
MIN_WEEKDAY = 5  # letters of a day's name in full ("lunes", "Tuesday"); "Mo", "Di" are no datelines' days
_WEEKDAY = "|".join(day for day in WEEKDAY_PATTERN.split("|") if len(day) >= MIN_WEEKDAY)
_DATE = rf"(?i:{_WEEKDAY})\b,?(?:\s+(?:{_DATE_ONLY}))?|{_DATE_ONLY}"
_DATE_ARTICLES = "|".join(DATE_ARTICLES)
# "Tuesday — The…", "Fr, 18. Oktober 2019" name no place
_NUMERAL = re.compile(r"[IVX]+\.?")  # a section's number in Roman numerals: "I.", "IV"
_TIME_WORD = re.compile(rf"(?:{_MONTH}|(?i:{WEEKDAY_PATTERN})\b\.?)")
_REGION = rf"(?!(?i:{MONTH_PATTERN}|{_WEEKDAY})\b){_NAME}(?:\s+{_NAME}){{0,2}}"
_LATIN = re.compile(
    rf"(?:(?P<before>{_DATE_ONLY})\s*[|·•]\s*)?(?P<open>\(\s*)?(?P<place>{_PLACE})(?P<regions>(?:,\s*{_REGION}){{0,2}})"
    rf"(?:(?:,\s*\(?|\s+[-–—]\s+|\s*\()\s*(?:(?i:{_DATE_ARTICLES})\s+)?(?P<date>{_DATE}|\d{{1,2}}(?=\s*\())\s*\)?)?"
    r"(?(open)\s*\))"
    r"(?:\s*(?:--|[–—])?\s*\((?P<agency>[^()\n]{2,40})\)|\.?\s*/(?P<wire>[^/\n\d]{2,40})/)?"
    rf"(?P<separator>{_SEPARATOR}|$|(?<=\))\s*(?=\S))"
)
_AGENCY_ALONE = re.compile(rf"\((?P<agency>[^()\n]{{2,40}})\)(?P<separator>{_SEPARATOR})?")
_WIRE_DATE = re.compile(rf"(?P<date>{_DATE})\s*/(?P<wire>[^/\n\d]{{2,40}})/(?P<separator>{_SEPARATOR})")
_SOURCE = re.compile(
    rf"(?P<open>\()?(?P<source>{_WORD}(?:\s+{_WORD}){{0,3}})(?(open)\))(?P<separator>\s*{_DASH})"
)
_DOMAIN = re.compile(r"[\w-]+\.[a-z]{2,6}", re.IGNORECASE)
_DATE_PARTS = re.compile(
    rf"(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?(?P<m2>{_MONTH})(?:\s+(?:de\s+)?(?P<y2>\d{{2,4}}))?"
    r"|(?P<d3>\d{1,2})\.\s?(?P<m3>\d{1,2})\.\s?(?P<y3>\d{4}|\d{2})"
)
# A source in brackets: one token ("jur", "fn-press", "KNA/iz", "HawaiiNewsNow") or capitalised words.
_SOURCE_TOKEN = re.compile(r"[^\W\d_][\w.&'’-]*(?:/[\w.-]+)?(?:\s+[A-Z][\w.&'’-]*){0,2}")
_CALL_SIGN = re.compile(r"[KW][A-Z]{2,3}")
_AGENCY_SUFFIX = re.compile(r"(?<=[a-z])[A-ZÄÖÜ]$")  # a regional service: "epdÖ" is epd Österreich
_CJK_BRACKETED = re.compile(
    rf"[【\[(（［]\s*(?P<place>[^\s=＝】\])）］]*[{CJK_CHARS}][^\s=＝】\])）］]*?)\s*(?:\d{{1,2}}日\s*)?"
    rf"(?:[=＝]\s*(?P<who>[^】\])）］]{{1,20}}?)|(?P<agency>{'|'.join(_CJK_AGENCIES)}))\s*[】\])）］]"
)
# A Chinese source by what it is: a paper, a website, an agency ("光明日报", "光明网").
_CJK_SOURCE = rf"[\u4e00-\u9fff]{{1,6}}?(?:{'|'.join(CJK_SOURCE_SUFFIXES)})"
_CJK_FILED = re.compile(
    rf"(?P<open>【)?(?P<agency>{'|'.join(_CJK_AGENCIES)}|{_CJK_SOURCE})?(?P<place>[\u4e00-\u9fff]{{2,8}}?)?"
    r"(?:(?P<month>\d{1,2})月(?P<day>\d{1,2})日)?"
    r"(?:[电讯電訊](?(open)】)(?P<byline>\s*[（(]\s*(?:记者|記者|特派记者|通讯员)[^）)]{0,40}[）)])?|(?P<dash>\s*[-–—]))"
)
_SENTENCE_END = re.compile(r"[.!?:…][\"'”’»)]*(?:\s|$)")
_LOCATIVES = "|".join(LOCATIVE_PREPOSITIONS)
_MARKED = etree.XPath(
    "//*[" + " or ".join(f"contains(@class, '{word}')" for word in DATELINE_CLASS_WORDS) + "]"
)
MAX_MARKED = 60  # a dateline printed apart is a short text
# Short texts of their own with a digit: a place and a date apart ("<span>Bonn, 11.10.2021</span>").
_DATED = etree.XPath(
    f"//body//*[not(*)][string-length(normalize-space()) <= {MAX_MARKED}]"
    "[contains(translate(., '0123456789', '##########'), '#')]"
)
# The first texts after an element (outside it), scripts and styles aside.
_FOLLOWING = etree.XPath(
    "following::text()[normalize-space()][not(ancestor::script or ancestor::style)][position() <= 12]"
)
MAX_DATELINE = 120
MARKED_MATCH = 20  # characters of the text after a dateline printed apart that must start the story
MIN_PROSE_WORDS = 6
DESK_WORDS = 2  # an agency and its desk: "CNN Business"
MIN_CAPITALS = 3
MAX_ABBREVIATION = 6  # "Calif." keeps its full stop, "HONDURAS." loses it
STANDFIRST_CHARS = 600  # a first paragraph shorter than this may be a standfirst before the story
LOOKED_AT = 3  # paragraphs that may hold the dateline: the first, after a standfirst, after a heading
EVIDENCE_CHARS = 5000  # how much of the story is searched for a place named as one
CENTURY = 2000  # a two-digit year is in this century


# ----------------------------------------------------------------------------- the grammar


def parse_dateline(
    paragraph: str, reference: datetime, surroundings: Surroundings | None = None
) -> Dateline | None:
    """The dateline opening ``paragraph``, or None; a date without a year takes ``reference``'s year.

    A yearless date that would then fall after ``reference`` is taken in the year before.
    """
    text = paragraph.strip()
    around = surroundings or Surroundings()
    head = text[: MAX_DATELINE + 2]
    return (
        _agency_alone(_AGENCY_ALONE.match(head), text, reference, around)
        or _source(_SOURCE.match(head), text, around)
        or _latin(_LATIN.match(head), text, reference, around)
        or _wire_date(_WIRE_DATE.match(head), text, reference)
        or _cjk(text, reference)
    )


def _rest(match: re.Match[str], text: str, around: Surroundings) -> tuple[str, bool]:
    """The story after the dateline, and whether the dateline stood on a line of its own."""
    rest = text[match.end() :].strip()
    return (rest, False) if rest else (around.following.strip(), True)


def _starts_sentence(text: str) -> bool:
    first = text.lstrip("\"'“”„«»‘’‚(¿¡–—- ")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def _is_prose(text: str) -> bool:
    """Whether ``text`` reads as sentences, not a heading's second half: words and a sentence's end."""
    return len(text.split()) >= MIN_PROSE_WORDS and _SENTENCE_END.search(text) is not None


def _latin(
    match: re.Match[str] | None, text: str, reference: datetime, around: Surroundings
) -> Dateline | None:
    if match is None or match.end() > MAX_DATELINE:
        return None
    place, separator = match["place"], match["separator"].strip() or None
    regions = _regions(match)
    rest, alone = _rest(match, text, around)
    if not _is_place(place) or not _starts_sentence(rest):
        return None
    written = _written_date(match)
    day = _parse_date(written, reference)
    agency = None
    if bracket := match["agency"]:
        if _known_agency(bracket) is None and _named_as_place(bracket, f"{rest} {around.text}"):
            regions.append(bracket.strip())  # a country in brackets: "Rostow (Russland) -"
        elif (agency := _agency(bracket, place)) is None and (
            day is not None or (day := _parse_date(bracket, reference)) is None
        ):
            return None  # brackets holding no agency, place or date: "Paris (the city) -"
    source = agency or (match["wire"].strip() if match["wire"] else None)
    glued = source is not None and separator is None and not alone
    if glued and match["separator"] and _known_agency(match["agency"] or "") is None:
        return None  # a space alone between an agency and the text only after a known one: "(IANS) The…"
    if separator is None and not (glued or (alone and written)):
        return None
    if source is None and not (
        _is_prose(rest) and _stands(match, place, regions, alone, f"{rest} {around.text}")
    ):
        return None
    raw = match[0].strip() if not glued else text[: match.end("agency") + 1]
    return Dateline(raw, _place_name(place, regions), source, day)


def _written_date(match: re.Match[str]) -> str | None:
    """The date a dateline writes, after the place or before it ("05.12.2022 | Paris (dpa) -")."""
    return match["date"] or match["before"]


def _regions(match: re.Match[str]) -> list[str]:
    """The regions after a dateline's place: "Ill.", "United Arab Emirates"."""
    return [region.strip() for region in match["regions"].split(",") if region.strip()]


def _stands(match: re.Match[str], place: str, regions: list[str], alone: bool, story: str) -> bool:
    """Whether a dateline without an agency is one.

    A place with a date is, and one in brackets before the text. Before a colon, a place in capitals
    is (not a speaker and a role: "JANE ROE, HOST:"), one in mixed case only when the story names it
    as a place. Before a dash or a full stop, a place in capitals or with a short region ("Dekalb,
    Ill.") is, and one in mixed case again when the ``story`` names it as a place. On a line of its
    own, only a dash or a full stop may follow it ("WASHINGTON —", "BERLIN.").
    """
    separator = match["separator"] or ""
    colon = ":" in separator
    if _written_date(match) or (match["open"] and not alone):
        return True
    if alone and (colon or not separator):
        return False
    if colon and any(_is_role(region) for region in regions):
        return False
    if _is_capitals(place) or any(map(_is_abbreviation, regions)) or _DASH_AFTER.search(separator):
        return True
    return any(_named_as_place(name, story) for name in (place, *regions))


def _is_abbreviation(region: str) -> bool:
    """Whether a region is written short: "Ill.", "N.M.", "NY"."""
    letters = sum(ch.isalpha() for ch in region)
    return region.endswith(".") or (region.isupper() and letters < MIN_CAPITALS)


def _is_role(word: str) -> bool:
    return word.casefold().rstrip(".") in ROLES


def _named_as_place(place: str, text: str) -> bool:
    """Whether the story names ``place`` (its first part) after a preposition of place: "in Potsdam",
    "bei Lüdenscheid", or the German adjective made of it, "im Steinheimer Becken".
    """
    name = re.escape(place.split("/")[0].rstrip("."))
    return re.search(rf"(?<!\w)(?:{_LOCATIVES})\s+{name}(?:er)?(?!\w)", text[:EVIDENCE_CHARS]) is not None


def _agency_alone(
    match: re.Match[str] | None, text: str, reference: datetime, around: Surroundings
) -> Dateline | None:
    """An agency in brackets before the text: "(Reuters) —", "(EFE).-", "(AP)The…", "(CNN Business)A…", or
    before a place: "(ANSA) - ROMA, 3 MAR -".
    """
    if match is None or (name := _known_agency(match["agency"]) or _desk(match["agency"])) is None:
        return None
    rest, alone = _rest(match, text, around)
    if not _starts_sentence(rest):
        return None
    place = None if alone else _latin(_LATIN.match(rest[: MAX_DATELINE + 2]), rest, reference, around)
    if place is not None and place.agency is None:
        return Dateline(f"{match[0].strip()} {place.text}", place.place, name, place.date)
    return Dateline(match[0].strip(), None, name, None)


def _desk(text: str) -> str | None:
    """A known agency's desk: the agency and a capitalised word ("CNN Business", "Reuters Health"); else None."""
    words = text.split()
    known = len(words) == DESK_WORDS and _known_agency(words[0]) is not None and words[1][0].isupper()
    return " ".join(words) if known else None


def _wire_date(match: re.Match[str] | None, text: str, reference: datetime) -> Dateline | None:
    """A press release's date and wire: "NEW YORK, Nov. 20, 2026 /PRNewswire/ --" without the place."""
    if match is None or not text[match.end() :].strip():
        return None
    return Dateline(match[0].strip(), None, match["wire"].strip(), _parse_date(match["date"], reference))


def _source(match: re.Match[str] | None, text: str, around: Surroundings) -> Dateline | None:
    """The publication or an agency as the source, opening the text: "PanARMENIAN.Net -",
    "(Motorsport-Total.com) -", "JTA —".
    """
    if match is None:
        return None
    agency = _known_agency(match["source"])
    source = agency or match["source"]
    named = agency or _DOMAIN.fullmatch(source) or (around.site is not None and around.site.is_name(source))
    rest, _ = _rest(match, text, around)
    if not named or not _starts_sentence(rest) or not _is_prose(rest):
        return None
    return Dateline(match[0].strip(), None, source, None)


def _known_agency(text: str) -> str | None:
    """The known agencies named in brackets, in their own spelling ("dpa/lhe" gives "dpa"); else None."""
    parts = [_AGENCY_SUFFIX.sub("", part.strip()) for part in text.split("/")]
    known = [_KNOWN_AGENCIES[part.casefold()] for part in parts if part.casefold() in _KNOWN_AGENCIES]
    return "/".join(known) or None


def _agency(text: str, place: str) -> str | None:
    """The agency named in brackets: a known one, a call sign after a place in capitals, or a short source
    name; None for a state or a phrase.
    """
    text = text.strip()
    if known := _known_agency(text):
        return known
    if _CALL_SIGN.fullmatch(text):
        return text if _is_capitals(place) else None
    if len(text) < MIN_CAPITALS or text.upper() in STATE_CODES or not _SOURCE_TOKEN.fullmatch(text):
        return None
    return text


def _is_capitals(text: str | None) -> bool:
    """Whether ``text`` is a name in capitals ("LONDON"), of at least three letters."""
    return text is not None and sum(ch.isalpha() for ch in text) >= MIN_CAPITALS and text.upper() == text


def _is_place(place: str) -> bool:
    """Whether ``place`` reads as a place name: capitalised words but for small ones, and not a label, a
    month, a day or a section's number ("II.").
    """
    if any(word.strip(".:") in DATELINE_LABELS for word in place.casefold().split()):
        return False
    if _TIME_WORD.fullmatch(place) or _NUMERAL.fullmatch(place):
        return False
    return all(word[0].isupper() or word in PLACE_SMALL_WORDS for word in place.split())


def _natural(text: str, *, region: bool = False) -> str:
    """A name in capitals in natural case ("NEW YORK" -> "New York", "RIO DE JANEIRO" -> "Rio de Janeiro").

    A final full stop is dropped unless it ends an abbreviation ("Calif.", "Fla."); a region's short
    abbreviation stays in capitals ("NY", "DC").
    """
    if text.endswith(".") and len(text.split()[-1]) > MAX_ABBREVIATION:
        text = text[:-1]
    if not _is_capitals(text) and not (region and text.isupper()):
        return text
    if region and len(text.replace(".", "")) <= 2:
        return text
    words = text.title().split()
    return " ".join(
        word.lower() if index and word.lower() in PLACE_SMALL_WORDS else word
        for index, word in enumerate(words)
    )


def _place_name(place: str, regions: list[str]) -> str:
    return ", ".join([_natural(place), *(_natural(region, region=True) for region in regions)])


def _parse_date(text: str | None, reference: datetime) -> str | None:
    """An ISO day from a dateline's date; None for none, or a month without a day ("Januar 2021")."""
    match = _DATE_PARTS.search(text or "")
    if match is None:
        return None
    for index in "123":
        if match[f"m{index}"]:
            raw = match[f"m{index}"]
            month = int(raw) if raw.isdigit() else month_number(raw)
            year = int(match[f"y{index}"]) if match[f"y{index}"] else None
            full = year + CENTURY if year is not None and year < CENTURY else year
            return _resolve(full, month, int(match[f"d{index}"]), reference)
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
    if match["dash"] and not (match["agency"] and match["month"]):
        return None  # before a dash, only an agency with a date: "路透北京2月26日 -"
    if not (match["place"] or match["agency"]):
        return None
    day = _resolve(None, int(match["month"]), int(match["day"]), reference) if match["month"] else None
    return Dateline(match[0].strip(), match["place"], match["agency"], day)


# ----------------------------------------------------------------------------- where stories print it


def find_dateline(
    page: PageContext, paragraphs: list[str], title: str | None = None, authors: Sequence[str] = ()
) -> Dateline | None:
    """The dateline opening the story of ``page``, whose body is ``paragraphs``; None when it has none.

    Looked for in the first paragraph, in the one after a standfirst or a heading, then in an element
    printed apart just before the text. A name the page credits as an author (``authors``) is no place:
    "Jane Doe, 01.12.2021" above the story is a byline.
    """
    credited = {author.casefold() for author in authors}
    for found in _candidates(page, paragraphs, title):
        if found.place is None or found.place.casefold() not in credited:
            return found
    return None


def _candidates(page: PageContext, paragraphs: list[str], title: str | None) -> Iterator[Dateline]:
    """The datelines that may open the story, where stories print them, in that order."""
    extra = " ".join(part for part in (title, page.metadata.description) if part)
    site = page.site_names
    for index in _looked_at(paragraphs):
        around = Surroundings(
            following=" ".join(paragraphs[index + 1 : index + 3]),
            text=" ".join([*paragraphs[index + 1 :], extra])[:EVIDENCE_CHARS],
            site=site,
        )
        if found := parse_dateline(paragraphs[index], page.fetched, around):
            yield found
    yield from _apart(page.tree, paragraphs[:LOOKED_AT], title, page.fetched)


def _looked_at(paragraphs: list[str]) -> list[int]:
    """The paragraphs that may open the story: the first; the next after a standfirst or heading; a third
    after two headings.
    """
    looked = [0] if paragraphs else []
    for index in range(1, min(LOOKED_AT, len(paragraphs))):
        before = paragraphs[:index]
        if len(paragraphs[index - 1]) > STANDFIRST_CHARS or sum(map(_is_prose, before)) > 1:
            break
        looked.append(index)
    return looked


def _apart(
    tree: HtmlElement, paragraphs: list[str], title: str | None, reference: datetime
) -> Iterator[Dateline]:
    """A dateline printed apart, just before the story's text or its headline: in an element marked as
    the dateline (its class says so), or a place and a date in an element of their own.
    """
    starts = [_squeezed(paragraph) for paragraph in paragraphs if paragraph]
    headline = _squeezed(title or "")
    marked = _MARKED(tree)
    for element in [*marked, *_DATED(tree)]:
        raw = element_text(element)
        match = _LATIN.fullmatch(re.sub(rf"{_SEPARATOR}$", "", raw).strip())
        if match is None or len(raw) > MAX_MARKED or not _is_place(match["place"]):
            continue
        if not (match["date"] or element in marked):
            continue
        after = _squeezed("".join(_FOLLOWING(element))).removeprefix(headline)[:MARKED_MATCH]
        if after and any(start.removeprefix(_squeezed(raw)).startswith(after) for start in starts):
            regions = _regions(match)
            agency = _agency(match["agency"], match["place"]) if match["agency"] else None
            day = _parse_date(_written_date(match), reference)
            yield Dateline(raw, _place_name(match["place"], regions), agency, day)


def _squeezed(text: str) -> str:
    """``text`` without white space, to compare texts read from different places of a page."""
    return "".join(text.split())
