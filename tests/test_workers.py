"""The extraction worker pool: real worker processes, ordering, crashes, hangs, and whole crawls."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest
import pytest_twisted
from twisted.internet.defer import Deferred

from crawler.demo.server import LocalSite
from crawler.run.workers import ArrivalOrder, WorkerFailed, WorkerPool
from tests.conftest import TEST_SITE, make_news_site, run_crawl
from tests.faulty_extraction import extract_or_misbehave, sleep_then_echo

if TYPE_CHECKING:
    from collections.abc import Coroutine
    from pathlib import Path

VOLATILE = {"fetched_at", "first_seen", "crawl_id"}


async def on_event_loop(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Await an asyncio coroutine from a test running on the (asyncio) reactor."""
    return await Deferred.fromFuture(asyncio.ensure_future(coroutine))


async def in_arrival_order(pool: WorkerPool[int], delays: list[float]) -> tuple[list[int], list[int]]:
    """Run one call per delay at once; return the order calls finished in and the order they left."""
    order = ArrivalOrder()
    finished: list[int] = []
    left: list[int] = []

    async def one(index: int, delay: float) -> None:
        async with order.turn():
            finished.append(await pool.run(delay, index))
        left.append(index)

    await asyncio.gather(*(one(index, delay) for index, delay in enumerate(delays)))
    return finished, left


@pytest.mark.parametrize("workers", [0, 1, 2])
@pytest_twisted.ensureDeferred
async def test_results_leave_in_arrival_order_whatever_finishes_first(workers: int) -> None:
    pool: WorkerPool[int] = WorkerPool(sleep_then_echo, workers, timeout=30)
    try:
        finished, left = await on_event_loop(in_arrival_order(pool, [2.0, 0.0, 0.3, 0.0]))
    finally:
        pool.close()
    assert left == [0, 1, 2, 3]
    if workers == 2:  # two processes really run at once: the quick calls finish before the slow first one
        assert finished.index(1) < finished.index(0)


@pytest_twisted.ensureDeferred
async def test_a_crash_a_hang_or_an_error_costs_one_call_and_the_pool_goes_on() -> None:
    pool: WorkerPool[Any] = WorkerPool(extract_or_misbehave, 2, timeout=2)
    html = "<html><body><article><p>" + "Words of a page. " * 60 + "</p></article></body></html>"

    async def calls() -> list[Any]:
        urls = ["https://a.example/story-3/", "https://a.example/story-5/", "https://a.example/story-7/"]
        outcomes = await asyncio.gather(*(pool.run(html, url) for url in urls), return_exceptions=True)
        outcomes.append(await pool.run(html, "https://a.example/story-1/"))
        return outcomes

    try:
        crashed, hung, failed, fine = await on_event_loop(calls())
    finally:
        pool.close()
    assert isinstance(crashed, WorkerFailed)
    assert crashed.kind == "crashed"
    assert isinstance(hung, WorkerFailed)
    assert hung.kind == "timeout"
    assert isinstance(failed, WorkerFailed)
    assert failed.kind == "error"
    assert "breaks the extractor" in str(failed)
    assert fine is not None
    assert fine.word_count > 100


def test_negative_worker_count_is_refused() -> None:
    with pytest.raises(ValueError, match="workers must be 0 or more"):
        WorkerPool(sleep_then_echo, -1, timeout=1)


def comparable(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"]: {k: v for k, v in r.items() if k not in VOLATILE} for r in records}


def test_worker_processes_give_the_records_of_in_thread_extraction(tmp_path: Path) -> None:
    site = LocalSite(TEST_SITE).start()
    try:
        in_thread = run_crawl(
            tmp_path / "thread", "-a", f"url={site.origin}/", settings={"EXTRACT_WORKERS": "0"}
        )
        pooled = run_crawl(tmp_path / "pool", "-a", f"url={site.origin}/", settings={"EXTRACT_WORKERS": "2"})
    finally:
        site.stop()
    assert in_thread.returncode == 0, in_thread.log[-3000:]
    assert pooled.returncode == 0, pooled.log[-3000:]
    assert "Extracting in the crawl thread" in in_thread.log
    assert "Extracting in 2 worker processes" in pooled.log
    assert len(in_thread.records()) == 9
    assert comparable(pooled.records()) == comparable(in_thread.records())


def test_a_page_that_crashes_hangs_or_breaks_extraction_is_counted_and_the_crawl_goes_on(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    paths = make_news_site(root, 10)
    site = LocalSite(root).start()
    try:
        result = run_crawl(
            tmp_path,
            "-a",
            f"url={site.origin}/",
            settings={
                "EXTRACT_WORKERS": "2",
                "EXTRACT_TIMEOUT": "3",
                "EXTRACT_FUNCTION": "tests.faulty_extraction.extract_or_misbehave",
            },
        )
    finally:
        site.stop()
    assert result.returncode == 0, result.log[-3000:]
    written = {r["url"].removeprefix(site.origin) for r in result.records()}
    broken = {p for p in paths if p.endswith(("/story-3/", "/story-5/", "/story-7/"))}
    assert written == set(paths) - broken
    for kind in ("crashed", "timeout", "error"):
        assert f"'newscrawl/extract/failed/{kind}': 1" in result.log
    assert "'item_dropped_reasons_count/ExtractionFailed': 3" in result.log
