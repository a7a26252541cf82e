"""Language of a text: langdetect (seeded, so results repeat), with the page's declared language as fallback.

langdetect has profiles for 55 languages. On a page in another one (Icelandic, isiXhosa, isiZulu, Basque,
Malay…) it can only name a close neighbour (Norwegian, Swahili, Indonesian…), so there the page's
declaration wins: when the first language the page declares is one langdetect has no profile for, it is
the page's language. Otherwise langdetect's guess wins when it is sure enough (``MIN_SCORE``), else the
declaration does.

A declared tag is read as BCP 47 writes it (``en-US``, ``de_DE``, ``zh-Hant-TW``, ``fil``, ``haw``), with
legacy and three-letter codes mapped by CLDR's language aliases (as Babel ships them) to the shortest code
of their language: ``deu`` and ``ger`` are ``de``, ``iw`` is ``he``, ``isl`` is ``is``.
"""

from __future__ import annotations

import logging
import re
import threading
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel.core import get_global
from langdetect import DetectorFactory, detect_langs
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from crawler.page.text import word_count

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

logger = logging.getLogger(__name__)

DETECT_PREFIX_CHARS = 1000
MIN_WORDS = 10  # a CJK character counts as a word
MIN_SCORE = 0.70
_LANG_CODE_RE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$", re.IGNORECASE)
# Codes that name no language: undetermined, several, no linguistic content, not coded.
NO_LANGUAGE = frozenset({"und", "mul", "zxx", "mis"})
# Languages langdetect knows under the code of the macrolanguage that includes them (Norwegian Bokmål, Nynorsk).
PROFILE_OF = {"nb": "no", "nn": "no"}
_lock = threading.Lock()


@cache
def _aliases() -> Mapping[str, str]:
    aliases: Mapping[str, str] = get_global("language_aliases")
    return aliases


@cache
def profiled_languages() -> frozenset[str]:
    """The languages langdetect has a profile for, as codes (``zh-cn`` and ``zh-tw`` are ``zh``)."""
    profiles = Path(PROFILES_DIRECTORY).iterdir()
    return frozenset(code for profile in profiles if (code := language_code(profile.name)))


def language_code(tag: str | None) -> str | None:
    """The code of a language tag's language (``en-US``, ``de_DE``, ``zh-cn``, ``deu``, ``fil``), or None.

    The code is ISO 639-1 where the language has one, else its three-letter code.
    """
    match = _LANG_CODE_RE.match(tag.strip()) if tag else None
    if match is None:
        return None
    code = match[1].lower()
    alias = _aliases().get(code)
    if alias is not None and len(shorter := alias.split("_")[0]) <= len(code):
        code = shorter
    return None if code in NO_LANGUAGE else code


def _detect(sample: str) -> tuple[str | None, float | None]:
    try:
        with _lock:  # langdetect's seeded factory is global state
            DetectorFactory.seed = 0
            best = detect_langs(sample)[0]
    except (LangDetectException, IndexError):
        logger.debug("langdetect found no features in the text")
        return None, None
    return language_code(best.lang), round(best.prob, 4)


def detect_language(text: str, hints: Iterable[str | None] = ()) -> tuple[str | None, float | None]:
    """Detect the language of ``text``: ``(code, probability)``.

    langdetect reads a bounded prefix of the text. The first declared language in ``hints``
    (``<html lang>``, ``og:locale``…) is taken, with a null score, when langdetect has no profile for it,
    or when the text is too short or langdetect's best guess too unsure. Never raises.
    """
    declared = next((code for code in map(language_code, hints) if code), None)
    if declared is not None and PROFILE_OF.get(declared, declared) not in profiled_languages():
        return declared, None
    sample = text[:DETECT_PREFIX_CHARS].strip()
    detected = _detect(sample) if word_count(sample) >= MIN_WORDS else (None, None)
    if detected[0] and detected[1] is not None and detected[1] >= MIN_SCORE:
        return detected
    return (declared, None) if declared else detected
