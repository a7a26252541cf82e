"""The sites file: which sites to crawl, with their start URLs, sitemaps, feeds, domains and URL patterns.

A sites file is TOML with one table per site::

    [sites.example]
    start_urls = ["https://www.example.com/"]      # required
    sitemaps = ["https://www.example.com/news-sitemap.xml"]
    feeds = ["https://www.example.com/rss"]
    allowed_domains = ["example.com"]             # default: the start URLs' hosts
    include = ['/\\d{4}/\\d{2}/']                   # regexes an article URL must match (any)
    exclude = ['/video/', '/live/']               # regexes that exclude a URL

``serve`` names a folder (relative to the sites file) served on a loopback port (``serve_port``, or
any free one) for the duration of the crawl; the bundled demo uses it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.config import ConfigError
from crawler.demo import demo_sites_file
from crawler.output.files import safe_name
from crawler.urls import is_http_url, normalise_url, site_host

if TYPE_CHECKING:
    from pathlib import Path

_KEYS = {
    "start_urls": "a list of http(s) URLs",
    "sitemaps": "a list of http(s) URLs",
    "feeds": "a list of http(s) URLs",
    "allowed_domains": "a list of domain names",
    "include": "a list of regular expressions",
    "exclude": "a list of regular expressions",
    "serve": "a folder path (string)",
    "serve_port": "a port number (0 to 65535)",
}


class SitesFileError(ConfigError):
    """A sites file or site argument that cannot be used; the message names the file, key and expected form."""


@dataclass(frozen=True)
class Site:
    """One site to crawl."""

    name: str
    start_urls: tuple[str, ...]
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    serve: Path | None = None
    serve_port: int = 0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def wants(self, url: str) -> bool:
        """Whether an article URL passes the site's include and exclude patterns."""
        if any(pattern.search(url) for pattern in self.exclude):
            return False
        return not self.include or any(pattern.search(url) for pattern in self.include)

    def with_origin(self, placeholder: str, origin: str) -> Site:
        """A copy whose URLs and domains point at ``origin`` instead of ``placeholder`` (for served sites)."""

        def swap(urls: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(url.replace(placeholder, origin) for url in urls)

        return Site(
            name=self.name,
            start_urls=swap(self.start_urls),
            sitemaps=swap(self.sitemaps),
            feeds=swap(self.feeds),
            allowed_domains=(site_host(origin),),
            include=self.include,
            exclude=self.exclude,
            serve=None,
        )


def _string_list(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SitesFileError(f"{where}: key {key!r} is {value!r}; expected {_KEYS[key]}")
    return tuple(value)


def _urls(value: Any, where: str, key: str) -> tuple[str, ...]:
    urls = _string_list(value, where, key)
    for url in urls:
        if not is_http_url(url):
            raise SitesFileError(f"{where}: key {key!r} has {url!r}; expected {_KEYS[key]}")
    return tuple(normalise_url(url) for url in urls)


def _patterns(value: Any, where: str, key: str) -> tuple[re.Pattern[str], ...]:
    patterns = []
    for text in _string_list(value, where, key):
        try:
            patterns.append(re.compile(text))
        except re.error as error:
            raise SitesFileError(
                f"{where}: key {key!r} has {text!r} ({error}); expected {_KEYS[key]}"
            ) from error
    return tuple(patterns)


def site_from_table(name: str, table: Any, path: Path) -> Site:
    """Build a :class:`Site` from one ``[sites.NAME]`` table, checking every key."""
    where = f"{path} [sites.{name}]"
    if not isinstance(table, dict):
        raise SitesFileError(f"{where}: expected a table of keys ({', '.join(_KEYS)})")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise SitesFileError(f"{where}: unknown key {unknown[0]!r}; expected one of {', '.join(_KEYS)}")
    if "start_urls" not in table or not table["start_urls"]:
        raise SitesFileError(f"{where}: key 'start_urls' is missing; expected {_KEYS['start_urls']}")
    start_urls = _urls(table["start_urls"], where, "start_urls")
    domains = _string_list(table.get("allowed_domains", []), where, "allowed_domains")
    serve_port = table.get("serve_port", 0)
    if not isinstance(serve_port, int) or isinstance(serve_port, bool) or not 0 <= serve_port <= 65535:
        raise SitesFileError(f"{where}: key 'serve_port' is {serve_port!r}; expected {_KEYS['serve_port']}")
    serve = table.get("serve")
    if serve is not None and not isinstance(serve, str):
        raise SitesFileError(f"{where}: key 'serve' is {serve!r}; expected {_KEYS['serve']}")
    return Site(
        name=name,
        start_urls=start_urls,
        sitemaps=_urls(table.get("sitemaps", []), where, "sitemaps"),
        feeds=_urls(table.get("feeds", []), where, "feeds"),
        allowed_domains=domains or tuple(dict.fromkeys(site_host(url) for url in start_urls)),
        include=_patterns(table.get("include", []), where, "include"),
        exclude=_patterns(table.get("exclude", []), where, "exclude"),
        serve=(path.parent / serve).resolve() if serve else None,
        serve_port=serve_port,
    )


def load_sites_file(path: Path) -> dict[str, Site]:
    """Read every site of a TOML sites file; a missing file has no sites."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SitesFileError(f"{path}: not valid TOML ({error})") from error
    unknown = sorted(set(data) - {"sites"})
    if unknown:
        raise SitesFileError(f"{path}: unknown top-level key {unknown[0]!r}; expected [sites.NAME] tables")
    sites = data.get("sites", {})
    if not isinstance(sites, dict):
        raise SitesFileError(f"{path}: 'sites' must hold [sites.NAME] tables")
    return {name: site_from_table(name, table, path) for name, table in sites.items()}


def site_for_url(url: str) -> Site:
    """A site crawled from one home-page URL with no configuration: named after its host."""
    if not is_http_url(url):
        raise SitesFileError(
            f"argument url: {url!r} is not an http(s) URL; expected url=https://site/[,https://…]"
        )
    normalised = normalise_url(url)
    return Site(
        name=safe_name(site_host(normalised)), start_urls=(normalised,), allowed_domains=(site_host(url),)
    )


def select_sites(urls: str | None, site_names: str | None, sites_file: Path) -> list[Site]:
    """The sites a crawl covers: ``-a url=A,B`` and/or ``-a site=NAME[,NAME]``, else the sites file's, else the demo."""
    selected: list[Site] = []
    for url in (u.strip() for u in (urls or "").split(",") if u.strip()):
        site = site_for_url(url)
        if any(other.name == site.name for other in selected):  # another origin on the same host
            site = replace(site, name=safe_name(f"{site.name}_{urlsplit(site.start_urls[0]).port or 0}"))
        selected.append(site)
    known = {**load_sites_file(demo_sites_file()), **load_sites_file(sites_file)}
    for name in (n.strip() for n in (site_names or "").split(",") if n.strip()):
        if name not in known:
            raise SitesFileError(
                f"argument site: {name!r} is not in {sites_file} (sites: {', '.join(sorted(known)) or 'none'})"
            )
        selected.append(known[name])
    if not selected:
        selected = list(load_sites_file(sites_file).values()) or [known["demo"]]
    return selected
