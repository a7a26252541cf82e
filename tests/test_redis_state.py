"""The crawl state in Redis (crawler.store.redis_state, crawler.dedup.redis_index) against a real redis-server.

State tests run on both backends (SQLite and Redis) with the same expectations, so the two keep the
same semantics; the Redis-only tests cover what SQLite cannot show: workers on separate clients.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
import redis
from scrapy.settings import Settings

from crawler.dedup.minhash import Fingerprint
from crawler.dedup.redis_index import RedisNearDuplicateIndex
from crawler.store import KnownArticle, KnownPage, PendingRequest, StateStore, open_store
from crawler.store.redis_client import RedisUnavailable, redacted
from crawler.store.redis_state import RedisCrawlState
from crawler.store.sqlite_state import CrawlState
from tests.conftest import ROOT
from tests.test_neardup import NEW_HEADLINE, SAME_TOPIC, STORY, TAIL, found, fp, signature

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

T1, T2, T3 = "2026-11-20T08:00:00+00:00", "2026-11-21T08:00:00+00:00", "2026-11-22T08:00:00+00:00"


def record(url: str, content_hash: str = "h1", **fields: Any) -> dict[str, Any]:
    return {"canonical_url": url, "content_hash": content_hash, **fields}


@pytest.fixture(params=["sqlite", "redis"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    store: StateStore
    if request.param == "sqlite":
        store = CrawlState.open(tmp_path / "s.sqlite3")
    else:
        store = RedisCrawlState.open(request.getfixturevalue("redis_url"))
    yield store
    store.close()


@pytest.fixture
def redis_state(redis_url: str) -> Iterator[RedisCrawlState]:
    store = RedisCrawlState.open(redis_url)
    yield store
    store.close()


# -- the state, on both backends ------------------------------------------------------------------


def test_record_article_inserts_then_updates(state: StateStore) -> None:
    assert state.article("https://a.example/1") is None
    state.record_article(record("https://a.example/1", date_published="2026-11-19"), "a", T1, '"e1"')
    assert state.article("https://a.example/1") == KnownArticle(
        "https://a.example/1", "a", T1, T1, "h1", 1, "2026-11-19"
    )
    # an update keeps the first site and first-seen time, and takes everything else
    state.record_article(record("https://a.example/1", "h2", version=2, first_seen=T3), "b", T2)
    assert state.article("https://a.example/1") == KnownArticle(
        "https://a.example/1", "a", T1, T2, "h2", 2, None
    )
    state.touch_article("https://a.example/1", T3)
    state.touch_article("https://a.example/unknown", T3)
    assert state.article("https://a.example/1") == KnownArticle(
        "https://a.example/1", "a", T1, T3, "h2", 2, None
    )
    assert state.article("https://a.example/unknown") is None
    state.record_article(record("https://a.example/2", first_seen=T1, version=3), "a", T2)
    assert state.article("https://a.example/2") == KnownArticle(
        "https://a.example/2", "a", T1, T2, "h1", 3, None
    )
    assert state.summary()["sites"] == {"a": {"articles": 2, "pending": 0}}


def test_validators(state: StateStore) -> None:
    assert state.validators("https://a.example/feed") == (None, None)
    state.save_validators("https://a.example/feed", "a", ('"v1"', None), T1)
    assert state.validators("https://a.example/feed") == ('"v1"', None)
    state.save_validators("https://a.example/feed", "b", (None, "Fri, 20 Nov 2026 08:00:00 GMT"), T2)
    assert state.validators("https://a.example/feed") == (None, "Fri, 20 Nov 2026 08:00:00 GMT")
    state.save_validators("https://a.example/sitemap.xml", "a", ('"v2"', None), T2)
    assert state.summary()["validators"] == 2
    state.reset(["b"])  # the URL stays the first site's
    assert state.validators("https://a.example/feed") == (None, "Fri, 20 Nov 2026 08:00:00 GMT")
    state.reset(["a"])
    assert state.validators("https://a.example/feed") == (None, None)
    assert state.summary()["validators"] == 0


def test_pending_oldest_first_until_finished(state: StateStore) -> None:
    requests = [
        PendingRequest("https://a.example/3", "a", "sitemap", "2026-11-19"),
        PendingRequest("https://a.example/1", "a", "feed", None),
        PendingRequest("https://b.example/1", "b", "links", None),
        PendingRequest("https://a.example/2", "a", "links", None),
    ]
    for request, now in zip(requests, [T2, T2, T2, T1], strict=True):
        state.add_pending([request], now)
    state.add_pending([PendingRequest("https://a.example/3", "a", "links", None)], T1)  # already pending
    # by time added, and in the order added within the same second
    assert state.pending(["a"]) == [requests[3], requests[0], requests[1]]
    assert state.pending(["a", "b"]) == [requests[3], requests[0], requests[1], requests[2]]
    assert state.pending(["c"]) == []
    state.finish_pending("https://a.example/3")
    state.finish_pending("https://a.example/never-added")
    assert state.pending(["a"]) == [requests[3], requests[1]]
    assert state.summary()["sites"] == {
        "a": {"articles": 0, "pending": 2},
        "b": {"articles": 0, "pending": 1},
    }


def test_pending_in_the_order_added_within_a_second(state: StateStore) -> None:
    requests = [PendingRequest(f"https://a.example/{n}", "a", "links", None) for n in range(300)]
    state.add_pending(requests[:150], T1)
    for request in requests[150:200]:
        state.add_pending([request], T1)
    state.add_pending(requests[200:], T2)
    state.add_pending([PendingRequest("https://b.example/", "b", "links", None)], T1)
    state.add_pending([], T2)
    assert state.pending(["a"]) == requests


def test_known_pages_keep_their_first_sighting_and_newest_lastmod(state: StateStore) -> None:
    url = "https://a.example/2026/story/"
    assert state.pages([url]) == {}
    first = KnownPage(url, "a", url, T1, "2026-11-19", "2026-11-20T06:00:00+00:00", T1)
    state.record_page(first)
    state.record_page(KnownPage("https://a.example/other/", "a", url, T2, None, None, T2))
    assert state.pages([url, url, "https://a.example/unknown/"]) == {url: first}
    # fetched again, listed with an older date and no publication date: the first sighting and the newest
    # lastmod stay, the fetch time is the new one
    state.record_page(KnownPage(url, "b", url + "?amp", T3, None, "2026-11-19T06:00:00+00:00", T3))
    assert state.pages([url])[url] == KnownPage(
        url, "a", url + "?amp", T1, "2026-11-19", "2026-11-20T06:00:00+00:00", T3
    )
    state.record_page(KnownPage(url, "a", url, T3, "2026-11-18", "2026-11-21T06:00:00+00:00", T3))
    assert state.pages([url])[url].lastmod == "2026-11-21T06:00:00+00:00"
    assert state.pages([url])[url].published == "2026-11-18"
    many = [f"https://a.example/{n}/" for n in range(1200)]
    for page_url in many[::100]:
        state.record_page(KnownPage(page_url, "a", page_url, T1, None, None, T1))
    assert sorted(state.pages(many)) == sorted(many[::100])
    state.reset(["b"])
    assert url in state.pages([url])
    state.reset(["a"])
    assert state.pages([url, *many]) == {}


def test_feeds(state: StateStore) -> None:
    state.remember_feed("a", "https://a.example/rss")
    state.remember_feed("a", "https://a.example/atom")
    state.remember_feed("a", "https://a.example/rss")
    state.remember_feed("b", "https://b.example/feed")
    assert state.feeds("a") == ["https://a.example/atom", "https://a.example/rss"]
    assert state.feeds("c") == []
    assert state.summary()["sites"] == {}  # feeds alone are not counted


def test_runs(state: StateStore) -> None:
    for day in range(1, 13):
        state.start_run(f"run-{day:02}", ["a", "b"], f"2026-11-{day:02}T08:00:00+00:00")
    state.finish_run("run-12", "succeeded", 9, T3)
    state.finish_run("run-unknown", "failed", 1, T3)
    runs = state.summary()["runs"]
    assert [run["crawl_id"] for run in runs] == [f"run-{day:02}" for day in range(12, 2, -1)]
    assert runs[0] == {
        "crawl_id": "run-12",
        "sites": ["a", "b"],
        "started_at": "2026-11-12T08:00:00+00:00",
        "finished_at": T3,
        "status": "succeeded",
        "written": 9,
    }
    assert runs[1]["finished_at"] is None
    assert runs[1]["written"] == 0
    state.start_run("run-12", [], "2026-11-30T08:00:00+00:00")  # started again: a new run
    assert state.summary()["runs"][0] == {
        "crawl_id": "run-12",
        "sites": [],
        "started_at": "2026-11-30T08:00:00+00:00",
        "finished_at": None,
        "status": None,
        "written": 0,
    }
    state.finish_run("run-12", "failed", 0, T3)
    assert state.summary()["runs"][0]["sites"] == []


def fill(state: StateStore) -> None:
    """The same operations on any backend: two sites with articles, validators, pending URLs, feeds and runs."""
    for site in ("a", "b"):
        for n in range(3):
            state.record_article(record(f"https://{site}.example/{n}"), site, T1)
        state.save_validators(f"https://{site}.example/feed", site, ('"e"', None), T1)
        state.add_pending([PendingRequest(f"https://{site}.example/p", site, "feed", None)], T1)
        state.remember_feed(site, f"https://{site}.example/feed")
    state.record_article(record("https://a.example/0", "h2", version=2), "a", T2)
    state.add_pending([PendingRequest("https://c.example/p", "c", "links", None)], T2)
    state.start_run("run-1", ["a", "b"], T1)
    state.finish_run("run-1", "succeeded", 6, T2)
    state.start_run("run-2", ["c"], T2)


def test_reset_by_site_and_all(state: StateStore) -> None:
    fill(state)
    index = state.near_duplicate_index(0.7)
    index.add("https://a.example/0", fp(STORY))
    state.reset(["a", "c"])
    assert state.article("https://a.example/0") is None
    assert state.validators("https://a.example/feed") == (None, None)
    assert state.feeds("a") == []
    assert state.pending(["a", "b", "c"]) == [PendingRequest("https://b.example/p", "b", "feed", None)]
    assert state.article("https://b.example/2") == KnownArticle(
        "https://b.example/2", "b", T1, T1, "h1", 1, None
    )
    assert state.validators("https://b.example/feed") == ('"e"', None)
    assert state.feeds("b") == ["https://b.example/feed"]
    summary = state.summary()
    assert summary["sites"] == {"b": {"articles": 3, "pending": 1}}
    assert summary["validators"] == 1
    assert len(summary["runs"]) == 2  # runs are kept by a reset of some sites
    state.record_article(record("https://a.example/0"), "a", T3)  # the site can be filled again
    assert state.summary()["sites"]["a"] == {"articles": 1, "pending": 0}

    state.reset()
    assert state.summary() == {"sites": {}, "validators": 0, "runs": []}
    assert state.feeds("b") == []
    assert state.article("https://b.example/2") is None
    # the near-duplicate index is not part of what a reset forgets
    assert state.near_duplicate_index(0.7).find(fp(STORY)) == ("https://a.example/0", 1.0)


def test_both_backends_give_the_same_answers(tmp_path: Path, redis_url: str) -> None:
    sqlite_state = CrawlState.open(tmp_path / "s.sqlite3")
    redis_state = RedisCrawlState.open(redis_url)
    answers = []
    for store in (sqlite_state, redis_state):
        fill(store)
        first = store.summary()
        store.reset(["b"])
        answers.append(
            (
                first,
                store.summary(),
                store.pending(["a", "b", "c"]),
                store.feeds("a"),
                store.article("https://a.example/0"),
                store.validators("https://a.example/feed"),
            )
        )
        store.close()
    assert answers[0] == answers[1]
    assert answers[0][0]["sites"] == {
        "a": {"articles": 3, "pending": 1},
        "b": {"articles": 3, "pending": 1},
        "c": {"articles": 0, "pending": 1},
    }
    assert [run["crawl_id"] for run in answers[0][1]["runs"]] == ["run-2", "run-1"]


def test_the_backend_is_chosen_by_setting(redis_url: str, tmp_path: Path) -> None:
    in_file = open_store(Settings({"OUTPUT_DIR": str(tmp_path)}))
    assert isinstance(in_file, CrawlState)
    assert (tmp_path / "state.sqlite3").exists()
    in_redis = open_store(
        Settings({"REDIS_URL": redis_url, "REDIS_STATE_KEY": "p9", "OUTPUT_DIR": str(tmp_path)})
    )
    assert isinstance(in_redis, RedisCrawlState)
    assert in_redis.prefix == "p9"
    for store in (in_file, in_redis):
        assert isinstance(store, StateStore)
        store.close()


# -- the near-duplicate index, on both backends ---------------------------------------------------


def test_near_duplicate_index_finds_adds_and_removes(state: StateStore) -> None:
    index = state.near_duplicate_index(0.7)
    assert len(index) == 0
    assert index.find(fp(STORY)) is None
    index.add("https://a.example/story", fp(STORY))
    assert index.find(fp(STORY)) == ("https://a.example/story", 1.0)
    match = index.find(fp(NEW_HEADLINE + STORY + TAIL))
    assert match is not None
    assert match[0] == "https://a.example/story"
    assert 0.8 <= match[1] < 1.0
    assert index.find(fp(SAME_TOPIC)) is None
    assert index.find(fp(STORY), exclude_key="https://a.example/story") is None
    index.remove("https://a.example/story")
    assert len(index) == 0
    assert index.find(fp(STORY)) is None
    with pytest.raises(KeyError):
        index.remove("https://a.example/story")


def test_near_duplicate_index_earliest_added_key_wins(state: StateStore) -> None:
    index = state.near_duplicate_index(0.7)
    index.add("https://z.example/first", fp(STORY))
    index.add("https://b.example/second", fp(STORY + TAIL))
    index.add("https://a.example/third", fp(NEW_HEADLINE + STORY))
    assert index.find(fp(STORY)) == ("https://z.example/first", 1.0)
    # adding an indexed key again, with another signature, keeps its place in the order
    index.add("https://z.example/first", fp(NEW_HEADLINE + STORY + TAIL))
    assert found(index, STORY) == "https://z.example/first"
    assert found(index, STORY, exclude_key="https://z.example/first") == "https://b.example/second"
    index.remove("https://b.example/second")
    assert found(index, STORY, exclude_key="https://z.example/first") == "https://a.example/third"
    assert len(index) == 2


def test_near_duplicate_index_add_replaces_the_signature(state: StateStore) -> None:
    index = state.near_duplicate_index(0.7)
    index.add("https://a.example/story", fp(STORY))
    index.add("https://a.example/story", fp(SAME_TOPIC))
    assert len(index) == 1
    assert index.find(fp(STORY)) is None
    assert index.find(fp(SAME_TOPIC)) == ("https://a.example/story", 1.0)


def test_near_duplicate_index_layout_is_checked(state: StateStore) -> None:
    state.near_duplicate_index(0.7).add("https://a.example/story", fp(STORY))
    with pytest.raises(ValueError, match="built with"):
        state.near_duplicate_index(0.9)
    assert state.near_duplicate_index(0.7).find(fp(STORY)) == ("https://a.example/story", 1.0)
    with pytest.raises(ValueError, match="expects 128"):
        state.near_duplicate_index(0.7).find(Fingerprint(fp(STORY).to_bytes()[:256]))


# -- Redis only -----------------------------------------------------------------------------------


def test_redis_index_layout_mismatch_and_no_leftover_buckets(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    index = RedisNearDuplicateIndex(client, "test")
    assert (index.bands, index.rows) == (17, 4)
    with pytest.raises(ValueError, match="num_perm"):
        RedisNearDuplicateIndex(client, "test", num_perm=64)
    with pytest.raises(ValueError, match="built with"):
        RedisNearDuplicateIndex(client, "test", bands=16)
    RedisNearDuplicateIndex(client, "other", bands=16).add("k", fp(STORY))  # another prefix, another index
    band_keys = [f"test:neardup:band:{band}" for band in range(index.bands)]

    index.add("https://a.example/story", fp(STORY))
    index.add("https://a.example/story", fp(SAME_TOPIC))
    assert [client.zcard(key) for key in band_keys] == [1] * index.bands
    index.remove("https://a.example/story")
    assert [client.zcard(key) for key in band_keys] == [0] * index.bands
    assert client.hlen("test:neardup:signatures") == client.hlen("test:neardup:keys") == 0
    client.close()


def test_redis_index_agrees_with_sqlite_on_random_signatures(tmp_path: Path, redis_url: str) -> None:
    """Many keys and probes: both indexes find the same earliest key with the same similarity."""
    rng = np.random.default_rng(11)
    base = [rng.integers(0, 2**32, 128) for _ in range(20)]
    sqlite_state = CrawlState.open(tmp_path / "s.sqlite3")
    redis_state = RedisCrawlState.open(redis_url)
    indexes = [sqlite_state.near_duplicate_index(0.5), redis_state.near_duplicate_index(0.5)]

    def variant(values: np.ndarray, changed: int) -> Fingerprint:
        copy = values.copy()
        copy[rng.choice(128, changed, replace=False)] = rng.integers(0, 2**32, changed)
        return signature(copy)

    additions = [(f"k{n}", variant(base[n % 20], int(rng.integers(0, 80)))) for n in range(60)]
    probes = [variant(base[n % 20], int(rng.integers(0, 80))) for n in range(40)]
    results = []
    for index in indexes:
        for key, item in additions:
            index.add(key, item)
        index.remove("k0")
        results.append([index.find(probe, exclude_key="k1") for probe in probes])
        assert len(index) == 59
    assert results[0] == results[1]
    assert sum(match is not None for match in results[0]) >= 10
    sqlite_state.close()
    redis_state.close()


def test_two_clients_see_each_others_writes(redis_url: str) -> None:
    first, second = RedisCrawlState.open(redis_url), RedisCrawlState.open(redis_url)
    first.record_article(record("https://a.example/1"), "a", T1)
    first.add_pending([PendingRequest("https://a.example/2", "a", "feed", None)], T1)
    first.near_duplicate_index(0.7).add("https://a.example/1", fp(STORY))
    assert second.article("https://a.example/1") == KnownArticle(
        "https://a.example/1", "a", T1, T1, "h1", 1, None
    )
    assert second.near_duplicate_index(0.7).find(fp(STORY + TAIL)) is not None
    second.finish_pending("https://a.example/2")
    second.remember_feed("a", "https://a.example/rss")
    assert first.pending(["a"]) == []
    assert first.feeds("a") == ["https://a.example/rss"]
    first.close()
    second.close()


def test_record_article_is_atomic_across_clients(redis_url: str) -> None:
    """Two workers record the same URLs at once: each article is one worker's insert, and no update is lost."""
    urls = [f"https://a.example/{n}" for n in range(300)]
    workers = [RedisCrawlState.open(redis_url) for _ in range(2)]
    start = threading.Barrier(2)

    def insert(worker: int) -> None:
        start.wait()
        for url in urls:
            workers[worker].record_article(record(url, first_seen=f"first-{worker}"), f"site{worker}", T1)

    threads = [threading.Thread(target=insert, args=(worker,)) for worker in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for url in urls:
        known = workers[0].article(url)
        assert known is not None
        assert known.first_seen == f"first-{known.site[-1]}"
    counts = workers[0].summary()["sites"]
    assert sum(site["articles"] for site in counts.values()) == len(urls)

    def update(worker: int) -> None:
        start.wait()
        for n in range(1, 301):
            if worker == 0:
                workers[0].record_article(record(urls[0], f"h{n}", version=n), "site0", T2)
            else:
                workers[1].touch_article(urls[0], f"touched-{n}")

    threads = [threading.Thread(target=update, args=(worker,)) for worker in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    known = workers[1].article(urls[0])
    assert known is not None
    assert (known.version, known.content_hash) == (300, "h300")
    for worker in workers:
        worker.close()


def test_redis_index_concurrent_writers(redis_url: str) -> None:
    rng = np.random.default_rng(7)
    batches = [[signature(rng.integers(0, 2**32, 128)) for _ in range(25)] for _ in range(4)]

    def write(worker: int) -> None:
        store = RedisCrawlState.open(redis_url)
        index = store.near_duplicate_index(0.7)
        for n, item in enumerate(batches[worker]):
            index.add(f"{worker}/{n}", item)
        store.close()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    store = RedisCrawlState.open(redis_url)
    index = store.near_duplicate_index(0.7)
    assert len(index) == 100
    assert all(
        index.find(item) == (f"{w}/{n}", 1.0)
        for w, batch in enumerate(batches)
        for n, item in enumerate(batch)
    )
    store.close()


def test_keys_stay_under_the_prefix(redis_url: str) -> None:
    store = RedisCrawlState(redis.Redis.from_url(redis_url), prefix="p1")
    fill(store)
    store.near_duplicate_index(0.7).add("https://a.example/0", fp(STORY))
    keys = {key.decode() for key in store.client.keys("*")}
    assert keys
    assert all(key.startswith("p1:") for key in keys)
    assert RedisCrawlState(store.client, prefix="p2").summary() == {"sites": {}, "validators": 0, "runs": []}
    store.reset()
    assert {key.decode() for key in store.client.keys("*")} <= {
        "p1:pending:seq",
        "p1:neardup:meta",
        "p1:neardup:seq",
        "p1:neardup:ids",
        "p1:neardup:keys",
        "p1:neardup:signatures",
        "p1:neardup:buckets",
        *(f"p1:neardup:band:{band}" for band in range(17)),
    }
    store.close()


def test_open_names_the_unreachable_redis_without_its_password() -> None:
    with pytest.raises(RedisUnavailable, match=r"redis://:\*\*\*@127\.0\.0\.1:9/0") as error:
        RedisCrawlState.open("redis://:secret@127.0.0.1:9/0")
    assert "secret" not in str(error.value)
    assert redacted("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"
    with pytest.raises(RedisUnavailable, match="not-a-url"):
        RedisCrawlState.open("not-a-url")


def test_clients_that_decode_responses_are_refused(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    with pytest.raises(ValueError, match="decode_responses=False"):
        RedisCrawlState(client)
    with pytest.raises(ValueError, match="decode_responses=False"):
        RedisNearDuplicateIndex(client)
    client.close()


# -- scrapy state ---------------------------------------------------------------------------------


def scrapy_state(*settings: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "state"]
    for setting in settings:
        command += ["-s", setting]
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_state_command_reads_redis(redis_url: str, tmp_path: Path) -> None:
    store = RedisCrawlState.open(redis_url)
    fill(store)
    expected = store.summary()
    store.close()
    done = scrapy_state(f"REDIS_URL={redis_url}", f"OUTPUT_DIR={tmp_path}")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary == {"redis": redis_url, "prefix": "newscrawl:state", **expected}
    assert summary["sites"]["a"] == {"articles": 3, "pending": 1}


def test_state_command_names_an_unreachable_redis() -> None:
    done = scrapy_state("REDIS_URL=redis://127.0.0.1:9/0")
    assert done.returncode != 0
    assert "REDIS_URL" in done.stderr + done.stdout
    assert "redis://127.0.0.1:9/0" in done.stderr + done.stdout
