"""End to end: ``scrapy crawl news`` on a realistic local news site and on the bundled demo."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jsonschema
import pytest

from crawler.demo.server import PLACEHOLDER_ORIGIN, LocalSite
from tests.conftest import ROOT, SEED_TEXT, TEST_SITE, CrawlResult, article_html, run_crawl

if TYPE_CHECKING:
    from pathlib import Path


EXPECTED_PATHS = {
    "/2026/11/24/river-ferry-returns-to-service/",  # home, sections, sitemaps, feed
    "/2026/11/23/free-school-breakfast-pilot-extended/",
    "/2026/11/22/station-road-bridge-corrosion/",  # /news/page/2/ (rel=next)
    "/2026/11/21/rovers-reach-county-cup-final/",  # only through tracking-parameter links and an AMP copy
    "/2026/11/20/central-library-sunday-opening/",  # only in the news sitemap
    "/2026/11/19/allotment-waiting-list-record/",  # only in the RSS feed
    "/2026/11/18/moved-story/",  # only through a 301 redirect
    "/2026/11/17/tram-extension-consultation-opens/",  # only on /news/page/3/ (numbered pagination)
    "/2026/11/16/half-marathon-new-riverside-route/",  # only linked from /sport/
}
SCHEMA = json.loads((ROOT / "crawler" / "schema" / "article.schema.json").read_text("utf-8"))


def test_crawl_of_a_local_news_site(test_site: LocalSite, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/")
    assert result.returncode == 0, result.log[-3000:]
    files = result.output_files()
    assert len(files) == 1
    assert files[0].parent.parent.name == "127.0.0.1"
    assert not list(result.output_dir.rglob("*.part"))

    records = result.records()
    canonical = [urlsplit(r["canonical_url"]).path for r in records]
    assert sorted(canonical) == sorted(EXPECTED_PATHS)  # exactly these, no duplicate, no listing page
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for record in records:
        assert not list(validator.iter_errors(record)), record["url"]
        assert record["url"].startswith(test_site.origin)
        assert "utm_" not in record["url"]
        assert "fbclid" not in record["url"]
        assert "/amp/" not in record["canonical_url"]
        assert record["language"] == "en"
        assert record["date_published"].startswith("2026-11-")
        assert record["word_count"] >= 150

    requested = test_site.requested_paths
    assert not [path for path in requested if path.startswith("/private/")]
    assert requested.count("/robots.txt") == 1  # Scrapy's robots.txt middleware and discovery share one fetch
    assert "/2026/11/01/deleted-story/" in requested  # the 404 was tried and counted, not written
    assert "Summary for 127.0.0.1 (finished)" in result.log
    assert "errors http_404 1" in result.log


def test_demo_crawl_writes_the_seed_article_clean(tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", "site=demo")
    assert result.returncode == 0, result.log[-3000:]
    records = result.records()
    assert len(records) == 9
    assert {r["language"] for r in records} == {"en", "de", "fr", "es"}
    seed = next(r for r in records if "xiaomi" in r["url"])
    assert seed["title"] == "Xiaomi Announces Organization Restructure"
    assert seed["body"].startswith("Feb 26, 2019/EqualOcean/- Xiaomi Group announced")
    assert seed["body"].endswith("and overseas revenues are relatively small.")
    seed_text = SEED_TEXT.read_text("utf-8")
    paragraphs = seed_text.split("\n\n")
    body_paragraphs = [
        p
        for p in paragraphs
        if p.startswith(
            ("Feb 26", "In Feb", "This reorg", "The CEO", "In addition,", "The “AloT", "Before the")
        )
    ]
    assert len(body_paragraphs) == 7
    for paragraph in body_paragraphs:
        assert " ".join(paragraph.split()) in " ".join(seed["body"].split())
    for boilerplate in (
        "Latest Updates",
        "See Also",
        "Editor's Picks",
        "Research Reports",
        "Communicate Directly",
        "Ask the author",
        "COVID-19 and China",
        "Photo: Credit to Xiaomi",
        "Contributor",
    ):
        assert boilerplate not in seed["body"]
    assert seed["date_published"].startswith("2019-02-26")
    assert seed["language"] == "en"
    assert seed["authors"] == ["Zekun Wang"]
    assert not (ROOT / "output" / "demo").exists() or result.output_dir != ROOT / "output"


def test_crawl_of_a_sites_file_entry_with_patterns(test_site: LocalSite, tmp_path: Path) -> None:
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f'[sites.courier]\nstart_urls = ["{test_site.origin}/"]\nexclude = ["/sport/", "-story/"]\n', "utf-8"
    )
    result = run_crawl(tmp_path, "-a", "site=courier", settings={"NEWS_SITES_FILE": str(sites_file)})
    assert result.returncode == 0, result.log[-3000:]
    assert {f.parent.parent.name for f in result.output_files()} == {"courier"}
    written = {urlsplit(r["canonical_url"]).path for r in result.records()}
    excluded = {"/2026/11/16/half-marathon-new-riverside-route/", "/2026/11/18/moved-story/"}
    assert written == EXPECTED_PATHS - excluded
    assert not [p for p in test_site.requested_paths if p.startswith("/sport/")]


def _crawl_site(root: Path, tmp_path: Path, *args: str) -> tuple[CrawlResult, list[str]]:
    """Serve the site in ``root`` and crawl it (with ``args``); the crawl's result and the paths requested."""
    site = LocalSite(root).start()
    try:
        result = run_crawl(tmp_path, "-a", f"url={site.origin}/", *args)
    finally:
        site.stop()
    assert result.returncode == 0, result.log[-3000:]
    return result, list(site.requested_paths)


def test_site_without_robots_txt_is_read_through_sitemap_xml(tmp_path: Path) -> None:
    root = tmp_path / "site"
    article = (TEST_SITE / "2026" / "11" / "20" / "central-library-sunday-opening" / "index.html").read_text(
        "utf-8"
    )
    (root / "2026" / "11" / "20" / "central-library-sunday-opening").mkdir(parents=True)
    (root / "2026" / "11" / "20" / "central-library-sunday-opening" / "index.html").write_text(
        article, "utf-8"
    )
    (root / "index.html").write_text("<html><body><p>Nothing linked here.</p></body></html>", "utf-8")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        f"<loc>{PLACEHOLDER_ORIGIN}/2026/11/20/central-library-sunday-opening/</loc></url></urlset>",
        "utf-8",
    )
    result, _ = _crawl_site(root, tmp_path)
    assert [urlsplit(r["canonical_url"]).path for r in result.records()] == [
        "/2026/11/20/central-library-sunday-opening/"
    ]
    assert "errors none" in result.log


def _website_typed_story(number: int) -> str:
    """A story from a CMS that types every page ``og:type=website``, with no JSON-LD and no dated path."""
    path = f"/view/story-{number}/"
    html = article_html(number).replace('content="article"', 'content="website"')
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html)
    return re.sub(r'href="[^"]*/story-\d+/"', f'href="{PLACEHOLDER_ORIGIN}{path}"', html)


@pytest.mark.parametrize("mode", [(), ("-a", "mode=archive")], ids=["news", "archive"])
def test_stories_typed_og_type_website_are_articles_whether_listed_or_linked(
    tmp_path: Path, mode: tuple[str, ...]
) -> None:
    """og:type=website, set on every page by many CMSs, keeps no story out: not one a news sitemap lists, not
    one only linked from the home page (the spider hands it to extraction, which weighs it).
    """
    root = tmp_path / "site"
    for number in (1, 2, 3):
        (root / "view" / f"story-{number}").mkdir(parents=True)
        (root / "view" / f"story-{number}" / "index.html").write_text(_website_typed_story(number), "utf-8")
    (root / "index.html").write_text('<html><body><a href="/view/story-3/">More</a></body></html>', "utf-8")
    news = "".join(
        f"<url><loc>{PLACEHOLDER_ORIGIN}/view/story-{number}/</loc><news:news><news:publication>"
        "<news:name>The Generated Times</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>2026-10-0{number}</news:publication_date>"
        f"<news:title>Story {number}</news:title></news:news></url>"
        for number in (1, 2)
    )
    (root / "news-sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        f' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{news}</urlset>',
        "utf-8",
    )
    (root / "robots.txt").write_text(
        f"User-agent: *\nSitemap: {PLACEHOLDER_ORIGIN}/news-sitemap.xml\n", "utf-8"
    )
    result, requested = _crawl_site(root, tmp_path, *mode)
    assert sorted(urlsplit(r["canonical_url"]).path for r in result.records()) == [
        "/view/story-1/",
        "/view/story-2/",
        "/view/story-3/",
    ]
    assert "/view/story-3/" in requested
