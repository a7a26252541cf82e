from __future__ import annotations

import pytest

from crawler.urls import host_in_domains, is_http_url, normalise_url, site_host, url_origin


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.com/a/?utm_source=x&utm_medium=social", "https://example.com/a/"),
        ("https://example.com/a?fbclid=abc123", "https://example.com/a"),
        ("https://example.com/a?gclid=1&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com:443/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("http://127.0.0.1:8080/2026/11/21/x/?utm_campaign=y", "http://127.0.0.1:8080/2026/11/21/x/"),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_normalise_url_keeps_meaningful_query() -> None:
    assert normalise_url("https://example.com/article.php?id=42") == "https://example.com/article.php?id=42"


def test_site_host_and_domains() -> None:
    assert site_host("https://WWW.Example.com/x") == "example.com"
    assert host_in_domains("https://news.example.com/a", ["example.com"])
    assert host_in_domains("https://www.example.com/a", ["www.example.com"])
    assert not host_in_domains("https://example.com.evil.net/a", ["example.com"])
    assert not host_in_domains("https://notexample.com/a", ["example.com"])


def test_is_http_url() -> None:
    assert is_http_url("https://example.com/")
    assert not is_http_url("ftp://example.com/")
    assert not is_http_url("/relative/path")
    assert not is_http_url("javascript:alert(1)")


def test_url_origin_names_the_host_and_port_a_url_reaches() -> None:
    assert url_origin("http://127.0.0.1:8080/news/") == "127.0.0.1:8080"
    assert url_origin("https://intranet.example/") == "intranet.example:443"
    assert url_origin("http://[::1]/feed") == "[::1]:80"
    assert url_origin("http://example.com:99999/") is None  # no such port
    assert url_origin("file:///etc/passwd") is None
