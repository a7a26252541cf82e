"""Publication and modification dates: the main article's, with the page's precision, never another item's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from crawler.dates import text_date
from crawler.extract.article import parse_page
from crawler.extract.pubdate import (
    PUBLISHED_ITEMPROPS,
    Header,
    dated_elements,
    header_date,
    page_date,
    select_dates,
    url_date,
)

FETCHED = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
URL = "https://news.example/world/talks-resume"
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells what the negotiators said and what they did next, at length.</p>"
    for n in range(6)
)


def page(
    head: str = "",
    header: str = "",
    body_end: str = "",
    *,
    jsonld: Any = None,
    url: str = URL,
    title: str = "Talks resume after a long pause",
) -> tuple[str | None, str | None]:
    """``select_dates`` on a small article page made of the given parts."""
    script = f'<script type="application/ld+json">{json.dumps(jsonld)}</script>' if jsonld else ""
    html = (
        f"<html><head><title>{title} | The Example News</title>"
        f'<meta property="og:title" content="{title}">{head}{script}</head><body>'
        '<nav class="site-nav"><a href="/">Home</a></nav>'
        f"<main><article><header><h1>{title}</h1>{header}</header>{PARAGRAPHS}</article>"
        f"{body_end}</main></body></html>"
    )
    context = parse_page(html, url, FETCHED)
    assert context is not None
    return select_dates(context, None, None)


def related_list(*days: str) -> str:
    """An aside of related stories, each with its own ``<time>``."""
    items = "".join(
        f'<li><a href="/other/{n}"><h3>Other story {n}</h3></a><time datetime="{day}">{day}</time></li>'
        for n, day in enumerate(days)
    )
    return f'<aside class="related-stories"><h2>Related</h2><ul>{items}</ul></aside>'


def test_jsonld_main_article_not_a_related_item() -> None:
    related = {"@type": "NewsArticle", "url": "https://news.example/other/1", "datePublished": "2026-10-01"}
    main = {
        "@type": "NewsArticle",
        "mainEntityOfPage": URL,
        "datePublished": "2026-11-20T08:00:00+01:00",
        "dateModified": "2026-11-21T09:30:00+01:00",
    }
    listing = {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": related}]}
    assert page(jsonld=[related, listing, main]) == ("2026-11-20T08:00:00+01:00", "2026-11-21T09:30:00+01:00")


def test_graph_page() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": URL, "datePublished": "2020-01-01T00:00:00+00:00"},
            {"@type": "NewsArticle", "@id": URL + "#article", "datePublished": "2026-11-19T18:30:00+01:00"},
        ],
    }
    assert page(jsonld=graph)[0] == "2026-11-19T18:30:00+01:00"


def test_future_dates_are_rejected() -> None:
    main = {
        "@type": "NewsArticle",
        "datePublished": "2027-01-01T00:00:00+00:00",
        "dateModified": "2027-01-02",
    }
    head = '<meta property="article:published_time" content="2026-11-20T08:00:00Z">'
    assert page(head, jsonld=main) == ("2026-11-20T08:00:00+00:00", None)


@pytest.mark.parametrize(
    ("stated", "taken"),
    [
        ("2026-11-26T15:00:00", True),  # 15:00 in Tokyo is 06:00 UTC: before the fetch
        ("2026-11-26T22:00:00", False),  # too late for any zone
        ("2026-11-27", False),  # tomorrow even in UTC+14 starts after the fetch
        ("2026-11-26T09:00:00+01:00", False),  # 08:00 UTC
    ],
)
def test_local_times_without_zone_are_future_only_in_every_zone(stated: str, taken: bool) -> None:
    published = page(f'<meta property="article:published_time" content="{stated}">')[0]
    assert (published == stated) is taken


def test_meta_before_header_time() -> None:
    head = '<meta property="article:published_time" content="2026-11-18T10:00:00+01:00">'
    header = '<time datetime="2026-11-19T10:00:00+01:00">19 November</time>'
    assert page(head, header)[0] == "2026-11-18T10:00:00+01:00"


def test_header_time_not_the_first_time_of_the_page() -> None:
    header = '<p class="byline">By A. Writer, <time datetime="2026-11-19T10:00:00+01:00">19 Nov</time></p>'
    sidebar = related_list("2026-11-01", "2026-11-02", "2026-11-03")
    html_first = page(header=header, body_end=sidebar)
    assert html_first[0] == "2026-11-19T10:00:00+01:00"


def test_sidebar_time_before_the_article_is_not_taken() -> None:
    sidebar = related_list("2026-11-01", "2026-11-02")
    header = '<span class="date"><time datetime="2026-11-19">19 Nov 2026</time></span>'
    head = "<style>aside{float:left}</style>"
    assert page(head, header=header, body_end=sidebar)[0] == "2026-11-19"


def test_a_time_in_a_link_to_another_page_is_not_the_article_date() -> None:
    html = (
        f"<html><body><article><h1>Talks resume</h1><p><a href='/other'><time datetime='2026-10-01'>1 Oct</time>"
        f"</a> <a href='{URL}#top'><time datetime='2026-11-19'>19 Nov</time></a></p>{PARAGRAPHS}</article></body></html>"
    )
    context = parse_page(html, URL, FETCHED)
    assert context is not None
    header = Header(context.headline.element, (URL,))
    assert header_date(dated_elements(context.tree), header, PUBLISHED_ITEMPROPS) == "2026-11-19"


def test_microdata_date_published() -> None:
    header = (
        '<span itemprop="datePublished" content="2026-04-27T18:50:24+02:00">27.04.2026 - 18:50 Uhr</span>'
    )
    assert page(header=header)[0] == "2026-04-27T18:50:24+02:00"


def test_date_written_beside_the_headline() -> None:
    assert page(header='<p class="info">Stand: 28.04.2026 18:00 Uhr</p>')[0] == "2026-04-28"


def test_date_from_the_url() -> None:
    assert page(url="https://news.example/2026/02/24/talks-resume/")[0] == "2026-02-24"


def test_utc_timestamp_gives_way_to_the_local_day_of_the_url() -> None:
    main = {"@type": "NewsArticle", "datePublished": "2026-02-25T02:25:54Z"}
    found = page(jsonld=main, url="https://news.example/2026/02/24/talks-resume/")
    assert found[0] == "2026-02-24"


def test_utc_timestamp_gives_way_to_the_page_local_timestamp() -> None:
    head = '<meta property="article:published_time" content="2026-05-04T03:37:37+00:00">'
    header = '<time class="entry-date" datetime="2026-05-03T23:37:37-04:00">3 May, 11:37 pm</time>'
    assert page(head, header)[0] == "2026-05-03T23:37:37-04:00"


def test_a_utc_timestamp_matching_the_local_day_is_kept() -> None:
    main = {"@type": "NewsArticle", "datePublished": "2026-02-24T12:00:00Z"}
    found = page(jsonld=main, url="https://news.example/2026/02/24/talks-resume/")
    assert found[0] == "2026-02-24T12:00:00+00:00"


def test_full_date_beats_a_year_alone() -> None:
    head = '<meta name="dc.date" content="1988"><meta name="citation_online_date" content="x">'
    header = '<time datetime="2017-01-30">30 January 2017</time>'
    assert page(head, header)[0] == "2017-01-30"


def test_a_month_alone_when_nothing_better() -> None:
    assert page('<meta name="dc.date" content="2026-11">')[0] == "2026-11"


def test_precision_is_kept() -> None:
    main = {"@type": "NewsArticle", "datePublished": "2026-11-20T08:00:00.250+05:30"}
    assert page(jsonld=main)[0] == "2026-11-20T08:00:00.250+05:30"


def test_modified_is_kept_separately() -> None:
    head = (
        '<meta property="article:published_time" content="2026-11-18T10:00:00+01:00">'
        '<meta property="article:modified_time" content="2026-11-19T12:00:00+01:00">'
    )
    assert page(head) == ("2026-11-18T10:00:00+01:00", "2026-11-19T12:00:00+01:00")


def test_modified_from_microdata() -> None:
    header = (
        '<time itemprop="datePublished" datetime="2026-11-18">18 Nov</time>'
        '<time itemprop="dateModified" datetime="2026-11-19T12:00">19 Nov, 12:00</time>'
    )
    assert page(header=header) == ("2026-11-18", "2026-11-19T12:00")


def test_dateline_date_only_when_nothing_better() -> None:
    context = parse_page(f"<html><body><h1>Talks</h1>{PARAGRAPHS}</body></html>", URL, FETCHED)
    assert context is not None
    assert select_dates(context, "2026-02-26", "2026-02-27")[0] == "2026-02-26"
    dated = parse_page(
        f'<html><head><meta name="pubdate" content="2026-02-25"></head><body>{PARAGRAPHS}</body></html>',
        URL,
        FETCHED,
    )
    assert dated is not None
    assert select_dates(dated, "2026-02-26", None)[0] == "2026-02-25"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20T08:00:00Z", "2026-11-20T08:00:00+00:00"),
        ("2022-5-5 22:17:36", "2022-05-05T22:17:36"),
        ("2022-05-04T03:00:00 UTC", "2022-05-04T03:00:00+00:00"),
        ("11.11.2021", "2021-11-11"),
        ("Di., 25.01.2022 - 14:45", "2022-01-25"),
        ("3 de mayo de 2022", "2022-05-03"),
        ("January 19, 2020", "2020-01-19"),
        ("5. November 2021", "2021-11-05"),
        ("Version 1.2.2020x", None),
        ("31.02.2020", None),
        ("yesterday", None),
        (None, None),
    ],
)
def test_page_date(text: str | None, expected: str | None) -> None:
    assert page_date(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/2020/02/24/story/", "2020-02-24"),
        ("https://a.example/2020-2-4/story", "2020-02-04"),
        ("https://a.example/news/2020/02/story", None),
        ("https://a.example/2020/02/31/story", None),
        ("https://a.example/id/12345/2020/story", None),
    ],
)
def test_url_dates(url: str, expected: str | None) -> None:
    assert url_date(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Stand: 28.04.2020 18:00 Uhr", "2020-04-28"),
        ("06.11.23 - Sensation", "2023-11-06"),
        ("Veröffentlicht am 5. November 2021", "2021-11-05"),
        ("30 septembre 2018", "2018-09-30"),
        ("1er mars 2020", "2020-03-01"),
        ("3 de mayo de 2022", "2022-05-03"),
        ("12 ago 2020", "2020-08-12"),
        ("4 de março de 2021", "2021-03-04"),
        ("2 okt 2022", "2022-10-02"),
        ("Updated Mar 12, 2020 @ 10:42 am", "2020-03-12"),
        ("Sept. 3rd, 2020", "2020-09-03"),
        ("2020/04/28", "2020-04-28"),
        ("mayor 3, 2020", None),
        ("version 1.2.2020.1", None),
        ("31.02.2020, then 01.03.2020", "2020-03-01"),
        ("no date here", None),
    ],
)
def test_text_date(text: str, expected: str | None) -> None:
    assert text_date(text) == expected


def test_a_date_beside_a_headline_in_an_h2() -> None:
    html = (
        "<html><head><title>Talks resume after a long pause | The Example News</title></head><body>"
        "<header><h1><a href='/'>The Example News</a></h1></header><main>"
        "<h2>Talks resume after a long pause</h2><p class='info'>Stand: 28.04.2026 18:00 Uhr</p>"
        f"{PARAGRAPHS}</main><aside><p>Updated 01.05.2026</p></aside></body></html>"
    )
    context = parse_page(html, URL, FETCHED)
    assert context is not None
    assert context.headline.element is not None
    assert context.headline.element.tag == "h2"
    assert select_dates(context, None, None)[0] == "2026-04-28"


def test_a_date_in_a_photo_credit_is_not_the_articles() -> None:
    credit = "<figure><img src='/a.jpg'><figcaption>© Kurt Example, 31.05.2013</figcaption></figure>"
    assert page(header=f'{credit}<p class="info">Stand: 28.04.2026 18:00 Uhr</p>')[0] == "2026-04-28"


@pytest.mark.parametrize("label", ["Registriert:", "Member since", "Erscheinungsdatum:"])
def test_a_date_labelled_as_something_else_is_not_the_articles(label: str) -> None:
    other = f"<dl><dd>{label} 14.08.2017</dd></dl>"
    assert page(header=f'{other}<p class="info">Stand: 28.04.2026 18:00 Uhr</p>')[0] == "2026-04-28"
