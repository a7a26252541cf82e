"""Hostile transport and politeness: real crawls of a misbehaving server on 127.0.0.1.

Each case ends with a logged reason and a ``newscrawl/…`` counter, never a crash or a hang; retries are
bounded; a domain is paced by its ``Retry-After``, its blocks and its robots.txt ``Crawl-delay``.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from itertools import pairwise
from statistics import mean, median
from typing import TYPE_CHECKING

import pytest
from scrapy.http import HtmlResponse

from crawler import settings as defaults
from crawler.fetch.politeness import is_challenge, retry_after_seconds
from tests.conftest import CrawlResult, run_crawl
from tests.hostile.transport_server import BOMB_SIZE, CHALLENGE, TransportServer, bomb

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

MAXSIZE = 1024 * 1024
# Seconds by which the server may note a request late on a busy machine (its threads wait for the GIL).
SLACK = 0.2
# One crawl, many start URLs: every transport failure at once, each counted.
TRANSPORT_PATHS = [
    "/bomb/gzip",
    "/bomb/br",
    "/trickle",
    "/hang",
    "/endless",
    "/reset",
    "/status/500",
    "/status/404",
    "/status/429",
    "/redirect/loop",
    "/redirect/chain/12",
    "/redirect/chain/3",
]
TRANSPORT_SETTINGS = {
    "DOWNLOAD_TIMEOUT": "1.5",
    "DOWNLOAD_MAXSIZE": str(MAXSIZE),
    "RETRY_TIMES": "2",
}


def stats(result: CrawlResult) -> dict[str, int]:
    """The crawl's integer stats, from the stats dump in its log."""
    return {key: int(value) for key, value in re.findall(r"'([\w/.:-]+)': (\d+),?\n", result.log)}


def assert_clean(result: CrawlResult) -> None:
    """The crawl ended by itself, without a traceback."""
    assert "Traceback" not in result.log, result.log[-3000:]
    assert "(finished)" in result.log


def gaps(times: list[float]) -> list[float]:
    """Seconds between consecutive request arrivals."""
    return [later - earlier for earlier, later in pairwise(times)]


@pytest.fixture
def server() -> Iterator[TransportServer]:
    """A fresh misbehaving server for one test."""
    running = TransportServer().start()
    yield running
    running.stop()


Transport = tuple[CrawlResult, dict[str, TransportServer], float]


@pytest.fixture(scope="module")
def transport_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Transport]:
    """One crawl of every transport failure (bombs, trickles, resets, errors, redirects); its duration.

    Each path is served on its own port, so each is a site of its own (one host: one downloader slot).
    """
    servers = {path: TransportServer().start() for path in TRANSPORT_PATHS}
    for encoding in ("gzip", "br"):
        bomb(encoding)  # built before the crawl, not while it waits for an answer
    urls = ",".join(server.origin + path for path, server in servers.items())
    started = time.monotonic()
    result = run_crawl(
        tmp_path_factory.mktemp("transport"), "-a", f"url={urls}", settings=TRANSPORT_SETTINGS, timeout=60
    )
    yield result, servers, time.monotonic() - started
    for server in servers.values():
        server.stop()


def seen(transport: Transport, path: str, prefix: str | None = None) -> list[float]:
    """When the server of ``path`` saw requests for ``prefix`` (default: ``path``)."""
    return [s.at for s in transport[1][path].paths(prefix or path)]


def test_transport_crawl_ends_quickly(transport_crawl: Transport) -> None:
    result, _, took = transport_crawl
    assert_clean(result)
    # Never-ending and trickling answers are cut by DOWNLOAD_TIMEOUT (1.5 s) and retried twice.
    assert (
        took < 60
    )  # a hang (no DOWNLOAD_TIMEOUT: 180 s per request) would take far longer, however loaded the machine


@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_decompression_bomb_stops_inflating_at_the_limit(transport_crawl: Transport, encoding: str) -> None:
    result = transport_crawl[0]
    assert stats(result)["newscrawl/errors/decompression_bomb"] == 2
    match = re.search(
        rf"/bomb/{encoding}> because its body \((\d+) B compressed, (\d+) B decompressed so far", result.log
    )
    assert match, result.log
    compressed, inflated = int(match[1]), int(match[2])
    assert compressed < MAXSIZE  # small on the wire…
    assert MAXSIZE < inflated < 2 * MAXSIZE < BOMB_SIZE  # …and inflation stopped just past the limit
    assert len(seen(transport_crawl, f"/bomb/{encoding}")) == 1  # dropped, not retried


@pytest.mark.parametrize("path", ["/trickle", "/hang"])
def test_slow_answers_are_cut_by_download_timeout(transport_crawl: Transport, path: str) -> None:
    """DOWNLOAD_TIMEOUT bounds the whole download: a body trickling a byte every 0.5 s is cut too."""
    result = transport_crawl[0]
    assert f"{path} took longer than 1.5 seconds" in result.log
    assert stats(result)["newscrawl/errors/DownloadTimeoutError"] == 2
    tries = seen(transport_crawl, path)
    assert len(tries) == 3  # the first try and RETRY_TIMES retries
    assert all(1.4 < gap < 6 for gap in gaps(tries))  # cut at 1.5 s (a loaded machine adds some)


def test_never_ending_body_is_cut_by_download_maxsize(transport_crawl: Transport) -> None:
    result = transport_crawl[0]
    assert re.search(
        r"Received \d+ bytes which is larger than download max size \(1048576\) in request <GET [^>]+/endless>",
        result.log,
    )
    assert stats(result)["newscrawl/errors/DownloadCancelledError"] == 1
    assert len(seen(transport_crawl, "/endless")) == 1


def test_connection_reset_is_retried_then_counted(transport_crawl: Transport) -> None:
    assert stats(transport_crawl[0])["newscrawl/errors/ResponseDataLossError"] == 1
    assert len(seen(transport_crawl, "/reset")) == 3


@pytest.mark.parametrize(("code", "tries"), [(500, 3), (429, 3), (404, 1)])
def test_error_statuses_are_retried_where_it_helps(transport_crawl: Transport, code: int, tries: int) -> None:
    assert stats(transport_crawl[0])[f"newscrawl/errors/http_{code}"] == 1
    assert len(seen(transport_crawl, f"/status/{code}")) == tries


def test_redirect_loop_is_cut_at_once(transport_crawl: Transport) -> None:
    result = transport_crawl[0]
    assert stats(result)["newscrawl/errors/redirect_loop"] == 1
    assert "Dropped a redirect loop" in result.log
    assert len(seen(transport_crawl, "/redirect/loop")) == 1


def test_long_redirect_chain_stops_at_redirect_max_times(transport_crawl: Transport) -> None:
    result = transport_crawl[0]
    assert defaults.REDIRECT_MAX_TIMES == 5
    assert stats(result)["newscrawl/errors/too_many_redirects"] == 1
    assert "more than 5 redirects (REDIRECT_MAX_TIMES)" in result.log
    assert len(seen(transport_crawl, "/redirect/chain/12", "/redirect/chain/")) == 6  # 12 -> 7, then dropped
    assert len(seen(transport_crawl, "/redirect/chain/3", "/redirect/chain/")) == 4  # 3 -> 0, followed


def test_retry_after_pauses_the_domain(tmp_path: Path) -> None:
    """Retry-After in seconds and as an HTTP-date is honoured; a huge one is capped at RETRY_AFTER_MAX.

    Three ports of 127.0.0.1: three sites, one domain, so one downloader slot and one pause.
    """
    # Each path and the least pause it asks for (an HTTP-date has a precision of a second).
    waits = {"/throttle/429/1": 1.0, "/throttle/503/date2": 1.0, "/throttle/429/3600": 2.0}
    paths = list(waits)
    servers = {path: TransportServer().start() for path in paths}
    try:
        urls = ",".join(server.origin + path for path, server in servers.items())
        started = time.monotonic()
        result = run_crawl(tmp_path, "-a", f"url={urls}", settings={"RETRY_AFTER_MAX": "2"})
        took = time.monotonic() - started
    finally:
        for server in servers.values():
            server.stop()
    assert_clean(result)
    counted = stats(result)
    assert counted["newscrawl/throttled/retry_after"] == 3
    assert counted["newscrawl/throttled/retry_after_capped"] == 1
    assert "answered 429 with Retry-After b'3600': no request to it for 2.0 s" in result.log
    every_request = sorted(s.at for server in servers.values() for s in server.seen)
    for path, server in servers.items():
        throttled, *retries = (s.at for s in server.paths(path))
        assert len(retries) == 1  # throttled once, then served
        assert retries[0] - throttled >= waits[path] - SLACK
        # Past the requests already on their way, nothing reached the domain during the pause.
        assert min(at for at in every_request if at > throttled + 0.2) >= throttled + waits[path] - SLACK
    assert took < 60  # the 3600 s pause, uncapped, would take an hour, however loaded the machine


@pytest.mark.parametrize(("kind", "status"), [("403", 403), ("challenge", 503)])
def test_blocked_site_backs_off_then_stops(
    tmp_path: Path, server: TransportServer, kind: str, status: int
) -> None:
    """After 3 good pages the site answers 403 or a challenge page: paused 0.2, 0.4, 0.8 s, then stopped."""
    server.block_after = 3
    settings = {
        "BLOCKED_BACKOFF_AFTER": "2",
        "BLOCKED_STOP_AFTER": "5",
        "BLOCKED_BACKOFF_DELAY": "0.2",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "DOWNLOAD_DELAY": "0.05",
        "DOWNLOAD_DELAY_JITTER": "0",
    }
    result = run_crawl(tmp_path, "-a", f"url={server.origin}/blocked/{kind}/", settings=settings)
    assert_clean(result)
    pages = server.paths(f"/blocked/{kind}/")
    blocked = [s.at for s in pages[3:]]
    assert 5 <= len(blocked) <= 6  # BLOCKED_STOP_AFTER, and at most one already on its way
    assert len({s.path for s in pages}) == len(pages)  # a blocked answer is not retried
    # Paused 0.2, 0.4 and 0.8 s after the 2nd, 3rd and 4th blocked answers.
    waited = [at - blocked[1] for at in blocked[2:5]]
    assert [w >= want - SLACK for w, want in zip(waited, [0.2, 0.6, 1.4], strict=True)] == [True] * 3
    counted = stats(result)
    name = "challenge" if kind == "challenge" else "http_403"
    assert counted[f"newscrawl/blocked_by_site/{name}"] == len(blocked)
    assert counted["newscrawl/blocked_by_site/backoff"] == 3
    assert counted["newscrawl/blocked_by_site/stopped"] == 1
    assert counted["newscrawl/blocked_by_site/dropped"] >= 20
    assert f"errors/http_{status}" in result.log
    assert "Stopped requesting 127.0.0.1 (site 127.0.0.1): 5 blocked answers in a row" in result.log
    assert re.search(r"WARNING: Site 127\.0\.0\.1 was BLOCKED: .*the crawl stopped requesting it", result.log)


def test_crawl_delay_is_a_floor_under_autothrottle(tmp_path: Path, server: TransportServer) -> None:
    """robots.txt Crawl-delay (capped by CRAWL_DELAY_MAX) spaces requests although AutoThrottle would not."""
    server.robots = "User-agent: *\nCrawl-delay: 3600\n"
    server.pages = 6
    settings = {
        "CRAWL_DELAY_MAX": "0.3",
        "AUTOTHROTTLE_ENABLED": "True",
        "AUTOTHROTTLE_START_DELAY": "0",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
        "DOWNLOAD_DELAY_JITTER": "0",
    }
    result = run_crawl(tmp_path, "-a", f"url={server.origin}/site/", settings=settings)
    assert_clean(result)
    assert "robots.txt of 127.0.0.1 asks for a crawl delay of 3600.0 s: 0.3 s between requests" in result.log
    assert stats(result)["newscrawl/throttled/crawl_delay"] == 1
    times = [s.at for s in server.seen][1:]  # after Scrapy's own robots.txt request
    assert len(times) >= 8
    assert mean(gaps(times)) >= 0.3 - SLACK / len(times)
    assert median(gaps(times)) >= 0.3 - SLACK
    assert min(gaps(times)) >= 0.05  # without the floor, AutoThrottle sends them milliseconds apart


def test_crawl_delay_is_a_floor_under_the_randomised_delay(tmp_path: Path, server: TransportServer) -> None:
    """Scrapy's default jitter (±50 %) would send requests 0.5 to 1.5 Crawl-delays apart: never below it now."""
    server.robots = "User-agent: *\nCrawl-delay: 1\n"
    server.pages = 9
    result = run_crawl(tmp_path, "-a", f"url={server.origin}/site/", settings={"DOWNLOAD_DELAY": "0.5"})
    assert_clean(result)
    times = [s.at for s in server.seen][1:]  # after Scrapy's own robots.txt request
    assert len(times) >= 10
    assert min(gaps(times)) >= 1.0 - SLACK  # the server may note one arrival late on a busy machine
    assert (times[-1] - times[0]) / (len(times) - 1) >= 1.0


def test_per_domain_concurrency_is_respected_under_load(tmp_path: Path, server: TransportServer) -> None:
    server.latency = 0.15
    server.pages = 12
    result = run_crawl(
        tmp_path, "-a", f"url={server.origin}/site/", settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
    )
    assert_clean(result)
    assert len(server.paths("/site/page/")) == 12
    assert server.max_in_flight in {1, 2}  # never more than the per-domain limit


def test_download_delay_bounds_the_request_rate(tmp_path: Path, server: TransportServer) -> None:
    server.pages = 10
    result = run_crawl(tmp_path, "-a", f"url={server.origin}/site/", settings={"DOWNLOAD_DELAY": "0.2"})
    assert_clean(result)
    times = [s.at for s in server.seen][1:]
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate <= 1 / 0.2 * 1.1  # 0.2 s on average, jittered ±50%
    assert mean(gaps(times)) >= 0.2 - SLACK / len(times)
    assert min(gaps(times)) >= 0.02  # 0.2 s jittered ±50%, less what a busy machine adds


def test_politeness_defaults() -> None:
    """AutoThrottle on, sane timeouts and limits, and brotli installed for ``Content-Encoding: br``."""
    import brotli  # noqa: F401  (Scrapy decodes br only with brotli or brotlicffi)

    assert defaults.AUTOTHROTTLE_ENABLED
    assert defaults.ROBOTSTXT_OBEY
    assert defaults.DOWNLOAD_TIMEOUT == 30
    assert defaults.REDIRECT_MAX_TIMES == 5
    assert defaults.RETRY_AFTER_MAX == 300


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (b"120", 120.0),
        (b" 0 ", 0.0),
        (b"Thu, 26 Nov 2026 10:00:30 GMT", 30.0),
        (b"Thu, 26 Nov 2026 09:59:00 GMT", 0.0),  # already past
        (b"Thu, 26 Nov 2026 10:00:30 -0000", None),  # not a GMT date
        (b"-5", None),
        (b"soon", None),
        (b"", None),
        (None, None),
    ],
)
def test_retry_after_values(value: bytes | None, seconds: float | None) -> None:
    now = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == seconds


@pytest.mark.parametrize(
    ("status", "body", "challenge"),
    [
        (503, CHALLENGE, True),
        (200, b"<html><head><title>Just a moment...</title></head></html>", True),
        (403, b'<html><body><div class="g-recaptcha"></div></body></html>', True),
        (200, b'<html><head><title>Comments</title></head><div class="g-recaptcha"></div></html>', False),
        (
            403,
            b"<html><head><title>Forbidden</title></head></html>",
            False,
        ),  # blocked by status, not a challenge
        (200, b"<html><head><title>Storm closes the harbour</title></head></html>", False),
    ],
)
def test_challenge_pages(status: int, body: bytes, challenge: bool) -> None:
    assert is_challenge(HtmlResponse("https://news.example/a", status=status, body=body)) is challenge
