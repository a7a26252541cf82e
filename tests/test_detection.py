from __future__ import annotations

import lxml.html
import pytest

from crawler.extract import extract_page
from crawler.page.signals import is_listing_url, page_signals


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/",
        "https://example.com/tag/politics/",
        "https://example.com/author/anna-berg/",
        "https://example.com/search?q=x",
        "https://example.com/about/",
        "https://example.com/news/page/2/",
        "https://example.com/news/?page=3",
        "https://example.com/category/world",
        "https://example.com/politik/?seite=12",
    ],
)
def test_listing_urls(url: str) -> None:
    assert is_listing_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/2026/11/20/some-story/",
        "https://example.com/world/2019-02-26-xiaomi-restructure",
        "https://example.com/politik/article12345.html",
        "https://example.com/news/",
        "https://example.co.kr/news/news_view.html?idx=123&page=1",  # the first page is the page itself
        "https://example.com/?p=4711",  # WordPress names a post so
    ],
)
def test_not_listing_urls(url: str) -> None:
    assert not is_listing_url(url)


def _page(head: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><head>{head}</head><body><p>Text</p></body></html>")


def test_jsonld_article_claims_article() -> None:
    tree = _page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H"}</script>')
    signals = page_signals(tree, "https://example.com/story")
    assert signals.article_typed
    assert signals.claims_article


def test_jsonld_graph_article_is_found() -> None:
    tree = _page(
        '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": ["BlogPosting"]}]}</script>'
    )
    assert page_signals(tree, "https://example.com/story").claims_article


def test_og_article_and_date_url() -> None:
    assert page_signals(
        _page('<meta property="og:type" content="article">'), "https://e.com/x"
    ).claims_article
    assert page_signals(_page(""), "https://e.com/2026/11/20/x/").claims_article
    assert not page_signals(_page(""), "https://e.com/x").claims_article


def test_listing_pages_never_claim_article() -> None:
    website = page_signals(_page('<meta property="og:type" content="website">'), "https://e.com/news/")
    assert not website.claims_article
    collection = _page('<script type="application/ld+json">{"@type": "CollectionPage"}</script>')
    assert page_signals(collection, "https://e.com/world/").is_listing
    tag = page_signals(_page('<meta property="og:type" content="article">'), "https://e.com/tag/x/")
    assert not tag.claims_article  # its links are still followed
    assert not tag.is_listing  # and its text decides what it is


def test_og_website_alone_is_no_listing() -> None:
    """Many CMSs set ``og:type=website`` on every page: it leaves the decision to the text."""
    signals = page_signals(
        _page('<meta property="og:type" content="website">'), "https://e.com/kultur/ein-text"
    )
    assert not signals.is_listing


# --------------------------------------------------------------------------- the weighed decision

GERMAN = (
    "Der Gemeinderat hat am Dienstagabend nach langer Debatte beschlossen, die alte Markthalle am Hafen zu"
    " sanieren und im kommenden Frühjahr wieder für Händler aus der Region zu öffnen."
)
KOREAN = "시청은 화요일 저녁 긴 토론 끝에 항구에 있는 오래된 시장 건물을 보수하고 내년 봄에 지역 상인들에게 다시 개방하기로 결정했다고 밝혔다."
FRENCH = (
    "Le conseil municipal a décidé mardi soir, après un long débat, de rénover l'ancienne halle du port et de"
    " la rouvrir aux commerçants de la région au printemps prochain."
)


def _article(
    paragraphs: list[str], head: str = "", headline: str = "Die Markthalle am Hafen öffnet wieder"
) -> str:
    text = "".join(f"<p>{paragraph} ({number})</p>" for number, paragraph in enumerate(paragraphs, 1))
    return (
        f"<html><head><title>{headline}</title>{head}</head><body><nav><a href='/'>Start</a></nav>"
        f"<main><h1>{headline}</h1><p class='byline'>Von Anna Berg</p>"
        f"<time datetime='2026-11-20T08:00:00+01:00'>20.11.2026</time>{text}</main></body></html>"
    )


def _listing(teasers: list[str], head: str = "") -> str:
    items = "".join(
        f"<li><h3><a href='/story-{number}'>{teaser}</a></h3></li>" for number, teaser in enumerate(teasers)
    )
    return f"<html><head><title>Nachrichten</title>{head}</head><body><h1>Nachrichten</h1><ul>{items}</ul></body></html>"


def _kept(html: str, url: str, discovered_via: str | None = None) -> bool:
    page = extract_page(html, url, discovered_via=discovered_via)
    assert page is not None
    return page.is_article and bool(page.body)


WEBSITE = '<meta property="og:type" content="website">'


def test_an_article_marked_og_website_is_kept() -> None:
    assert _kept(_article([GERMAN] * 6, WEBSITE), "https://zeitung.example/lokales/markthalle-oeffnet")


def test_an_article_with_a_first_page_query_is_kept() -> None:
    html = _article([KOREAN] * 5, headline="항구 시장 건물 다시 개방")
    assert _kept(html, "https://news.example.co.kr/news/news_view.html?idx=123&page=1")


def test_an_article_on_a_listing_looking_path_is_kept_when_typed() -> None:
    head = '<meta property="og:type" content="article">'
    assert _kept(_article([FRENCH] * 5, head), "https://journal.example/section/region/la-halle-rouvre")


def test_a_short_news_item_is_kept_with_its_header() -> None:
    assert _kept(_article([GERMAN, FRENCH, GERMAN]), "https://zeitung.example/lokales/markthalle")


@pytest.mark.parametrize(
    ("discovered_via", "kept"), [("feed", True), ("news_sitemap", True), ("links", False)]
)
def test_the_crawl_s_evidence_decides_a_short_unsigned_item(discovered_via: str, kept: bool) -> None:
    html = _article([GERMAN, FRENCH]).replace("<p class='byline'>Von Anna Berg</p>", "")
    assert _kept(html, "https://zeitung.example/lokales/markthalle", discovered_via) is kept


@pytest.mark.parametrize("discovered_via", [None, "feed", "news_sitemap"])
def test_a_list_of_headlines_is_rejected(discovered_via: str | None) -> None:
    teasers = [f"Markthalle am Hafen: Händler kehren im Frühjahr zurück, Folge {n}" for n in range(12)]
    assert not _kept(_listing(teasers, WEBSITE), "https://zeitung.example/lokales/", discovered_via)


def test_a_collection_page_is_rejected_even_with_long_teasers() -> None:
    head = '<script type="application/ld+json">{"@type": "CollectionPage"}</script>'
    assert not _kept(_listing([GERMAN] * 8, head), "https://zeitung.example/thema/hafen/")


def test_the_home_page_is_rejected() -> None:
    teasers = [f"Le conseil municipal rénove la halle du port, épisode {n}" for n in range(12)]
    assert not _kept(_listing(teasers), "https://journal.example/")
