"""WARC recording (archive mode): real crawls of loopback sites, their WARC files read back with warcio."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator

from crawler.extract import extract_article
from crawler.fetch.archive import WarcRecorderMiddleware
from crawler.spiders.news import NewsSpider
from tests.conftest import run_crawl

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from crawler.demo.server import LocalSite
    from tests.conftest import CrawlResult

WARC = {"WARC_ENABLED": "True"}
GZIP_PAGE = b"<html><head><title>Compressed</title></head><body><p>Sent gzip-encoded.</p></body></html>"


@dataclass
class WarcRecord:
    """One record read back: WARC headers, HTTP headers, the payload as stored and as decoded."""

    type: str
    headers: Any
    http: Any
    raw: bytes
    content: bytes

    @property
    def uri(self) -> str:
        return self.headers.get_header("WARC-Target-URI") or ""

    @property
    def path(self) -> str:
        return urlsplit(self.uri).path


def read_warc(path: Path) -> list[WarcRecord]:
    """Every record of a WARC file, checking each block and payload digest as it is read."""
    records = []
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            raw = record.raw_stream.read()
            records.append(WarcRecord(record.rec_type, record.rec_headers, record.http_headers, raw, b""))
    with path.open("rb") as stream:  # a second pass decodes Content-Encoding, as a replay tool does
        for stored, record in zip(records, ArchiveIterator(stream), strict=True):
            stored.content = record.content_stream().read()
    return records


def stat(result: CrawlResult, key: str) -> int | None:
    """A numeric stat from the crawl's final stats dump."""
    found = re.search(rf"'{re.escape(key)}': (\d+)", result.log)
    return int(found.group(1)) if found else None


def warc_files(result: CrawlResult) -> list[Path]:
    return sorted(result.output_dir.rglob("*.warc.gz"))


def pairs(records: list[WarcRecord]) -> list[tuple[WarcRecord, WarcRecord]]:
    """(response, request) pairs, joined by the request's WARC-Concurrent-To; every record has its partner."""
    responses = {r.headers.get_header("WARC-Record-ID"): r for r in records if r.type == "response"}
    requests = [r for r in records if r.type == "request"]
    linked = [(responses[r.headers.get_header("WARC-Concurrent-To")], r) for r in requests]
    assert len(linked) == len(responses) == len({id(response) for response, _ in linked})
    return linked


def test_archive_of_a_news_site(test_site: LocalSite, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", settings=WARC)
    assert result.returncode == 0, result.log[-3000:]
    assert not list(result.output_dir.rglob("*.part"))
    files = warc_files(result)
    crawl_id = result.records()[0]["crawl_id"]
    assert [f.name for f in files] == [f"{crawl_id}-00000.warc.gz"]  # Scrapy's robots.txt fetch included
    assert files[0].parent == result.output_files()[0].parent  # <site>/<date>/, beside the JSONL

    records = read_warc(files[0])
    assert records[0].type == "warcinfo"
    assert records[0].headers.get_header("WARC-Filename") == files[0].name
    assert b"software: newscrawl/" in records[0].raw
    assert f"isPartOf: {crawl_id}".encode() in records[0].raw
    assert [r.type for r in records[1:]].count("warcinfo") == 0

    by_path: dict[str, list[WarcRecord]] = {}
    for response, request in pairs(records):
        assert request.uri == response.uri
        assert request.headers.get_header("WARC-Date") == response.headers.get_header("WARC-Date")
        assert request.http.protocol == "GET"
        assert request.http.get_header("User-Agent").startswith("newscrawl/")
        assert response.headers.get_header("WARC-IP-Address") == "127.0.0.1"
        assert response.headers.get_header("WARC-Payload-Digest").startswith("sha1:")
        by_path.setdefault(response.path, []).append(response)

    def status(path: str) -> set[str]:
        return {r.http.get_statuscode() for r in by_path[path]}

    # Fetched once, by RobotsTxtMiddleware; the spider reads the same file.
    assert len(by_path["/robots.txt"]) == 1
    for path in ("/robots.txt", "/sitemap_index.xml", "/news-sitemap.xml", "/feed.xml", "/sport/"):
        assert status(path) == {"200"}, path
    assert status("/2026/11/24/river-ferry-returns-to-service/") == {"200"}
    assert status("/2026/11/01/deleted-story/") == {"404"}
    assert status("/old/story-moved") == {"301"}  # each hop of a redirect is its own pair
    assert by_path["/old/story-moved"][0].http.get_header("Location") == "/2026/11/18/moved-story/"
    assert status("/2026/11/18/moved-story/") == {"200"}
    assert not [path for path in by_path if path.startswith("/private/")]
    assert stat(result, "newscrawl/warc/records") == len(records)
    assert stat(result, "newscrawl/warc/files") == 1
    assert stat(result, "newscrawl/warc/bytes") == files[0].stat().st_size


def test_warcio_validates_the_files(test_site: LocalSite, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", settings=WARC)
    assert result.returncode == 0, result.log[-3000:]
    files = [str(f) for f in warc_files(result)]
    count = sum(len(read_warc(f)) for f in warc_files(result))
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    assert check.stdout.count("digest pass") == count
    index = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "index", "-f", "warc-type,http:status", *files],
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(index.stdout.splitlines()) == count


def test_replayed_articles_extract_like_the_crawl(test_site: LocalSite, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", settings=WARC)
    responses = {
        r.uri: r
        for f in warc_files(result)
        for r in read_warc(f)
        if r.type == "response" and r.http.get_statuscode() == "200"
    }
    articles = result.records()
    assert len(articles) == 9
    for article in articles:
        replayed = extract_article(responses[article["url"]].content, article["url"])
        assert replayed is not None, article["url"]
        assert replayed["title"] == article["title"]
        assert replayed["body"] == article["body"]


def test_files_rotate_past_the_maximum_size(test_site: LocalSite, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", settings={**WARC, "WARC_MAX_SIZE": "8000"})
    assert result.returncode == 0, result.log[-3000:]
    assert not list(result.output_dir.rglob("*.part"))
    files = warc_files(result)
    assert len(files) > 3
    crawl_id = result.records()[0]["crawl_id"]
    assert [f.name for f in files] == [f"{crawl_id}-{n:05d}.warc.gz" for n in range(len(files))]
    for file in files:
        records = read_warc(file)
        assert records[0].type == "warcinfo"
        assert records[0].headers.get_header("WARC-Filename") == file.name
        assert [r.type for r in records[1:]].count("warcinfo") == 0
        pairs(records)  # a response and its request never straddle two files
    assert all(f.stat().st_size >= 8000 for f in files[:-1])  # each rotated once it passed the size
    assert stat(result, "newscrawl/warc/files") == len(files)


def test_archive_mode_records_without_the_setting(test_site: LocalSite, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", "-a", "mode=archive")
    assert result.returncode == 0, result.log[-3000:]
    assert len(warc_files(result)) == 1


def test_off_by_default(test_site: LocalSite, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/")
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.records()) == 9
    assert not warc_files(result)
    assert not list(result.output_dir.rglob("*.part"))
    assert "newscrawl/warc/" not in result.log


class _GzipHandler(BaseHTTPRequestHandler):
    """Serves ``/`` gzip-encoded whatever the client asks; everything else is a 404."""

    def do_GET(self) -> None:
        if self.path != "/":
            self.send_error(404)
            return
        body = gzip.compress(GZIP_PAGE)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def gzip_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _GzipHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_compressed_response_is_recorded_as_sent(gzip_site: str, tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", f"url={gzip_site}/", settings=WARC)
    assert result.returncode == 0, result.log[-3000:]
    [(response, request)] = [
        (response, request)
        for response, request in pairs(read_warc(warc_files(result)[0]))
        if response.path == "/"
    ]
    assert "gzip" in request.http.get_header("Accept-Encoding")
    assert response.http.get_header("Content-Encoding") == "gzip"
    assert gzip.decompress(response.raw) == GZIP_PAGE  # the body as it came over the wire
    assert response.content == GZIP_PAGE


def test_a_write_error_stops_the_crawl(test_site: LocalSite, tmp_path: Path) -> None:
    site_folder = tmp_path / "output" / "127.0.0.1"
    site_folder.parent.mkdir()
    site_folder.write_text("a file where the site's folder should be")
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", settings=WARC)
    assert "Cannot write WARC file" in result.log
    assert str(site_folder) in result.log
    assert "'finish_reason': 'warc_write_error'" in result.log
    assert stat(result, "newscrawl/warc/errors") == 1
    assert result.returncode != 0
    assert not warc_files(result)


def test_unit_recording_of_one_exchange(tmp_path: Path) -> None:
    crawler = get_crawler(NewsSpider, settings_dict={"OUTPUT_DIR": str(tmp_path)})
    crawler.spider = NewsSpider.from_crawler(crawler, url="https://news.example/", mode="archive")
    middleware = build_from_crawler(WarcRecorderMiddleware, crawler)
    middleware.spider_opened()
    request = Request(
        "https://news.example/a?b=1",
        meta={"site": "news example"},
        headers={"Proxy-Authorization": "Basic c2VjcmV0", "Accept": "text/html"},
    )
    sent = Response(request.url, status=200, headers={"Transfer-Encoding": "chunked"}, body=b"partial")
    sent.flags.append("dataloss")
    cached = Response(request.url, body=b"old", flags=["cached"])
    assert middleware.process_response(request, sent) is sent
    assert middleware.process_response(request, cached) is cached
    middleware.spider_closed()
    crawler.spider.run.close()

    [file] = list(tmp_path.rglob("*.warc.gz"))
    assert file.parent.parent.name == "news_example"
    [(response, request_record)] = pairs(read_warc(file))
    assert response.headers.get_header("WARC-Truncated") == "disconnect"
    assert response.http.get_header("X-Crawler-Transfer-Encoding") == "chunked"
    assert response.http.get_header("Transfer-Encoding") is None
    assert response.raw == b"partial"
    assert request_record.http.statusline == "/a?b=1 HTTP/1.1"
    assert request_record.http.get_header("Host") == "news.example"
    assert request_record.http.get_header("Proxy-Authorization") is None
    assert crawler.stats.get_value("newscrawl/warc/records") == 3
