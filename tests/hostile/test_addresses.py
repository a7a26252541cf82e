"""Where requests may go (crawler/fetch/addresses.py): http(s) only, public addresses only, checked after resolution."""

from __future__ import annotations

import json
import logging
import re
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import pytest_twisted
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.resolver import CachingThreadedResolver, dnscache
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from twisted.internet.base import ThreadedResolver
from twisted.internet.defer import fail, succeed
from twisted.internet.error import DNSLookupError

from crawler.demo.server import PLACEHOLDER_ORIGIN
from crawler.fetch.addresses import (
    BlockedAddress,
    BlockedScheme,
    PrivateAddressMiddleware,
    is_public_address,
    parse_origin_pattern,
    resolve_host,
)
from crawler.run.context import run_of
from crawler.spiders.news import NewsSpider
from tests.conftest import article_html, run_crawl
from tests.hostile.page_server import Page, PageServer

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from twisted.internet.defer import Deferred

# -- the address check --------------------------------------------------------------------------------

NOT_PUBLIC = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.0.1",
    "192.168.255.254",
    "169.254.0.1",
    "169.254.169.254",  # cloud metadata
    "0.0.0.0",
    "0.1.2.3",
    "100.64.0.1",
    "100.127.255.254",
    "192.0.2.1",  # documentation
    "224.0.0.1",  # multicast
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "ff02::1",
    "2001:db8::1",  # documentation
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:192.168.1.1",
    "::127.0.0.1",  # IPv4-compatible (deprecated)
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
]
PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.215.14",
    "172.32.0.1",  # just past 172.16/12
    "100.128.0.1",  # just past 100.64/10
    "169.253.255.255",
    "2001:4860:4860::8888",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "2002:808:808::1",  # 6to4 of 8.8.8.8
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(ip_address(address))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("127.0.0.1:8741", ("127.0.0.1", 8741)),
        ("Intranet.Example", ("intranet.example", None)),
        ("[::1]:8080", ("::1", 8080)),
    ],
)
def test_origin_patterns(entry: str, expected: tuple[str, int | None]) -> None:
    assert parse_origin_pattern(entry, "ALLOWED_PRIVATE_HOSTS") == expected


@pytest.mark.parametrize("entry", ["", "http://127.0.0.1/", "127.0.0.1:99999", "127.0.0.1:port", "user@host"])
def test_bad_origin_patterns_name_the_setting(entry: str) -> None:
    with pytest.raises(ValueError, match=r"ALLOWED_PRIVATE_HOSTS: .* is not host or host:port"):
        parse_origin_pattern(entry, "ALLOWED_PRIVATE_HOSTS")


# -- the middleware, in process -----------------------------------------------------------------------


def middleware(spider: Spider | None = None, **settings: Any) -> PrivateAddressMiddleware:
    """The middleware built the Scrapy way, with the spider's ``allowed_private_hosts`` read as at spider_opened."""
    built = build_from_crawler(PrivateAddressMiddleware, get_crawler(settings_dict=settings))
    if spider is not None:
        built.spider_opened(spider)
    return built


async def refusal(built: PrivateAddressMiddleware, url: str) -> type[Exception] | None:
    """The exception ``process_request`` raises for ``url``, or None when the request may go."""
    try:
        await deferred_from_coro(built.process_request(Request(url)))
    except (IgnoreRequest, DNSLookupError) as error:
        return type(error)
    return None


LOOPBACK_SPELLINGS = [
    "http://127.0.0.1:8080/",
    "http://127.0.0.2/",
    "http://localhost/",  # a name that resolves to loopback
    "http://LOCALHOST:8080/admin",
    "http://2130706433/",  # decimal
    "http://0x7f.1/",  # hex, short form
    "http://0x7f000001/",
    "http://0177.0.0.1/",  # octal
    "http://017700000001/",
    "http://127.1/",
    "http://0/",  # 0.0.0.0
    "http://[::1]:8080/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "https://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
]


@pytest.mark.parametrize("url", LOOPBACK_SPELLINGS)
@pytest_twisted.ensureDeferred
async def test_private_hosts_are_refused_in_every_spelling(url: str) -> None:
    built = middleware()
    assert await refusal(built, url) is BlockedAddress
    assert built.stats.get_value("newscrawl/refused/private_address") == 1


@pytest.mark.parametrize(
    "url", ["ftp://example.com/file", "file:///etc/passwd", "data:text/html,<p>hi</p>", "s3://bucket/key"]
)
@pytest_twisted.ensureDeferred
async def test_other_schemes_are_refused_even_with_private_addresses_allowed(url: str) -> None:
    built = middleware(ALLOW_PRIVATE_ADDRESSES=True)
    assert await refusal(built, url) is BlockedScheme
    assert built.stats.get_value("newscrawl/refused/scheme") == 1


@pytest_twisted.ensureDeferred
async def test_allow_private_addresses_turns_the_address_check_off() -> None:
    built = middleware(ALLOW_PRIVATE_ADDRESSES=True)
    for url in ["http://127.0.0.1:8080/", "http://localhost/", "http://169.254.169.254/"]:
        assert await refusal(built, url) is None


@pytest_twisted.ensureDeferred
async def test_allowed_private_hosts_allow_only_their_origins() -> None:
    built = middleware(ALLOWED_PRIVATE_HOSTS="127.0.0.1:8080,localhost,[::1]:443")
    assert await refusal(built, "http://127.0.0.1:8080/page") is None
    assert await refusal(built, "http://127.0.0.1:8081/page") is BlockedAddress
    assert await refusal(built, "http://127.0.0.1/page") is BlockedAddress  # port 80
    assert await refusal(built, "http://localhost:1234/") is None  # no port: any port
    assert await refusal(built, "https://[::1]/") is None  # the default port of https
    assert await refusal(built, "http://[::1]/") is BlockedAddress
    assert await refusal(built, "http://2130706433:8080/") is None  # the allowed origin, spelled otherwise
    assert await refusal(built, "http://0x7f.1:8081/") is BlockedAddress


@pytest_twisted.ensureDeferred
async def test_the_sites_the_run_serves_are_allowed(tmp_path: Path) -> None:
    crawler = get_crawler(NewsSpider, settings_dict={"OUTPUT_DIR": str(tmp_path)})
    spider = NewsSpider.from_crawler(crawler)  # the demo, served on a loopback port
    run = run_of(crawler)
    assert run is not None
    try:
        built = build_from_crawler(PrivateAddressMiddleware, crawler)
        built.spider_opened(spider)
        port = urlsplit(run.local_sites[0].origin).port
        assert await refusal(built, f"http://127.0.0.1:{port}/") is None
        assert await refusal(built, f"http://127.0.0.1:{port + 1}/") is BlockedAddress
    finally:
        run.close()


def test_bad_allowed_private_hosts_stop_the_crawl() -> None:
    with pytest.raises(ValueError, match=r"ALLOWED_PRIVATE_HOSTS: 'http://127.0.0.1/' is not host"):
        middleware(ALLOWED_PRIVATE_HOSTS=["http://127.0.0.1/"])


class _ScriptedDns(ThreadedResolver):
    lookups = 0

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:
        self.lookups += 1
        if name != "rebind.test":
            return fail(DNSLookupError(name))
        return succeed("93.184.215.14" if self.lookups == 1 else "127.0.0.1")


class RebindingResolver(CachingThreadedResolver, _ScriptedDns):
    """Scrapy's default resolver, DNS cache included, over a scripted DNS: ``rebind.test`` answers a public
    address once, then 127.0.0.1 (DNS rebinding); other names do not resolve. Nothing is connected to."""


@pytest.fixture
def rebinding_resolver() -> Iterator[RebindingResolver]:
    """The scripted resolver installed on the test reactor, with the DNS cache on; restored afterwards."""
    from twisted.internet import reactor

    saved = (reactor.resolver, reactor.nameResolver, dnscache.limit)
    resolver = RebindingResolver(reactor, cache_size=100, timeout=5)
    resolver.install_on_reactor()
    yield resolver
    reactor.installResolver(saved[0])
    reactor.installNameResolver(saved[1])
    dnscache.limit = saved[2]
    dnscache.pop("rebind.test", None)


@pytest_twisted.ensureDeferred
async def test_the_checked_answer_is_pinned_for_the_download(rebinding_resolver: RebindingResolver) -> None:
    built = middleware()
    assert await refusal(built, "http://rebind.test/") is None  # the first answer is public
    # The download resolves through the same resolver: it gets the checked answer from Scrapy's DNS cache,
    # not the rebound 127.0.0.1.
    assert await deferred_from_coro(resolve_host("rebind.test")) == ["93.184.215.14"]
    assert rebinding_resolver.lookups == 1


@pytest_twisted.ensureDeferred
async def test_a_host_that_does_not_resolve_is_not_left_to_a_second_lookup(
    rebinding_resolver: RebindingResolver,
) -> None:
    assert await refusal(middleware(), "http://nowhere.test/") is DNSLookupError


def test_a_crawl_without_dns_cache_is_warned_about_rebinding(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="crawler.fetch.addresses"):
        middleware(DNSCACHE_ENABLED=False)
    assert "DNS rebinding" in caplog.text


# -- real crawls ----------------------------------------------------------------------------------------


@pytest.fixture
def secret_server() -> Iterator[PageServer]:
    """A loopback server a crawl of a public site must never reach: it records every request."""
    with PageServer({"/secret": Page(b"the crown jewels", {"Content-Type": "text/plain"})}) as server:
        yield server


def stat(log: str, key: str) -> int:
    """A counter of the crawl's final stats dump (0 when absent)."""
    found = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(found.group(1)) if found else 0


# Kept off the network whatever happens: a request that escaped the check could only leave from 127.0.0.1,
# which the kernel refuses to route anywhere but loopback.
LOOPBACK_ONLY = {"ALLOW_PRIVATE_ADDRESSES": "False", "DOWNLOAD_BIND_ADDRESS": "127.0.0.1"}
METADATA_URL = "http://169.254.169.254/latest/meta-data/"


@pytest.fixture
def hostile_site(secret_server: PageServer) -> Iterator[PageServer]:
    """A "public" news site whose home page links to the secret server in many spellings, to the metadata
    service, and to two pages that 302-redirect there."""
    port = urlsplit(secret_server.origin).port
    links = [
        f"http://127.0.0.1:{port}/secret",
        f"http://localhost:{port}/secret-by-name",
        f"http://2130706433:{port}/secret-decimal",
        f"http://0x7f.1:{port}/secret-hex",
        f"http://0177.0.0.1:{port}/secret-octal",
        f"http://127.1:{port}/secret-short",
        METADATA_URL,
        "/go",
        "/go-metadata",
    ]
    home = "<html><body><h1>Hostile Times</h1>" + "".join(f'<a href="{u}">link</a>' for u in links)
    pages = {
        "/": Page(f"{home}</body></html>".encode(), {"Content-Type": "text/html"}),
        "/go": Page(b"", {"Location": f"http://127.0.0.1:{port}/secret-redirected"}, 302),
        "/go-metadata": Page(b"", {"Location": METADATA_URL + "iam/"}, 302),
    }
    with PageServer(pages) as server:
        yield server


def test_a_public_site_cannot_reach_loopback_or_metadata_addresses(
    tmp_path: Path, hostile_site: PageServer, secret_server: PageServer
) -> None:
    # The site is treated as public: only its own origin is allowed; its allowed_domains let every hostile
    # link past the spider and Scrapy's offsite filter, so that this middleware alone stands in the way.
    sites_file = tmp_path / "sites.toml"
    domains = '"127.0.0.1", "localhost", "2130706433", "0x7f.1", "0177.0.0.1", "127.1", "169.254.169.254"'
    sites_file.write_text(
        f'[sites.hostile]\nstart_urls = ["{hostile_site.origin}/"]\nallowed_domains = [{domains}]\n', "utf-8"
    )
    own_origin = hostile_site.origin.removeprefix("http://")
    settings = {**LOOPBACK_ONLY, "NEWS_SITES_FILE": str(sites_file), "ALLOWED_PRIVATE_HOSTS": own_origin}
    result = run_crawl(tmp_path, "-a", "site=hostile", settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert {"/", "/go", "/go-metadata"} <= set(hostile_site.requested_paths)  # both redirects were answered
    assert secret_server.requested_paths == []
    # 6 spellings of the secret server, the metadata service, and the 2 redirect targets.
    assert stat(result.log, "newscrawl/refused/private_address") == 9, result.log[-3000:]
    assert f"Blocked {METADATA_URL}: 169.254.169.254 is not a public address" in result.log


def test_a_served_site_needs_no_setting_but_its_links_elsewhere_are_refused(
    tmp_path: Path, secret_server: PageServer
) -> None:
    root = tmp_path / "served"
    story = root / "2026" / "10" / "02" / "story-1"
    story.mkdir(parents=True)
    (story / "index.html").write_text(article_html(1), "utf-8")
    secret = f"{secret_server.origin}/secret"
    (root / "index.html").write_text(
        f'<html><body><a href="{PLACEHOLDER_ORIGIN}/2026/10/02/story-1/">Story 1</a>'
        f'<a href="{secret}">secret</a><a href="/moved">moved</a></body></html>',
        "utf-8",
    )
    (root / "_server.json").write_text(f'{{"redirects": {{"/moved": "{secret}-moved"}}}}', "utf-8")
    sites_file = tmp_path / "sites.toml"
    sites_file.write_text(
        f'[sites.served]\nstart_urls = ["{PLACEHOLDER_ORIGIN}/"]\nserve = "served"\n', "utf-8"
    )
    settings = {**LOOPBACK_ONLY, "NEWS_SITES_FILE": str(sites_file)}
    result = run_crawl(tmp_path, "-a", "site=served", settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert [r["title"] for r in result.records()] == ["Story 1"]
    assert secret_server.requested_paths == []
    assert stat(result.log, "newscrawl/refused/private_address") == 2  # the link and the redirect target


def test_the_demo_crawl_needs_no_setting(tmp_path: Path) -> None:
    result = run_crawl(tmp_path, "-a", "site=demo", settings=LOOPBACK_ONLY)
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.records()) == 9
    assert stat(result.log, "newscrawl/refused/private_address") == 0


def test_the_host_an_operator_names_is_crawled_but_not_the_private_hosts_it_leads_to(
    tmp_path: Path, secret_server: PageServer
) -> None:
    secret = f"{secret_server.origin}/secret"
    home = f'<html><body><a href="/2026/10/02/story-1/">Story</a><a href="{secret}">secret</a></body></html>'
    pages = {
        "/": Page(home.encode(), {"Content-Type": "text/html"}),
        "/2026/10/02/story-1/": Page(article_html(1).encode(), {"Content-Type": "text/html"}),
        "/go": Page(b"", {"Location": f"{secret}-redirected"}, 302),
    }
    with PageServer(pages) as intranet:
        sites_file = tmp_path / "sites.toml"
        sites_file.write_text(
            f'[sites.intranet]\nstart_urls = ["{intranet.origin}/"]\nfeeds = ["{intranet.origin}/go"]\n',
            "utf-8",
        )
        settings = {**LOOPBACK_ONLY, "NEWS_SITES_FILE": str(sites_file)}
        result = run_crawl(tmp_path, "-a", "site=intranet", settings=settings)
    assert result.returncode == 0, result.log[-3000:]
    assert {"/", "/2026/10/02/story-1/", "/go"} <= set(intranet.requested_paths)
    assert [r["title"] for r in result.records()] == ["Story 1"]
    assert secret_server.requested_paths == []
    assert stat(result.log, "newscrawl/refused/private_address") == 2  # the link and the redirect target


def test_without_trust_a_private_start_url_is_refused_and_the_run_fails(
    tmp_path: Path, secret_server: PageServer
) -> None:
    settings = {**LOOPBACK_ONLY, "ALLOW_PRIVATE_START_URLS": "False"}
    result = run_crawl(tmp_path, "-a", f"url={secret_server.origin}/", settings=settings)
    assert secret_server.requested_paths == []
    # The home page; robots.txt is never asked for: the request that would need it is refused first.
    assert stat(result.log, "newscrawl/refused/private_address") == 1
    assert "ALLOW_PRIVATE_ADDRESSES or ALLOWED_PRIVATE_HOSTS would allow it" in result.log
    assert result.returncode == 3  # it fetched nothing: cron hears of it
    assert (
        "Site 127.0.0.1 answered nothing: every request was refused or failed (refused private_address 1)"
        in (result.log)
    )
    manifest = json.loads(next((result.output_dir / "runs").glob("*.json")).read_text("utf-8"))
    assert manifest["succeeded"] is False
    assert manifest["not_reached"] == {"127.0.0.1": "refused private_address 1"}
