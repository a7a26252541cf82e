"""Author names from one byline string: labels, roles, dates and organisations dropped, names split.

A credit is an author too: a news agency ("dpa", "AP"), the publication itself when the page credits
it ("DER SPIEGEL", "ORF.at") and a desk or team it names ("MM-Redaktion", "Everfit Team"); a label
that names nobody ("Staff", "Redaktion", "Editorial Team") is not.

A byline is the text author names came in: a line of the article ("By Jane Doe and John Roe"), a
byline element's text ("von Rudolf Fischer, Simon Kohler · 3 min") or a metadata value ("Glen Owen
And Brendan Carlin For The Mail On Sunday"). Names are kept as written; anything that is not
clearly a person's name or a credit is dropped, so that an empty list is returned rather than a wrong name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise

from crawler.dates import MONTH_PATTERN
from crawler.extract.lexicon import (
    AFFILIATION_WORDS,
    AGENCIES,
    AGO_WORDS,
    ARTICLE_WORDS,
    AUTHOR_NOUN_PATTERN,
    BARE_AUTHOR_NOUN_PATTERN,
    BY_PATTERN,
    CJK_AUTHOR_LABELS,
    CJK_NAME_SUFFIXES,
    COMMENT_VERBS,
    DATE_PREPOSITIONS,
    DEGREES,
    DESK_QUALIFIERS,
    DESK_WORDS,
    DURATION_UNITS_PATTERN,
    GENERIC_PHRASES,
    GENERIC_WORDS,
    INTERFACE_WORDS,
    LABEL_WORD_PATTERN,
    LOWER_CASE_NAME_CONNECTORS,
    NAME_CONNECTORS,
    NAME_END_PATTERN,
    ORGANISATION_CODES,
    ORGANISATION_ENDINGS,
    ORGANISATION_WORDS,
    OTHER_CREDIT_PATTERN,
    PARTICLES,
    PLACE_PREPOSITIONS,
    PLACEHOLDER_WORDS,
    ROLE_ENDINGS,
    ROLE_MODIFIERS,
    ROLES,
    TEXT_SIZE_WORDS,
    WEEKDAY_PATTERN,
)
from crawler.page.text import CJK_CHARS, normalise

# ----------------------------------------------------------------------------- patterns

_LEAD = r"^[\s*•·\-–—~|>»]*"
LABEL_RE = re.compile(
    _LEAD + rf"(?:(?:(?:{LABEL_WORD_PATTERN})\s+){{0,4}}(?:{BY_PATTERN})\b\s*:?"
    rf"|(?:{AUTHOR_NOUN_PATTERN})\s*[:：]"
    rf"|(?:{BARE_AUTHOR_NOUN_PATTERN})(?![\w*:_])"
    rf"|(?:{'|'.join(CJK_AUTHOR_LABELS)})\s*[/／|｜:：]?)\s*",
    re.IGNORECASE,
)
# A field label and its colon: a word, two joined by "and", or a word and "by" ("Autor:", "Text und
# Interview:", "Übersetzt von:", "Destinataire :").
FIELD_RE = re.compile(
    rf"(?<!\S)((?:[^\W\d_][^\s:：]*\s+)?(?:{BY_PATTERN})"
    r"|[^\W\d_][^\s:：]*(?:\s(?:und|and|et|y|e|&)\s[^\W\d_][^\s:：]*)?)"
    r"\s?[:：](?=\s|$)",
    re.IGNORECASE,
)
_FIELD_NOUN = rf"(?:{AUTHOR_NOUN_PATTERN})(?:[*:_]in(?:nen)?)?"
AUTHOR_FIELD_RE = re.compile(
    rf"(?:(?:{LABEL_WORD_PATTERN})\s+)*"
    rf"(?:{BY_PATTERN}|{_FIELD_NOUN}(?:\s+(?:and|und|et|y|e|&)\s+{_FIELD_NOUN})?)",
    re.IGNORECASE,
)
# "Disko Von Ernst Lohoff": a label after a rubric, found in byline elements only.
INNER_LABEL_RE = re.compile(r"\s(?:[Bb]y|BY|Von|VON|[Pp]ar|PAR|[Pp]or|POR|[Dd]oor|[Pp]rzez)\s+(?=[^\W\d_])")
# Labels of people who are not the authors: the segment they start is dropped.
OTHER_CREDIT_RE = re.compile(_LEAD + rf"(?:(?:additional\s+)?(?:{OTHER_CREDIT_PATTERN})\b)", re.IGNORECASE)
_DATE = (
    rf"(?:\b(?:{WEEKDAY_PATTERN})\.?,?\s+)?"
    r"(?:\d{1,4}[./-]\d{1,2}(?:[./-]\d{2,4})?\b"
    r"|\d{1,2}:\d{2}(?:\s*(?:[ap]\.?m\b\.?|uhr\b|h\b))?"
    rf"|(?:\d{{1,2}}\.?\s+)?\b(?:{MONTH_PATTERN})\.?\s+\d{{1,4}}\b,?(?:\s+\d{{4}})?"
    rf"|\b(?:{'|'.join(DATE_PREPOSITIONS)})\s+\d+)"
)
# Separators between the parts of a byline element ("By Jane Doe | 3 min read · 12 May 2020"):
# punctuation set off by spaces, and dates and times.
SEGMENT_RE = re.compile(rf"\s*(?:[|•·\n\t]|\s[-–—]\s|\s\+\s|{_DATE})\s*", re.IGNORECASE)
# Where the names of a segment end: "Updated", "min read", a photo credit, an affiliation ("for X").
CUT_RE = re.compile(
    rf"\s*(?:\d+\s*(?:{DURATION_UNITS_PATTERN})\b"
    rf"|\b(?:{'|'.join(AGO_WORDS)})\s+\d|\bago\b"
    rf"|\b(?:{NAME_END_PATTERN})\b"
    r"|©|\(c\)|\bcopyright\b"
    rf"|\s(?:{'|'.join(AFFILIATION_WORDS)})\s|\s(?-i:{'|'.join(PLACE_PREPOSITIONS)})\s).*$",
    re.IGNORECASE | re.DOTALL,
)
PAREN_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|（[^（）]*）")
# Connectors between names; the short ones only in lower case ("Y." may be an initial).
_CONNECTORS = f"(?i:{'|'.join(NAME_CONNECTORS)})|{'|'.join(LOWER_CASE_NAME_CONNECTORS)}"
CONNECTOR_RE = re.compile(rf"\s*(?:;|&|\+|/|、|，|・|\s(?:{_CONNECTORS})\s)\s*")
COMMA_RE = re.compile(r"\s*,\s*")
HANDLE_RE = re.compile(r"(?<!\w)@\w+")
LINK_RE = re.compile(r"(?:https?:)?//\S+|www\.\S+|\S+@\S+\.\w+|\S+\[at\]\S+", re.IGNORECASE)
URLISH_RE = re.compile(
    r"@|(?-i:\b[a-z]{2,}\.[a-z]{2,}\b)|^[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{2,6})/?$"
    r"|\.(?:com|net|org|de|at|ch|fr|uk|info|io)\b",
    re.IGNORECASE,
)
COMMENT_RE = re.compile(rf"\b(?:{'|'.join(COMMENT_VERBS)})\s*:?$", re.IGNORECASE)
CJK_NAME_RE = re.compile(f"^[{CJK_CHARS}·]+$")
CJK_SUFFIX_RE = re.compile(f"(?:{'|'.join(CJK_NAME_SUFFIXES)})$")
MAX_BYLINE_LINE = 150
MIN_SIZE_WORDS = 2  # "Small Medium" is a text-size control; "Jane Small" a name
MAX_DESK_WORDS = 4  # "TOI Lifestyle Desk"; a longer text with a desk's word is a sentence or an address
INITIALS_RE = re.compile(r"[A-Z]{2,3}")
FOOTNOTE_RE = re.compile(r"[\d,*†‡]{1,4}")
_ABBREVIATION_END_RE = re.compile(r"(?:\b\w{1,3}\.)$")
_EDGE = " \t,:;|*-–—~/\\#\"'“”„‟«»‹›<>=+!?→←↗"
_AGENCIES = frozenset(name.casefold() for name in AGENCIES)
_MONTH_RE = re.compile(MONTH_PATTERN, re.IGNORECASE)


class Kind(Enum):
    """What one part of a byline turned out to be."""

    NAME = "name"
    NOISE = "noise"  # known not to be a name: an agency, a place, an e-mail address…
    ROLE = "role"  # a job title: what follows it in the same group is its affiliation
    GARBAGE = "garbage"  # unrecognised words: a sentence, a headline…
    COMMENT = "comment"  # "Jane says": a comment's author, not the article's


# ----------------------------------------------------------------------------- helpers


def name_key(text: str) -> str:
    """A loose key for comparing names: case, Unicode forms, punctuation and spaces ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def _pieces(word: str) -> set[str]:
    """A word and its hyphen-separated pieces, case-folded and without edge punctuation."""
    folded = word.strip(_EDGE + ".").casefold()
    return {folded, *folded.split("-")}


def _is_role(word: str) -> bool:
    pieces = _pieces(word)
    return not pieces.isdisjoint(ROLES) or any(
        len(piece) > len(ending) + 2 and piece.endswith(ending) for piece in pieces for ending in ROLE_ENDINGS
    )


def _is_modifier(word: str) -> bool:
    return word.strip(_EDGE).casefold() in ROLE_MODIFIERS


def _strip_edges(text: str) -> str:
    """Text without surrounding punctuation; a final dot stays after an abbreviation ("Jr.", "R.")."""
    text = text.strip(_EDGE)
    while text.endswith(".") and not _ABBREVIATION_END_RE.search(text):
        text = text[:-1].rstrip(_EDGE)
    return text.lstrip(".").strip()


def _is_size_control(part: str) -> bool:
    """Whether ``part`` is a text-size control: two of its words or more name sizes ("Size Small Medium Large")."""
    return sum(word.strip(_EDGE).casefold() in TEXT_SIZE_WORDS for word in part.split()) >= MIN_SIZE_WORDS


def _drop_interface(words: list[str]) -> list[str]:
    start, end = 0, len(words)
    while start < end and words[start].strip(_EDGE).casefold() in INTERFACE_WORDS:
        start += 1
    while end > start and (
        words[end - 1].strip(_EDGE).casefold() in INTERFACE_WORDS or words[end - 1] in PARTICLES
    ):
        end -= 1
    return words[start:end]


def _drop_roles(words: list[str]) -> tuple[list[str], bool]:
    """The words without leading or trailing job titles, and whether a title was dropped."""
    start = 0
    while start < len(words) and (_is_role(words[start]) or _is_modifier(words[start])):
        start += 1
    if start and start < len(words) and not _is_role(words[start - 1]):
        start = 0  # modifiers alone ("Senior") are no title: keep the words
    for index in range(start, len(words)):
        if _is_role(words[index]):
            end = index
            while end > start and _is_modifier(words[end - 1]):
                end -= 1
            return words[start:end], True
    return words[start:], start > 0


def is_agency(text: str) -> bool:
    """Whether ``text`` names news agencies only ("dpa", "Associated Press", "AFP/dpa")."""
    words = re.split(r"[\s/]+", text.strip(_EDGE))
    return text.casefold() in _AGENCIES or all(word.strip(_EDGE).casefold() in _AGENCIES for word in words)


def _is_named_desk(text: str) -> bool:
    """Whether ``text`` is a desk or team with a name of its own ("MM-Redaktion", "TOI Lifestyle Desk",
    "The Investopedia Team"), not a label alone ("Redaktion", "Editorial Team", "News Desk", "Staff Writer")
    nor a placeholder ("NOC Admin").
    """
    pieces = [piece for word in text.split() for piece in word.strip(_EDGE).split("-") if piece]
    if not pieces or len(pieces) > MAX_DESK_WORDS:
        return False
    folded = [piece.casefold() for piece in pieces]
    if any(piece in PLACEHOLDER_WORDS or _MONTH_RE.fullmatch(piece) for piece in folded):
        return False
    named = [
        piece
        for piece, fold in zip(pieces, folded, strict=True)
        if fold not in GENERIC_WORDS | ORGANISATION_WORDS | ARTICLE_WORDS | DESK_QUALIFIERS
        and not _is_role(piece)
        and not _is_modifier(piece)
    ]
    desk = any(piece in DESK_WORDS for piece in folded)
    return desk and bool(named) and all(piece[0].isupper() and piece.isalpha() for piece in named)


def is_credit(text: str, site: frozenset[str] = frozenset()) -> bool:
    """Whether ``text`` credits an agency, the publication (one of the ``site`` keys) or a named desk."""
    return is_agency(text) or name_key(text) in site or _is_named_desk(text)


def is_organisation(text: str) -> bool:
    """Whether ``text`` names an agency, a desk, a placeholder or an organisation: no person's name."""
    folded = text.casefold()
    if folded in _AGENCIES or folded in GENERIC_PHRASES:
        return True
    words = text.split()
    if len(words) == 1 and "admin" in folded:
        return True  # "wpadmin", "Wordpressadmin": the CMS's default account
    if all(word.strip(_EDGE).casefold() in _AGENCIES for word in words):
        return True
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 5 and words[0].isalpha():
        return True  # an acronym: "ARD", "NDR", "ERBOL"
    return any(word in ORGANISATION_CODES for word in words) or any(
        not _pieces(word).isdisjoint(ORGANISATION_WORDS | GENERIC_WORDS)
        or word.casefold().endswith(ORGANISATION_ENDINGS)
        for word in words
    )


def _is_name(words: list[str], *, alone: bool, lenient: bool) -> bool:
    """Whether the words look like a person's name: one word only ``alone``, a user name only if ``lenient`` too."""
    text = " ".join(words)
    if not words or len(words) > 6 or len(text) > 60:
        return False
    if len(words) == 1 and CJK_NAME_RE.match(text):
        return 2 <= len(text) <= 6
    user_name = alone and lenient and len(words) == 1
    if any(ch.isdigit() for ch in text):
        return user_name and any(ch.isalpha() for ch in text)
    for word in words:
        if not word[0].isalpha() or not all(
            ch.isalpha() or ch in ".'’-" or (user_name and ch == "_") for ch in word
        ):
            return False
        if word[0].islower() and word not in PARTICLES and not user_name:
            return False
    return len(words) > 1 or alone


def _classify(part: str, site: frozenset[str], *, alone: bool, lenient: bool) -> tuple[Kind, str]:
    """What one part of a byline is, and the name or credit in it when it holds one."""
    part = _strip_edges(part)
    if not part:
        return Kind.NOISE, ""
    if COMMENT_RE.search(part):
        return Kind.COMMENT, ""
    if name_key(part) in site:
        return Kind.NAME, part  # the publication credited as written: "ORF.at", "DER SPIEGEL"
    if URLISH_RE.search(part) or part.casefold() in GENERIC_PHRASES or _is_size_control(part):
        return Kind.NOISE, ""
    words = [
        word for word in CJK_SUFFIX_RE.sub("", part).split() if word.strip(_EDGE).casefold() not in DEGREES
    ]
    while len(words) > 2 and FOOTNOTE_RE.fullmatch(words[-1]):
        words.pop()  # an affiliation's mark: "Jane Doe 1"
    words, titled = _drop_roles(_drop_interface(words))
    name = _strip_edges(" ".join(_drop_interface(words)))
    kind = Kind.ROLE if titled else Kind.NOISE
    if sum(word.islower() and word not in PARTICLES for word in name.split()) >= 2:
        return Kind.GARBAGE, ""  # a sentence: "the company will"
    if name and is_credit(name, site):
        return Kind.NAME, name
    if not name or is_organisation(name) or (name.islower() and len(name) <= 3):
        return kind, ""
    if titled and len(name.split()) < 2:
        return kind, ""  # "Rasender Reporter": a pen name with a title, not a name
    if _is_name(name.split(), alone=alone, lenient=lenient):
        return (kind if titled else Kind.NAME), name
    return (Kind.NOISE if len(name.split()) == 1 else Kind.GARBAGE), ""


def _split_cjk(part: str) -> list[str]:
    """Names written in Chinese or Japanese are separated by spaces alone."""
    words = part.split()
    return words if len(words) > 1 and all(CJK_NAME_RE.match(word) for word in words) else [part]


def _split_avatars(part: str) -> list[str]:
    """Names each led by its avatar's initials ("LP Luana Patriolino RF Raphael Felice"), apart and without them."""
    words = part.split()
    starts = [
        index
        for index, word in enumerate(words)
        if INITIALS_RE.fullmatch(word)
        and "".join(following[0] for following in words[index + 1 : index + 1 + len(word)]) == word
    ]
    if not starts:
        return [part]
    lead = [" ".join(words[: starts[0]])] if starts[0] else []
    return lead + [" ".join(words[start + 1 : end]) for start, end in pairwise([*starts, len(words)])]


def _groups(segment: str) -> list[list[str]]:
    """A segment's parts: groups joined by "and" (or ";", "/"…), each a list of comma-separated parts."""
    return [
        [
            part
            for piece in COMMA_RE.split(group)
            for name in _split_avatars(piece)
            for part in _split_cjk(name)
        ]
        for group in CONNECTOR_RE.split(CUT_RE.sub("", segment))
    ]


def _group_names(parts: list[str], site: frozenset[str], *, alone: bool, lenient: bool) -> list[str] | None:
    """The names in a group; None for a comment's author or, unless ``lenient``, a group starting with other words.

    A job title or other words after a name end the names: they are an affiliation ("Jane Doe, Senior
    Editor, Example Corp").
    """
    names: list[str] = []
    for index, part in enumerate(parts):
        kind, name = _classify(part, site, alone=alone, lenient=lenient)
        if kind is Kind.COMMENT or (kind is Kind.GARBAGE and not lenient and not names):
            return None
        if name and not (kind is Kind.ROLE and index):
            names.append(name)
        if kind is Kind.ROLE or (kind is Kind.GARBAGE and index):
            break
    return names


def _starts_names(segment: str, label: re.Match[str]) -> bool:
    """Whether an inner "by" introduces the authors: a capital follows, and no other credit precedes it."""
    before = segment[: label.start()].split()
    return segment[label.end()].isupper() and not (before and OTHER_CREDIT_RE.match(before[-1]))


def _fields(segment: str) -> list[tuple[str | None, str]]:
    """A segment cut at its field labels ("Text: A Foto: B"): the text before them, then each label and its value."""
    parts = FIELD_RE.split(segment)
    return [(None, parts[0]), *((parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2))]


def _segments(text: str, lenient: bool) -> list[tuple[bool, str]]:
    """The segments of a byline, each with whether an author label started it, labels removed.

    The value of a field whose label is not an author label ("Foto:", "Datum:", "Quelle:") is dropped.
    """
    segments: list[tuple[bool, str]] = []
    pending: bool | None = False  # after a label alone: True labels the next segment, None drops it
    for piece in SEGMENT_RE.split(text):
        pending = bool(pending)  # a dropped field's value ends with its segment
        for label, value in _fields(piece or ""):
            if label is not None:
                pending = True if AUTHOR_FIELD_RE.fullmatch(label) else None
            if not value.strip(_EDGE):
                continue
            match = LABEL_RE.match(value)
            if pending is None:
                pass
            elif match and not value[match.end() :].strip(_EDGE):
                pending = True
                continue
            elif match:
                segments.append((True, value[match.end() :]))
            elif lenient and (inner := INNER_LABEL_RE.search(value)) and _starts_names(value, inner):
                segments.append((True, value[inner.end() :]))
            else:
                segments.append((pending, value))
            pending = False
    return segments


# ----------------------------------------------------------------------------- public


def _parse(byline: str, site: tuple[str, ...], *, strict: bool) -> list[str] | None:
    """The names in a byline; None when a ``strict`` byline is no byline at all (see :func:`split_authors`)."""
    text = HANDLE_RE.sub(" , ", LINK_RE.sub(" | ", PAREN_RE.sub(" ", normalise(byline))))
    segments = _segments(text, lenient=not strict)
    labelled = [segment for is_labelled, segment in segments if is_labelled]
    if strict and not labelled:
        return None
    chosen = labelled or [segment for _, segment in segments if not OTHER_CREDIT_RE.match(segment)]
    groups = [group for segment in chosen for group in _groups(segment)]
    alone = sum(map(len, groups)) == 1
    keys = frozenset(key for key in map(name_key, site) if key)
    names: dict[str, str] = {}
    for group in groups:
        found = _group_names(group, keys, alone=alone, lenient=not strict)
        if found is None:
            return None
        for name in found:
            names.setdefault(name_key(name), name)
    return list(names.values())


def split_authors(byline: str, site: tuple[str, ...] = (), *, strict: bool = False) -> list[str]:
    """Author names from a byline, in order: labels, roles, dates, handles and organisations dropped.

    ``site`` are the publication's own names, compared loosely: credited, they are kept. A ``strict``
    byline is a line of running text: only what follows a label ("By", "Von", "Por"…) is read, and
    it must hold nothing but names, else no name is taken from it. Otherwise the text comes from a byline element
    or a metadata field: parts that are not names are skipped, and a lone user name is accepted.
    """
    return _parse(byline, site, strict=strict) or []


@dataclass(frozen=True)
class BylineLine:
    """A labelled byline line of an article's text, and the names and credits it gives ("Von dpa": dpa)."""

    text: str
    names: tuple[str, ...]


def byline_line(line: str) -> BylineLine | None:
    """The line and its names when it is a labelled byline ("By A and B", "Contributor: A", "Von dpa"), else None.

    The label must be followed by names, agencies or desks only: "Por ende, las ventajas…" is a sentence.
    """
    line = line.strip()
    segments = _segments(normalise(line), lenient=False)
    if len(line) > MAX_BYLINE_LINE or not segments or not segments[0][0]:
        return None
    names = _parse(line, (), strict=True)
    return None if names is None else BylineLine(line, tuple(names))
