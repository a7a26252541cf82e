"""Broken and hostile discovery files: sitemaps, robots.txt and feeds that are cut, corrupt, huge,
recursive or malicious are read within limits or refused with a counted reason, never a crash or a hang.

Unit tests call the parse functions and the spider's discovery callbacks on each case; one crawl runs
``scrapy crawl news`` against a loopback server serving every case at once, with exact headers
(``Content-Encoding``) where the case needs them.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from scrapy import Request
from scrapy.http import Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.dates import newest_first
from crawler.discover.feeds import parse_feed
from crawler.discover.robots import robots_sitemaps
from crawler.discover.sitemaps import SitemapEntry, parse_sitemap
from crawler.spiders.news import NewsSpider
from tests.conftest import article_html, run_crawl

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

ORIGIN = "https://news.example.com"
SITE = "news.example.com"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
FEED_URL = f"{ORIGIN}/feeds/main.xml"


def urlset(paths: list[str], origin: str = ORIGIN) -> bytes:
    """A urlset listing ``origin + path`` for each path."""
    locs = "".join(f"<url><loc>{origin}{path}</loc></url>" for path in paths)
    return f"<?xml version='1.0'?><urlset {NS}>{locs}</urlset>".encode()


def sitemap_index(paths: list[str], origin: str = ORIGIN) -> bytes:
    """A sitemap index listing ``origin + path`` for each path."""
    locs = "".join(f"<sitemap><loc>{origin}{path}</loc></sitemap>" for path in paths)
    return f"<?xml version='1.0'?><sitemapindex {NS}>{locs}</sitemapindex>".encode()


def gzip_bomb(inflated: int) -> bytes:
    """A gzip file of ``inflated`` bytes of XML whitespace, built without holding them in memory."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
    chunk = b" " * 1024 * 1024
    parts = [compressor.compress(f"<urlset {NS}>".encode())]
    parts += [compressor.compress(chunk) for _ in range(inflated // len(chunk))]
    return b"".join([*parts, compressor.compress(b"</urlset>"), compressor.flush()])


# --- sitemaps: broken XML -------------------------------------------------------------------------


def test_a_sitemap_cut_mid_element_keeps_the_urls_before_the_cut() -> None:
    body = urlset(["/1", "/2", "/3"]).removesuffix(b"</urlset>") + f"<url><loc>{ORIGIN}/4-cu".encode()
    sitemap = parse_sitemap(body, f"{ORIGIN}/sitemap.xml")
    assert sitemap is not None
    assert sitemap.malformed
    assert not sitemap.truncated
    assert [entry.url for entry in sitemap.entries] == [f"{ORIGIN}/1", f"{ORIGIN}/2", f"{ORIGIN}/3"]


def test_a_well_formed_sitemap_is_not_flagged() -> None:
    sitemap = parse_sitemap(urlset(["/1"]), f"{ORIGIN}/sitemap.xml")
    assert sitemap is not None
    assert not sitemap.malformed


@pytest.mark.parametrize(
    ("body", "urls"),
    [
        # A mismatched end tag: the items after it are nested in the broken one, and still read.
        (f"<urlset {NS}><url><loc>{ORIGIN}/a</url><url><loc>{ORIGIN}/b</loc></url></urlset>", ["/b", "/a"]),
        # Missing end tags: the same.
        (f"<urlset><url><loc>{ORIGIN}/a</loc><url><loc>{ORIGIN}/b</loc></url></urlset>", ["/b", "/a"]),
        # An HTML entity the XML does not define: dropped, the rest kept.
        (
            f"<urlset><url><loc>{ORIGIN}/caf&eacute;</loc></url><url><loc>{ORIGIN}/c</loc></url></urlset>",
            ["/caf", "/c"],
        ),
        # Two root elements: the first is read.
        (
            f"<urlset><url><loc>{ORIGIN}/d</loc></url></urlset><urlset><url><loc>{ORIGIN}/e</loc></url></urlset>",
            ["/d"],
        ),
        # A NUL byte between two items.
        (
            f"<urlset><url><loc>{ORIGIN}/f</loc></url>\x00<url><loc>{ORIGIN}/g</loc></url></urlset>",
            ["/f", "/g"],
        ),
    ],
)
def test_malformed_xml_sitemaps_are_read_as_far_as_possible_and_flagged(body: str, urls: list[str]) -> None:
    sitemap = parse_sitemap(body.encode(), f"{ORIGIN}/sitemap.xml")
    assert sitemap is not None
    assert sitemap.malformed
    assert [entry.url for entry in sitemap.entries] == [ORIGIN + path for path in urls]


@pytest.mark.parametrize(
    "body",
    [
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00garbage",  # gzip that nobody gunzipped
        b"<html><head><title>Oops</title></head><body><p>Soft 404 &nbsp;</p></body></html>",
        b"<" + b"\x00\xff" * 1000,
        b"<?xml version='1.0'?>",
        b"<urlset",
    ],
)
def test_documents_that_are_no_sitemap_are_refused(body: bytes) -> None:
    assert parse_sitemap(body, f"{ORIGIN}/sitemap.xml") is None


def test_a_sitemap_over_the_protocol_limit_is_read_up_to_max_entries_in_flat_memory() -> None:
    """60,000 URLs: 50,000 read, the rest not even parsed; memory stays far below a parsed tree's."""
    script = """
import resource, sys
from crawler.discover.sitemaps import parse_sitemap
count = int(sys.argv[1])
body = b"".join([b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    *(b"<url><loc>https://news.example.com/%d</loc><lastmod>2026-11-20</lastmod></url>" % n for n in range(count)),
    b"</urlset>"])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sitemap = parse_sitemap(body, "https://news.example.com/sitemap.xml", 50_000)
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
print(len(body) // 2**20, len(sitemap.entries), sitemap.truncated, grown)
"""
    done = subprocess.run(
        [sys.executable, "-c", script, "400000"], capture_output=True, text=True, timeout=60, check=True
    )
    body_mb, entries, truncated, grown_mb = done.stdout.split()
    assert int(body_mb) >= 30
    assert (int(entries), truncated) == (50_000, "True")
    assert int(grown_mb) < 40  # a whole lxml tree of this document takes over 200 MB


# --- XML attacks on sitemaps and feeds ------------------------------------------------------------

LAUGHS = "".join(
    f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' if n else '<!ENTITY lol0 "lol">' for n in range(10)
)


@pytest.fixture
def listener() -> Iterator[DiscoveryServer]:
    """A loopback server with nothing to serve: it only records whether anything asked it."""
    server = DiscoveryServer({}).start()
    yield server
    server.stop()


def attacks(origin: str) -> dict[str, str]:
    """DOCTYPE internal subsets and prologue parts that try to expand, read files or reach the network."""
    return {
        "billion laughs": f"<!DOCTYPE x [{LAUGHS}]>",
        "quadratic blowup": f'<!DOCTYPE x [<!ENTITY a "{"a" * 50_000}">]>',
        "file entity": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        "http entity": f'<!DOCTYPE x [<!ENTITY e SYSTEM "{origin}/entity">]>',
        "http parameter entity": f'<!DOCTYPE x [<!ENTITY % p SYSTEM "{origin}/param.dtd"> %p;]>',
        "external DTD": f'<!DOCTYPE x SYSTEM "{origin}/external.dtd">',
        "public DTD": f'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "{origin}/rss.dtd">',
        "stylesheet PI": f'<?xml-stylesheet type="text/xsl" href="{origin}/style.xsl"?>',
    }


ATTACKED_DOCUMENTS = {
    "sitemap": "<urlset {ns}><url><loc>{origin}/a/{ref}</loc><lastmod>{ref}</lastmod></url></urlset>",
    "rss": "<rss version='2.0'><channel><item><title>{ref}</title><link>{origin}/a/{ref}</link></item></channel></rss>",
    "atom": "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>{ref}</title><link href='{origin}/a/{ref}'/></entry></feed>",
    "rdf": "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>"
    "<item rdf:about='{origin}/a/'><title>{ref}</title><link>{origin}/a/{ref}</link></item></rdf:RDF>",
    "xinclude": "<urlset xmlns:xi='http://www.w3.org/2001/XInclude'><url><loc>{origin}/a/</loc>"
    "<xi:include href='file:///etc/passwd' parse='text'/><xi:include href='{listener}/xinclude'/></url></urlset>",
}


@pytest.mark.parametrize("document", sorted(ATTACKED_DOCUMENTS))
def test_xml_attacks_are_parsed_without_expansion_file_reads_or_network(
    document: str, listener: DiscoveryServer
) -> None:
    for name, prologue in attacks(listener.origin).items():
        reference = "&lol9;" if name == "billion laughs" else "&a;&a;&a;&a;" if "quadratic" in name else "&e;"
        body = (
            "<?xml version='1.0'?>"
            + prologue
            + ATTACKED_DOCUMENTS[document].format(
                ns=NS, origin=ORIGIN, ref=reference, listener=listener.origin
            )
        ).encode()
        started = time.perf_counter()
        parse = parse_sitemap if document in ("sitemap", "xinclude") else parse_feed
        result = parse(body, f"{ORIGIN}/file.xml")
        assert time.perf_counter() - started < 1, name
        if name == "billion laughs" and document != "xinclude":
            assert result is None, name  # libxml2 stops the expansion: the document is refused
            continue
        # Parsed safely: the entity or include is dropped, or (internal entities in attributes, bounded
        # by libxml2's amplification limit) gives a URL over MAX_URL_LENGTH, which is dropped.
        assert result is not None, name
        text = repr(result)
        assert len(text) < 1000, name
        for leak in ("aaaa", "root:"):
            assert leak not in text, name
    # libxml2 2.14 has no HTTP client at all; no_network=True keeps older builds from fetching too.
    assert listener.paths == []


# --- sitemaps: the spider's limits ----------------------------------------------------------------


@pytest.fixture
def spider(tmp_path: Path) -> Iterator[NewsSpider]:
    """The news spider for news.example.com, without crawl state, with small discovery limits."""
    settings = {
        "OUTPUT_DIR": str(tmp_path),
        "NEWS_MAX_SITEMAP_DEPTH": 2,
        "NEWS_MAX_CHILD_SITEMAPS": 3,
        "NEWS_MAX_SITEMAP_URLS": 4,
        "DOWNLOAD_MAXSIZE": 1024 * 1024,
    }
    crawler = get_crawler(NewsSpider, settings_dict=settings)
    spider = NewsSpider.from_crawler(crawler, url=f"{ORIGIN}/", state="ignore")
    yield spider
    spider.run.close()


def respond(url: str, body: bytes, **meta: Any) -> Response:
    """A response to a request of the news.example.com site."""
    return XmlResponse(url, body=body, request=Request(url, meta={"site": SITE, **meta}))


def errors(spider: NewsSpider) -> dict[str, int]:
    """The spider's ``newscrawl/discovery_errors/<kind>`` counts, by kind."""
    assert spider.crawler.stats is not None
    prefix = "newscrawl/discovery_errors/"
    stats = spider.crawler.stats.get_stats()
    return {key.removeprefix(prefix): value for key, value in stats.items() if key.startswith(prefix)}


def sitemap_requests(spider: NewsSpider, url: str, body: bytes, **meta: Any) -> list[Request]:
    return list(spider.parse_sitemap(respond(url, body, **meta)))


def test_an_index_listing_itself_is_not_followed_again(spider: NewsSpider) -> None:
    requests = sitemap_requests(spider, f"{ORIGIN}/index.xml", sitemap_index(["/index.xml", "/news.xml"]))
    assert [request.url for request in requests] == [f"{ORIGIN}/news.xml"]
    assert errors(spider) == {"sitemap_loop": 1}


def test_two_indexes_listing_each_other_stop_at_the_second(spider: NewsSpider) -> None:
    (to_b,) = sitemap_requests(spider, f"{ORIGIN}/a.xml", sitemap_index(["/b.xml"]))
    assert to_b.url == f"{ORIGIN}/b.xml"
    back = sitemap_requests(spider, to_b.url, sitemap_index(["/a.xml", "/c.xml"]), **to_b.meta)
    assert [request.url for request in back] == [f"{ORIGIN}/c.xml"]
    assert errors(spider) == {"sitemap_loop": 1}


def test_an_index_chain_stops_at_the_depth_limit(spider: NewsSpider) -> None:
    meta: dict[str, Any] = {}
    followed = []
    for depth in range(5):
        requests = sitemap_requests(
            spider, f"{ORIGIN}/chain-{depth}.xml", sitemap_index([f"/chain-{depth + 1}.xml"]), **meta
        )
        if not requests:
            break
        followed.append(requests[0].url)
        meta = requests[0].meta
    assert followed == [f"{ORIGIN}/chain-1.xml", f"{ORIGIN}/chain-2.xml"]  # NEWS_MAX_SITEMAP_DEPTH = 2
    assert errors(spider) == {"sitemap_too_deep": 1}


def test_a_wide_index_follows_the_newest_sitemaps_up_to_the_cap(spider: NewsSpider) -> None:
    # NEWS_MAX_SITEMAP_URLS (4) bounds the entries read; NEWS_MAX_CHILD_SITEMAPS (3) those followed.
    children = "".join(
        f"<sitemap><loc>{ORIGIN}/day-{day}.xml</loc><lastmod>2026-11-{day:02d}</lastmod></sitemap>"
        for day in (3, 1, 4, 2)
    )
    body = f"<sitemapindex {NS}>{children}</sitemapindex>".encode()
    requests = sitemap_requests(spider, f"{ORIGIN}/index.xml", body)
    assert [request.url for request in requests] == [f"{ORIGIN}/day-{day}.xml" for day in (4, 3, 2)]
    assert errors(spider) == {"too_many_sitemaps": 1}


def test_an_index_of_ten_thousand_sitemaps_is_cut_to_the_cap(spider: NewsSpider) -> None:
    spider.limits = replace(spider.limits, max_sitemap_urls=50_000)
    requests = sitemap_requests(
        spider, f"{ORIGIN}/index.xml", sitemap_index([f"/s-{n}.xml" for n in range(10_000)])
    )
    assert len(requests) == 3
    assert errors(spider) == {"too_many_sitemaps": 1}


def test_a_sitemap_over_max_urls_is_truncated_and_counted(spider: NewsSpider) -> None:
    requests = sitemap_requests(
        spider, f"{ORIGIN}/sitemap.xml", urlset([f"/2026/11/20/story-{n}" for n in range(10)])
    )
    assert len(requests) == 4
    assert errors(spider) == {"sitemap_truncated": 1}


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (b"\x1f\x8b\x08", "bad_gzip"),  # the magic number and nothing else
        (gzip.compress(urlset(["/a"]))[:10] + b"\xff" * 64, "bad_gzip"),  # an invalid deflate block
        (b"\x1f\x8b\x08\xff" + gzip.compress(urlset(["/a"]))[4:], "bad_gzip"),  # bad header flags
        (gzip_bomb(64 * 1024 * 1024), "sitemap_too_large"),  # inflates past DOWNLOAD_MAXSIZE (1 MiB)
        (urlset(["/a"]) + b" " * 1024 * 1024, "sitemap_too_large"),  # plain, larger than the limit
    ],
)
def test_broken_or_oversized_gzip_sitemaps_are_refused(spider: NewsSpider, body: bytes, kind: str) -> None:
    started = time.perf_counter()
    assert sitemap_requests(spider, f"{ORIGIN}/sitemap.xml.gz", body) == []
    assert time.perf_counter() - started < 2
    assert errors(spider) == {kind: 1}


def test_a_cut_gzip_sitemap_keeps_the_urls_before_the_cut(spider: NewsSpider) -> None:
    spider.limits = replace(spider.limits, max_sitemap_urls=1000)
    body = gzip.compress(urlset([f"/2026/11/20/story-{n}" for n in range(200)]))
    requests = sitemap_requests(spider, f"{ORIGIN}/sitemap.xml.gz", body[: len(body) // 2])
    urls = [request.url for request in requests]
    assert 10 < len(urls) < 200
    assert urls == [f"{ORIGIN}/2026/11/20/story-{n}" for n in range(len(urls))]
    assert errors(spider) == {"sitemap_malformed": 1}


def test_bad_and_future_sitemap_dates_are_dropped_and_counted(spider: NewsSpider) -> None:
    body = f"""<urlset {NS} xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
      <url><loc>{ORIGIN}/2026/11/20/a</loc><lastmod>last Tuesday</lastmod></url>
      <url><loc>{ORIGIN}/2026/11/20/b</loc><lastmod>2099-01-01</lastmod></url>
      <url><loc>{ORIGIN}/2026/11/20/c</loc><news:news><news:publication_date>1795000000</news:publication_date></news:news></url>
      <url><loc>{ORIGIN}/2026/11/20/d</loc><lastmod>2026-11-20</lastmod></url>
    </urlset>""".encode()
    sitemap = parse_sitemap(body, f"{ORIGIN}/sitemap.xml")
    assert sitemap is not None
    assert [(entry.lastmod, entry.publication_date, entry.bad_date) for entry in sitemap.entries] == [
        (None, None, True),
        (None, None, True),
        (None, None, True),
        ("2026-11-20", None, False),
    ]
    requests = sitemap_requests(spider, f"{ORIGIN}/sitemap.xml", body)
    # plain sitemap URLs are requested newest first, undated ones last
    assert [request.meta["listed_date"] for request in requests] == ["2026-11-20", None, None, None]
    assert errors(spider) == {"bad_date": 3}


def test_newest_first_keeps_undated_sitemaps_last_in_their_order() -> None:
    entries = [
        SitemapEntry("u1", None, None, None),
        SitemapEntry("old", "2020-01-01", None, None),
        SitemapEntry("u2", None, None, None),
        SitemapEntry("new", "2026-11-20T08:00:00+01:00", None, None),
        SitemapEntry("day", "2026-11-20", None, None),
    ]
    assert [entry.url for entry in newest_first(entries, lambda entry: entry.lastmod)] == [
        "new",
        "day",
        "old",
        "u1",
        "u2",
    ]


# --- robots.txt -----------------------------------------------------------------------------------


def test_robots_sitemap_lines_that_are_no_http_urls_are_skipped() -> None:
    body = (
        b"User-agent: *\nSitemap: http://[oops/sitemap.xml\nSitemap:\nsitemap: /relative.xml\n"
        b"Sitemap: javascript:alert(1)\nSITEMAP :  https://news.example.com/a.xml  \n"
        b"Sitemap: https://news.example.com/a.xml\nSitemap: https://news.example.com/\xff.xml\n"
    )
    assert robots_sitemaps(body, f"{ORIGIN}/robots.txt") == [
        f"{ORIGIN}/relative.xml",
        f"{ORIGIN}/a.xml",
    ]


def test_robots_listing_thousands_of_sitemaps_is_cut_to_the_cap(spider: NewsSpider) -> None:
    body = "".join(f"Sitemap: {ORIGIN}/s-{n}.xml\n" for n in range(5000)).encode()
    request = Request(f"{ORIGIN}/robots.txt", meta={"site": SITE, "start_url": f"{ORIGIN}/"})
    response = TextResponse(request.url, body=body, encoding="utf-8", request=request)
    assert len(list(spider.parse_robots(response))) == 3
    assert errors(spider) == {"too_many_sitemaps": 1}


# --- feeds ----------------------------------------------------------------------------------------

ESCAPED_HTML = '<p>Read <a href="https://elsewhere.example/trap">this</a> &amp; that</p>'
# (link, date as written, URL expected, date expected, bad_date expected)
FEED_CASES: list[tuple[str | None, str | None, str | None, str | None, bool]] = [
    (
        "/2026/11/20/relative",
        "Fri, 20 Nov 2026 08:00:00 CEST",
        f"{ORIGIN}/2026/11/20/relative",
        "2026-11-20T08:00:00+02:00",
        False,
    ),
    (
        "sibling",
        "Fri, 20 Nov 2026 08:00:00 +0545",
        f"{ORIGIN}/feeds/sibling",
        "2026-11-20T08:00:00+05:45",
        False,
    ),
    (
        f"{ORIGIN}/story?id=1&src=rss",
        "2026-11-20T08:00:00",
        f"{ORIGIN}/story?id=1&src=rss",
        "2026-11-20T08:00:00",
        False,
    ),
    (
        f"{ORIGIN}/unknown-zone",
        "Fri, 20 Nov 2026 08:00:00 XYZ",
        f"{ORIGIN}/unknown-zone",
        "2026-11-20T08:00:00",
        False,
    ),
    (f"{ORIGIN}/garbage-date", "the day after tomorrow", f"{ORIGIN}/garbage-date", None, True),
    (f"{ORIGIN}/future-date", "2099-11-20T08:00:00Z", f"{ORIGIN}/future-date", None, True),
    (f"{ORIGIN}/epoch-date", "1795000000", f"{ORIGIN}/epoch-date", None, True),
    (f"{ORIGIN}/impossible-date", "Mon, 31 Feb 2026 08:00:00 GMT", f"{ORIGIN}/impossible-date", None, True),
    (f"{ORIGIN}/no-date", None, f"{ORIGIN}/no-date", None, False),
    (None, "2026-11-20", None, None, False),  # no link: left out
    ("mailto:desk@news.example.com", "2026-11-20", None, None, False),  # no http(s) link: left out
]


def _rss_item(link: str | None, date: str | None, date_tag: str = "pubDate") -> str:
    parts = [
        "<title>Ben &amp;amp; Jerry&#8217;s</title>",
        f"<description>{html.escape(ESCAPED_HTML)}</description>",
    ]
    parts += [f"<link>{html.escape(link)}</link>"] if link else []
    parts += [f"<{date_tag}>{date}</{date_tag}>"] if date else []
    return "<item>" + "".join(parts) + "</item>"


def _atom_entry(link: str | None, date: str | None, date_tag: str, namespace: str) -> str:
    parts = [f'<title type="html">{html.escape("Ben &amp; <b>Jerry</b>")}</title>']
    parts += [f'<content type="html">{html.escape(ESCAPED_HTML)}</content>']
    parts += [f'<link rel="alternate" type="text/html" href="{html.escape(link)}"/>'] if link else []
    parts += [f"<{date_tag}>{date}</{date_tag}>"] if date else []
    return f'<entry xmlns="{namespace}">' + "".join(parts) + "</entry>"


def rss(version: str) -> Callable[[list[tuple[str | None, str | None]]], bytes]:
    def build(items: list[tuple[str | None, str | None]]) -> bytes:
        body = "".join(_rss_item(link, date) for link, date in items)
        return f'<?xml version="1.0"?><rss version="{version}"><channel><title>T</title><link>{ORIGIN}/</link>{body}</channel></rss>'.encode()

    return build


def rdf(items: list[tuple[str | None, str | None]]) -> bytes:
    body = "".join(
        _rss_item(link, date, "dc:date").replace(
            "<item>", f'<item rdf:about="{html.escape(link)}">' if link else "<item>"
        )
        for link, date in items
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{ORIGIN}/"><title>T</title><link>{ORIGIN}/</link></channel>{body}</rdf:RDF>'
    ).encode()


def atom(version: str) -> Callable[[list[tuple[str | None, str | None]]], bytes]:
    namespace, date_tag = (
        ("http://www.w3.org/2005/Atom", "published")
        if version == "1.0"
        else ("http://purl.org/atom/ns#", "issued")
    )

    def build(items: list[tuple[str | None, str | None]]) -> bytes:
        body = "".join(_atom_entry(link, date, date_tag, namespace) for link, date in items)
        return f'<?xml version="1.0"?><feed version="{version}" xmlns="{namespace}"><title>T</title>{body}</feed>'.encode()

    return build


def json_feed(version: str) -> Callable[[list[tuple[str | None, str | None]]], bytes]:
    def build(items: list[tuple[str | None, str | None]]) -> bytes:
        entries = []
        for number, (link, date) in enumerate(items):
            entry: dict[str, Any] = {
                "id": str(number),
                "title": "Ben &amp; Jerry",
                "content_html": ESCAPED_HTML,
            }
            if link:
                entry["url"] = link
            if date:
                entry["date_published"] = int(date) if date.isdigit() else date  # epochs as JSON numbers
            entries.append(entry)
        return json.dumps(
            {"version": f"https://jsonfeed.org/version/{version}", "title": "T", "items": entries}
        ).encode()

    return build


FEED_FORMATS: dict[str, Callable[[list[tuple[str | None, str | None]]], bytes]] = {
    "RSS 0.91": rss("0.91"),
    "RSS 0.92": rss("0.92"),
    "RSS 2.0": rss("2.0"),
    "RSS 1.0 (RDF)": rdf,
    "Atom 0.3": atom("0.3"),
    "Atom 1.0": atom("1.0"),
    "JSON Feed 1.0": json_feed("1"),
    "JSON Feed 1.1": json_feed("1.1"),
}


@pytest.mark.parametrize("kind", sorted(FEED_FORMATS))
def test_feeds_of_every_format_give_the_right_links_and_drop_bad_dates(kind: str) -> None:
    body = FEED_FORMATS[kind]([(link, date) for link, date, *_ in FEED_CASES])
    entries = parse_feed(body, FEED_URL)
    assert entries is not None
    expected = [(url, published, bad) for _, _, url, published, bad in FEED_CASES if url is not None]
    assert [(entry.url, entry.published, entry.bad_date) for entry in entries] == expected
    assert "elsewhere.example" not in repr(entries)  # links inside escaped HTML content are not entries


@pytest.mark.parametrize("kind", sorted(FEED_FORMATS))
def test_an_empty_feed_is_an_empty_list_not_an_error(kind: str) -> None:
    assert parse_feed(FEED_FORMATS[kind]([]), FEED_URL) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<!DOCTYPE html><html><head><title>Feed moved</title></head><body><p>Our feed &rarr; /rss</p></body></html>",
        b"<html><body><rss><item><link>https://news.example.com/x</link></item></rss></body></html>",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": "none"}',
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"1" * 10_000 + b"]}",
    ],
)
def test_what_is_no_feed_is_refused(body: bytes) -> None:
    assert parse_feed(body, FEED_URL) is None


def test_a_cut_feed_keeps_its_complete_entries() -> None:
    body = rss("2.0")([(f"{ORIGIN}/{n}", None) for n in range(3)])
    entries = parse_feed(body[: body.index(b"/2</link>")], FEED_URL)
    assert entries is not None
    # Feeds are parsed whole and recovered: the cut entry may come out too, with its cut URL.
    assert [entry.url for entry in entries][:2] == [f"{ORIGIN}/0", f"{ORIGIN}/1"]


def test_the_spider_counts_bad_feed_dates_and_requests_every_link(spider: NewsSpider) -> None:
    body = FEED_FORMATS["RSS 2.0"]([(link, date) for link, date, *_ in FEED_CASES])
    requests = list(spider.parse_feed(respond(FEED_URL, body)))
    assert {request.url for request in requests} == {url for _, _, url, _, _ in FEED_CASES if url is not None}
    assert errors(spider) == {"bad_date": 4}
    assert list(spider.parse_feed(respond(FEED_URL, b"<html><body>Not a feed</body></html>"))) == []
    assert errors(spider) == {"bad_date": 4, "bad_feed": 1}


# --- a real crawl of every broken file ------------------------------------------------------------


class DiscoveryServer:
    """A loopback HTTP server answering each path with fixed bytes and headers; it records every path."""

    def __init__(self, files: dict[str, tuple[bytes, dict[str, str]]]) -> None:
        self.files = files
        self.paths: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.paths.append(self.path)
                body, headers = owner.files.get(
                    self.path, (b"<html><body>Not found</body></html>", {"status": "404"})
                )
                self.send_response(int(headers.get("status", "200")))
                for name, value in {"Content-Type": "text/html", **headers}.items():
                    if name != "status":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> DiscoveryServer:
        """Serve in a background thread; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


XML = {"Content-Type": "application/xml"}
GZIP = {"Content-Type": "application/x-gzip"}
ENCODED = {"Content-Type": "application/xml", "Content-Encoding": "gzip"}


def broken_site(origin: str) -> dict[str, tuple[bytes, dict[str, str]]]:
    """Every broken discovery file, by path; the home page announces the feeds, robots.txt the sitemaps."""
    article = article_html(1, origin).encode()
    feed = FEED_FORMATS["RSS 2.0"]([("/feed-story/1", "garbage"), ("/feed-story/2", "2099-01-01")])
    sitemaps = {
        "/truncated.xml": (
            urlset(["/t/1", "/t/2"], origin).removesuffix(b"</urlset>")
            + f"<url><loc>{origin}/t/3-cu".encode(),
            XML,
        ),
        "/not-a-sitemap.xml": (b"<html><body><h1>Sitemaps</h1></body></html>", {"Content-Type": "text/html"}),
        "/corrupt.xml.gz": (gzip.compress(urlset(["/c/1"], origin))[:12] + b"\xff" * 100, GZIP),
        "/bomb.xml.gz": (gzip_bomb(64 * 1024 * 1024), GZIP),
        "/huge.xml": (urlset([f"/h/{n}" for n in range(60_000)], origin), XML),
        "/self.xml": (sitemap_index(["/self.xml"], origin), XML),
        "/ping.xml": (sitemap_index(["/pong.xml"], origin), XML),
        "/pong.xml": (sitemap_index(["/ping.xml"], origin), XML),
        "/chain-0.xml": (sitemap_index(["/chain-1.xml"], origin), XML),
        "/fan.xml": (sitemap_index([f"/fan/{n}.xml" for n in range(10_000)], origin), XML),
        "/xxe.xml": (
            f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY e SYSTEM "{origin}/leak"> <!ENTITY p SYSTEM "file:///etc/passwd">]>'
            f"<urlset><url><loc>{origin}/x/&e;&p;</loc></url></urlset>".encode(),
            XML,
        ),
        # Content-Encoding: gzip said of a plain body, of a gzip file, of a gzip of a gzip, of a bomb.
        "/plain-said-gzip.xml": (urlset(["/p/1"], origin), ENCODED),
        "/gz-said-gzip.xml.gz": (
            gzip.compress(urlset(["/g/1"], origin)),
            {**ENCODED, "Content-Type": "application/x-gzip"},
        ),
        "/twice-gzipped.xml": (gzip.compress(gzip.compress(urlset(["/g/2"], origin))), ENCODED),
        "/bomb-said-gzip.xml": (gzip_bomb(64 * 1024 * 1024), ENCODED),
    }
    for depth in range(1, 6):
        sitemaps[f"/chain-{depth}.xml"] = (sitemap_index([f"/chain-{depth + 1}.xml"], origin), XML)
    listed_by_indexes = {"/pong.xml", *(f"/chain-{depth}.xml" for depth in range(1, 6))}
    robots = "User-agent: *\n" + "".join(
        f"Sitemap: {origin}{path}\n" for path in sitemaps if path not in listed_by_indexes
    )
    feeds = {
        "/feeds/as-text.txt": (feed, {"Content-Type": "text/plain"}),
        "/feeds/as-octets": (feed, {"Content-Type": "application/octet-stream"}),
        "/feeds/html.rss": (
            b"<!DOCTYPE html><html><body><p>Subscribe!</p></body></html>",
            {"Content-Type": "text/html"},
        ),
        "/feeds/empty.atom": (atom("1.0")([]), {"Content-Type": "application/atom+xml"}),
        "/feeds/empty-body.json": (b"", {"Content-Type": "application/feed+json"}),
        "/feeds/xxe.rss": (
            f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{origin}/evil.dtd"><rss version="2.0"><channel>'
            f"<item><link>{origin}/feed-story/3</link></item></channel></rss>".encode(),
            {"Content-Type": "application/rss+xml"},
        ),
    }
    links = "".join(f'<link rel="alternate" type="application/rss+xml" href="{path}">' for path in feeds)
    home = f"<html><head><title>Broken</title>{links}</head><body><p>Home</p></body></html>".encode()
    return {
        "/": (home, {"Content-Type": "text/html; charset=utf-8"}),
        "/robots.txt": (robots.encode(), {"Content-Type": "text/plain"}),
        "/t/1": (article, {"Content-Type": "text/html; charset=utf-8"}),
        **sitemaps,
        **feeds,
    }


def stat_values(log: str) -> dict[str, int]:
    """The integer stats of Scrapy's end-of-crawl dump in ``log``."""
    return {key: int(value) for key, value in re.findall(r"'([\w/.:-]+)': (\d+)[,}]", log)}


def test_a_crawl_of_every_broken_discovery_file_finishes_and_counts_each(tmp_path: Path) -> None:
    server = DiscoveryServer({})
    server.files = broken_site(server.origin)
    server.start()
    try:
        result = run_crawl(
            tmp_path,
            "-a",
            f"url={server.origin}/",
            settings={
                "NEWS_MAX_SITEMAP_URLS": "25",
                "NEWS_MAX_SITEMAP_DEPTH": "2",
                "NEWS_MAX_CHILD_SITEMAPS": "20",
                "EXTRACT_WORKERS": "0",
                "RETRY_TIMES": "0",
            },
            timeout=120,
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    stats = stat_values(result.log)
    assert "spider_exceptions" not in " ".join(stats)
    errors_ = {
        key.removeprefix("newscrawl/discovery_errors/"): value
        for key, value in stats.items()
        if key.startswith("newscrawl/discovery_errors/")
    }
    assert errors_ == {
        "sitemap_malformed": 1,  # truncated.xml
        "bad_sitemap": 1,  # not-a-sitemap.xml
        "bad_gzip": 1,  # corrupt.xml.gz
        "sitemap_too_large": 1,  # bomb.xml.gz
        "sitemap_truncated": 2,  # huge.xml, and fan.xml read up to NEWS_MAX_SITEMAP_URLS too
        "sitemap_loop": 2,  # self.xml, and pong.xml back to ping.xml
        "sitemap_too_deep": 1,  # chain-2.xml
        "too_many_sitemaps": 1,  # fan.xml
        "bad_date": 4,  # a garbage and a future date in each of the two copies of the feed
        "bad_feed": 2,  # html.rss, empty-body.json
    }
    paths = server.paths
    assert {"/t/1", "/t/2"} <= set(paths)
    assert not [path for path in paths if path.startswith("/t/3")]
    assert len([path for path in paths if path.startswith("/h/")]) == 25
    assert paths.count("/self.xml") == 1
    assert "/chain-2.xml" in paths
    assert "/chain-3.xml" not in paths
    assert len([path for path in paths if path.startswith("/fan/")]) == 20
    assert not {"/leak", "/evil.dtd"} & set(paths)
    assert {"/feed-story/1", "/feed-story/2", "/feed-story/3"} <= set(paths)  # feeds of any content type
    assert {"/g/1", "/g/2"} <= set(paths)  # gzip said twice, or said of a .gz file, is still read
    assert "/p/1" not in paths  # a plain body said to be gzip fails in the download: counted below
    assert stats["newscrawl/errors/BadGzipFile"] == 1
    # A bomb said to be gzip inflates in the download, stopped past DOWNLOAD_MAXSIZE (crawler/fetch/compression.py).
    assert stats["newscrawl/errors/decompression_bomb"] == 1
