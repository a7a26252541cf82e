from __future__ import annotations

from datetime import UTC, datetime

from crawler.extract import extract_article

TEASER = """<html lang="en"><head><meta property="og:type" content="article">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Inside the port's new automated cranes", "isAccessibleForFree": "False",
"datePublished": "2026-11-20T06:00:00Z",
"hasPart": {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".paywall"}}</script>
</head><body><article><h1>Inside the port's new automated cranes</h1>
<p>The first of twelve automated cranes began unloading ships at the container terminal this week, and the
operators say the machines will double the number of boxes moved each hour by the end of next year.</p>
<div class="paywall"><p>Subscribers can read the rest of this story.</p></div></article></body></html>"""

FREE = TEASER.replace('"isAccessibleForFree": "False",', '"isAccessibleForFree": true,').replace(
    '"hasPart": {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".paywall"}',
    '"x": 1',
)
FETCHED = datetime(2026, 11, 26, tzinfo=UTC)


def test_a_paid_article_is_flagged() -> None:
    record = extract_article(TEASER, "https://port.example/2026/11/20/cranes/", fetched_at=FETCHED)
    assert record is not None
    assert record["is_accessible_for_free"] is False
    assert record["paywalled"] is True


def test_a_free_article_is_not_flagged() -> None:
    record = extract_article(FREE, "https://port.example/2026/11/20/cranes/", fetched_at=FETCHED)
    assert record is not None
    assert record["is_accessible_for_free"] is True
    assert record["paywalled"] is False


def test_unknown_is_null() -> None:
    html = TEASER.replace('"isAccessibleForFree": "False",', "").replace(
        '"isAccessibleForFree": "False", ', ""
    )
    record = extract_article(html, "https://port.example/2026/11/20/cranes/", fetched_at=FETCHED)
    assert record is not None
    assert record["is_accessible_for_free"] is None
