"""Each pipeline, built the Scrapy way, on real pages and records; every drop reason."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from crawler.config import ConfigError
from crawler.drops import (
    DuplicateContent,
    DuplicateUrl,
    NoBody,
    NotAnArticle,
    TooShort,
    UnchangedArticle,
    UnreadablePage,
)
from crawler.items import FIELD_NAMES, SCHEMA_VERSION, ArticlePage, ArticleRecord, record_dict
from crawler.output.files import being_written, unfinished_files
from crawler.run.context import run_of
from crawler.spiders.news import NewsSpider
from pipelines.dedup import DedupPipeline
from pipelines.extract import ExtractPipeline
from pipelines.jsonl_writer import JsonlWriterPipeline
from pipelines.language import LanguagePipeline
from pipelines.validate import ValidatePipeline

if TYPE_CHECKING:
    from pathlib import Path

ARTICLE_HTML = """<!doctype html><html lang="en"><head><title>Harbour Bridge Reopens | The Gazette</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="The Gazette">
<link rel="canonical" href="https://gazette.example/2026/11/20/harbour-bridge-reopens/">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour Bridge Reopens",
"datePublished": "2026-11-20T08:30:00+01:00", "author": {"@type": "Person", "name": "Jane Doe"}}</script>
</head><body><nav><a href="/">Home</a></nav><article><h1>Harbour Bridge Reopens</h1>
<p>The harbour bridge reopened to traffic on Friday morning after eighteen months of repairs that closed the
main route between the old town and the container port, the city's transport office said.</p>
<p>Engineers replaced the steel cables and the deck surface, and added a separate lane for bicycles that the
council had promised residents during the consultation held two years ago.</p>
<p>Shop owners on both sides of the water said the closure had cost them customers, and several welcomed the
reopening with discounts and music on the promenade throughout the weekend.</p></article>
<footer>Contact us</footer></body></html>"""


def news_crawler(tmp_path: Path):
    """A crawler whose ``news`` spider has opened its run (crawl state in ``tmp_path/out``)."""
    crawler = get_crawler(
        NewsSpider,
        settings_dict={"OUTPUT_DIR": str(tmp_path / "out"), "VALIDATE_MIN_WORDS": 40, "EXTRACT_WORKERS": 0},
    )
    crawler.spider = NewsSpider.from_crawler(crawler, url="https://gazette.example/")
    return crawler


@pytest.fixture
def crawler(tmp_path: Path):
    crawler = news_crawler(tmp_path)
    yield crawler
    run_of(crawler).close()  # the site's lock, for the next run on the same output folder


def page(
    html: str = ARTICLE_HTML,
    url: str = "https://gazette.example/2026/11/20/harbour-bridge-reopens/",
    discovered_via: str = "feed",
) -> ArticlePage:
    return ArticlePage(
        url=url,
        html=html,
        site="gazette",
        fetched_at="2026-11-26T07:00:00+00:00",
        discovered_via=discovered_via,
    )


def record(crawler, item: ArticlePage | None = None) -> ArticleRecord:
    """The extract pipeline's record, extracted in this thread (the coroutine never waits then)."""
    coroutine = build_from_crawler(ExtractPipeline, crawler).process_item(item or page())
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise AssertionError("in-thread extraction waited")


def test_extract_pipeline_builds_the_record(crawler) -> None:
    result = record(crawler)
    assert result.title == "Harbour Bridge Reopens"
    assert result.canonical_url == "https://gazette.example/2026/11/20/harbour-bridge-reopens/"
    assert result.date_published == "2026-11-20T08:30:00+01:00"
    assert result.authors == ["Jane Doe"]
    assert result.body.startswith("The harbour bridge reopened")
    assert "Contact us" not in result.body
    assert "\n\nEngineers replaced" in result.body
    assert result.site_name == "The Gazette"
    assert result.crawl_id == run_of(crawler).crawl_id
    assert result.schema_version == SCHEMA_VERSION
    assert crawler.stats.get_value("newscrawl/extract/pages") == 1


def test_extract_pipeline_uses_the_listed_date_when_the_page_has_none(crawler) -> None:
    html = ARTICLE_HTML.replace('"datePublished": "2026-11-20T08:30:00+01:00", ', "")
    item = replace(page(html, url="https://gazette.example/harbour-bridge-reopens"), listed_date="2026-11-19")
    assert record(crawler, item).date_published == "2026-11-19"


def test_extract_pipeline_drops_unreadable_html(crawler) -> None:
    with pytest.raises(UnreadablePage):
        record(crawler, page(html=""))


def test_validate_pipeline_drop_reasons(crawler) -> None:
    validate = build_from_crawler(ValidatePipeline, crawler)
    good = record(crawler)
    assert validate.process_item(good) is good
    with pytest.raises(NotAnArticle):
        validate.process_item(replace(good, is_article=False))
    with pytest.raises(NoBody):
        validate.process_item(replace(good, body="", word_count=0))
    with pytest.raises(TooShort):
        validate.process_item(replace(good, body="Too short.", word_count=2))
    assert crawler.stats.get_value("newscrawl/validate/too_short") == 1


def test_a_negative_minimum_stops_the_run_before_it_starts(tmp_path: Path) -> None:
    crawler = get_crawler(NewsSpider, settings_dict={"VALIDATE_MIN_WORDS": -1, "OUTPUT_DIR": str(tmp_path)})
    with pytest.raises(ConfigError, match="VALIDATE_MIN_WORDS"):
        NewsSpider.from_crawler(crawler, url="https://gazette.example/")


def test_listing_page_is_not_an_article(crawler) -> None:
    html = '<html><head><meta property="og:type" content="website"></head><body><h1>World</h1>'
    html += "".join(
        f'<p><a href="/2026/11/{d}/story-{d}/">Story number {d} of the day</a></p>' for d in range(10, 20)
    )
    html += "</body></html>"
    validate = build_from_crawler(ValidatePipeline, crawler)
    with pytest.raises(NotAnArticle):
        validate.process_item(
            record(crawler, page(html, url="https://gazette.example/world/", discovered_via="links"))
        )
    # listed in a feed, it is taken for an article, and its text (teaser links aside) is too short for one
    with pytest.raises(TooShort):
        validate.process_item(record(crawler, page(html, url="https://gazette.example/world/")))


def test_language_pipeline(crawler) -> None:
    language = build_from_crawler(LanguagePipeline, crawler)
    extracted = record(crawler)
    assert (extracted.language, extracted.language_score is not None) == ("en", True)  # by the extraction
    assert language.process_item(extracted).language == "en"
    german = ARTICLE_HTML.replace(
        "The harbour bridge reopened",
        "Die Hafenbrücke wurde am Freitagmorgen nach achtzehn Monaten wieder für den",
    )
    # as a custom extraction function leaves it: no language, detected by the pipeline
    short = replace(
        record(crawler, page(german)),
        body="Kurz.",
        language_hints=["de-DE"],
        language=None,
        language_score=None,
    )
    assert language.process_item(short).language == "de"
    assert crawler.stats.get_value("newscrawl/language/en") == 1


def test_dedup_pipeline_drops_same_url_and_same_text(crawler) -> None:
    dedup = build_from_crawler(DedupPipeline, crawler)
    first = record(crawler)
    assert dedup.process_item(first) is first
    with pytest.raises(DuplicateUrl):
        dedup.process_item(replace(first, url="https://gazette.example/amp/x"))
    with pytest.raises(DuplicateContent):
        dedup.process_item(replace(first, canonical_url="https://gazette.example/copy/"))
    other = replace(first, canonical_url="https://gazette.example/other/", content_hash="0" * 64)
    assert dedup.process_item(other) is other
    assert crawler.stats.get_value("newscrawl/dedup/url") == 1
    assert crawler.stats.get_value("newscrawl/dedup/content") == 1


def test_dedup_pipeline_revalidates_an_unchanged_article_and_versions_a_changed_one(
    crawler, tmp_path: Path
) -> None:
    state = run_of(crawler).ledger.state
    first = replace(record(crawler), etag='"v1"')
    state.record_article(record_dict(first), "gazette", "2026-11-01T00:00:00+00:00")
    dedup = build_from_crawler(DedupPipeline, crawler)
    dedup.open_spider()
    with pytest.raises(UnchangedArticle):
        dedup.process_item(first)
    assert state.article(first.canonical_url).last_seen > "2026-11-01T00:00:00+00:00"
    assert state.validators(first.url) == ('"v1"', None)  # the next run asks If-None-Match
    changed = replace(first, content_hash="1" * 64)
    run_of(crawler).close()
    later = news_crawler(tmp_path)  # a later run on the same state
    dedup = build_from_crawler(DedupPipeline, later)
    dedup.open_spider()
    assert dedup.process_item(changed).version == 2
    run_of(later).close()


def test_jsonl_writer_flushes_each_line_and_finalises_the_file(crawler, tmp_path: Path) -> None:
    writer = build_from_crawler(JsonlWriterPipeline, crawler)
    item = build_from_crawler(LanguagePipeline, crawler).process_item(record(crawler))
    writer.process_item(item)
    final = writer.path_for("gazette")
    part = final.with_name(final.name + ".part")
    assert part.exists()
    assert not final.exists()
    line = json.loads(part.read_text("utf-8"))  # readable before the crawl ends
    assert tuple(line) == FIELD_NAMES
    # a live file is locked by its writer, so another run on the same output leaves it alone
    assert being_written(part)
    assert unfinished_files(tmp_path / "out", "gazette") == [part]
    (part.parent / "killed.jsonl.part").write_text(part.read_text("utf-8"), "utf-8")
    (part.parent / "killed.warc.gz.part").write_bytes(b"")  # a WARC file is not a JSONL one
    assert not being_written(part.parent / "killed.jsonl.part")
    assert unfinished_files(tmp_path / "out", "gazette") == sorted([part.parent / "killed.jsonl.part", part])
    writer.process_item(replace(item, canonical_url="https://gazette.example/b/"))
    writer.close_spider()
    assert final.exists()
    assert not part.exists()
    assert final.parent.parent.name == "gazette"
    assert final.name == f"{run_of(crawler).crawl_id}.jsonl"
    lines = final.read_text("utf-8").splitlines()
    assert [json.loads(x)["canonical_url"] for x in lines] == [
        item.canonical_url,
        "https://gazette.example/b/",
    ]
