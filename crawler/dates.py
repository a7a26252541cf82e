"""Date strings from pages, sitemaps and feeds, normalised to ISO 8601 with their own precision."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from operator import itemgetter
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

T = TypeVar("T")

logger = logging.getLogger(__name__)

_MAX_DATE_LENGTH = 100
_ISO_DATE = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:[Tt ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r" ?(?P<zone>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?)?)?"
)
# Zones RFC 822 parsing leaves naive (email.utils knows only UT/GMT/Z and the US zones).
_EXTRA_ZONES = {
    "-0000": 0,
    "UTC": 0,
    "WET": 0,
    "WEST": 60,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "MET": 60,
    "MEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "IST": 330,
    "JST": 540,
    "KST": 540,
    "AEST": 600,
    "AEDT": 660,
}
# Month names in English, German, French, Spanish, Italian, Portuguese, Dutch and Turkish, full and
# abbreviated (Turkish also without its dotless i and cedillas, as capitals often lose them).
_MONTH_NAMES = (
    "january jan jänner jaenner januar janv janvier enero ene gennaio gen janeiro januari ocak",
    "february feb februar feber févr fevr février fevrier febrero febbraio fevereiro fev februari şubat subat",
    "march mar märz maerz mrz mär mars marzo março marco maart mrt mart",
    "april apr avril avr abril abr aprile nisan",
    "may mai mayo maggio mag maio mei mayıs mayis",
    "june jun juni juin junio giugno giu junho haziran",
    "july jul juli juillet juil julio luglio lug julho temmuz",
    "august aug août aout agosto ago augustus ağustos agustos",
    "september sep sept septembre septiembre setiembre settembre set setembro eylül eylul",
    "october oct okt oktober octobre octubre ottobre ott outubro out ekim",
    "november nov novembre noviembre novembro kasım kasim",
    "december dec dez dezember décembre decembre déc diciembre dic dicembre dezembro aralık aralik",
)
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names.split()
}
# A month name (longest first, so that "juillet" is not read as "jul"), as a regex alternation.
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"(?<![\w.])(?:(?P<iso_year>\d{{4}})[-/](?P<iso_month>\d{{1,2}})[-/](?P<iso_day>\d{{1,2}})"
    rf"|(?P<num_day>\d{{1,2}})\.\s?(?P<num_month>\d{{1,2}})\.\s?(?P<num_year>\d{{4}}|\d{{2}})"
    rf"|(?P<dmy_day>\d{{1,2}})(?:\.|er|º)?\s*(?:de\s+)?(?P<dmy_month>{MONTH_PATTERN})\b\.?,?\s*"
    rf"(?:de\s+|del\s+)?(?P<dmy_year>\d{{4}})"
    rf"|(?P<mdy_month>{MONTH_PATTERN})\b\.?\s+(?P<mdy_day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_year>\d{{4}}))"
    r"(?!\w|\.\d)",
    re.IGNORECASE,
)


def normalise_date(text: str | None) -> str | None:
    """Normalise a W3C/ISO 8601 or RFC 822 date to ISO 8601, keeping its precision; None if invalid.

    ``"2026-11"`` stays ``"2026-11"``, ``"2026-11-20T08:00Z"`` becomes ``"2026-11-20T08:00+00:00"``,
    ``"Fri, 20 Nov 2026 08:00:00 GMT"`` becomes ``"2026-11-20T08:00:00+00:00"``. Times without a
    zone are returned without an offset.
    """
    if text is None:
        return None
    text = text.strip()
    if not text or len(text) > _MAX_DATE_LENGTH:
        return None
    try:
        match = _ISO_DATE.fullmatch(text)
        if match is not None:
            return _iso_date(match)
        return _rfc822_date(text)
    except (ValueError, TypeError, OverflowError, IndexError):
        logger.debug("Unparseable date %r", text)
        return None


def month_number(name: str) -> int | None:
    """The month (1-12) a month name or abbreviation stands for ("Feb", "März", "janv."), else None."""
    return MONTHS.get(name.strip().rstrip(".").lower())


def text_date(text: str) -> str | None:
    """The first calendar date written out in ``text``, as ``YYYY-MM-DD``; None when there is none.

    Reads ``2020-04-28``, ``28.04.2020`` (day first), ``5. November 2021``, ``3 de mayo de 2022`` and
    ``January 19, 2020``; a two-digit year is taken in this century.
    """
    for match in _TEXT_DATE.finditer(text):
        if (found := _calendar_date(match)) is not None:
            return found
    return None


def _calendar_date(match: re.Match[str]) -> str | None:
    kind = next(kind for kind in ("iso", "num", "dmy", "mdy") if match[f"{kind}_year"] is not None)
    month = match[f"{kind}_month"]
    year = int(match[f"{kind}_year"])
    try:
        number = int(month) if month.isdigit() else month_number(month) or 0
        return date(year + 2000 if year < 100 else year, number, int(match[f"{kind}_day"])).isoformat()
    except ValueError:
        return None


def _iso_date(match: re.Match[str]) -> str:
    year, month, day = match["year"], match["month"], match["day"]
    if day is None:
        date(int(year), int(month or 1), 1)  # validates; raises ValueError for year 0 or month 13
        return year if month is None else f"{year}-{month}"
    if match["hour"] is None:
        return date(int(year), int(month), int(day)).isoformat()
    zone = match["zone"]
    tzinfo: timezone | None = None
    if zone is not None:
        if zone in ("Z", "z"):
            tzinfo = UTC
        else:
            digits = zone[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            if minutes >= 60:
                raise ValueError(f"invalid offset {zone!r}")
            offset = timedelta(hours=hours, minutes=minutes)
            tzinfo = timezone(-offset if zone[0] == "-" else offset)
    fraction = match["fraction"] or ""
    moment = datetime(
        int(year),
        int(month),
        int(day),
        int(match["hour"]),
        int(match["minute"]),
        int(match["second"] or 0),
        int(fraction[:6].ljust(6, "0")) if fraction else 0,
        tzinfo=tzinfo,
    )
    if match["second"] is None:
        timespec = "minutes"
    elif not fraction:
        timespec = "seconds"
    else:
        timespec = "milliseconds" if len(fraction) <= 3 else "microseconds"
    return moment.isoformat(timespec=timespec)


def _rfc822_date(text: str) -> str:
    moment = parsedate_to_datetime(text)
    if moment.tzinfo is None:
        zone = text.split()[-1].upper()
        minutes = _EXTRA_ZONES.get(zone)
        if minutes is not None:
            moment = moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    return moment.isoformat(timespec="seconds")


def date_value(iso: str) -> datetime:
    """A comparable UTC datetime for an ISO string from :func:`normalise_date` (naive values taken as UTC)."""
    if len(iso) == 4:
        iso += "-01-01"
    elif len(iso) == 7:
        iso += "-01"
    parsed = datetime.fromisoformat(iso)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def is_after(iso: str, moment: datetime) -> bool:
    """Whether the date ``iso`` lies after ``moment`` (a day-precision date counts from its start)."""
    return date_value(iso) > moment


def utc_now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def utc_iso(iso: str) -> str:
    """An ISO date from :func:`normalise_date` as UTC to the second, so that dates compare as text."""
    return date_value(iso).isoformat(timespec="seconds")


def newest(*dates: str | None) -> str | None:
    """The latest of some ISO dates from :func:`normalise_date`; None when none is given."""
    given = [date for date in dates if date]
    return max(given, key=date_value) if given else None


def newest_first(items: Iterable[T], date_of: Callable[[T], str | None]) -> list[T]:
    """``items`` by the ISO date ``date_of`` gives each, newest first; undated ones last, in their order."""
    items = list(items)
    dated = [(date_value(date), item) for item in items if (date := date_of(item))]
    dated.sort(key=itemgetter(0), reverse=True)  # stable: equal dates keep their order
    return [item for _, item in dated] + [item for item in items if not date_of(item)]
