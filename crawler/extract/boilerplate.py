"""Phrases and structural rules that tell boilerplate lines from article paragraphs.

Every predicate here looks at one line of trafilatura's text. Phrases are matched only in short
lines, or anchored at the start of a line, so that a real paragraph mentioning a newsletter or
starting with "Related to this" is never taken for boilerplate.
"""

from __future__ import annotations

import re

from crawler.extract.lexicon import (
    AGENCIES,
    CREDIT_PATTERN,
    DISCLOSURE_PATTERN,
    LEAD_CLASS_WORDS,
    METADATA_PATTERN,
    NOT_LEAD_CLASS_WORDS,
    PAYWALL_PATTERN,
    PROMPT_LINES,
    PROMPT_PATTERN,
    SOURCE_LABELS,
    TAIL_HEADING_PATTERN,
    TAIL_HEADINGS,
    TEASER_LABEL_PATTERN,
)

SHORT_LINE = 200  # prompts, notices and credits are shorter than this; real paragraphs often are not
HEADING_LINE = 80  # block headings ("Related articles", "Mehr zum Thema") are shorter than this

TAIL_HEADING_RE = re.compile(rf"^(?:{TAIL_HEADING_PATTERN})", re.IGNORECASE)

TEASER_LABEL_RE = re.compile(
    rf"^[\s*•·>»(\[]*(?P<label>{TEASER_LABEL_PATTERN})\s*(?:[:：»|]|>>)\s*(?P<rest>.*)$", re.IGNORECASE
)
# A teaser behind a one-word label ("Lea: ...", "Mira: ...") is a headline shorter than this.
TEASER_LINE = 150
_SENTENCES_RE = re.compile(r"[.!?]\s+[A-ZÀ-Þ]")

PROMPT_RE = re.compile(rf"(?:^|\b)(?:{PROMPT_PATTERN})", re.IGNORECASE)
PAYWALL_RE = re.compile(rf"(?:^|\b)(?:{PAYWALL_PATTERN})", re.IGNORECASE)
DISCLOSURE_RE = re.compile(rf"(?:^|\b)(?:{DISCLOSURE_PATTERN})", re.IGNORECASE)
CREDIT_RE = re.compile(rf"^[\s(\[*]*(?:{CREDIT_PATTERN})", re.IGNORECASE)
TRAILING_CREDIT_RE = re.compile(r"©\s*[^.!?©]{1,60}$")
_AGENCY = "|".join(re.escape(name) for name in AGENCIES)
_INITIALS = r"[a-ząćęłńóśźż]{2,5}(?:/[a-ząćęłńóśźż]{2,5})*"
AGENCY_CREDIT_RE = re.compile(
    rf"^(?:[\w.'’ -]{{1,40}}\s*/\s*(?:{_AGENCY})"
    rf"|(?:{_AGENCY})\s*/\s*[\w.'’ -]{{1,40}})$",
    re.IGNORECASE,
)
SIGNATURE_RE = re.compile(
    rf"^(?:(?-i:\(?[A-ZÄÖÜ]{{2,6}}\)?)|\((?:{_AGENCY})(?:/\w+)*\)"
    rf"|{_INITIALS}\s*/\s*(?:{_AGENCY})"
    rf"|(?:{'|'.join(SOURCE_LABELS)})\s*:.{{1,100}}"
    r"|(?:www\.)?[\w-]+\.(?:com|net|org|de|at|ch|fr|es|it|pl|uk|info|news))$",
    re.IGNORECASE,
)

_DATE = (
    r"(?:\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.? [^\W\d]{3,10}\.? \d{4}"
    r"|[^\W\d]{3,10}\.? \d{1,2},? \d{4})"
)
DATE_LINE_RE = re.compile(
    rf"^\W*{_DATE}(?:,? (?:at |um |à |a las )?\d{{1,2}}[:.]\d{{2}}(?: ?[ap]\.?m\.?| uhr)?)?\W*$",
    re.IGNORECASE,
)
DATED_META_RE = re.compile(rf"^\W*{_DATE}\b.{{0,60}}\|", re.IGNORECASE)
METADATA_RE = re.compile(rf"^\W*(?:{METADATA_PATTERN})", re.IGNORECASE)
_CLASS_SPLIT_RE = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

_TRIM = " \t:：-–—|»>*•·.!?"
_SENTENCE_END = ".!?…。！？"


def heading_key(line: str) -> str:
    """A line lower-cased and stripped of punctuation around it, to compare with phrase lists."""
    return line.strip(_TRIM).strip().lower().replace("’", "'")


def ends_sentence(line: str) -> bool:
    """Whether a line ends like a sentence (terminal punctuation, possibly inside quotes or brackets)."""
    return line.rstrip(" \"'”“»«)]").endswith(tuple(_SENTENCE_END))


def is_tail_heading(line: str) -> bool:
    """Whether a short line is the heading of a related/share/newsletter/about block."""
    if len(line) > HEADING_LINE or ends_sentence(line.rstrip("?!")):
        return False
    key = heading_key(line)
    return key in TAIL_HEADINGS or bool(TAIL_HEADING_RE.match(key))


def teaser_rest(line: str) -> str | None:
    """The headline of a teaser line ("Lesen Sie auch: <headline>", ">> <headline> <<"), "" for a bare label.

    None when the line is no teaser. Behind a one-word label ("Lea:", "Mira:", "Watch:") only a single
    short headline counts, never a sentence.
    """
    if len(line) > SHORT_LINE:
        return None
    if line.startswith(">>") and line.endswith("<<"):
        return line.strip("<> ")
    match = TEASER_LABEL_RE.match(line)
    if match is None:
        return None
    rest = match["rest"].strip()
    if " " not in match["label"] and (
        len(line) > TEASER_LINE or rest.endswith(".") or _SENTENCES_RE.search(rest)
    ):
        return None
    return rest


def is_prompt(line: str) -> bool:
    """Whether a line is a newsletter/follow/support/comment prompt or a consent placeholder.

    Phrases count anywhere in a short line, and only at the start of a longer one.
    """
    if len(line) > SHORT_LINE:
        return len(line) <= 2 * SHORT_LINE and bool(PROMPT_RE.match(line))
    key = heading_key(line)
    return (
        key in PROMPT_LINES
        or (key.endswith("newsletter") and len(key) < HEADING_LINE / 2)
        or bool(PROMPT_RE.search(line))
    )


def is_paywall_notice(line: str) -> bool:
    """Whether a short line says the rest of the article is for subscribers."""
    return len(line) <= SHORT_LINE and bool(PAYWALL_RE.search(line))


def is_disclosure(line: str) -> bool:
    """Whether a short line is an advertising/affiliate disclosure, a licence or a copyright notice."""
    return len(line) <= SHORT_LINE * 1.5 and bool(DISCLOSURE_RE.search(line))


def is_credit(line: str) -> bool:
    """Whether a short line is a photo credit ("Foto: ...", "© ...", "Name / Agency") or a caption ending in one."""
    if len(line) > SHORT_LINE or line.rstrip().endswith("?"):
        return False
    return bool(
        CREDIT_RE.match(line)
        or AGENCY_CREDIT_RE.match(line.strip(" ()[]"))
        or TRAILING_CREDIT_RE.search(line)
    )


def is_signature(line: str) -> bool:
    """Whether a line is an agency or author signature ("RIRM", "aja/PAP", "(dpa)"), a source or a bare web address."""
    return bool(SIGNATURE_RE.match(line.strip()))


def is_metadata(line: str) -> bool:
    """Whether a short line is a labelled category, update, reading-time, comment-count, contact or contents line."""
    return len(line) <= HEADING_LINE * 1.5 and bool(METADATA_RE.match(line))


def is_date_line(line: str) -> bool:
    """Whether a short line is only a date (and time), or a date followed by ``|``-separated metadata."""
    return len(line) <= HEADING_LINE * 1.5 and bool(DATE_LINE_RE.match(line) or DATED_META_RE.match(line))


def class_words(value: str | None) -> set[str]:
    """The lower-cased words of a class attribute, split at spaces, ``-``, ``_`` and camelCase."""
    return {word.lower() for word in _CLASS_SPLIT_RE.split(value or "") if word}


def is_lead_class(value: str | None) -> bool:
    """Whether a class attribute says its element is the lead (standfirst, intro, deck, summary...)."""
    words = class_words(value)
    return not words.isdisjoint(LEAD_CLASS_WORDS) and words.isdisjoint(NOT_LEAD_CLASS_WORDS)


def is_not_lead_class(value: str | None) -> bool:
    """Whether a class attribute says its element is something else than a lead (a caption, a menu, a date...)."""
    return not class_words(value).isdisjoint(NOT_LEAD_CLASS_WORDS)
