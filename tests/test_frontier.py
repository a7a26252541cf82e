"""The run's frontier: what is fetched again, in what order, within what budget, and what is left pending."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from benchmarks.news_site import ORIGIN, write_site
from crawler.dates import newest_first
from crawler.demo.server import LocalSite
from crawler.discover.leads import Lead
from crawler.run.admission import Admission
from crawler.run.budget import PageBudget, listing_date
from crawler.run.ledger import Ledger
from crawler.run.options import RunOptions
from crawler.run.revalidation import Revalidation
from crawler.store import KnownPage
from crawler.store.sqlite_state import CrawlState
from tests.conftest import run_crawl

if TYPE_CHECKING:
    from pathlib import Path

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
WEEK_AGO = "2026-11-30T12:00:00+00:00"


def known(
    url: str, *, first_seen: str = WEEK_AGO, published: str | None = None, lastmod: str | None = None
) -> KnownPage:
    return KnownPage(url, "a", url, first_seen, published, lastmod, first_seen)


# -- revalidation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "lastmod", "reason"),
    [
        (None, None, "new"),
        (known("u"), None, None),  # a week old, no sign of change
        (known("u"), "2026-11-29", None),  # listed with a date before it was fetched
        (known("u"), "2026-12-01T08:00:00+00:00", "changed"),  # changed after it was fetched
        (known("u", lastmod="2026-12-02T00:00:00+00:00"), "2026-12-01", None),  # no newer than stored
        (known("u", lastmod="2026-12-02T00:00:00+00:00"), "2026-12-03", "changed"),
        (known("u", first_seen="2026-12-06T12:00:00+00:00"), None, "young"),  # first seen yesterday
        # first seen yesterday, but published a year ago: an archive article, not young news
        (known("u", first_seen="2026-12-06T12:00:00+00:00", published="2025-12-06"), None, None),
    ],
)
def test_a_known_page_is_fetched_again_only_with_a_reason(
    page: KnownPage | None, lastmod: str | None, reason: str | None
) -> None:
    assert Revalidation(timedelta(days=2)).reason(page, lastmod, NOW) == reason


def test_a_zero_window_revalidates_only_on_evidence() -> None:
    young = known("u", first_seen="2026-12-07T11:00:00+00:00")
    assert Revalidation(timedelta(0)).reason(young, None, NOW) is None
    assert Revalidation(timedelta(0)).reason(young, "2026-12-07T11:30:00+00:00", NOW) == "changed"
    assert Revalidation(timedelta(days=36500)).reason(known("u"), None, NOW) == "young"  # today's behaviour


# -- the budget and its backlog -------------------------------------------------------------------


def leads(prefix: str, dates: list[str | None]) -> list[Lead]:
    return [Lead(f"https://a.example/{prefix}{n}", "sitemap", lastmod=date) for n, date in enumerate(dates)]


def test_newest_first_keeps_undated_leads_last_in_their_order() -> None:
    held = leads("x", [None, "2026-01-01", "2026-03-01T10:00:00+01:00", None, "2026-02-01"])
    assert [lead.url[-2:] for lead in newest_first(held, listing_date)] == ["x2", "x4", "x1", "x0", "x3"]


def test_the_backlog_gives_each_sitemap_its_turn_newest_first_within_the_window() -> None:
    budget = PageBudget(limit=0, window=5)
    budget.hold("a", "junk", leads("junk", [f"2024-01-{day:02d}" for day in range(1, 29)]))
    budget.hold("a", "news", leads("news", ["2026-12-01", "2026-12-06"]))
    first = [lead.url.rsplit("/", 1)[1] for _, lead in budget.release()]
    assert first == ["junk27", "news1", "junk26", "news0", "junk25"]  # in turn, each newest first
    assert budget.release() == []  # the window is full
    for _ in range(3):
        budget.finished("a")
    assert [lead.url.rsplit("/", 1)[1] for _, lead in budget.release()] == ["junk24", "junk23", "junk22"]
    assert budget.held("a") == 22
    assert len(budget.release(idle=True)) == 5  # at idle nothing is in flight, whatever was counted


def test_the_budget_counts_pages_sent_and_stops_releasing_when_spent() -> None:
    budget = PageBudget(limit=3, window=10)
    budget.hold("a", "s", leads("s", [None] * 8))
    assert len(budget.release()) == 8
    assert [budget.spend("a") for _ in range(4)] == [True, True, True, False]
    assert budget.exhausted("a")
    assert not budget.exhausted("b")
    budget.hold("a", "s", leads("t", [None] * 3))
    assert budget.release(idle=True) == []
    assert budget.held("a") == 3
    assert PageBudget(limit=0, window=1).spend("a")  # no limit


# -- admission ------------------------------------------------------------------------------------


@pytest.fixture
def state(tmp_path: Path) -> CrawlState:
    return CrawlState.open(tmp_path / "state.sqlite3")


def admission(state: CrawlState, *, limit: int = 0, since: datetime | None = None) -> Admission:
    ledger = Ledger(state)
    return Admission(ledger, PageBudget(limit, 4), Revalidation(timedelta(days=2)), RunOptions(since=since))


def test_admission_skips_known_pages_and_keeps_what_it_leaves_out_pending(state: CrawlState) -> None:
    state.record_page(known("https://a.example/old"))
    state.record_page(known("https://a.example/changed"))
    gate = admission(state, since=datetime(2026, 11, 1, tzinfo=UTC))
    found = [
        Lead("https://a.example/old", "feed", "2026-11-20"),
        Lead("https://a.example/changed", "feed", "2026-11-20", "2026-12-05"),
        Lead("https://a.example/new?utm_source=x", "feed", "2026-11-21"),
        Lead("https://a.example/new", "feed", "2026-11-21"),  # the same URL, normalised
        Lead("https://a.example/older", "feed", "2026-10-01"),
        Lead("https://a.example/s1", "sitemap", "2026-11-02"),
    ]
    admitted = gate.admit("a", found, key="https://a.example/feed")
    assert [lead.url for lead in admitted.now] == ["https://a.example/changed", "https://a.example/new"]
    assert admitted.counts == {
        "skipped/known": 1,
        "revalidated/changed": 1,
        "skipped/too_old": 1,
        "pending/since": 1,
        "pending/archive": 1,  # held in the budget's backlog
    }
    assert [p.url for p in state.pending(["a"])] == [
        "https://a.example/changed",
        "https://a.example/new",
        "https://a.example/older",
        "https://a.example/s1",
    ]
    again = gate.admit("a", found, key="https://a.example/feed")  # found again in the same run
    assert again.now == []
    assert gate.budget.held("a") == 1


def test_admission_leaves_the_news_pending_once_the_budget_is_spent(state: CrawlState) -> None:
    gate = admission(state, limit=1)
    assert gate.budget.spend("a")
    admitted = gate.admit("a", [Lead("https://a.example/late", "links")], key="https://a.example/")
    assert admitted.now == []
    assert admitted.counts == {"pending/budget": 1}
    assert [p.url for p in state.pending(["a"])] == ["https://a.example/late"]


def test_an_old_state_file_knows_its_written_articles_as_pages(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "state.sqlite3"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE articles (canonical_url TEXT PRIMARY KEY, site TEXT NOT NULL, first_seen TEXT NOT NULL, "
        "last_seen TEXT NOT NULL, content_hash TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, "
        "date_published TEXT, etag TEXT, last_modified TEXT)"
    )
    old.execute(
        "INSERT INTO articles VALUES ('https://a.example/1', 'a', ?, ?, 'h', 1, '2025-01-01', NULL, NULL)",
        (WEEK_AGO, WEEK_AGO),
    )
    old.commit()
    old.close()
    state = CrawlState.open(path)
    assert state.pages(["https://a.example/1"]) == {
        "https://a.example/1": KnownPage(
            "https://a.example/1", "a", "https://a.example/1", WEEK_AGO, "2025-01-01", None, WEEK_AGO
        )
    }
    state.close()


# -- a junk sitemap beside the news ----------------------------------------------------------------

REAL = 16
JUNK = 20_000
BUDGET = 150
WINDOW = 32  # backlog pages released at once (crawler.run.context.BUDGET_WINDOW)


def test_a_huge_junk_sitemap_costs_at_most_its_share_and_the_next_run_continues(tmp_path: Path) -> None:
    """robots.txt lists a 20,000-URL sitemap before the site's sitemap index and news sitemap: the news
    comes first, the junk takes what the budget leaves, newest first, and the next run takes the next."""
    root = tmp_path / "site"
    paths = write_site(root, REAL, page_kb=(12, 16), news_sitemap=REAL)
    junk = [f"/shop/item-{n}/" for n in range(JUNK)]
    urls = "".join(
        f"<url><loc>{ORIGIN}{path}</loc><lastmod>{datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=n):%Y-%m-%dT%H:%M:%SZ}</lastmod></url>"
        for n, path in enumerate(junk)
    )
    (root / "junk.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        "utf-8",
    )
    robots = root / "robots.txt"
    robots.write_text(
        robots.read_text("utf-8").replace("Sitemap:", f"Sitemap: {ORIGIN}/junk.xml\nSitemap:", 1)
    )
    site = LocalSite(root, validators=False).start()
    settings = {"NEWS_MAX_PAGES_PER_SITE": str(BUDGET)}
    try:
        first = run_crawl(tmp_path, "-a", f"url={site.origin}/", settings=settings)
        first_paths = [urlsplit(path).path for path in site.requested_paths]
        second = run_crawl(tmp_path, "-a", f"url={site.origin}/", settings=settings)
        second_paths = [urlsplit(path).path for path in site.requested_paths[len(first_paths) :]]
    finally:
        site.stop()
    assert first.returncode == 0, first.log[-3000:]
    assert set(paths) <= set(first_paths)  # every real article
    assert sorted(urlsplit(r["canonical_url"]).path for r in first.records()) == sorted(paths)
    first_junk = [path for path in first_paths if path.startswith("/shop/")]
    pages = [path for path in first_paths if not path.endswith((".xml", ".txt"))]
    assert len(pages) == BUDGET  # pages sent, not requests scheduled
    assert 0 < len(first_junk) <= BUDGET - len(paths) - 1  # what the news (home, links, articles) left
    # newest first, give or take the last window of backlog pages released when the budget ran out
    assert set(first_junk) <= set(junk[::-1][: len(first_junk) + WINDOW])
    left = int(re.search(r"left pending archive (\d+)", first.log)[1])  # type: ignore[index]
    assert left == JUNK - len(first_junk)
    manifests = sorted((tmp_path / "output" / "runs").glob("*.json"))  # crawl ids start with their time
    manifest = json.loads(manifests[0].read_text("utf-8"))
    assert manifest["left_pending"] == {"archive": left}
    assert manifest["succeeded"] is True

    assert second.returncode == 0, second.log[-3000:]
    second_junk = [path for path in second_paths if path.startswith("/shop/")]
    assert not set(paths) & set(second_paths)  # nothing known fetched again
    # it continued where the first stopped, newest first
    assert set(second_junk) <= set(junk[::-1][: len(first_junk) + len(second_junk) + 2 * WINDOW])
    assert len(second_junk) > len(first_junk)  # the news it knows costs nothing this time
