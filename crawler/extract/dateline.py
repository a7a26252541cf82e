"""Datelines: the place, agency and date that open a news story ("BEIJING, Feb 26 (Reuters) -")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline: its raw text, and the place, agency and date it names (None when absent)."""

    text: str
    place: str | None
    agency: str | None
    date: str | None


def parse_dateline(first_paragraph: str, reference: datetime) -> Dateline | None:
    """The dateline opening ``first_paragraph``, or None; a date without a year takes ``reference``'s year."""
    return None
