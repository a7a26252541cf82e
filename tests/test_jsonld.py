"""JSON-LD as publishers write it: a slip that JSON.parse refuses must not lose the article's metadata."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.extract import extract_article
from crawler.page.jsonld import jsonld_objects, main_article, parse_jsonld

FIELDS = (
    '"@type": "NewsArticle", "headline": "Tram plan approved", "datePublished": "2026-11-20T08:00:00+01:00"'
)
AUTHOR = '"author": {"@type": "Person", "name": "Anna Berg"}'
VALID = "{" + FIELDS + ", " + AUTHOR + "}"

BROKEN_BLOCKS = {
    "raw newline in a string": "{"
    + FIELDS
    + ', "articleBody": "First line.\nSecond\tline.", '
    + AUTHOR
    + "}",
    "HTML-escaped block": VALID.replace('"', "&quot;"),
    "entity in a value": VALID.replace("Anna Berg", "Anna Berg &amp; Jo&#233;l Roux"),
    "trailing junk": VALID + " }\n</div>",
    "trailing semicolon": VALID + ";",
    "line comment": '// schema.org metadata\n{"url": "https://gazette.example/a", '
    + FIELDS
    + ", "
    + AUTHOR
    + "}",
    "block comment": "{" + FIELDS + ", /* the writer */ " + AUTHOR + "}",
    "HTML comment wrapper": "<!--\n" + VALID + "\n-->",
    "CDATA wrapper": "//<![CDATA[\n" + VALID + "\n//]]>",
    "trailing commas": "{" + FIELDS + ", " + AUTHOR.replace("}", ",}") + ",}",
    "JavaScript escape": "{" + FIELDS.replace("Tram plan", "Tram plan\\'s") + ", " + AUTHOR + "}",
    "two objects": '{"@type": "WebSite", "name": "The Gazette"}\n' + VALID,
    "two objects with a comma": '{"@type": "WebSite", "name": "The Gazette"},' + VALID,
    "a list with a trailing comma": "[" + VALID + ",]",
}


def page(block: str) -> str:
    return (
        f'<html><head><title>x</title><script type="application/ld+json">{block}</script></head>'
        "<body><article><h1>Tram plan approved</h1>"
        + "<p>The council approved the harbour tram extension on Friday after a long debate.</p>" * 8
        + "</article></body></html>"
    )


@pytest.mark.parametrize("block", BROKEN_BLOCKS.values(), ids=BROKEN_BLOCKS.keys())
def test_a_broken_block_still_gives_the_article(block: str) -> None:
    article = main_article(jsonld_objects(lxml.html.fromstring(page(block))), {"https://gazette.example/a"})
    assert article is not None
    assert article["headline"].startswith("Tram plan")
    assert article["datePublished"] == "2026-11-20T08:00:00+01:00"
    assert article["author"]["name"].startswith("Anna Berg")


def test_the_record_keeps_the_metadata_of_a_block_with_a_raw_newline() -> None:
    record = extract_article(page(BROKEN_BLOCKS["raw newline in a string"]), "https://gazette.example/a")
    assert record is not None
    assert record["date_published"] == "2026-11-20T08:00:00+01:00"
    assert record["authors"] == ["Anna Berg"]


@pytest.mark.parametrize(
    ("block", "values"),
    [
        ('{"url": "https://a.example/b//c"}', [{"url": "https://a.example/b//c"}]),  # not a comment
        ('{"text": "a /* b */ c, }"}', [{"text": "a /* b */ c, }"}]),  # nor here
        ('{"name": "Tom &amp; Jerry", "n": [1, 2]}', [{"name": "Tom & Jerry", "n": [1, 2]}]),
        ('{"path": "C:\\\\temp\\\\"}', [{"path": "C:\\temp\\"}]),
        ("", []),
        ("not json at all", []),
        ("{unclosed", []),
    ],
)
def test_what_is_read_and_what_is_left(block: str, values: list[object]) -> None:
    assert parse_jsonld(block) == values
