"""Authors and bylines: parsing one byline string, and choosing the authors of a page."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from crawler.extract.article import parse_page
from crawler.extract.authors import select_authors
from crawler.extract.byline import byline_line, is_organisation, split_authors

FETCHED = datetime(2024, 5, 2, tzinfo=UTC)
URL = "https://news.example.com/2024/05/01/story/"
PARAGRAPH = (
    "<p>The council met on Tuesday evening to discuss the new budget for the coming year, and the "
    "debate went on for several hours before a decision was reached by a narrow majority of votes.</p>"
)


# ----------------------------------------------------------------------------- one byline string


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        # English
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("Written by Jane Doe", ["Jane Doe"]),
        ("BY ALLY MUTNICK", ["ALLY MUTNICK"]),
        ("By Glen Owen And Brendan Carlin For The Mail On Sunday", ["Glen Owen", "Brendan Carlin"]),
        ("By Emily Burack 8 January 2020, 3:51 pm", ["Emily Burack"]),
        ("Posted by Nathan Parker, Varun Khaneja, Eric Mill and Kiran C Nair", None),
        ("View all posts by Daniel Lemire", ["Daniel Lemire"]),
        ("Perry Bacon Jr.", ["Perry Bacon Jr."]),
        # German
        ("Von Benjamin Fischer und Marcus Theurer", ["Benjamin Fischer", "Marcus Theurer"]),
        ("von Rudolf Fischer, Simon Kohler", ["Rudolf Fischer", "Simon Kohler"]),
        ("Autor: Günter W. Kienitz", ["Günter W. Kienitz"]),
        ("Autor*in Brit Weirich", ["Brit Weirich"]),
        ("Datum: 19.11.2021 Autor: Fritz Imhof Quelle: Livenet", ["Fritz Imhof"]),
        ("02.02.2022, 11:30 Uhr von Markus Steinrisser", ["Markus Steinrisser"]),
        ("Ursula von der Leyen", ["Ursula von der Leyen"]),
        # French, Spanish, Italian, Portuguese, Dutch, Polish
        ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
        ("Por Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
        ("Isabel Caro, Rocío Latorre y José Miguel Wilson Hace 13 horas", None),
        ("di Mario Rossi e Luca Bianchi", ["Mario Rossi", "Luca Bianchi"]),
        ("Texto: João Silva e Maria Souza", ["João Silva", "Maria Souza"]),
        ("Door Jan de Vries en Piet Jansen", ["Jan de Vries", "Piet Jansen"]),
        ("Autor: Jan Kowalski i Anna Nowak", ["Jan Kowalski", "Anna Nowak"]),
        # Chinese and Japanese
        ("文/张三", ["张三"]),
        ("记者 张三 李四", ["张三", "李四"]),
        ("山田太郎記者", ["山田太郎"]),
    ],
)
def test_split_authors(byline: str, names: list[str] | None) -> None:
    found = split_authors(byline)
    if names is None:  # all the names, whatever their number
        assert len(found) >= 2
        assert all(" " in name for name in found)
    else:
        assert found == names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Alex Durán, AMP Project Marketing, Google", ["Alex Durán"]),
        ("Harald Bauer Autor", ["Harald Bauer"]),
        ("Rechtsanwalt Sebastian Einbock", ["Sebastian Einbock"]),
        ("Von FOCUS-Online-Experte Robin Tschöpe", ["Robin Tschöpe"]),
        ("Ingo Arzt Redakteur für Wirtschaft und Umwelt", ["Ingo Arzt"]),
        ("By Jane Doe, Senior Political Correspondent", ["Jane Doe"]),
        ("Michael L. Anderson, PhD, Carlos Dobkin, PhD", ["Michael L. Anderson", "Carlos Dobkin"]),
        ("Autorin: Uta Staschewski, Projektleiterin der Stiftung", ["Uta Staschewski"]),
    ],
)
def test_roles_and_titles_are_dropped(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("https://www.facebook.com/GIGA.DE", []),
        ("Williams Perdomo @wperdomod", ["Williams Perdomo"]),
        ("By April Roach @aprilroach28 Daniel O'Mahony", ["April Roach", "Daniel O'Mahony"]),
        ("von Birgit Posselt Über Autorenseite von birgit.posselt@example.de Schließen", ["Birgit Posselt"]),
        ("Instagram: jane.doe", []),
        ("Lindsey O&#039;Donnell", ["Lindsey O'Donnell"]),
        ("Redacci&amp;oacute;n Central", []),
        ("Alexander Karper Foto: © GEPA", ["Alexander Karper"]),
        ("Sara Zinnecker Stand: 12.03.2020", ["Sara Zinnecker"]),
        ("Alice Wu + FOLLOW Published: 10:00am, 20 Jan, 2020", ["Alice Wu"]),
        ("Elizabeth Gibney Search for this author in: PubMed", ["Elizabeth Gibney"]),
        ("Words: Rudolf Fischer, Simon Kohler Photos: Simon Kohler", ["Rudolf Fischer", "Simon Kohler"]),
        ("Revised Edition Edited by Adrian Parr", []),
    ],
)
def test_handles_links_dates_and_credits_are_dropped(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    "byline",
    [
        "red, wien.ORF.at/Agenturen",
        "Staff",
        "By Staff Writer",
        "Redaktion",
        "Pressestelle",
        "Newsroom",
        "Editorial Team",
        "No Author",
        "Name",
        "Follow",
        "Posted",
        "Datum",
        "Zuletzt geändert am: 15.10.2021",
        "admin",
        "Wordpressadmin",
        "Hanns-Seidel-Stiftung e.V.",
        "Frankfurter Allgemeine Zeitung GmbH",
        "Bayerische Landesanstalt für Wald und Forstwirtschaft",
        "ARD",
        "Art Edwards says",
        "Rasender Reporter",
    ],
)
def test_generic_desks_placeholders_and_organisations_are_no_names(byline: str) -> None:
    assert split_authors(byline) == []


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("Reuters", ["Reuters"]),
        ("By Reuters", ["Reuters"]),
        ("Von dpa", ["dpa"]),
        ("dsw / DPA", ["DPA"]),
        ("AFP/dpa", ["AFP", "dpa"]),
        ("Agencia EFE", ["Agencia EFE"]),
        ("By Jane Roe and AP", ["Jane Roe", "AP"]),
        ("Von Anna Schmidt, Deutsche Presse-Agentur", ["Anna Schmidt", "Deutsche Presse-Agentur"]),
        ("Von MM-Redaktion", ["MM-Redaktion"]),
        ("TOI Lifestyle Desk", ["TOI Lifestyle Desk"]),
        ("By The Investopedia Team", ["The Investopedia Team"]),
        ("Redacción Central", []),
        ("NOC Admin", []),
        ("Team 31 May", []),
        ("Editorial Team", []),
        ("News Desk", []),
    ],
)
def test_agencies_and_named_desks_are_credited(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


@pytest.mark.parametrize(
    ("byline", "site", "names"),
    [
        ("L'Opinion", ("L’Opinion",), ["L'Opinion"]),
        ("Von DER SPIEGEL", ("DER SPIEGEL", "Spiegel"), ["DER SPIEGEL"]),
        ("ORF.at", ("ORF.at", "orf.at"), ["ORF.at"]),
        ("Von Jane Roe und FOCUS online", ("FOCUS online",), ["Jane Roe", "FOCUS online"]),
        ("Salzburger Nachrichten", ("Salzburger Nachrichten",), ["Salzburger Nachrichten"]),
        ("Salzburger Nachrichten", (), []),
        ("Jane Doe", ("Die Furche",), ["Jane Doe"]),
    ],
)
def test_the_publication_is_credited_when_the_page_names_it(
    byline: str, site: tuple[str, ...], names: list[str]
) -> None:
    assert split_authors(byline, site) == names


@pytest.mark.parametrize(
    "byline",
    [
        "Follow",
        "See all",
        "フォロー",
        "すべて見る",
        "Size Small Medium Large",
        "Schriftgröße klein mittel groß",
    ],
)
def test_interface_text_is_no_name(byline: str) -> None:
    assert split_authors(byline) == []


def test_a_size_word_in_a_name_is_kept() -> None:
    assert split_authors("By Jane Small") == ["Jane Small"]
    assert is_organisation("Frankfurter Allgemeine Zeitung")


def test_e_v_is_not_split_and_lowercase_sentences_are_not_names() -> None:
    assert split_authors("Bund der Energieverbraucher e. V.") == []
    assert split_authors("by the way of the river") == []


def test_user_names_only_alone() -> None:
    assert split_authors("von gnaddrig") == ["gnaddrig"]
    assert split_authors("Herr_Rein") == ["Herr_Rein"]
    assert split_authors("gnaddrig, Umwelt") == []
    assert split_authors("By gnaddrig", strict=True) == []


@pytest.mark.parametrize(
    ("line", "is_byline"),
    [
        ("By Jane Doe and John Roe", True),
        ("*Contributor: Zekun Wang", True),
        ("Von Jane Doe", True),
        ("By Reuters", True),
        ("Por ende, las “ventajas” de esta gestión en realidad se convierten en una desventaja.", False),
        ("By 2020, the company will have doubled its sales.", False),
        ("Jane Doe", False),
        ("The council met on Tuesday.", False),
    ],
)
def test_byline_line(line: str, is_byline: bool) -> None:
    found = byline_line(line)
    assert (found is not None and found.text == line) is is_byline


# ----------------------------------------------------------------------------- a page's authors


def _page(body: str, *, head: str = "", jsonld: list[dict[str, Any]] | None = None, url: str = URL) -> str:
    scripts = "".join(
        f'<script type="application/ld+json">{json.dumps(item)}</script>' for item in jsonld or []
    )
    return (
        f"<html><head><title>Council adopts the budget</title>{head}{scripts}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Council adopts the budget</h1>{body}"
        f"{PARAGRAPH * 4}</article></body></html>"
    )


def _authors(html: str, bylines: list[str] | None = None, url: str = URL) -> tuple[list[str], str | None]:
    page = parse_page(html, url, FETCHED)
    assert page is not None
    lines = [byline_line(line) for line in bylines or []]
    return select_authors(page, [line for line in lines if line is not None])


def _article(author: Any, **more: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council adopts the budget",
        "mainEntityOfPage": URL,
        "author": author,
        **more,
    }


def test_jsonld_author_of_the_main_article_not_of_related_items() -> None:
    related = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "itemListElement": [
            {
                "@type": "NewsArticle",
                "url": "https://news.example.com/other/",
                "author": {"name": "Max Other"},
            }
        ],
    }
    html = _page("", jsonld=[related, _article({"@type": "Person", "name": "Lindsey O&#039;Donnell"})])
    assert _authors(html) == (["Lindsey O'Donnell"], "Lindsey O'Donnell")


def test_jsonld_person_reference_in_a_graph() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            _article({"@id": "https://news.example.com/#/person/1"}),
            {"@type": "Person", "@id": "https://news.example.com/#/person/1", "name": "Andreas Kalt"},
        ],
    }
    assert _authors(_page("", jsonld=[graph]))[0] == ["Andreas Kalt"]


def test_jsonld_author_of_the_pages_own_work_when_no_article_describes_it() -> None:
    recipe = {
        "@context": "https://schema.org",
        "@type": "Recipe",
        "name": "Budget cake",
        "author": {"name": "Ana Ruiz"},
    }
    photo = {"@context": "https://schema.org", "@type": "ImageObject", "author": "Photo Agency Person"}
    assert _authors(_page("", jsonld=[recipe, photo]))[0] == ["Ana Ruiz"]


def test_jsonld_organisation_author_falls_through_to_the_byline() -> None:
    html = _page(
        '<p class="byline">By Jane Doe</p>',
        jsonld=[_article({"@type": "Organization", "name": "Example News"})],
    )
    assert _authors(html) == (["Jane Doe"], "By Jane Doe")


def test_jsonld_byline_string_is_cleaned() -> None:
    html = _page("", jsonld=[_article("By Glen Owen And Brendan Carlin For The Mail On Sunday")])
    assert _authors(html)[0] == ["Glen Owen", "Brendan Carlin"]


def test_meta_author_url_falls_through() -> None:
    head = (
        '<meta property="article:author" content="https://www.facebook.com/examplenews">'
        '<meta name="author" content="Kossivi Tiassou">'
    )
    assert _authors(_page("", head=head)) == (["Kossivi Tiassou"], "Kossivi Tiassou")
    head = '<meta property="article:author" content="https://www.facebook.com/examplenews">'
    html = _page('<div class="article-meta"><a href="/author/jane-doe/">Jane Doe</a></div>', head=head)
    assert _authors(html)[0] == ["Jane Doe"]


def test_written_by_label_of_twitter_data() -> None:
    head = (
        '<meta name="twitter:label1" content="Verfasst von"><meta name="twitter:data1" content="Nadja Demel">'
    )
    assert _authors(_page("", head=head))[0] == ["Nadja Demel"]


def test_the_publication_credited_as_the_author_is_the_author() -> None:
    head = '<meta name="author" content="Example News">'
    html = _page("", head=head, jsonld=[_article("Example News", publisher={"name": "Example News"})])
    assert _authors(html)[0] == ["Example News"]


def test_an_organisation_in_the_jsonld_is_the_last_resort() -> None:
    html = _page("", jsonld=[_article({"@type": "Organization", "name": "Example News"})])
    assert _authors(html)[0] == ["Example News"]
    agency = _article([{"@type": "Person", "name": "Jane Roe"}, {"@type": "Organization", "name": "AP"}])
    assert _authors(_page("", jsonld=[agency]))[0] == ["Jane Roe", "AP"]


def test_byline_element_with_several_authors_beats_partial_metadata() -> None:
    html = _page(
        '<div class="meta-item author">von Rudolf Fischer, Simon Kohler</div>',
        jsonld=[_article({"@type": "Person", "name": "Rudolf Fischer"})],
    )
    assert _authors(html) == (["Rudolf Fischer", "Simon Kohler"], "von Rudolf Fischer, Simon Kohler")


def test_names_are_kept_as_the_page_writes_them() -> None:
    html = _page('<p class="byline">By ALLY MUTNICK</p>', jsonld=[_article({"name": "Ally Mutnick"})])
    assert _authors(html)[0] == ["ALLY MUTNICK"]


def test_rel_author_and_itemprop_name() -> None:
    html = _page('<p>Posted on 1 May 2024 by <a rel="author" href="/about/">Daniel Lemire</a></p>')
    assert _authors(html)[0] == ["Daniel Lemire"]
    html = _page(
        '<div itemprop="author" itemscope><span itemprop="name">Jeanne Corriveau</span>'
        '<span itemprop="jobTitle">Reporter</span></div>'
    )
    assert _authors(html)[0] == ["Jeanne Corriveau"]


def test_comments_and_teasers_are_not_the_authors() -> None:
    body = (
        '<div class="comments"><div class="comment-author vcard">Art Edwards</div></div>'
        '<ul class="related-posts"><li><span class="byline">By Julie Pace</span></li></ul>'
    )
    assert _authors(_page(body)) == ([], None)


def test_byline_printed_under_the_headline() -> None:
    html = _page("<div><span>Von Lisa Petrich</span> <span>Mi, 18. Oktober 2023</span></div>")
    assert _authors(html)[0] == ["Lisa Petrich"]


def test_bylines_taken_out_of_the_body_come_first() -> None:
    html = _page("", jsonld=[_article({"name": "Somebody Else"})])
    assert _authors(html, ["*Contributor: Zekun Wang"]) == (["Zekun Wang"], "*Contributor: Zekun Wang")


def test_an_agency_byline_credits_the_agency() -> None:
    assert _authors(_page(""), ["Von dpa"]) == (["dpa"], "Von dpa")


def test_the_main_element_holds_the_article() -> None:
    lead = "The council adopted next year's budget on Tuesday after a long debate about the new cycle paths."
    script = f'<script type="application/ld+json">{json.dumps(_article({"name": "Jane Doe"}))}</script>'
    html = (
        f"<html><head><title>Council adopts the budget</title>{script}</head><body>"
        f"<nav><a href='/'>Home</a></nav><main><div class='summary'><h1>Council adopts the budget</h1>"
        f"<p>{lead}</p></div><div class='story-meta has-social-tools'><p class='byline'>By JANE DOE</p></div>"
        f"<div class='story-text'>{PARAGRAPH * 4}</div></main></body></html>"
    )
    assert _authors(html)[0] == ["JANE DOE"]


def test_the_publication_alone_gives_way_to_a_byline_that_names_the_author() -> None:
    head = '<meta property="og:site_name" content="Example News">'
    byline = '<div class="post-meta"><span class="author-name">Von Anna Schmidt</span></div>'
    assert _authors(_page(byline, head=head, jsonld=[_article("Example News")]))[0] == ["Anna Schmidt"]
    assert _authors(_page("", head=head, jsonld=[_article("Example News")]))[0] == ["Example News"]


def test_a_byline_in_related_stories_is_not_the_author() -> None:
    body = (
        '<aside class="related-articles"><h3>More stories</h3>'
        '<div class="teaser"><a href="/other/">Another story</a><span>By Julie Pace</span></div></aside>'
    )
    html = _page(body, head='<meta name="author" content="Julie Pace">')
    assert _authors(html)[0] == ["Julie Pace"]  # the page's own metadata credits her
    assert _authors(_page(body))[0] == []
