"""Datelines opening a story's body: wire, agency, press-release and CJK forms, and what is not one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract import extract_page
from crawler.extract.dateline import Dateline, Surroundings, parse_dateline

REFERENCE = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
SENTENCE = " The minister said on Tuesday that talks would go on. More details followed."


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "BEIJING, Feb 26 (Reuters) - China's industrial output grew.",
            Dateline("BEIJING, Feb 26 (Reuters) -", "Beijing", "Reuters", "2026-02-26"),
        ),
        (
            "WASHINGTON (AP) — The Senate voted on Tuesday.",
            Dateline("WASHINGTON (AP) —", "Washington", "AP", None),
        ),
        ("Berlin (dpa) - Die Bundesregierung will.", Dateline("Berlin (dpa) -", "Berlin", "dpa", None)),
        (
            "PARIS, 3 mars (AFP) - Le gouvernement a annoncé.",
            Dateline("PARIS, 3 mars (AFP) -", "Paris", "AFP", "2026-03-03"),
        ),
        (
            "Feb 26, 2019/EqualOcean/- Xiaomi Group announced to restructure its organization.",
            Dateline("Feb 26, 2019/EqualOcean/-", None, "EqualOcean", "2019-02-26"),
        ),
        (
            "NEW YORK, Nov. 20, 2026 /PRNewswire/ -- Acme Corp. today announced results.",
            Dateline("NEW YORK, Nov. 20, 2026 /PRNewswire/ --", "New York", "PRNewswire", "2026-11-20"),
        ),
        ("LONDON — " + SENTENCE, Dateline("LONDON —", "London", None, None)),
        (
            "KYIV, Ukraine (AP) — Russian drones struck the capital overnight.",
            Dateline("KYIV, Ukraine (AP) —", "Kyiv, Ukraine", "AP", None),
        ),
        (
            "Frankfurt/Main (dpa/lhe) - Der Flughafen meldet Rekordzahlen.",
            Dateline("Frankfurt/Main (dpa/lhe) -", "Frankfurt/Main", "dpa", None),
        ),
        (
            "MADRID, 12 Nov. (EUROPA PRESS) - El Gobierno ha aprobado.",
            Dateline("MADRID, 12 Nov. (EUROPA PRESS) -", "Madrid", "Europa Press", "2026-11-12"),
        ),
        (
            "ROMA, 5 novembre (ANSA) - Il governo ha approvato.",
            Dateline("ROMA, 5 novembre (ANSA) -", "Roma", "ANSA", "2026-11-05"),
        ),
        ("Moskau (Reuters) - Russland hat.", Dateline("Moskau (Reuters) -", "Moskau", "Reuters", None)),
        (
            "LISBOA, 4 de março (Lusa) - O Governo aprovou.",
            Dateline("LISBOA, 4 de março (Lusa) -", "Lisboa", "Lusa", "2026-03-04"),
        ),
        (
            "AMSTERDAM, 2 okt (ANP) - Het kabinet wil.",
            Dateline("AMSTERDAM, 2 okt (ANP) -", "Amsterdam", "ANP", "2026-10-02"),
        ),
        (
            "Hamburg (dpa/lno) – Trotz eines Gesprächs blieb es dabei.",
            Dateline("Hamburg (dpa/lno) –", "Hamburg", "dpa", None),
        ),
        (
            "Wien (epdÖ) – Auch während des Lockdowns bleiben die Kirchen offen.",
            Dateline("Wien (epdÖ) –", "Wien", "epd", None),
        ),
        (
            "RIO DE JANEIRO (Reuters) - Brazil's central bank held rates.",
            Dateline("RIO DE JANEIRO (Reuters) -", "Rio de Janeiro", "Reuters", None),
        ),
        (
            "HOUSTON, Texas (KTRK) -- A Houston-area business is taking drastic measures.",
            Dateline("HOUSTON, Texas (KTRK) --", "Houston, Texas", "KTRK", None),
        ),
        (
            "SOUTHWEST MIAMI-DADE, FLA. (WSVN) - An overnight crash left one dead.",
            Dateline("SOUTHWEST MIAMI-DADE, FLA. (WSVN) -", "Southwest Miami-Dade, Fla.", "WSVN", None),
        ),
        (
            "KHAN YOUNIS, GAZA —" + SENTENCE,
            Dateline("KHAN YOUNIS, GAZA —", "Khan Younis, Gaza", None, None),
        ),
        (
            "TEGUCIGALPA, HONDURAS.-" + SENTENCE,
            Dateline("TEGUCIGALPA, HONDURAS.-", "Tegucigalpa, Honduras", None, None),
        ),
        (
            "Düsseldorf, 22. November 2022 - Der Versorger hat eine Studie veröffentlicht. Sie zeigt viel.",
            Dateline("Düsseldorf, 22. November 2022 -", "Düsseldorf", None, "2022-11-22"),
        ),
        (
            "CALDEN. In Sorge um ihre Arbeitsplätze demonstrierten am Montag 500 Mitarbeiter.",
            Dateline("CALDEN.", "Calden", None, None),
        ),
        (
            "Paris, le 3 mars 2026 – Le gouvernement a présenté son plan. Il sera voté en avril.",
            Dateline("Paris, le 3 mars 2026 –", "Paris", None, "2026-03-03"),
        ),
        (
            "Berlin, den 3. März 2026 – Der Senat hat den Haushalt beschlossen. Er gilt ab Mai.",
            Dateline("Berlin, den 3. März 2026 –", "Berlin", None, "2026-03-03"),
        ),
        (
            "MOSCOW, March 1. /TASS/. Russia's central bank kept its key rate unchanged.",
            Dateline("MOSCOW, March 1. /TASS/.", "Moscow", "TASS", "2026-03-01"),
        ),
        (
            "ANKARA, 3 Mart (AA) - Merkez Bankası faiz kararını açıkladı.",
            Dateline("ANKARA, 3 Mart (AA) -", "Ankara", "AA", "2026-03-03"),
        ),
        ("JTA —" + SENTENCE, Dateline("JTA —", None, "JTA", None)),
        (
            "(ANSA) - ROMA, 3 MAR - Il governo ha approvato il decreto.",
            Dateline("(ANSA) - ROMA, 3 MAR -", "Roma", "ANSA", "2026-03-03"),
        ),
        (
            "MADRID, 3 (EUROPA PRESS) - El Gobierno ha aprobado el decreto.",
            Dateline("MADRID, 3 (EUROPA PRESS) -", "Madrid", "Europa Press", None),
        ),
        (
            "SAN FRANCISCO--(BUSINESS WIRE)--Acme Corp. today announced results.",
            Dateline("SAN FRANCISCO--(BUSINESS WIRE)--", "San Francisco", "Business Wire", None),
        ),
        (
            "New Delhi, March 5 (IANS) The government approved the budget.",
            Dateline("New Delhi, March 5 (IANS)", "New Delhi", "IANS", "2026-03-05"),
        ),
        (
            "05.12.2022 | Paris (iwr-pressedienst) - Die Anlage ging am Montag ans Netz.",
            Dateline("05.12.2022 | Paris (iwr-pressedienst) -", "Paris", "iwr-pressedienst", "2022-12-05"),
        ),
        ("(CNN Business)A new law came into force.", Dateline("(CNN Business)", None, "CNN Business", None)),
        ("WASHINGTON − " + SENTENCE.strip(), Dateline("WASHINGTON −", "Washington", None, None)),
        ("【北京=共同】中国政府は26日、発表した。", Dateline("【北京=共同】", "北京", "共同", None)),
        ("【ワシントン共同】米政府は発表した。", Dateline("【ワシントン共同】", "ワシントン", "共同", None)),
        ("(서울=연합뉴스) 정부는 26일 발표했다.", Dateline("(서울=연합뉴스)", "서울", "연합뉴스", None)),
        (
            "新华社北京2月26日电（记者 李明）中国政府26日宣布。",
            Dateline("新华社北京2月26日电（记者 李明）", "北京", "新华社", "2026-02-26"),
        ),
        ("东京电（记者 王五）日本政府宣布。", Dateline("东京电（记者 王五）", "东京", None, None)),
        (
            "光明日报北京2月26日电（记者 李明）中国政府26日宣布。",
            Dateline("光明日报北京2月26日电（记者 李明）", "北京", "光明日报", "2026-02-26"),
        ),
        ("光明网讯（记者 李明）中国政府宣布。", Dateline("光明网讯（记者 李明）", None, "光明网", None)),
        (
            "［東京　２６日　ロイター］ - 日本政府は新しい対策を発表した。",
            Dateline("［東京　２６日　ロイター］", "東京", "ロイター", None),
        ),
        (
            "路透北京2月26日 - 中国政府周一宣布新措施。",
            Dateline("路透北京2月26日 -", "北京", "路透", "2026-02-26"),
        ),
        (
            "中央社台北2月26日電 行政院今天宣布。",
            Dateline("中央社台北2月26日電", "台北", "中央社", "2026-02-26"),
        ),
        ("烟台2月26日电 烟台市政府宣布。", Dateline("烟台2月26日电", "烟台", None, "2026-02-26")),
        (
            "【新华社北京2月26日电】中国政府宣布。",
            Dateline("【新华社北京2月26日电】", "北京", "新华社", "2026-02-26"),
        ),
    ],
)
def test_datelines(paragraph: str, expected: Dateline | None) -> None:
    assert parse_dateline(paragraph, REFERENCE) == expected


def test_the_em_dash_needs_no_spaces() -> None:
    found = parse_dateline("LONDON—" + SENTENCE.strip(), REFERENCE)
    assert found == Dateline("LONDON—", "London", None, None)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Berlin is a city of three and a half million people.",
        "In Feb 26, 2019, Xiaomi announced a restructuring.",
        "Paris (the city) has twenty arrondissements.",
        "Paris (the city) - has twenty arrondissements.",
        "Apple (AAPL) - shares rose 3% on Tuesday.",
        "Apple (AAPL) Shares rose 3% on Tuesday, the exchange said.",  # a space alone: a known agency only
        "Walmart (WMT) - shares rose 3% on Tuesday.",
        "BMAS - Änderung der Anforderungen an Impf- und Genesenennachweise",
        "MIGRATION – Probleme zwischen Einheimischen und Flüchtlingen sind auch in Afrika ein Thema",
        "KFT - Kraftfahrzeugtechnik",
        "UPDATE - The company has since withdrawn its statement. It apologised.",
        "VIDÉO - Le président a parlé ce soir devant les caméras. Il a annoncé des mesures.",
        "Office 365 – HBDI – die Dritte",
        "Dee Dee Myers — a White House press secretary for Bill Clinton — is leaving.",
        "Berlin. Die Stadt ist groß und teuer, sagen viele Menschen hier.",
        "Feb 26, 2019 - The company announced a restructuring. Details followed.",
        "Fr, 18. Oktober 2019 - Die Regierung hat den Haushalt beschlossen. Er gilt ab Mai.",
        "Essay – The company reported results on Tuesday that beat the forecasts again.",
        "11.12.2019 - Amelie Loevenich",
        "04. November 2021 | PAID CONTENT – Die Messe war ein Erfolg, sagen die Veranstalter.",
        "NEW YORK-based Acme Corp. said on Tuesday that it would cut jobs.",
        "BERLIN (dpa) -",
        "手机充电（图）很快就好了。",
        "社会新闻电视节目很受欢迎。",
        "北京2月26日 - 中国政府宣布。",  # before a dash, only an agency with a date
        "(a=b) holds for every element of the set.",
        "",
        "de " * 200 + "x",
    ],
)
def test_not_datelines(paragraph: str) -> None:
    assert parse_dateline(paragraph, REFERENCE) is None


@pytest.mark.parametrize(
    ("paragraph", "day"),
    [
        (
            "BERLIN, 30. Dezember (Reuters) - Die Börse schloss.",
            "2025-12-30",
        ),  # after the reference: last year
        ("WASHINGTON, Nov. 26 (Reuters) - The Fed said.", "2026-11-26"),  # the reference's own day
        ("WASHINGTON, Feb. 29 (Reuters) - The Fed said.", None),  # no such day in 2026
    ],
)
def test_a_date_without_year_is_the_latest_before_the_reference(paragraph: str, day: str | None) -> None:
    found = parse_dateline(paragraph, REFERENCE)
    assert found is not None
    assert found.date == day


def test_a_state_in_brackets_is_no_agency() -> None:
    assert parse_dateline("Harrisburg (PA) - The state senate passed the bill on Tuesday.", REFERENCE) is None


@pytest.mark.parametrize(
    ("paragraph", "place", "agency"),
    [
        ("DUBAI, United Arab Emirates —" + SENTENCE, "Dubai, United Arab Emirates", None),
        ("NEW DELHI:" + SENTENCE, "New Delhi", None),
        ("Indianapolis –" + SENTENCE, "Indianapolis", None),
        ("Dekalb, Ill. —" + SENTENCE, "Dekalb, Ill.", None),
        ("New York, NY –" + SENTENCE, "New York, NY", None),
        ("Washington, DC, United States:" + SENTENCE, "Washington, DC, United States", None),
        ("(Reuters) —" + SENTENCE, None, "Reuters"),
        ("(CNN)President Biden said on Tuesday that talks would go on.", None, "CNN"),
        (
            "Hong Kong (CNN Business)A new law came into force on Tuesday, officials said.",
            "Hong Kong",
            "CNN Business",
        ),
        ("HONOLULU, Hawaii (HawaiiNewsNow) -" + SENTENCE, "Honolulu, Hawaii", "HawaiiNewsNow"),
        ("SANTA FE, N.M. (AP) —" + SENTENCE, "Santa Fe, N.M.", "AP"),
        ("PanARMENIAN.Net -" + SENTENCE, None, "PanARMENIAN.Net"),
        (
            "ISTANBUL (AA) - Türkiye'nin ihracatı geçen ay yüzde 10 arttı, bakanlık açıkladı.",
            "Istanbul",
            "AA",
        ),
        ("Ankara – Cumhurbaşkanı bugün yeni kararları açıkladı ve basına bilgi verdi.", "Ankara", None),
        (
            "AMSTERDAM - Het kabinet wil de regels voor huurwoningen aanpassen, zegt de minister.",
            "Amsterdam",
            None,
        ),
        (
            "São Paulo, 3 de março (Reuters) - O governo anunciou novas medidas para a economia.",
            "São Paulo",
            "Reuters",
        ),
        ("LONDON, Tuesday (Reuters) -" + SENTENCE, "London", "Reuters"),
        ("PARIS, lundi 3 mars (AFP) - Le gouvernement a annoncé de nouvelles mesures.", "Paris", "AFP"),
        ("MILANO – Il sindaco ha presentato oggi il nuovo piano per il traffico in città.", "Milano", None),
    ],
)
def test_the_grammar_reads_places_regions_and_agencies(
    paragraph: str, place: str | None, agency: str | None
) -> None:
    found = parse_dateline(paragraph, REFERENCE)
    assert found is not None
    assert (found.place, found.agency) == (place, agency)


@pytest.mark.parametrize(
    ("paragraph", "story", "place"),
    [
        (
            "Berlin. Die Polizei hat am Montag zwei Männer festgenommen, teilte sie mit.",
            "Der Vorfall war in Berlin.",
            "Berlin",
        ),
        (
            "Riad. Saudi-Arabien hat neue Regeln für Touristen erlassen, wie es hieß.",
            "Die Konferenz in Riad endete.",
            "Riad",
        ),
        (
            "Lyon. Le maire a présenté mardi son plan pour les transports de la ville.",
            "Les habitants à Lyon attendent.",
            "Lyon",
        ),
    ],
)
def test_a_place_and_a_full_stop_is_a_dateline_when_the_story_names_the_place(
    paragraph: str, story: str, place: str
) -> None:
    found = parse_dateline(paragraph, REFERENCE, Surroundings(text=story))
    assert found is not None
    assert found.place == place
    assert parse_dateline(paragraph, REFERENCE, Surroundings(text="Nichts davon. Rien.")) is None


@pytest.mark.parametrize(
    "paragraph",
    [
        "In Berlin brennen zwei Strommasten. Die Polizei ermittelt wegen Brandstiftung am Ort.",
        "JANE ROE, HOST: Welcome back to the programme, everyone, and thanks for listening.",
        "Tuesday – The company reported results that beat the forecasts again, it said.",
        "Summary - The company reported results on Tuesday that beat the forecasts again.",
        "Wochenende. Regen. Kälte. Der Herbst ist da und bleibt noch eine ganze Weile, sagen sie.",
    ],
)
def test_openings_that_are_no_datelines(paragraph: str) -> None:
    assert parse_dateline(paragraph, REFERENCE, Surroundings(text="in Berlin und in Wochenende")) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("WASHINGTON —", Dateline("WASHINGTON —", "Washington", None, None)),
        ("BERLIN.", Dateline("BERLIN.", "Berlin", None, None)),  # "<strong>BERLIN.</strong><br>Der…"
        ("II.", None),  # a section's number
        ("Wochenende.", None),  # a heading: a place in mixed case needs the story to name it
    ],
)
def test_a_line_of_its_own_above_the_story_is_a_dateline(line: str, expected: Dateline | None) -> None:
    around = Surroundings(
        following="Officials said on Tuesday that talks would go on. More details followed."
    )
    assert parse_dateline(line, REFERENCE, around) == expected


ARTICLE = """<html lang="{lang}"><head><title>{title}</title>
<meta property="og:type" content="article"><meta property="article:published_time" content="2026-11-20T08:00:00Z">
</head><body><article><h1>{title}</h1>{body}</article></body></html>"""
STORY = "".join(
    f"<p>{sentence} The council met again on the following day and discussed the budget in detail.</p>"
    for sentence in ("Talks went on for hours.", "No agreement was reached.", "A vote is planned next week.")
)


@pytest.mark.parametrize(
    ("lang", "opening", "place", "agency"),
    [
        (
            "en",
            (
                '<p class="standfirst">The council could not agree on the budget.</p>'
                "<p>SPRINGFIELD, Ill. (AP) — The city council failed to agree on a budget on Tuesday.</p>"
            ),
            "Springfield, Ill.",
            "AP",
        ),
        (
            "de",
            '<p><span class="dateline">Potsdam</span> Der Landtag hat am Dienstag den Haushalt beschlossen.</p>',
            "Potsdam",
            None,
        ),
        (
            "de",
            "<p><strong>BERLIN</strong> – Der Senat hat am Dienstag den Haushalt beschlossen, hieß es.</p>",
            "Berlin",
            None,
        ),
    ],
)
def test_where_stories_print_the_dateline(lang: str, opening: str, place: str, agency: str | None) -> None:
    html = ARTICLE.format(lang=lang, title="Council fails to agree on the budget", body=opening + STORY)
    record = extract_page(html.encode(), "https://news.example/2026/11/20/council-budget", REFERENCE)
    assert record is not None
    assert (record.dateline_place, record.dateline_agency) == (place, agency)


def test_a_story_without_a_dateline_has_none() -> None:
    html = ARTICLE.format(lang="en", title="Council fails to agree on the budget", body=STORY)
    record = extract_page(html.encode(), "https://news.example/2026/11/20/council-budget", REFERENCE)
    assert record is not None
    assert record.dateline is None


DATED_APART = """<html lang="de"><head><title>Frauen im THW</title>{meta}
<meta property="og:type" content="article"></head><body><main>{before}<h1>Frauen im THW</h1>{after}
<p>Die Miniserie startet heute zum Weltmädchentag. In drei Teilen schildern Frauen ihre Erfahrungen.</p>
<p>Der Aktionstag steht für Chancengleichheit, und das THW nimmt ihn zum Anlass für eine Bilanz.</p>
<p>Das THW will weibliche Führungskräfte im Haupt- und Ehrenamt fördern, hieß es weiter.</p>
</main></body></html>"""


@pytest.mark.parametrize(
    ("meta", "before", "after", "place"),
    [
        ("", '<span class="metadata">Bonn,&nbsp;11.10.2026</span>', "", "Bonn"),
        ("", "", "<div>Bonn, 11.10.2026</div>", "Bonn"),
        ("", "<span>Bonn</span>", "", None),  # a place alone, unmarked, is no dateline
        ("", "<span>Fr, 11.10.2026</span>", "", None),
        ("", "<span>11.10.2026 | Bonn</span>", "", None),  # apart, the date follows the place
        ('<meta name="author" content="Janic Roe">', "", "<p>Janic Roe, 11.10.2026</p>", None),  # a byline
    ],
)
def test_a_place_and_a_date_apart_before_the_story(
    meta: str, before: str, after: str, place: str | None
) -> None:
    html = DATED_APART.format(meta=meta, before=before, after=after)
    record = extract_page(html.encode(), "https://thw.example/meldungen/frauen-im-thw", REFERENCE)
    assert record is not None
    assert record.dateline_place == place
