"""Tests for crawler.discover: sitemaps, feeds, dates and feed links, on small real documents."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import lxml.html
import pytest
from lxml import etree

from crawler.dates import normalise_date
from crawler.discover.feeds import FeedEntry, feed_links, parse_feed
from crawler.discover.sitemaps import Sitemap, SitemapEntry, parse_sitemap

if TYPE_CHECKING:
    from pathlib import Path

BASE = "https://news.example.com/sitemap.xml"

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>
      https://news.example.com/2026/11/20/budget-vote
    </loc>
    <lastmod>2026-11-20T08:00:00Z</lastmod>
    <changefreq>daily</changefreq>
  </url>
  <url><loc>https://news.example.com/2026/11/19/storm</loc><lastmod>2026-11-19</lastmod></url>
  <url><loc>https://news.example.com/about</loc></url>
  <url><lastmod>2026-11-18</lastmod></url>
  <url><loc>   </loc></url>
  <url><loc>mailto:desk@news.example.com</loc></url>
  <url><loc>ftp://news.example.com/archive.zip</loc></url>
  <!-- <url><loc>https://news.example.com/commented-out</loc></url> -->
</urlset>
"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>https://news.example.com/sitemap-news.xml</loc>
    <lastmod>2026-11-20T08:00+01:00</lastmod>
  </sitemap>
  <sitemap><loc>/sitemap-2026-11.xml</loc></sitemap>
</sitemapindex>
"""

NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example.com/2026/11/20/budget-vote</loc>
    <news:news>
      <news:publication>
        <news:name>The Example Times</news:name>
        <news:language>en</news:language>
      </news:publication>
      <news:publication_date>2026-11-20T08:00:00+00:00</news:publication_date>
      <news:title>Parliament passes the  budget
        after a long night</news:title>
    </news:news>
    <image:image><image:loc>https://news.example.com/img/budget.jpg</image:loc></image:image>
  </url>
  <url>
    <loc>https://news.example.com/2026/11/20/caf%C3%A9-opens</loc>
    <lastmod>2026-11-20</lastmod>
    <news:news>
      <news:publication_date>2026-11-20</news:publication_date>
      <news:title>Café &amp; bakery opens</news:title>
    </news:news>
  </url>
</urlset>
""".encode()

BARE_SITEMAP = b"""<urlset>
  <url><loc>https://news.example.com/a</loc><lastmod>2026-11-20</lastmod></url>
  <url><loc>https://news.example.com/b</loc></url>
</urlset>"""

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>Example</title></head>
<body><p>Not a sitemap: <a href="https://news.example.com/a">a</a></p></body></html>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
%s
"""


def _urlset(count: int) -> bytes:
    urls = "".join(f"<url><loc>https://news.example.com/{n}</loc></url>" for n in range(count))
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def _file_uri(path: Path) -> str:
    return path.resolve().as_uri()


# --- sitemaps -----------------------------------------------------------------------------------


def test_urlset_with_lastmod() -> None:
    sitemap = parse_sitemap(URLSET, BASE)
    assert sitemap == Sitemap(
        is_index=False,
        entries=(
            SitemapEntry(
                "https://news.example.com/2026/11/20/budget-vote", "2026-11-20T08:00:00+00:00", None, None
            ),
            SitemapEntry("https://news.example.com/2026/11/19/storm", "2026-11-19", None, None),
            SitemapEntry("https://news.example.com/about", None, None, None),
        ),
        truncated=False,
    )


def test_sitemap_index() -> None:
    sitemap = parse_sitemap(SITEMAP_INDEX, BASE)
    assert sitemap is not None
    assert sitemap.is_index
    assert not sitemap.truncated
    assert sitemap.entries == (
        SitemapEntry("https://news.example.com/sitemap-news.xml", "2026-11-20T08:00+01:00", None, None),
        SitemapEntry("https://news.example.com/sitemap-2026-11.xml", None, None, None),
    )


def test_news_sitemap_keeps_publication_date_and_title() -> None:
    sitemap = parse_sitemap(NEWS_SITEMAP, BASE)
    assert sitemap is not None
    assert sitemap.entries == (
        SitemapEntry(
            url="https://news.example.com/2026/11/20/budget-vote",
            lastmod=None,
            publication_date="2026-11-20T08:00:00+00:00",
            title="Parliament passes the budget after a long night",
        ),
        SitemapEntry(
            url="https://news.example.com/2026/11/20/caf%C3%A9-opens",
            lastmod="2026-11-20",
            publication_date="2026-11-20",
            title="Café & bakery opens",
        ),
    )


def test_non_namespaced_sitemap() -> None:
    sitemap = parse_sitemap(BARE_SITEMAP, BASE)
    assert sitemap is not None
    assert not sitemap.is_index
    assert [(entry.url, entry.lastmod) for entry in sitemap.entries] == [
        ("https://news.example.com/a", "2026-11-20"),
        ("https://news.example.com/b", None),
    ]


def test_other_namespace_and_leading_whitespace_accepted() -> None:
    body = b"""\n  <?xml version="1.0"?>
    <s:urlset xmlns:s="http://www.google.com/schemas/sitemap/0.84">
      <s:url><s:loc>https://news.example.com/old-schema</s:loc></s:url>
    </s:urlset>"""
    sitemap = parse_sitemap(body, BASE)
    assert sitemap is not None
    assert [entry.url for entry in sitemap.entries] == ["https://news.example.com/old-schema"]


def test_relative_loc_resolved_against_base_url() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>/2026/11/20/budget-vote</loc></url>
      <url><loc>storm.html</loc></url>
      <url><loc>//cdn.example.net/page</loc></url>
    </urlset>"""
    sitemap = parse_sitemap(body, "https://news.example.com/sitemaps/main.xml")
    assert sitemap is not None
    assert [entry.url for entry in sitemap.entries] == [
        "https://news.example.com/2026/11/20/budget-vote",
        "https://news.example.com/sitemaps/storm.html",
        "https://cdn.example.net/page",
    ]


def test_text_sitemap() -> None:
    body = "\ufeffhttps://news.example.com/a\r\n\r\n  https://news.example.com/caf\u00e9  \nhttp://news.example.com/c\n"
    sitemap = parse_sitemap(body.encode(), "https://news.example.com/sitemap.txt")
    assert sitemap == Sitemap(
        is_index=False,
        entries=(
            SitemapEntry("https://news.example.com/a", None, None, None),
            SitemapEntry("https://news.example.com/caf\u00e9", None, None, None),
            SitemapEntry("http://news.example.com/c", None, None, None),
        ),
        truncated=False,
    )


@pytest.mark.parametrize(
    "body",
    [
        b"https://news.example.com/a\nnot a url\n",
        b"https://news.example.com/a\n/relative/path\n",
        b"https://news.example.com/a\nftp://news.example.com/b\n",
        b"https://news.example.com/a b\n",
        b"User-agent: *\nDisallow: /private\n",
        b"\n \n",
        b"https://news.example.com/\xff\xfe",
    ],
)
def test_text_that_is_not_a_text_sitemap(body: bytes) -> None:
    assert parse_sitemap(body, BASE) is None


@pytest.mark.parametrize(
    "body",
    [
        HTML_PAGE,
        b"",
        b"<",
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</title></channel></rss>",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",  # gzip magic: must be decompressed by the caller
    ],
)
def test_not_a_sitemap(body: bytes) -> None:
    assert parse_sitemap(body, BASE) is None


def test_truncated_when_more_than_max_entries() -> None:
    sitemap = parse_sitemap(_urlset(5), BASE, max_entries=3)
    assert sitemap is not None
    assert sitemap.truncated
    assert [entry.url for entry in sitemap.entries] == [f"https://news.example.com/{n}" for n in range(3)]


def test_not_truncated_at_exactly_max_entries() -> None:
    sitemap = parse_sitemap(_urlset(3), BASE, max_entries=3)
    assert sitemap is not None
    assert not sitemap.truncated
    assert len(sitemap.entries) == 3


def test_skipped_entries_do_not_count_towards_max_entries() -> None:
    body = b"""<urlset><url><loc>https://a.example/1</loc></url><url><loc>mailto:x@a.example</loc></url>
      <url/><url><loc>https://a.example/2</loc></url></urlset>"""
    sitemap = parse_sitemap(body, BASE, max_entries=2)
    assert sitemap is not None
    assert not sitemap.truncated
    assert [entry.url for entry in sitemap.entries] == ["https://a.example/1", "https://a.example/2"]


def test_text_sitemap_truncated() -> None:
    body = "\n".join(f"https://news.example.com/{n}" for n in range(4)).encode()
    sitemap = parse_sitemap(body, BASE, max_entries=2)
    assert sitemap is not None
    assert sitemap.truncated
    assert [entry.url for entry in sitemap.entries] == [
        "https://news.example.com/0",
        "https://news.example.com/1",
    ]


def test_billion_laughs_is_not_expanded() -> None:
    body = BILLION_LAUGHS % (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.example.com/&lol9;</loc><lastmod>&lol9;</lastmod></url>"
        b"<url><loc>https://news.example.com/fine</loc></url></urlset>"
    )
    started = time.perf_counter()
    sitemap = parse_sitemap(body, BASE)
    assert time.perf_counter() - started < 2
    assert "lollol" not in repr(sitemap)
    if sitemap is not None:  # recover mode may keep the document; it must never hold the expansion
        assert all(len(entry.url) < 100 for entry in sitemap.entries)


def test_billion_laughs_feed_is_not_expanded() -> None:
    body = BILLION_LAUGHS % (
        b'<rss version="2.0"><channel><item><title>&lol9;</title>'
        b"<link>https://news.example.com/a</link></item></channel></rss>"
    )
    started = time.perf_counter()
    entries = parse_feed(body, BASE)
    assert time.perf_counter() - started < 2
    assert "lollol" not in repr(entries)


def _xxe_documents(secret_file: Path) -> list[bytes]:
    uri = _file_uri(secret_file).encode()
    dtd = secret_file.with_suffix(".dtd")
    dtd.write_text('<!ENTITY leak "TOP-SECRET-XYZZY">', "utf-8")
    return [
        # General external entity.
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "' + uri + b'">]>'
        b"<urlset><url><loc>https://news.example.com/&xxe;</loc><lastmod>&xxe;</lastmod></url></urlset>",
        # External parameter entity defining a general entity.
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY % p SYSTEM "'
        + _file_uri(dtd).encode()
        + b'"> %p;]>'
        b"<urlset><url><loc>https://news.example.com/&leak;</loc></url></urlset>",
        # External DTD subset.
        b'<?xml version="1.0"?><!DOCTYPE urlset SYSTEM "' + _file_uri(dtd).encode() + b'">'
        b"<urlset><url><loc>https://news.example.com/&leak;</loc></url></urlset>",
    ]


def test_xxe_payloads_work_against_an_unsafe_parser(tmp_path: Path) -> None:
    """Control: the documents below do leak the file when entities and DTDs are loaded."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-XYZZY", "utf-8")
    unsafe = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    for document in _xxe_documents(secret):
        assert b"TOP-SECRET-XYZZY" in etree.tostring(etree.fromstring(document, unsafe))


def test_external_entities_are_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-XYZZY", "utf-8")
    for document in _xxe_documents(secret):
        sitemap = parse_sitemap(document, BASE)
        assert "TOP-SECRET-XYZZY" not in repr(sitemap)
        feed = document.replace(b"urlset", b"rss").replace(b"<url><loc>", b"<channel><item><link>")
        feed = feed.replace(b"</loc>", b"</link>").replace(b"</url>", b"</item></channel>")
        assert "TOP-SECRET-XYZZY" not in repr(parse_feed(feed, BASE))


def test_etc_passwd_entity_is_not_loaded() -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example.com/&xxe;</loc></url>
</urlset>"""
    sitemap = parse_sitemap(body, BASE)
    assert "root:" not in repr(sitemap)
    assert sitemap is not None
    assert [entry.url for entry in sitemap.entries] == ["https://news.example.com/"]


# --- feeds --------------------------------------------------------------------------------------

FEED_BASE = "https://news.example.com/feed/"

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"
     xmlns:media="http://search.yahoo.com/mrss/">
  <channel>
    <title>The Example Times</title>
    <link>https://news.example.com/</link>
    <atom:link href="https://news.example.com/feed/" rel="self" type="application/rss+xml"/>
    <item>
      <title>Budget vote</title>
      <media:title>Photo caption</media:title>
      <atom:link href="https://news.example.com/ignored" rel="alternate"/>
      <link> https://news.example.com/2026/11/20/budget-vote </link>
      <guid isPermaLink="false">budget-vote-123</guid>
      <pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate>
    </item>
    <item>
      <title><![CDATA[Storm <b>warning</b>]]></title>
      <guid>https://news.example.com/2026/11/19/storm</guid>
      <dc:date>2026-11-19T18:30:00+01:00</dc:date>
    </item>
    <item>
      <title>Permalink guid but not a URL</title>
      <guid>tag:news.example.com,2026:42</guid>
    </item>
    <item>
      <title>Not a permalink</title>
      <guid isPermaLink="false">https://news.example.com/?p=43</guid>
    </item>
    <item>
      <link>/2026/11/18/relative</link>
      <pubDate>Wed, 18 Nov 2026 07:15:00 -0000</pubDate>
    </item>
  </channel>
</rss>
"""

RSS1 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example.com/">
    <title>The Example Times</title>
    <link>https://news.example.com/</link>
    <items><rdf:Seq>
      <rdf:li rdf:resource="https://news.example.com/a"/>
      <rdf:li rdf:resource="https://news.example.com/b"/>
    </rdf:Seq></items>
  </channel>
  <item rdf:about="https://news.example.com/a">
    <title>First</title>
    <link>https://news.example.com/a?utm=rss</link>
    <dc:date>2026-11-20T08:00Z</dc:date>
  </item>
  <item rdf:about="https://news.example.com/b">
    <dc:title>Second</dc:title>
    <dc:date>2026-11-19</dc:date>
  </item>
</rdf:RDF>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.com/world/">
  <title>World</title>
  <link rel="self" href="/feeds/world.atom"/>
  <entry>
    <title type="html">Budget &lt;em&gt;vote&lt;/em&gt; &amp;amp; more</title>
    <link rel="edit" href="/api/entries/1"/>
    <link rel="enclosure" href="/media/1.mp3" type="audio/mpeg"/>
    <link rel="alternate" href="2026/11/20/budget-vote"/>
    <published>2026-11-20T08:00:00Z</published>
    <updated>2026-11-21T10:00:00Z</updated>
  </entry>
  <entry xml:base="/europe/">
    <title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Storm <b>warning</b></div></title>
    <link href="storm"/>
    <updated>2026-11-19T18:30:00+01:00</updated>
  </entry>
  <entry>
    <title>Two alternates</title>
    <link rel="alternate" type="application/pdf" href="https://news.example.com/print/3.pdf"/>
    <link rel="alternate" type="text/html" href="https://news.example.com/3"/>
  </entry>
  <entry>
    <title>No alternate link</title>
    <link rel="self" href="/entries/4"/>
    <published>2026-11-17T00:00:00Z</published>
  </entry>
</feed>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "The Example Times",
    "home_page_url": "https://news.example.com/",
    "items": [
        {
            "id": "1",
            "url": "https://news.example.com/2026/11/20/budget-vote",
            "title": "Budget vote",
            "date_published": "2026-11-20T08:00:00Z",
        },
        {"id": "2", "external_url": "https://elsewhere.example.org/story", "content_text": "Linked."},
        {"id": "3", "url": "/2026/11/18/relative", "date_published": "2026-11-18"},
        {"id": "4", "content_text": "No URL at all."},
        "not an object",
    ],
}


def test_rss2() -> None:
    assert parse_feed(RSS2, FEED_BASE) == [
        FeedEntry(
            "https://news.example.com/2026/11/20/budget-vote", "2026-11-20T08:00:00+00:00", "Budget vote"
        ),
        FeedEntry(
            "https://news.example.com/2026/11/19/storm", "2026-11-19T18:30:00+01:00", "Storm <b>warning</b>"
        ),
        FeedEntry("https://news.example.com/2026/11/18/relative", "2026-11-18T07:15:00+00:00", None),
    ]


def test_rss1_rdf() -> None:
    assert parse_feed(RSS1, FEED_BASE) == [
        FeedEntry("https://news.example.com/a?utm=rss", "2026-11-20T08:00+00:00", "First"),
        FeedEntry("https://news.example.com/b", "2026-11-19", "Second"),
    ]


def test_rss090_and_091() -> None:
    rss090 = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        xmlns="http://my.netscape.com/rdf/simple/0.9/">
      <channel><title>Old</title><link>https://news.example.com/</link></channel>
      <item><title>Ninety</title><link>https://news.example.com/90</link></item>
    </rdf:RDF>"""
    rss091 = b"""<rss version="0.91"><channel><title>Old</title>
      <item><title>Ninety-one</title><link>https://news.example.com/91</link></item>
    </channel></rss>"""
    assert parse_feed(rss090, FEED_BASE) == [FeedEntry("https://news.example.com/90", None, "Ninety")]
    assert parse_feed(rss091, FEED_BASE) == [FeedEntry("https://news.example.com/91", None, "Ninety-one")]


def test_atom_relative_links_and_dates() -> None:
    assert parse_feed(ATOM, "https://news.example.com/feeds/world.atom") == [
        FeedEntry(
            "https://news.example.com/world/2026/11/20/budget-vote",
            "2026-11-20T08:00:00+00:00",
            "Budget vote & more",
            updated="2026-11-21T10:00:00+00:00",  # the evidence a later run revalidates on
        ),
        FeedEntry(
            "https://news.example.com/europe/storm",
            "2026-11-19T18:30:00+01:00",
            "Storm warning",
            updated="2026-11-19T18:30:00+01:00",
        ),
        FeedEntry("https://news.example.com/3", None, "Two alternates"),
    ]


def test_atom_relative_to_document_url_without_xml_base() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title>A</title><link href="../2026/a"/><published>2026-11-20</published></entry>
    </feed>"""
    assert parse_feed(body, "https://news.example.com/feeds/main.atom") == [
        FeedEntry("https://news.example.com/2026/a", "2026-11-20", "A")
    ]


def test_json_feed() -> None:
    assert parse_feed(json.dumps(JSON_FEED).encode(), FEED_BASE) == [
        FeedEntry(
            "https://news.example.com/2026/11/20/budget-vote", "2026-11-20T08:00:00+00:00", "Budget vote"
        ),
        FeedEntry("https://elsewhere.example.org/story", None, None),
        FeedEntry("https://news.example.com/2026/11/18/relative", "2026-11-18", None),
    ]


def test_json_feed_1_0() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1", "title": "x", "items": [{"id": "1", "url": "https://a.example/1"}]}'
    assert parse_feed(body, FEED_BASE) == [FeedEntry("https://a.example/1", None, None)]


def test_bad_dates_are_none() -> None:
    rss = b"""<rss version="2.0"><channel>
      <item><link>https://a.example/1</link><pubDate>last Tuesday</pubDate></item>
      <item><link>https://a.example/2</link><pubDate>Fri, 31 Feb 2026 08:00:00 GMT</pubDate></item>
      <item><link>https://a.example/3</link><pubDate></pubDate></item>
    </channel></rss>"""
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><link href="https://a.example/4"/><published>2026-13-45T99:00:00Z</published></entry>
    </feed>"""
    json_feed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "items": [
                {"url": "https://a.example/5", "date_published": 1795000000},
                {"url": "https://a.example/6", "date_published": "soon"},
            ],
        }
    ).encode()
    entries = [*(parse_feed(rss, FEED_BASE) or []), *(parse_feed(atom, FEED_BASE) or [])]
    entries += parse_feed(json_feed, FEED_BASE) or []
    assert [entry.url for entry in entries] == [f"https://a.example/{n}" for n in range(1, 7)]
    assert [entry.published for entry in entries] == [None] * 6


def test_empty_feed_is_an_empty_list() -> None:
    assert parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>', FEED_BASE) == []


def test_feed_max_entries() -> None:
    items = "".join(f"<item><link>https://a.example/{n}</link></item>" for n in range(5))
    entries = parse_feed(
        f'<rss version="2.0"><channel>{items}</channel></rss>'.encode(), FEED_BASE, max_entries=2
    )
    assert entries == [
        FeedEntry("https://a.example/0", None, None),
        FeedEntry("https://a.example/1", None, None),
    ]


@pytest.mark.parametrize(
    "body",
    [
        HTML_PAGE,
        URLSET,
        b"",
        b"just some text",
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description/></rdf:RDF>",
        b'{"title": "an API response", "items": []}',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": {}}',
        b"{not json",
        b'["https://jsonfeed.org/version/1.1"]',
        b"[" * 100_000,
    ],
)
def test_not_a_feed(body: bytes) -> None:
    assert parse_feed(body, FEED_BASE) is None


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20", "2026-11-20"),
        ("2026-11-20T08:00:00+00:00", "2026-11-20T08:00:00+00:00"),
        ("2026-11-20T08:00:00Z", "2026-11-20T08:00:00+00:00"),
        ("  2026-11-20t08:00:00z\n", "2026-11-20T08:00:00+00:00"),
        ("2026-11-20T08:00+01:00", "2026-11-20T08:00+01:00"),
        ("2026-11-20T08:00:00-0530", "2026-11-20T08:00:00-05:30"),
        ("2026-11-20 08:00:00+02", "2026-11-20T08:00:00+02:00"),
        ("2026-11-20T08:00:00.250Z", "2026-11-20T08:00:00.250+00:00"),
        ("2026-11-20T08:00:00.123456789+00:00", "2026-11-20T08:00:00.123456+00:00"),
        ("2026-11-20T08:00:00", "2026-11-20T08:00:00"),
        ("2026-11-20T08:00", "2026-11-20T08:00"),
        ("2026-11", "2026-11"),
        ("2026", "2026"),
        ("Fri, 20 Nov 2026 08:00:00 GMT", "2026-11-20T08:00:00+00:00"),
        ("Fri, 20 Nov 2026 08:00:00 -0000", "2026-11-20T08:00:00+00:00"),
        ("Fri, 20 Nov 2026 08:00:00 +0000", "2026-11-20T08:00:00+00:00"),
        ("Fri, 20 Nov 2026 08:00:00 UT", "2026-11-20T08:00:00+00:00"),
        ("Fri, 20 Nov 2026 08:00:00 EST", "2026-11-20T08:00:00-05:00"),
        ("Fri, 20 Nov 2026 08:00:00 PDT", "2026-11-20T08:00:00-07:00"),
        ("Fri, 20 Nov 2026 08:00:00 CET", "2026-11-20T08:00:00+01:00"),
        ("Fri, 20 Nov 2026 08:00:00 +0530", "2026-11-20T08:00:00+05:30"),
        ("20 Nov 2026 08:00 +0100", "2026-11-20T08:00:00+01:00"),
        ("Fri, 20 Nov 2026 08:00:00", "2026-11-20T08:00:00"),
    ],
)
def test_normalise_date(text: str, expected: str) -> None:
    assert normalise_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "garbage",
        "yesterday",
        "2026-13",
        "2026-02-30",
        "0000",
        "2026-11-20T25:00:00Z",
        "2026-11-20T08:00:00+25:00",
        "2026-11-20T08:00:00+05:75",
        "2026-11-20T08:00:00 GMT+2",
        "Fri, 31 Feb 2026 08:00:00 GMT",
        "Fri, 20 Nov 99999 08:00:00 GMT",
        "2026-11-20" + "x" * 1000,
    ],
)
def test_normalise_date_garbage(text: str | None) -> None:
    assert normalise_date(text) is None


# --- feed links ---------------------------------------------------------------------------------

PAGE_WITH_FEEDS = """<!DOCTYPE html>
<html><head>
  <base href="https://news.example.com/world/">
  <link rel="stylesheet" href="/style.css">
  <link rel="alternate" type="application/rss+xml" title="The Example Times" href="/feed/">
  <link rel="alternate" type="application/rss+xml" title="The Example Times &raquo; Comments Feed"
        href="/comments/feed/">
  <link rel="alternate" type="application/rss+xml" title="Budget vote Comments Feed"
        href="/2026/11/20/budget-vote/feed/">
  <link rel="Alternate Nofollow" type="Application/Atom+XML; charset=utf-8" href="world.atom">
  <link rel="alternate" type="application/feed+json" href="feed.json">
  <link rel="alternate" type="application/json" href="https://news.example.com/feeds/world.json">
  <link rel="alternate" type="application/json" href="https://news.example.com/wp-json/wp/v2/posts/42">
  <link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
  <link rel="alternate" type="text/html" hreflang="de" href="https://news.example.com/de/">
  <link rel="feed" type="application/rss+xml" href="/not-alternate.xml">
  <link rel="stylesheet alternate" type="text/css" href="/alt.css">
  <link rel="alternate" type="application/rss+xml" href="https://news.example.com/feed/">
  <link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
  <link rel="alternate" type="application/rss+xml">
</head><body>
  <link rel="alternate" type="application/rss+xml" href="/body/feed.xml">
</body></html>"""


def test_feed_links() -> None:
    tree = lxml.html.document_fromstring(PAGE_WITH_FEEDS)
    assert feed_links(tree, "https://news.example.com/2026/11/20/budget-vote") == [
        "https://news.example.com/feed/",
        "https://news.example.com/world/world.atom",
        "https://news.example.com/world/feed.json",
        "https://news.example.com/feeds/world.json",
        "https://news.example.com/body/feed.xml",
    ]


def test_feed_links_without_base_element() -> None:
    page = """<html><head>
      <link rel="alternate" type="application/atom+xml" href="../feeds/news.atom">
      <link rel="alternate" type="application/rss+xml" href="?feed=comments-rss2">
    </head><body><p>x</p></body></html>"""
    tree = lxml.html.fromstring(page)
    assert feed_links(tree, "https://news.example.com/section/page.html") == [
        "https://news.example.com/feeds/news.atom"
    ]


def test_feed_links_none() -> None:
    tree = lxml.html.fromstring("<html><head><title>x</title></head><body><p>No feeds</p></body></html>")
    assert feed_links(tree, "https://news.example.com/") == []
