"""What grows with a run stays out of the crawl process: admission, ledger, backlog and duplicate filter keep
their per-run sets on disk (``crawler.store.run_sets``), and still behave as sets.

The check walks every object reachable from the run's components (``gc.get_referents``): a URL or
fingerprint kept in a Python set, dict or deque is found there; one kept in SQLite is not.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, ModuleType
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.discover.leads import Lead
from crawler.run.admission import Admission
from crawler.run.budget import PageBudget
from crawler.run.ledger import Ledger
from crawler.run.options import RunOptions
from crawler.run.revalidation import Revalidation
from crawler.run.scheduler import RunDupeFilter
from crawler.store.run_sets import RunSets
from crawler.store.sqlite_state import CrawlState

if TYPE_CHECKING:
    import pytest

URLS = 2_000
CODE = (type, ModuleType, FunctionType, BuiltinFunctionType)


def reachable(*roots: object) -> set[str | bytes]:
    """Every ``str`` and ``bytes`` object reachable from ``roots`` through Python references (not through
    classes, functions and modules: the data, not the code)."""
    seen: set[int] = set()
    found: set[str | bytes] = set()
    pending = list(roots)
    while pending:
        obj = pending.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, (str, bytes)):
            found.add(obj)
            continue
        if isinstance(obj, CODE):
            continue
        pending.extend(gc.get_referents(obj))
    return found


def test_a_2000_url_run_keeps_its_sets_claims_backlog_and_fingerprints_out_of_memory(tmp_path: Path) -> None:
    ledger = Ledger(CrawlState.open(tmp_path / "state.sqlite3"))
    budget = PageBudget(0, 8, ledger.sets)
    admission = Admission(ledger, budget, Revalidation(timedelta(days=2)), RunOptions())
    news = [Lead(f"https://a.example/news/{n}", "links", link_depth=1) for n in range(URLS // 2)]
    archive = [Lead(f"https://a.example/archive/{n}", "sitemap") for n in range(URLS // 2)]
    admitted = admission.admit("a", news, key="home")
    admission.admit("a", archive, key="https://a.example/sitemap.xml")
    released = budget.release()
    for lead in news:
        assert ledger.claim("url", lead.url, lead.url) is None
    dupefilter = RunDupeFilter(RunSets.open())
    requests = [Request(lead.url) for lead in news]
    assert not any(dupefilter.request_seen(request) for request in requests)
    fingerprints = {dupefilter.fingerprinter.fingerprint(request) for request in requests}

    # The sets still work as sets.
    assert len(admitted.now) == URLS // 2
    assert len(released) == 8
    assert budget.held("a") == URLS // 2 - 8
    assert admission.admit("a", [*news, *archive], key="again").now == []
    assert ledger.claim("url", news[5].url, "https://a.example/other") == news[5].url
    assert all(dupefilter.request_seen(Request(lead.url)) for lead in news[:50])
    # And none of what grows with the run is held by a Python object.
    del admitted, released, requests
    held = reachable(admission, ledger, budget, dupefilter)
    urls = {lead.url for lead in [*news, *archive]}
    assert not urls & held
    assert not fingerprints & held


def test_run_sets_add_claim_and_queue() -> None:
    sets = RunSets.open()
    assert sets.add("a", ["x", "y", "x"]) == ["x", "y"]
    assert sets.add("a", ["y", "z"]) == ["z"]
    assert sets.add("b", ["x", b"\x00\x01"]) == ["x", b"\x00\x01"]  # sets are apart; bytes and str alike
    assert sets.missing("a", ["w", "x", "v"]) == ["w", "v"]
    assert sets.claim("k", "first") is None
    assert sets.claim("k", "second") == "first"
    sets.push("q", ["1", "2"])
    sets.push("r", ["a"])
    sets.push("q", ["3"])
    assert [sets.pop("q") for _ in range(4)] == ["1", "2", "3", None]
    assert sets.pop("r") == "a"
    sets.close()


def test_the_scheduler_queues_on_disk_and_deletes_its_folder() -> None:
    from crawler.run.scheduler import RunScheduler
    from crawler.spiders.news import NewsSpider

    crawler = get_crawler(
        NewsSpider, settings_dict={"SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue"}
    )
    scheduler = RunScheduler.from_crawler(crawler)
    assert scheduler.dqdir is not None
    folder = Path(scheduler.dqdir).parent
    spider = NewsSpider()
    spider.crawler = crawler
    crawler.spider = spider
    scheduler.open(spider)
    assert scheduler.enqueue_request(Request("https://a.example/1", callback=spider.parse_page))
    assert not scheduler.enqueue_request(Request("https://a.example/1", callback=spider.parse_page))
    assert crawler.stats is not None
    assert crawler.stats.get_value("scheduler/enqueued/disk") == 1
    request = scheduler.next_request()
    assert request is not None
    assert request.url == "https://a.example/1"
    assert request.callback == spider.parse_page
    scheduler.close("finished")
    assert not folder.exists()


def test_a_killed_runs_queue_folder_is_deleted_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crawler.run.scheduler import QUEUE_PREFIX, queue_folder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    stale = tmp_path / f"{QUEUE_PREFIX}{gone.stdout.strip()}-abc"
    stale.mkdir()
    (stale / "requests.queue").mkdir()
    live = tmp_path / f"{QUEUE_PREFIX}{os.getpid()}-def"  # a crawl still running
    live.mkdir()
    mine = Path(queue_folder())
    assert not stale.exists()
    assert live.exists()
    assert mine.parent == tmp_path
    assert mine.name.startswith(f"{QUEUE_PREFIX}{os.getpid()}-")
