"""robots.txt: the sitemaps it names."""

from __future__ import annotations

from crawler.discover.xml import http_url


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The http(s) URLs of robots.txt's ``Sitemap:`` lines, resolved against ``base_url``, deduplicated.

    Unlike Scrapy's ``sitemap_urls_from_robots``, a malformed URL (``http://[oops``) is skipped rather
    than raised, and an empty ``Sitemap:`` line does not resolve to robots.txt itself.
    """
    found: dict[str, None] = {}
    for line in body.splitlines():
        name, _, value = line.partition(b":")
        if name.strip().lower() != b"sitemap" or not value.strip():
            continue
        try:
            url = http_url(value.decode(), base_url)
        except UnicodeDecodeError:
            continue
        if url is not None:
            found[url] = None
    return list(found)
