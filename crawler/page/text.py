"""Small text measures shared by extraction steps."""

from __future__ import annotations

import re

# Scripts written without spaces between words: kana, Han (with its supplementary planes) and Hangul.
CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
CJK_RE = re.compile(f"[{CJK_CHARS}]")


def word_count(text: str) -> int:
    """Words in ``text``, counting each CJK character as one word."""
    cjk = len(CJK_RE.findall(text))
    return cjk + len(CJK_RE.sub(" ", text).split())
