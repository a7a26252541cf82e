"""Author names from bylines: find a byline line, drop its labels and split it into names."""

from __future__ import annotations

import re

BYLINE_LABEL_RE = re.compile(
    r"^\s*[*•·]*\s*(?:(?:written|reported|posted|text|story|words)\s+)?"
    r"(?:by|contributors?|authors?|autor(?:in|en)?|von|por|par|di|door|przez|autorka|текст|автор|記者|文|作者|撰文|编辑)"
    r"\s*[:：/]?\s+|^\s*[*•·]*\s*(?:文|記者|作者|撰文)\s*[/／:：]\s*",
    re.IGNORECASE,
)
SPLIT_RE = re.compile(
    r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bi\b|\boraz\b|\bи\b|、|，|/)\s*"
)
NOT_A_NAME_RE = re.compile(
    r"@|https?:|www\.|\d|\b(?:staff|redaktion|rédaction|redacción|redazione|redactie|redakcja|editors?|editorial"
    r"|team|desk|newsroom|agency|agencies|reuters|associated press|afp|dpa|ap|ansa|efe|pap|tass|xinhua"
    r"|correspondent|reporter|journalist|photographer|contributor|columnist|senior|chief|updated|published"
    r"|minutes?|read|min)\b",
    re.IGNORECASE,
)


def byline_text(line: str) -> str | None:
    """The line itself when it is a labelled byline ("By A and B", "Contributor: A", "Von A"), else None."""
    if len(line) > 120 or not BYLINE_LABEL_RE.match(line):
        return None
    return line.strip()


def _clean_name(name: str) -> str | None:
    name = re.sub(r"\s+", " ", name).strip(" .,:;|*-–—()[]")
    if not name or NOT_A_NAME_RE.search(name):
        return None
    words = name.split()
    if not 1 <= len(words) <= 5 or len(name) > 60:
        return None
    if not any(ch.isupper() for ch in name) and name.isascii():
        return None
    return name


def split_authors(byline: str, exclude: tuple[str, ...] = ()) -> list[str]:
    """Author names from a byline or an author string: labels, roles, handles and organisations dropped."""
    text = BYLINE_LABEL_RE.sub("", byline, count=1)
    excluded = {e.casefold() for e in exclude if e}
    names: list[str] = []
    for part in SPLIT_RE.split(text):
        name = _clean_name(part)
        if name and name.casefold() not in excluded and name not in names:
            names.append(name)
    return names
