from __future__ import annotations

import pytest

from crawler.extract.language import detect_language, language_code

ENGLISH = "The council voted on Tuesday to extend the tram line to the northern suburbs of the city. " * 3
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die Straßenbahnlinie in die nördlichen Vororte zu verlängern. "
    * 3
)
CHINESE = (
    "小米集团宣布调整组织架构，这是距离上次调整不到十天的又一次重大变化。新成立的部门将直接向首席执行官汇报。"
)


@pytest.mark.parametrize(("text", "code"), [(ENGLISH, "en"), (GERMAN, "de"), (CHINESE, "zh")])
def test_detects_the_language_with_a_score(text: str, code: str) -> None:
    language, score = detect_language(text)
    assert language == code
    assert score is not None
    assert 0.7 <= score <= 1.0


def test_results_repeat() -> None:
    mixed = "Hello world. Bonjour le monde. Hallo Welt. " * 3
    assert len({detect_language(mixed) for _ in range(5)}) == 1


def test_short_text_falls_back_to_the_declared_language() -> None:
    assert detect_language("Kurz.", ["de-AT"]) == ("de", None)
    assert detect_language("Kurz.", [None, "fr_FR"]) == ("fr", None)


def test_nothing_known_is_null_and_never_raises() -> None:
    assert detect_language("") == (None, None)
    assert detect_language("12345 67890 !!! ??? ... " * 5) == (None, None)


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en-US", "en"), ("de_DE", "de"), ("zh-cn", "zh"), ("PT-br", "pt"), ("x", None), ("", None)],
)
def test_language_code(tag: str, code: str | None) -> None:
    assert language_code(tag) == code
