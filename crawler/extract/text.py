"""Small text measures shared by extraction steps."""

from __future__ import annotations

import re

_CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def word_count(text: str) -> int:
    """Words in ``text``, counting each CJK character as one word."""
    cjk = len(_CJK_RE.findall(text))
    return cjk + len(_CJK_RE.sub(" ", text).split())
