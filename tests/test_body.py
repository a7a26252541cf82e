"""Article body cleanup: each rule takes out its kind of boilerplate line and never a real paragraph."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from lxml import html

from crawler.extract.article import parse_page
from crawler.extract.body import clean_lines, extract_body, lead_paragraph
from crawler.extract.boilerplate import (
    is_credit,
    is_date_line,
    is_disclosure,
    is_lead_class,
    is_metadata,
    is_paywall_notice,
    is_prompt,
    is_signature,
    is_tail_heading,
    teaser_rest,
)

PARAGRAPH = (
    "The council voted on Tuesday to build the new cycle path along the river, ending a dispute that had "
    "divided the town for almost ten years and delayed two earlier plans."
)
SECOND = (
    "Work is due to start in April, and the first section could open by the end of the summer if the "
    "weather holds, the mayor told reporters after the vote."
)
RELATED_TO_THIS = "Related to this, the council also agreed to repair the old bridge before the winter."
NEWSLETTER_PROSE = (
    "The newsletter, founded in 1998 by two students, now has 40,000 readers across the region."
)
POR_ENDE = (
    "Por ende, las “ventajas” de esta gestión se reparten entre las cooperativas que certifican las pérdidas."
)


# --------------------------------------------------------------------------- phrase predicates


@pytest.mark.parametrize(
    "line",
    [
        "Mehr zum Thema",
        "Das Thema könnte dich auch interessieren:",
        "Empfohlene Beiträge",
        "Weitere Beiträge aus der Kolumne:",
        "NOTAS RELACIONADAS",
        "Te puede interesar",
        "À lire aussi",
        "Related articles",
        "Leggi anche",
        "Czytaj także",
        "Читайте также",
        "相关阅读：",
        "関連記事",
    ],
)
def test_block_headings(line: str) -> None:
    assert is_tail_heading(line)


@pytest.mark.parametrize("line", [RELATED_TO_THIS, "Related to the case", "Auch bei Regen", PARAGRAPH])
def test_not_block_headings(line: str) -> None:
    assert not is_tail_heading(line)


@pytest.mark.parametrize(
    ("line", "headline"),
    [
        ("Lesen Sie auch: Warum die Brücke teurer wird", "Warum die Brücke teurer wird"),
        ("Lea también: Impiden ingreso a Nicaragua a reportero", "Impiden ingreso a Nicaragua a reportero"),
        (
            "Lea: Consejo Permanente de OEA aborda la confiscación",
            "Consejo Permanente de OEA aborda la confiscación",
        ),
        ("LE PUEDE INTERESAR: La ficha del expresidente", "La ficha del expresidente"),
        ("(También puede leer: Quintero dijo que no)", "Quintero dijo que no)"),
        ("À lire aussi : La sécheresse menace le maïs", "La sécheresse menace le maïs"),
        ("Czytaj też: Starcie USA–Chiny. Pół miliona ton", "Starcie USA–Chiny. Pół miliona ton"),
        (">> Wegen Corona: Lokal muss schließen <<", "Wegen Corona: Lokal muss schließen"),
        ("Auch lesen:", ""),
        ("相关阅读：", ""),
    ],
)
def test_teaser_lines(line: str, headline: str) -> None:
    assert teaser_rest(line) == headline


@pytest.mark.parametrize(
    "line",
    [
        "Mira: no es tan fácil como parece, dijo el ministro.",
        "Watch: the council meets again on Friday. Then it votes.",
        "Lea los términos del contrato antes de firmar",
        RELATED_TO_THIS,
    ],
)
def test_not_teaser_lines(line: str) -> None:
    assert teaser_rest(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our newsletter to get the best stories every morning",
        "Never miss the latest news by signing up to our newsletter today!",
        "Mit unserem Newsletter erhalten Sie monatlich Informationen rund um das Land",
        "Zum Newsletter anmelden",
        "PC Gamer Newsletter",
        "Inscrivez-vous à notre newsletter",
        "Síguenos en Telegram, Instagram, Facebook y Twitter",
        "Follow The Gleaner on Twitter and Instagram",
        "For the latest stories download the Nationnews apps for iOS and Android.",
        "If you enjoyed reading this post – would you consider supporting our work? Just click here.",
        "We want to hear what you think about this article. Submit a letter to the editor.",
        "Sie sind aktuell nicht eingeloggt.",
        "Klicken Sie auf den unteren Button, um den Inhalt von www.komoot.de zu laden.",
        "Teilen mit:",
    ],
)
def test_prompts(line: str) -> None:
    assert is_prompt(line)


@pytest.mark.parametrize(
    "line",
    [
        NEWSLETTER_PROSE,
        "People over 65 can sign up for the vaccine at their pharmacy from Monday.",
        "Ich unterstütze unsere Mannschaft seit vierzig Jahren.",
        "In a letter to the editor, the mayor defended the plan.",
        PARAGRAPH,
    ],
)
def test_not_prompts(line: str) -> None:
    assert not is_prompt(line)


@pytest.mark.parametrize(
    "line",
    [
        "Subscribe to continue reading.",
        "To view the full story, please subscribe to The Times.",
        "Jetzt weiterlesen mit dem Plus-Abo",
        "Pour lire la suite de cet article, abonnez-vous.",
        "Este contenido es exclusivo para suscriptores.",
        "Per continuare a leggere abbonati.",
        "Aby przeczytać cały artykuł, wykup dostęp.",
        "続きを読むには会員登録が必要です",
    ],
)
def test_paywall_notices(line: str) -> None:
    assert is_paywall_notice(line)


def test_not_a_paywall_notice() -> None:
    assert not is_paywall_notice("The paper now has 20,000 subscribers, twice as many as last year.")


@pytest.mark.parametrize(
    "line",
    [
        "This post contains references to products from one or more of our advertisers.",
        "Anzeige, enthält Affiliate Links",
        "*Werbung. Dieser Beitrag enthält Werbung für ein Modelabel.",
        "© 2020 General Mills All Rights Reserved",
        "Materiał chroniony prawem autorskim - zasady przedruków określa regulamin.",
    ],
)
def test_disclosures(line: str) -> None:
    assert is_disclosure(line)


def test_not_a_disclosure() -> None:
    assert not is_disclosure("Werbung nervt. Tracking nervt. Beides zusammen erst recht.")


@pytest.mark.parametrize(
    "line",
    [
        "© Oli Scarff/Getty Images",
        "Fot. Lukasz Nowaczyk / Agencja Gazeta",
        "(Credit: Clayton Aldern / Grist)",
        "Titelbild: Rathaus am Abend",
        "Foto: Jonas Richter",
        "Crédits photos : Bestimage",
        "AFP / MARCO BERTORELLO",
        "Marco Odermatt in Sölden. © AFP / Marco Bertorello",
        "写真：敦賀駅に到着した新幹線",
    ],
)
def test_credits(line: str) -> None:
    assert is_credit(line)


@pytest.mark.parametrize(
    "line",
    [
        "BILD: Wie geht es Ihnen nach dem Sieg?",
        "Copyright law protects a work for 70 years after its author's death.",
        "(c) Die Frist beträgt drei Monate.",
    ],
)
def test_not_credits(line: str) -> None:
    assert not is_credit(line)


@pytest.mark.parametrize(
    "line",
    [
        "Kategorie: News",
        "Letzte Änderung 14.02.2019",
        "Aktualisiert am 17.01.2021.",
        "5 min read",
        "Lesezeit: 4 Min.",
        "Ten tekst przeczytasz w mniej niż minutę",
        "Inhaltsverzeichnis",
        "Keine Kommentare",
        "Telefon: +49 40 300 30 1141",
    ],
)
def test_metadata(line: str) -> None:
    assert is_metadata(line)


def test_not_metadata() -> None:
    assert not is_metadata("Kategorien wie Alter und Geschlecht spielen bei der Auswahl keine Rolle.")


@pytest.mark.parametrize(
    "line",
    [
        "23.10.2018",
        "2021-10-16 | Botschaft",
        "January 13, 2020 at 08:45 AM | categories: Python | View Comments",
    ],
)
def test_date_lines(line: str) -> None:
    assert is_date_line(line)


def test_not_a_date_line() -> None:
    assert not is_date_line("23.10.2018 war ein schwarzer Tag für den Verein.")


@pytest.mark.parametrize("line", ["aja/PAP", "(dpa)", "RIRM", "Quelle: Deutscher Jagdverband", "BVINEWS.COM"])
def test_signatures(line: str) -> None:
    assert is_signature(line)


@pytest.mark.parametrize("line", ["Ende", "Danke!", SECOND])
def test_not_signatures(line: str) -> None:
    assert not is_signature(line)


@pytest.mark.parametrize(
    ("value", "lead"),
    [
        ("article__lead", True),
        ("ArticleHeader-Hook", True),
        ("c-article-standfirst", True),
        ("teaser-text", True),
        ("site-description", False),
        ("newsletter-lead", False),
        ("leading-snug", False),
        (None, False),
    ],
)
def test_lead_classes(value: str | None, lead: bool) -> None:
    assert is_lead_class(value) is lead


# --------------------------------------------------------------------------- the procedure


def test_headline_dates_and_bylines_go_at_the_top() -> None:
    body = clean_lines(
        ["Council approves cycle path", "23.10.2018", "By Jane Doe and John Roe", PARAGRAPH, SECOND],
        "Council approves cycle path",
    )
    assert body.paragraphs == [PARAGRAPH, SECOND]
    assert [line.text for line in body.bylines] == ["By Jane Doe and John Roe"]
    assert body.bylines[0].names == ("Jane Doe", "John Roe")


def test_a_sentence_starting_like_a_byline_stays() -> None:
    body = clean_lines([POR_ENDE, PARAGRAPH], None)
    assert body.paragraphs == [POR_ENDE, PARAGRAPH]
    assert body.bylines == []


def test_a_contributor_line_at_the_end_is_a_byline() -> None:
    body = clean_lines([PARAGRAPH, SECOND, "*Contributor: Zekun Wang"], None)
    assert body.paragraphs == [PARAGRAPH, SECOND]
    assert [line.text for line in body.bylines] == ["*Contributor: Zekun Wang"]


def test_real_paragraphs_that_look_like_boilerplate_stay() -> None:
    lines = [PARAGRAPH, RELATED_TO_THIS, NEWSLETTER_PROSE, SECOND]
    assert clean_lines(lines, None).paragraphs == lines


def test_inline_teasers_prompts_and_credits_go() -> None:
    lines = [
        PARAGRAPH,
        "Lesen Sie auch: Warum die Brücke teurer wird",
        "Foto: Jonas Richter",
        "Sign up for our newsletter to get the best stories every morning",
        "Anzeige, enthält Affiliate Links",
        SECOND,
    ]
    assert clean_lines(lines, None).paragraphs == [PARAGRAPH, SECOND]


def test_a_bare_teaser_label_goes_with_its_headlines() -> None:
    lines = [PARAGRAPH, "Te puede interesar:", "Los embalses del sur, por debajo del 20 %", SECOND]
    assert clean_lines(lines, None).paragraphs == [PARAGRAPH, SECOND]


def test_a_related_block_at_the_end_is_cut() -> None:
    lines = [PARAGRAPH, SECOND, "Mehr zum Thema", "Neues Parkhaus am Hafen", "Fahrradclub zieht Bilanz"]
    assert clean_lines(lines, None).paragraphs == [PARAGRAPH, SECOND]


def test_a_related_block_in_the_middle_goes_and_the_text_after_it_stays() -> None:
    lines = [
        PARAGRAPH,
        "NOTAS RELACIONADAS",
        "Hackers piden rescate",
        "Hacienda confirma el ataque",
        SECOND,
        PARAGRAPH,
    ]
    assert clean_lines(lines, None).paragraphs == [PARAGRAPH, SECOND, PARAGRAPH]


def test_an_about_block_at_the_very_end_is_cut() -> None:
    about = (
        "Die Stiftung ist in rund 110 Ländern mit einem eigenen Büro vertreten und berichtet aus erster Hand."
    )
    lines = [PARAGRAPH, SECOND, "Über diese Reihe", about]
    assert clean_lines(lines, None).paragraphs == [PARAGRAPH, SECOND]


def test_a_section_heading_in_the_text_stays() -> None:
    lines = [PARAGRAPH, "Anwohner fürchten um Parkplätze", SECOND, PARAGRAPH]
    assert clean_lines(lines, None).paragraphs == lines


def test_teaser_links_at_the_end_go() -> None:
    links = {"neues parkhaus am hafen", "fahrradclub zieht bilanz"}
    lines = [PARAGRAPH, SECOND, "Neues Parkhaus am Hafen", "- Fahrradclub zieht Bilanz"]
    assert clean_lines(lines, None, links=links).paragraphs == [PARAGRAPH, SECOND]


def test_a_closing_line_that_is_no_link_stays() -> None:
    lines = [PARAGRAPH, SECOND, "Sans recherche autonome, nous n’avons pas d’avenir"]
    assert clean_lines(lines, None, links={"accueil"}).paragraphs == lines


def test_a_paywall_notice_goes_and_flags_the_body() -> None:
    body = clean_lines([PARAGRAPH, "Pour lire la suite de cet article, abonnez-vous.", "Déjà abonné ?"], None)
    assert body.paragraphs == [PARAGRAPH]
    assert body.paywall_notice is True
    assert clean_lines([PARAGRAPH, SECOND], None).paywall_notice is False


def test_metadata_at_the_end_goes() -> None:
    lines = [PARAGRAPH, SECOND, "Letzte Änderung 14.02.2019", "aja/PAP"]
    assert clean_lines(lines, None).paragraphs == [PARAGRAPH, SECOND]


def test_captions_go_unless_they_are_the_text() -> None:
    caption = "The river at low water, seen from the old bridge"
    assert clean_lines([PARAGRAPH, caption, SECOND], None, {caption.casefold()}).paragraphs == [
        PARAGRAPH,
        SECOND,
    ]
    slides = [f"Slide {number}: the river at dusk" for number in range(4)]
    captions = {slide.casefold() for slide in slides}
    assert clean_lines([PARAGRAPH, *slides], None, captions).paragraphs == [PARAGRAPH, *slides]


# --------------------------------------------------------------------------- the lead

LEAD = "After years of dispute the council has approved a cycle path along the river. Work starts in spring."
PAGE = f"""<html><head><title>Council approves cycle path</title></head><body>
<nav><p class="site-description">News from the river towns, every day since 1898.</p></nav>
<article><header><h1>Council approves cycle path</h1><p class="article-lead">{LEAD}</p>
<figure><img src="a.jpg"><figcaption class="image-description">The river at low water, seen from the bridge.
</figcaption></figure></header>
<div class="article-body"><p>{PARAGRAPH}</p><p>{SECOND}</p></div></article></body></html>"""


def test_a_lead_missing_from_the_text_is_restored() -> None:
    tree = html.fromstring(PAGE)
    assert lead_paragraph(tree, [PARAGRAPH, SECOND]) == (0, LEAD)


def test_a_lead_already_in_the_text_is_not_repeated() -> None:
    tree = html.fromstring(PAGE)
    assert lead_paragraph(tree, [LEAD, PARAGRAPH, SECOND]) is None


def test_the_description_finds_a_lead_without_a_lead_class() -> None:
    tree = html.fromstring(PAGE.replace('class="article-lead"', 'class="text-large"'))
    assert lead_paragraph(tree, [PARAGRAPH, SECOND]) is None
    assert lead_paragraph(tree, [PARAGRAPH, SECOND], LEAD[:60] + "...") == (0, LEAD)


def test_captions_and_taglines_are_no_lead() -> None:
    tree = html.fromstring(PAGE.replace(f'<p class="article-lead">{LEAD}</p>', ""))
    assert lead_paragraph(tree, [PARAGRAPH, SECOND]) is None


def test_extract_body_restores_the_lead() -> None:
    page = parse_page(PAGE, "https://river.example/news/cycle-path", datetime(2026, 1, 2, tzinfo=UTC))
    assert page is not None
    assert extract_body(page, "Council approves cycle path").paragraphs == [LEAD, PARAGRAPH, SECOND]


def test_extract_body_prefers_a_fuller_article_body_to_a_fragment() -> None:
    page = parse_page(PAGE, "https://river.example/news/cycle-path", datetime(2026, 1, 2, tzinfo=UTC))
    assert page is not None
    stub = SimpleNamespace(text=SECOND, description=None)
    tree = html.fromstring(f"<html><body><article><p>{SECOND}</p></article></body></html>")
    paragraphs = [PARAGRAPH, SECOND, RELATED_TO_THIS, NEWSLETTER_PROSE, POR_ENDE]
    full = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    fragment = replace(page, tree=tree, main={"articleBody": full}, document=stub)
    assert extract_body(fragment, None).paragraphs == paragraphs
    whole = replace(page, tree=tree, main={"articleBody": PARAGRAPH}, document=stub)
    assert extract_body(whole, None).paragraphs == [SECOND]
