from __future__ import annotations

import lxml.html
import pytest

from crawler.extract import extract_page
from crawler.extract.detection import BIAS, UNWEIGHED, WEIGHTS, article_score
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
    profile = page_signals(_page('<meta property="og:type" content="profile">'), "https://e.com/jane-roe/")
    assert profile.is_listing
    assert not profile.claims_article
    # many CMSs set og:type=website on every page: it does not make a listing (extraction weighs it)
    website = page_signals(_page('<meta property="og:type" content="website">'), "https://e.com/news/")
    assert not website.is_listing
    assert page_signals(
        _page('<meta property="og:type" content="website">'), "https://e.com/2026/11/20/x/"
    ).claims_article
    collection = _page('<script type="application/ld+json">{"@type": "CollectionPage"}</script>')
    assert page_signals(collection, "https://e.com/world/").is_listing
    tag = page_signals(_page('<meta property="og:type" content="article">'), "https://e.com/tag/x/")
    assert not tag.claims_article


SENTENCE = "The council voted on the budget after a long debate about schools, roads and the new library"
STORY = "".join(
    f"<p>{SENTENCE}, said member {n}, and the mayor promised a second reading next month.</p>"
    for n in range(8)
)
TEASERS = "".join(
    f'<article><h2><a href="/2026/11/{n:02d}/story-about-item-{n}/">Headline number {n} about the town council</a></h2>'
    f"<time>2026-11-{n:02d}</time><p>A short summary of story {n}.</p></article>"
    for n in range(1, 13)
)


def _page_of(body: str, url: str, head: str = "", discovered_via: str | None = None) -> bool:
    page = extract_page(
        f"<html><head>{head}</head><body>{body}</body></html>", url, discovered_via=discovered_via
    )
    assert page is not None
    return page.is_article


def _extracted(head: str, discovered_via: str | None) -> bool:
    return _page_of(
        f"<h1>Council votes on the budget</h1>{STORY}",
        "https://news.example/news_view.html?idx=123&page=1",
        head,
        discovered_via,
    )


def test_an_article_is_kept_despite_weak_listing_signals() -> None:
    # og:type=website (set on every page by many CMSs) and ?page=1 in its URL do not veto an article
    assert _extracted('<meta property="og:type" content="website">', None)
    assert _page_of(
        f"<h1>Council votes on the budget</h1><p>By Jane Roe</p>{STORY}",
        "https://news.example/tag/budget-vote-council-schools",
    )


def test_a_list_of_teasers_is_not_an_article() -> None:
    for url in ("https://news.example/", "https://news.example/world/", "https://news.example/news/page/2/"):
        assert not _page_of(f"<h1>World</h1>{TEASERS}", url)


def test_a_product_page_is_not_an_article() -> None:
    product = '<script type="application/ld+json">{"@type": "Product", "name": "Blue kettle"}</script>'
    body = (
        "<h1>Blue kettle 1.7 l</h1><p>Price: € 49.99</p><button>Add to cart</button><button>Add to wish list</button>"
        "<p>A stainless steel kettle with a blue finish, a 1.7 litre capacity and an automatic switch-off.</p>"
    )
    assert not _page_of(body, "https://shop.example/product/blue-kettle-1-7-l", product)


def test_a_forum_thread_is_not_an_article() -> None:
    posts = "".join(
        f"<div class='post'><a href='/members/user{n}/'>user{n}</a><time>2026-11-0{n}</time>"
        f"<p>I think the blue kettle is fine, mine has lasted {n} years.</p><button>Reply</button></div>"
        for n in range(1, 8)
    )
    assert not _page_of(
        f"<h1>Which kettle to buy?</h1>{posts}", "https://forum.example/threads/which-kettle-to-buy.123/"
    )


@pytest.mark.parametrize("source", ["news_sitemap", "feed"])
def test_a_news_item_the_crawl_found_listed_is_an_article_despite_weak_evidence(source: str) -> None:
    url = "https://news.example/world/"
    assert not _page_of(f"<h1>World</h1>{TEASERS}", url, discovered_via="links")
    assert not _page_of(f"<h1>World</h1>{TEASERS}", url, discovered_via="sitemap")
    assert _page_of(f"<h1>World</h1>{TEASERS}", url, discovered_via=source)


def test_every_piece_of_evidence_is_weighed_and_between_0_and_1() -> None:
    page = extract_page(
        f"<html><body><h1>Council votes</h1>{STORY}{TEASERS}</body></html>", "https://e.com/a-b-c"
    )
    assert page is not None
    assert set(page.evidence) == set(WEIGHTS) | UNWEIGHED
    assert all(0.0 <= value <= 1.0 for value in page.evidence.values())
    assert article_score(page.evidence) == pytest.approx(
        BIAS + sum(weight * page.evidence[name] for name, weight in WEIGHTS.items())
    )


def test_a_news_item_typed_a_listing_stays_a_listing() -> None:
    collection = '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Budget"}</script>'
    assert not _extracted(collection, "news_sitemap")
