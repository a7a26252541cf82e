from __future__ import annotations

import pytest

from crawler.extract.language import detect_language, language_code, profiled_languages

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


ICELANDIC = (
    "Ríkisstjórnin kynnti í dag nýjar aðgerðir til að bregðast við hækkandi verðbólgu. Fjármálaráðherra sagði"
    " að aðgerðirnar myndu draga úr þrýstingi á heimilin í landinu á næstu mánuðum."
)
ZULU = (
    "Uhulumeni uthe uzokwakha izikole ezintsha ezindaweni zasemakhaya ngonyaka ozayo. Ungqongqoshe wezemfundo"
    " uthe lokhu kuzosiza izingane eziningi ukuthola imfundo engcono."
)
XHOSA = (
    "Urhulumente uthe uza kwakha izikolo ezintsha kwiindawo zasemaphandleni kunyaka ozayo. Umphathiswa"
    " wezemfundo uthe oku kuza kunceda abantwana abaninzi ukufumana imfundo engcono."
)
NORWEGIAN = (
    "Regjeringen la i dag fram nye tiltak for å møte den økende prisveksten. Finansministeren sa at tiltakene"
    " vil lette presset på husholdningene i landet de neste månedene."
)


@pytest.mark.parametrize(
    ("text", "declared", "code"),
    [(ICELANDIC, "is", "is"), (ICELANDIC, "isl", "is"), (ZULU, "zu-ZA", "zu"), (XHOSA, "xh", "xh")],
)
def test_a_declared_language_langdetect_has_no_profile_for_wins(text: str, declared: str, code: str) -> None:
    guessed, _ = detect_language(text)
    assert guessed != code  # langdetect names a neighbour (Swahili, Hungarian…)
    assert detect_language(text, [declared]) == (code, None)


def test_a_profiled_declared_language_is_checked_against_the_text() -> None:
    assert detect_language(GERMAN, ["en-US"])[0] == "de"  # a template's declaration the text contradicts
    assert detect_language(NORWEGIAN, ["nb-NO"])[0] == "no"  # Bokmål is in langdetect's Norwegian profile
    assert detect_language(NORWEGIAN, ["nb-NO"])[1] is not None


def test_profiled_languages_come_from_langdetect() -> None:
    profiled = profiled_languages()
    assert {"en", "de", "zh", "no", "sw"} <= profiled
    assert not {"is", "zu", "xh", "eu", "ms"} & profiled


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("deu", "de"),
        ("ger", "de"),
        ("iw", "he"),
        ("in", "id"),
        ("sh", "sr"),
        ("fil", "fil"),
        ("haw", "haw"),
        ("tl", "tl"),
        ("zh-Hant-TW", "zh"),
        ("und", None),
        ("x-default", None),
    ],
)
def test_every_declared_tag_gives_the_shortest_code_of_its_language(tag: str, code: str | None) -> None:
    assert language_code(tag) == code
