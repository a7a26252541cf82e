"""``scrapy extract`` on saved files and on live URLs served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from tests.conftest import DEMO_SITE, ROOT, article_html, run_crawl
from tests.hostile.page_server import Page, PageServer

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.demo.server import LocalSite

SEED_PAGE = DEMO_SITE / "2019" / "02" / "26" / "xiaomi-announces-organization-restructure" / "index.html"


def scrapy_extract(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "scrapy", "extract", *args, "-s", "DOWNLOAD_DELAY=0"]
    command += ["-s", "ALLOW_PRIVATE_ADDRESSES=True"]  # the test pages are served on 127.0.0.1
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_extract_saved_file() -> None:
    url = "https://equalocean.example/2019/02/26/xiaomi-announces-organization-restructure/"
    done = scrapy_extract(str(SEED_PAGE), "--url", url)
    assert done.returncode == 0, done.stderr[-2000:]
    (line,) = done.stdout.splitlines()
    record = json.loads(line)
    assert record["url"] == url
    assert record["title"] == "Xiaomi Announces Organization Restructure"
    assert record["language"] == "en"
    assert record["body"].endswith("overseas revenues are relatively small.")


def test_extract_live_urls_and_a_listing_page(test_site: LocalSite) -> None:
    article = f"{test_site.origin}/2026/11/24/river-ferry-returns-to-service/"
    done = scrapy_extract(article, f"{test_site.origin}/news/")
    assert done.returncode == 1  # one of the two pages is not an article
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["canonical_url"] for r in records] == [article]
    assert f"{test_site.origin}/news/: not an article" in done.stderr


def test_extract_missing_file_is_a_usage_error() -> None:
    done = scrapy_extract("no-such-file.html")
    assert done.returncode == 2
    assert "no such file" in done.stderr


FRENCH = [
    (
        "La coopérative laitière du Jura ouvre un magasin de vente directe à Poligny, où les éleveurs "
        "vendront leur comté affiné dix-huit mois et leurs crèmes fraîches."
    ),
    (
        "Les sociétaires ont voté à l'unanimité un prêt de 420 000 euros ; l'ouverture est prévue à l'été, "
        "après des travaux de mise aux normes du bâtiment de l'ancienne fromagerie."
    ),
    (
        "« Nous voulons que le prix payé au producteur reste juste », explique la présidente, Élise Mourot, "
        "qui espère attirer les visiteurs des Salines royales voisines."
    ),
]


def utf8_page_declared_latin1() -> bytes:
    """A UTF-8 page whose <meta> says ISO-8859-1: the crawl trusts the bytes, a naive reader the meta."""
    paragraphs = "".join(f"<p>{p}</p>" for p in FRENCH * 2)
    return (
        '<html lang="fr"><head><meta charset="iso-8859-1"><title>Coopérative laitière : vente directe</title>'
        '<meta property="og:type" content="article"></head><body><article>'
        f"<h1>Coopérative laitière : vente directe</h1>{paragraphs}</article></body></html>"
    ).encode()


def test_extract_reads_a_page_as_the_crawl_does(tmp_path: Path) -> None:
    limit = "6000"
    with PageServer() as server:
        pages = {
            "/2026/11/18/cooperative/": Page(utf8_page_declared_latin1(), {"Content-Type": "text/html"}),
            "/2026/11/19/long/": Page(
                article_html(7, server.origin, extra=" ".join(FRENCH) * 40).encode(),
                {"Content-Type": "text/html"},
            ),
        }
        server.pages.update(pages)
        locs = "".join(f"<url><loc>{server.origin}{path}</loc></url>" for path in pages)
        server.pages["/sitemap.xml"] = Page(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(),
            {"Content-Type": "application/xml"},
        )
        crawl = run_crawl(tmp_path, "-a", f"url={server.origin}/", settings={"EXTRACT_MAX_HTML_CHARS": limit})
        urls = [server.origin + path for path in pages]
        fetched = scrapy_extract(*urls, "-s", f"EXTRACT_MAX_HTML_CHARS={limit}")
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert fetched.returncode == 0, fetched.stderr[-3000:]
    crawled = {record["url"]: record for record in crawl.records()}
    extracted = {record["url"]: record for record in map(json.loads, fetched.stdout.splitlines())}
    assert sorted(crawled) == sorted(extracted) == sorted(urls)
    for url in urls:
        assert (extracted[url]["title"], extracted[url]["body"]) == (
            crawled[url]["title"],
            crawled[url]["body"],
        )
    cooperative = crawled[urls[0]]
    assert cooperative["title"] == "Coopérative laitière : vente directe"
    assert cooperative["body"].startswith(FRENCH[0])
    assert len(crawled[urls[1]]["body"]) < int(limit)  # cut to the limit, by both

    saved = tmp_path / "cooperative.html"
    saved.write_bytes(utf8_page_declared_latin1())
    from_file = scrapy_extract(str(saved), "--url", urls[0])
    assert from_file.returncode == 0, from_file.stderr[-3000:]
    assert json.loads(from_file.stdout)["body"] == cooperative["body"]


def test_extract_says_why_a_file_or_url_gave_no_page(tmp_path: Path, test_site: LocalSite) -> None:
    image = tmp_path / "photo.html"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    done = scrapy_extract(str(image), f"{test_site.origin}/no-such-page/")
    assert done.returncode == 1
    assert f"{image}: not an HTML page (" in done.stderr
    assert f"{test_site.origin}/no-such-page/: no page (Ignoring non-200 response)" in done.stderr
    assert done.stdout == ""
