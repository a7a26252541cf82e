"""Small text measures shared by extraction steps."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.html import HtmlElement

# Scripts written without spaces between words: kana, Han (with its supplementary planes) and Hangul.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
CJK_RE = re.compile(f"[{CJK_CHARS}]")
_SPACE_RE = re.compile(r"\s+")
# Soft hyphens, zero-width characters and direction marks: invisible, they only break comparisons.
_INVISIBLE_RE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")


def word_count(text: str) -> int:
    """Words in ``text``, counting each CJK character as one word."""
    cjk = len(CJK_RE.findall(text))
    return cjk + len(CJK_RE.sub(" ", text).split())


def normalise(text: str | None) -> str:
    """``text`` with HTML entities decoded (twice: double escaping), in NFC, without invisible characters, spaces collapsed."""
    if not text:
        return ""
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    return _SPACE_RE.sub(" ", _INVISIBLE_RE.sub("", text)).strip()


def element_text(element: HtmlElement, separator: str = "") -> str:
    """The text of ``element`` without its scripts and styles, its parts joined by ``separator``, spaces collapsed.

    Joined as written, ``Hello <b>world</b>!`` reads as a browser shows it; joined by spaces, the parts of
    ``Von<a>Jane Doe</a>`` or of a date split over two elements stay apart.
    """
    parts: Iterable[str]
    if element.find(".//script") is None and element.find(".//style") is None:
        parts = element.itertext()
    else:
        parts = element.xpath(".//text()[not(ancestor::script or ancestor::style)]")
    return " ".join(separator.join(parts).split())


def line_key(text: str) -> str:
    """A line as compared with other texts of the page: spaces collapsed, end dots off, case folded."""
    return " ".join(text.split()).strip(" .").casefold()


def link_texts(tree: HtmlElement) -> set[str]:
    """The page's link texts (their ``line_key``), to recognise lines that are links: lists of teasers."""
    return {key for element in tree.iter("a") if (key := line_key(element.text_content()))}
