"""Language of a text: langdetect (seeded, so results repeat), with the page's declared language as fallback."""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from crawler.page.text import word_count

if TYPE_CHECKING:
    from collections.abc import Iterable

logger = logging.getLogger(__name__)

DETECT_PREFIX_CHARS = 3000
MIN_WORDS = 10  # a CJK character counts as a word
MIN_SCORE = 0.70
_LANG_CODE_RE = re.compile(r"^([a-z]{2})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)
_lock = threading.Lock()


def language_code(tag: str | None) -> str | None:
    """The ISO 639-1 code of a language tag (``en-US``, ``de_DE``, ``zh-cn``), or None."""
    if not tag:
        return None
    match = _LANG_CODE_RE.match(tag.strip())
    return match[1].lower() if match else None


def detect_language(text: str, hints: Iterable[str | None] = ()) -> tuple[str | None, float | None]:
    """Detect the language of ``text``: ``(code, probability)``.

    langdetect reads a bounded prefix of the text. When the text is too short or the best guess
    too unsure, the first declared language in ``hints`` (``<html lang>``, ``og:locale``…) is used,
    with a null score. Never raises.
    """
    sample = text[:DETECT_PREFIX_CHARS].strip()
    detected: tuple[str | None, float | None] = (None, None)
    if word_count(sample) >= MIN_WORDS:
        try:
            with _lock:  # langdetect's seeded factory is global state
                DetectorFactory.seed = 0
                best = detect_langs(sample)[0]
            detected = (language_code(best.lang), round(best.prob, 4))
        except (LangDetectException, IndexError):
            logger.debug("langdetect found no features in the text")
    if detected[0] and detected[1] is not None and detected[1] >= MIN_SCORE:
        return detected
    declared = next((code for code in map(language_code, hints) if code), None)
    if declared:
        return declared, None
    return detected
