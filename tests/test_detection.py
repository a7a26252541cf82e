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
    website = page_signals(_page('<meta property="og:type" content="website">'), "https://e.com/news/")
    assert website.is_listing
    assert not website.claims_article
    collection = _page('<script type="application/ld+json">{"@type": "CollectionPage"}</script>')
    assert page_signals(collection, "https://e.com/world/").is_listing
    tag = page_signals(_page('<meta property="og:type" content="article">'), "https://e.com/tag/x/")
    assert not tag.claims_article


STORY = "".join(
    f"<p>Paragraph {n} says what the council decided and why it matters here.</p>" for n in range(8)
)


def _extracted(head: str, discovered_via: str | None) -> bool:
    page = extract_page(
        f"<html><head>{head}</head><body><h1>Council votes on the budget</h1>{STORY}</body></html>",
        "https://news.example/news_view.html?idx=123&page=1",
        discovered_via=discovered_via,
    )
    assert page is not None
    return page.is_article


@pytest.mark.parametrize("source", ["news_sitemap", "feed"])
def test_a_news_item_the_crawl_found_listed_is_an_article_despite_weak_listing_signals(source: str) -> None:
    website = '<meta property="og:type" content="website">'
    assert not _extracted(website, None)
    assert not _extracted(website, "links")
    assert not _extracted(website, "sitemap")
    assert _extracted(website, source)


def test_a_news_item_typed_a_listing_stays_a_listing() -> None:
    collection = '<script type="application/ld+json">{"@type": "CollectionPage", "name": "Budget"}</script>'
    assert not _extracted(collection, "news_sitemap")
