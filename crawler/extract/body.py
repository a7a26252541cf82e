"""Article body: trafilatura's main text, then our cleanup of captions, prompts and trailing blocks."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.extract.boilerplate import is_prompt, is_tail_heading
from crawler.extract.byline import byline_text

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from lxml.html import HtmlElement

    from crawler.extract.context import PageContext

CAPTION_XPATH = (
    ".//figcaption | .//*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' credit ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' wp-caption-text ')"
    " or @itemprop='caption' or @itemprop='copyrightHolder']"
)
LONG_LINE = 150
_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SPACE_RE = re.compile(r"\s+")


def caption_texts(tree: HtmlElement) -> set[str]:
    """Normalised texts of the page's photo captions and credits: they are not body text."""
    return {key for element in tree.xpath(CAPTION_XPATH) if (key := _key(element.text_content()))}


def _key(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip(" .").casefold()


def _same_text(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _tail_start(lines: list[str]) -> int:
    """Index where trailing boilerplate starts: a block heading followed only by short lines."""
    for index in range(1, len(lines)):
        if is_tail_heading(lines[index]) and all(len(line) < LONG_LINE for line in lines[index + 1 :]):
            return index
    return len(lines)


@dataclass(frozen=True)
class Body:
    """The article text as paragraphs, the byline lines taken out of it, and whether a paywall notice ended it."""

    paragraphs: list[str]
    bylines: list[str]
    paywall_notice: bool = False


def clean_lines(lines: list[str], title: str | None, captions: AbstractSet[str] = frozenset()) -> Body:
    """Clean trafilatura's text lines: drop the repeated headline, captions, prompts and trailing blocks."""
    lines = [line.strip() for line in lines if line.strip() and _key(line) not in captions]
    while lines and title and _same_text(lines[0], title):
        lines.pop(0)
    bylines: list[str] = []
    if lines and (found := byline_text(lines[0])):
        bylines.append(found)
        lines.pop(0)
    lines = [line for line in lines if not is_prompt(line)]
    lines = lines[: _tail_start(lines)]
    while lines and (found := byline_text(lines[-1])):
        bylines.append(found)
        lines.pop()
    return Body(paragraphs=lines, bylines=bylines)


def extract_body(page: PageContext, title: str | None) -> Body:
    """The article body of a page, from trafilatura's main text and our cleanup."""
    text = page.document.text if page.document and page.document.text else ""
    return clean_lines(text.splitlines(), title, caption_texts(page.tree))


def normalised_text(body: str) -> str:
    """The body with Unicode (NFKC), case and white space normalised: the basis of ``content_hash``."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", body)).strip().casefold()


def word_count(body: str) -> int:
    """Words in ``body``, counting each CJK character as one word."""
    cjk = len(_CJK_RE.findall(body))
    return cjk + len(_CJK_RE.sub(" ", body).split())
