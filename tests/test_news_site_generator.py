"""The generated benchmark site (``benchmarks/news_site.py``) has the properties the benchmarks rely on."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING
from urllib.request import Request, urlopen

import pytest
from lxml import html
from scrapy.utils.sitemap import sitemap_urls_from_robots

from benchmarks.news_site import ORIGIN, write_site
from crawler.dedup.minhash import fingerprint
from crawler.demo.server import LocalSite
from crawler.discover.sitemaps import parse_sitemap
from crawler.extract import extract_page
from crawler.extract.language import detect_language
from crawler.page.signals import page_signals

if TYPE_CHECKING:
    from pathlib import Path

ARTICLES = 30


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("news-site")
    return root, write_site(root, ARTICLES, seed=7)


def page(root: Path, path: str) -> bytes:
    return (root / path.strip("/") / "index.html").read_bytes()


def test_article_pages_have_the_requested_sizes(site: tuple[Path, list[str]]) -> None:
    root, paths = site
    assert len(paths) == len(set(paths)) == ARTICLES
    for path in paths:
        assert 50 * 1024 <= len(page(root, path)) <= 150 * 1024, path


def test_compact_pages_fit_their_sizes(tmp_path: Path) -> None:
    paths = write_site(tmp_path, 20, page_kb=(12, 16))
    for path in paths:
        assert 12 * 1024 <= len(page(tmp_path, path)) <= 16 * 1024, path


def test_every_article_is_listed_in_the_served_sitemaps(site: tuple[Path, list[str]]) -> None:
    root, paths = site
    local = LocalSite(root).start()
    try:
        with urlopen(local.origin + "/robots.txt") as response:
            robots = response.read()
        (index_url,) = sitemap_urls_from_robots(robots, base_url=local.origin)
        with urlopen(index_url) as response:
            index = parse_sitemap(response.read(), index_url, 50_000)
        assert index is not None
        assert index.is_index
        listed = set()
        for entry in index.entries:
            with urlopen(entry.url) as response:
                sitemap = parse_sitemap(response.read(), entry.url, 50_000)
            assert sitemap is not None
            assert len(sitemap.entries) <= 1000
            listed |= {e.url for e in sitemap.entries}
        assert listed == {local.origin + path for path in paths}
        with urlopen(local.origin + paths[0]) as response:
            served = response.read()
        assert served == page(root, paths[0]).replace(ORIGIN.encode(), local.origin.encode())
        with urlopen(
            Request(local.origin + paths[0], method="HEAD")
        ) as response:  # as trafilatura checks a site
            assert response.read() == b""
            assert response.headers["Content-Length"] == str(len(served))
    finally:
        local.stop()


def test_articles_extract_as_long_distinct_english_articles(site: tuple[Path, list[str]]) -> None:
    root, paths = site
    fingerprints = []
    for path in paths:
        extraction = extract_page(page(root, path), ORIGIN + path)
        assert extraction is not None
        assert extraction.is_article
        assert extraction.title
        assert extraction.authors
        assert extraction.date_published
        assert len(extraction.body.split()) >= 200, path
        assert detect_language(extraction.body)[0] == "en"
        for boilerplate in (
            "Most read",
            "We value your privacy",
            "Report this ad",
            "says:",
            "You may also like",
        ):
            assert boilerplate not in extraction.body, (path, boilerplate)
        fp = fingerprint(extraction.body)
        assert fp is not None
        fingerprints.append(fp)
    assert max(a.similarity(b) for a, b in itertools.combinations(fingerprints, 2)) < 0.2


def test_listing_pages_are_listings_with_pagination(site: tuple[Path, list[str]], tmp_path: Path) -> None:
    root, _ = site
    for path in ("/", "/section/world/", "/section/world/europe/", "/about/"):
        tree = html.fromstring(page(root, path))
        assert page_signals(tree, ORIGIN + path).is_listing, path
    write_site(tmp_path, 500, page_kb=(12, 16))
    section = (tmp_path / "section" / "world" / "index.html").read_text("utf-8")
    assert 'href="/section/world/page/2/"' in section
    assert (tmp_path / "section" / "world" / "page" / "2" / "index.html").exists()


def test_the_site_depends_only_on_its_arguments(tmp_path: Path) -> None:
    first = write_site(tmp_path / "a", 5, seed=3)
    second = write_site(tmp_path / "b", 5, seed=3)
    assert first == second
    for a in sorted((tmp_path / "a").rglob("*")):
        b = tmp_path / "b" / a.relative_to(tmp_path / "a")
        assert a.is_dir() or a.read_bytes() == b.read_bytes(), a
