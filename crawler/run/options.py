"""Per-run options given as spider arguments: mode, date cutoff and what to do with the crawl state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from crawler.config import ConfigError
from crawler.dates import date_value, normalise_date

MODES = ("articles", "archive")
STATE_MODES = ("use", "reset", "ignore")


class RunOptionError(ConfigError):
    """A spider argument or setting with a value that cannot be used; the message says what was expected."""


@dataclass(frozen=True)
class RunOptions:
    """How this run crawls: ``mode``, the ``since`` cutoff (UTC) and the ``state`` mode."""

    mode: str = "articles"
    since: datetime | None = None
    state: str = "use"

    @classmethod
    def parse(
        cls, mode: str | None, since: str | None, since_days: str | None, state: str | None, now: datetime
    ) -> RunOptions:
        """Read ``-a mode=…``, ``-a since=YYYY-MM-DD``, ``-a since_days=N`` and ``-a state=…``."""
        mode = mode or "articles"
        if mode not in MODES:
            raise RunOptionError(f"argument mode: {mode!r}; expected one of {', '.join(MODES)}")
        state = state or "use"
        if state not in STATE_MODES:
            raise RunOptionError(f"argument state: {state!r}; expected one of {', '.join(STATE_MODES)}")
        if since and since_days:
            raise RunOptionError("arguments since and since_days: give one of them, not both")
        cutoff = None
        if since:
            iso = normalise_date(since)
            if iso is None:
                raise RunOptionError(f"argument since: {since!r}; expected a date such as 2026-11-01")
            cutoff = date_value(iso)
        elif since_days:
            try:
                days = float(since_days)
            except ValueError:
                days = -1
            if days < 0:
                raise RunOptionError(f"argument since_days: {since_days!r}; expected a number of days >= 0")
            cutoff = now - timedelta(days=days)
        return cls(mode=mode, since=cutoff, state=state)

    def too_old(self, iso_date: str | None) -> bool:
        """Whether a date is before the cutoff (unknown dates are never too old)."""
        if self.since is None or not iso_date:
            return False
        iso = normalise_date(iso_date)
        if iso is None:
            return False
        day_precision = len(iso) <= 10  # a day-precision date counts until the end of that day
        value = date_value(iso) + (timedelta(days=1) if day_precision else timedelta(0))
        return value <= self.since
