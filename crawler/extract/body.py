"""Article body: trafilatura's main text, then our cleanup of captions, prompts and trailing blocks."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from crawler.extract.boilerplate import is_prompt, is_tail_heading
from crawler.extract.byline import byline_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

CAPTION_XPATH = (
    ".//figcaption | .//*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' credit ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')"
    " or @itemprop='caption' or @itemprop='copyrightHolder']"
)
LONG_LINE = 150
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SPACE_RE = re.compile(r"\s+")


def drop_captions(tree: HtmlElement) -> None:
    """Remove photo captions and credits from the tree: they are not body text."""
    for element in tree.xpath(CAPTION_XPATH):
        parent = element.getparent()
        if parent is not None:
            element.drop_tree()


def _same_text(a: str, b: str) -> bool:
    return _SPACE_RE.sub(" ", a).strip(" .").casefold() == _SPACE_RE.sub(" ", b).strip(" .").casefold()


def _tail_start(lines: list[str]) -> int:
    """Index where trailing boilerplate starts: a block heading followed only by short lines."""
    for index in range(1, len(lines)):
        if is_tail_heading(lines[index]) and all(len(line) < LONG_LINE for line in lines[index + 1 :]):
            return index
    return len(lines)


def clean_lines(lines: list[str], title: str | None) -> tuple[list[str], str | None]:
    """Clean trafilatura's text lines; return the body lines and a byline found at the head or tail."""
    lines = [line.strip() for line in lines if line.strip()]
    while lines and title and _same_text(lines[0], title):
        lines.pop(0)
    byline: str | None = None
    if lines and (found := byline_text(lines[0])):
        byline = found
        lines.pop(0)
    lines = [line for line in lines if not is_prompt(line)]
    lines = lines[: _tail_start(lines)]
    while lines and (found := byline_text(lines[-1])):
        byline = byline or found
        lines.pop()
    return lines, byline


def normalised_text(body: str) -> str:
    """The body with Unicode (NFKC), case and white space normalised: the basis of ``content_hash``."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", body)).strip().casefold()


def word_count(body: str) -> int:
    """Words in ``body``, counting each CJK character as one word."""
    cjk = len(_CJK_RE.findall(body))
    return cjk + len(_CJK_RE.sub(" ", body).split())
