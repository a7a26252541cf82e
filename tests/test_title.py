"""The headline: the article's own heading or metadata title, without site names, kickers or entities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from crawler.extract.context import PageContext
from crawler.extract.metadata import PageMetadata
from crawler.extract.sitenames import SiteNames, domain_labels, strip_site
from crawler.extract.title import clean_title, select_title
from crawler.page import jsonld
from crawler.page.meta import meta_content

URL = "https://www.dailyherald.example/politics/2024/05/03/budget-talks-collapse.html"
HERALD = SiteNames(frozenset({"daily herald"}), domain_labels(URL))
DOMAIN_ONLY = SiteNames(frozenset(), domain_labels(URL))


def page(head: str, body: str = "", url: str = URL, site_name: str | None = None) -> PageContext:
    """A parsed page without trafilatura's result, as ``parse_page`` would build it."""
    tree = lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    objects = jsonld.jsonld_objects(tree)
    main = jsonld.main_article(objects, {url}) or {}
    name = site_name or meta_content(tree, "og:site_name")
    fetched = datetime(2024, 5, 3, tzinfo=UTC)
    return PageContext(tree, url, url, objects, main, name, fetched, None, PageMetadata(tree, url, fetched))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Budget talks collapse | Daily Herald", "Budget talks collapse"),
        ("Budget talks collapse - Daily Herald", "Budget talks collapse"),
        ("Budget talks collapse – Daily Herald | Politics", "Budget talks collapse"),
        ("Budget talks collapse | Politics | Daily Herald", "Budget talks collapse"),
        ("Daily Herald: Budget talks collapse", "Budget talks collapse"),
        ("Daily Herald » Politics » Budget talks collapse", "Budget talks collapse"),
    ],
)
def test_site_name_is_cut_off(title: str, expected: str) -> None:
    assert clean_title(title, HERALD) == expected


@pytest.mark.parametrize(
    "title",
    [
        "Nutzerbasierte Abrechnung: Musik-Stars fordern neues Streaming-Modell",
        "Würde des Lebens – ein Projekt",
        "Derek Jarman · The Garden",
        "Brexit - what happens next",
    ],
)
def test_headline_parts_are_kept_with_their_separators(title: str) -> None:
    assert clean_title(title, HERALD) == title
    assert clean_title(f"{title} | Daily Herald", HERALD) == title


def test_site_name_is_matched_loosely_against_the_domain() -> None:
    assert strip_site("Budget talks collapse | DAILY HERALD Online", DOMAIN_ONLY) == "Budget talks collapse"
    assert strip_site("Budget talks collapse - dailyherald.example", DOMAIN_ONLY) == "Budget talks collapse"
    spiegel = SiteNames(frozenset(), domain_labels("https://www.spiegel.de/politik/a-1.html"))
    assert strip_site("Koalition einigt sich - SPIEGEL ONLINE", spiegel) == "Koalition einigt sich"


def test_a_headline_starting_with_the_site_name_is_not_cut() -> None:
    assert strip_site("Daily Herald wins press award", DOMAIN_ONLY) == "Daily Herald wins press award"


def test_the_confirmed_h1_is_taken_as_written() -> None:
    context = page(
        '<meta property="og:title" content="Wurde des Lebens - ein Projekt | Daily Herald">',
        "<article><h1>Würde des Lebens – ein Projekt</h1><p>Text.</p></article>",
    )
    assert select_title(context) == "Würde des Lebens – ein Projekt"


def test_an_h1_with_the_site_logo_is_ignored() -> None:
    context = page(
        "<title>Budget talks collapse | The Morning Bugle</title>",
        '<header><h1><a href="https://www.dailyherald.example/">The Morning Bugle</a></h1></header>'
        '<article><h2 class="entry-title">Budget talks collapse</h2><p>Text.</p></article>',
    )
    assert select_title(context) == "Budget talks collapse"


def test_an_h1_with_only_a_logo_image_is_ignored() -> None:
    context = page(
        '<meta property="og:title" content="Budget talks collapse | Daily Herald">',
        '<h1><a href="/"><img src="/logo.png" alt="Daily Herald"></a></h1><p>Text.</p>',
    )
    assert select_title(context) == "Budget talks collapse"


def test_an_h1_widget_is_ignored() -> None:
    context = page(
        '<meta property="og:title" content="Budget talks collapse - Daily Herald">',
        "<nav><h1>Menu di navigazione</h1></nav><div><p>Text.</p></div>",
    )
    assert select_title(context) == "Budget talks collapse"


def test_the_first_h1_that_the_metadata_confirm_wins() -> None:
    context = page(
        "<title>Budget talks collapse | Daily Herald</title>",
        "<h1>Write a Reply or Comment</h1><article><h1>Budget talks collapse</h1></article>",
    )
    assert select_title(context) == "Budget talks collapse"


def test_an_unconfirmed_h1_in_the_article_beats_the_metadata() -> None:
    context = page(
        '<meta property="og:title" content="Budget talks: what now?">',
        "<article><h1>Budget talks collapse after all-night session</h1></article>",
    )
    assert select_title(context) == "Budget talks collapse after all-night session"


def test_a_kicker_is_removed() -> None:
    context = page(
        '<meta property="og:title" content="Daten von Rheinmetall gehackt - Interne Unterlagen im Netz">',
        '<h1><span class="dachzeile">Interne Unterlagen im Netz</span> '
        '<span class="headline">Daten von Rheinmetall gehackt</span></h1>',
    )
    assert select_title(context) == "Daten von Rheinmetall gehackt"


def test_a_kicker_with_a_hidden_separator_is_removed_and_named() -> None:
    context = page(
        '<meta property="og:title" content="Klimaschutz: Bohren, bis es heiß wird">',
        '<h1><span class="kicker">Klimaschutz</span><span class="visually-hidden">: </span>'
        '<span class="title">Bohren, bis es heiß wird</span></h1>',
    )
    assert select_title(context) == "Bohren, bis es heiß wird"
    assert context.headline.kicker == "Klimaschutz"


@pytest.mark.parametrize(
    ("metadata", "title"),
    [
        (
            "Basketball-Euroleague: Bayern verliert in Madrid",
            "Bayern verliert in Madrid",
        ),
        ("Bayern verliert in Madrid | Sportblatt", "Bayern verliert in Madrid"),
    ],
)
def test_the_kicker_is_named_whether_or_not_the_metadata_title_has_it(metadata: str, title: str) -> None:
    context = page(
        f'<meta property="og:title" content="{metadata}"><meta property="og:site_name" content="Sportblatt">',
        '<article><h1><div class="overline">Basketball-Euroleague</div>'
        "<div>Bayern verliert in Madrid</div></h1></article>",
    )
    assert select_title(context) == title
    assert context.headline.kicker == "Basketball-Euroleague"


def test_a_date_overline_is_no_kicker_and_bold_words_none_either() -> None:
    dated = page(
        '<meta property="og:title" content="Bundesministerin Raab: Rahmenbedingungen gestalten">',
        '<h1><span class="supertitle"><time datetime="2022-02-01">1. Februar 2022</time></span>'
        '<span class="title">Bundesministerin Raab: Rahmenbedingungen gestalten</span></h1>',
    )
    assert dated.headline.kicker is None
    bold = page(
        '<meta property="og:title" content="Editor\'s Letter: bye OC Baby">',
        "<h1><b>Editor's Letter:</b><i> bye OC Baby</i></h1>",
    )
    assert bold.headline.kicker is None


def test_a_date_overline_is_removed() -> None:
    context = page(
        '<meta property="og:title" content="Bundesministerin Raab: Rahmenbedingungen gestalten">',
        '<h1><span class="supertitle"><time datetime="2022-02-01">1. Februar 2022</time></span>'
        '<span class="title">Bundesministerin Raab: Rahmenbedingungen gestalten</span></h1>',
    )
    assert select_title(context) == "Bundesministerin Raab: Rahmenbedingungen gestalten"


def test_bold_words_of_the_headline_stay() -> None:
    context = page(
        '<meta property="og:title" content="Editor\'s Letter: bye OC Baby">',
        "<h1><b>Editor's Letter:</b><i> bye OC Baby</i></h1>",
    )
    assert select_title(context) == "Editor's Letter: bye OC Baby"


def test_a_subtitle_the_metadata_leave_out_is_removed() -> None:
    context = page(
        '<meta property="og:title" content="Dezuka Suisan: Fish Cakes, Hot and Fresh">',
        '<h1><span>Dezuka Suisan: Fish Cakes, Hot and Fresh</span> <small class="subtitle">Welcome to '
        "the North</small></h1>",
    )
    assert select_title(context) == "Dezuka Suisan: Fish Cakes, Hot and Fresh"


def test_entities_in_metadata_are_unescaped() -> None:
    headline = "Record of The Week: Luboku, &#8216;Pale Blue Dot&#8217;"
    context = page(
        f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{headline}"}}</script>'
        '<meta property="og:title" content="Olive &amp;#038; Herb Focaccia">'
    )
    assert select_title(context) == "Record of The Week: Luboku, ‘Pale Blue Dot’"
    assert select_title(page('<meta property="og:title" content="Olive &amp;#038; Herb Focaccia">')) == (
        "Olive & Herb Focaccia"
    )


def test_soft_hyphens_are_dropped() -> None:
    context = page("", "<article><h1>Er\u00adin\u00adne\u00adrung an die Opfer</h1></article>")
    assert select_title(context) == "Erinnerung an die Opfer"


def test_a_headline_taken_for_the_site_name_does_not_cut_the_title() -> None:
    headline = "Illegale Migration aus Belarus über Polen nach Deutschland: Bereits 9.087 Feststellungen"
    url = "https://www.grenzpolizei.example/aktuelles/meldung.html"
    context = page(f"<title>Grenzpolizei - Aktuelles - {headline}</title>", url=url, site_name=headline)
    assert select_title(context) == headline


def test_no_title_at_all() -> None:
    assert select_title(page("", "<p>Only text.</p>")) is None


# ----------------------------------------------------------------------------- the headline element


def test_the_headline_element_is_the_heading_the_title_comes_from() -> None:
    context = page(
        '<meta property="og:title" content="Budget talks collapse">',
        '<header><h1><a href="/">Daily Herald</a></h1></header>'
        "<main><h2 class='headline'>Budget talks collapse</h2><p>Text.</p></main>",
    )
    headline = context.headline
    assert headline.element is not None
    assert (headline.element.tag, headline.text) == ("h2", "Budget talks collapse")
    assert select_title(context) == "Budget talks collapse"


def test_a_heading_naming_a_part_of_the_title_marks_the_header() -> None:
    context = page(
        "<title>Geschichte | Klänge des Verschweigens</title>", "<div><h2>Klänge des Verschweigens</h2></div>"
    )
    headline = context.headline
    assert headline.element is not None
    assert (headline.element.tag, headline.text) == ("h2", None)
    assert select_title(context) == "Geschichte | Klänge des Verschweigens"


def test_no_heading_no_headline_element() -> None:
    context = page("<title>Budget talks collapse</title>", "<p>Text.</p>")
    assert (context.headline.element, context.headline.text) == (None, None)
