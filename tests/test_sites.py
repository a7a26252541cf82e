from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crawler.run.sites import SitesFileError, load_sites_file, safe_name, select_sites

if TYPE_CHECKING:
    from pathlib import Path

GOOD = """
[sites.gazette]
start_urls = ["https://www.gazette.example/"]
sitemaps = ["https://www.gazette.example/news-sitemap.xml"]
feeds = ["https://www.gazette.example/rss"]
include = ['/\\d{4}/\\d{2}/']
exclude = ['/video/']
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, "utf-8")
    return path


def test_sites_file_is_read(tmp_path: Path) -> None:
    site = load_sites_file(write(tmp_path, GOOD))["gazette"]
    assert site.start_urls == ("https://www.gazette.example/",)
    assert site.allowed_domains == ("gazette.example",)
    assert site.feeds == ("https://www.gazette.example/rss",)
    assert site.wants("https://www.gazette.example/2026/11/story")
    assert not site.wants("https://www.gazette.example/2026/11/video/story")
    assert not site.wants("https://www.gazette.example/about")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sites.x]\nstart_url = ['https://x.example/']\n", "unknown key 'start_url'"),
        ("[sites.x]\nfeeds = ['https://x.example/rss']\n", "key 'start_urls' is missing"),
        ("[sites.x]\nstart_urls = 'https://x.example/'\n", "key 'start_urls' is 'https://x.example/'"),
        ("[sites.x]\nstart_urls = ['x.example']\n", "expected a list of http(s) URLs"),
        ("[sites.x]\nstart_urls = ['https://x.example/']\nexclude = ['(']\n", "key 'exclude' has '('"),
        ("[sites.x\nstart_urls = []\n", "not valid TOML"),
        ("[site.x]\nstart_urls = ['https://x.example/']\n", "unknown top-level key 'site'"),
    ],
)
def test_bad_sites_file_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SitesFileError, match=r"sites\.toml") as error:
        load_sites_file(path)
    assert message in str(error.value)


def test_select_sites(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert [s.name for s in select_sites("https://a.example/,https://b.example/news/", None, path)] == [
        "a.example",
        "b.example",
    ]
    assert [s.name for s in select_sites(None, "gazette", path)] == ["gazette"]
    assert [s.name for s in select_sites(None, None, path)] == ["gazette"]
    assert [s.name for s in select_sites(None, None, tmp_path / "missing.toml")] == ["demo"]
    with pytest.raises(SitesFileError, match="'nope' is not in"):
        select_sites(None, "nope", path)
    with pytest.raises(SitesFileError, match="not an http"):
        select_sites("ftp://a.example/", None, path)


def test_demo_site_is_built_in(tmp_path: Path) -> None:
    demo = select_sites(None, "demo", tmp_path / "missing.toml")[0]
    assert demo.serve is not None
    assert (demo.serve / "index.html").exists()


@pytest.mark.parametrize(
    ("name", "expected"), [("../etc", "etc"), ("/abs/path", "abs_path"), ("a b:c", "a_b_c"), ("..", "site")]
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name) == expected
