"""trafilatura's metadata of a page, read part by part: what each part gives, and that none is read unasked."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from lxml import html as lxml_html

from crawler.extract.article import parse_page
from crawler.extract.metadata import PageMetadata
from crawler.extract.pubdate import select_dates

FETCHED = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)
URL = "https://news.example/world/2026/talks-resume"
STORY = "".join(
    f"<p>Paragraph {n} says what the negotiators said and did next, at some length.</p>" for n in range(6)
)


def metadata(head: str, body: str = STORY) -> PageMetadata:
    tree = lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    return PageMetadata(tree, URL, FETCHED)


def test_declared_values_are_tidied_as_trafilatura_tidies_them() -> None:
    read = metadata(
        '<meta property="og:title" content="Talks  resume &amp; stall">'
        '<meta name="description" content=" Negotiators met again. ">'
        '<meta name="twitter:site" content="@dailyherald">'
        '<meta name="author" content="Jane Roe">'
    )
    assert read.title == "Talks resume & stall"
    assert read.description == "Negotiators met again."
    assert read.sitename == "Dailyherald"
    assert read.author == "Jane Roe"


def test_a_one_word_declared_author_gives_way_to_the_byline_on_the_page() -> None:
    read = metadata('<meta name="author" content="admin">', f'<p class="byline">By Jane Roe</p>{STORY}')
    assert read.author == "Jane Roe"


def test_the_date_is_never_after_the_fetch() -> None:
    assert metadata('<meta property="article:published_time" content="2026-11-20">').date == "2026-11-20"
    assert metadata('<meta property="article:published_time" content="2027-01-20">').date != "2027-01-20"


def test_tags_are_the_declared_ones_else_the_page_tag_links() -> None:
    links = '<a href="/tag/diplomacy/">diplomacy</a><a href="/tag/trade/">trade</a>'
    assert metadata("", f'{STORY}<div class="tags">{links}</div>').tags == ["diplomacy", "trade"]
    declared = '<meta property="article:tag" content="talks">'
    assert metadata(declared, f'{STORY}<div class="tags">{links}</div>').tags == ["talks"]


def test_htmldate_is_not_run_when_the_page_gives_a_full_date() -> None:
    """The costly date search runs only when nothing before it in the order of trust gives a day."""
    article = json.dumps({"@type": "NewsArticle", "headline": "Talks resume", "datePublished": "2026-11-20"})
    dated = parse_page(
        f'<html><head><script type="application/ld+json">{article}</script></head>'
        f"<body><h1>Talks resume</h1>{STORY}</body></html>",
        URL,
        FETCHED,
    )
    undated = parse_page(f"<html><body><h1>Talks resume</h1>{STORY}</body></html>", URL, FETCHED)
    assert dated is not None
    assert undated is not None
    assert select_dates(dated, None, None)[0] == "2026-11-20"
    select_dates(undated, None, None)
    assert "date" not in vars(dated.metadata)
    assert "date" in vars(undated.metadata)
