"""Scheduled runs on a real local site: only what is new, conditional GET, versions, kill and resume."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from benchmarks.news_site import write_site
from crawler.demo.server import LocalSite
from tests.conftest import FAST_SETTINGS, ROOT, TEST_SITE, article_html, make_news_site, run_crawl

if TYPE_CHECKING:
    from pathlib import Path

NEW_ITEMS = """
<item><title>New one</title><link>https://demo.newscrawl.invalid/2026/11/25/new-one/</link></item>
<item><title>New two</title><link>https://demo.newscrawl.invalid/2026/11/25/new-two/</link></item>
</channel>"""


def served_copy(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    shutil.copytree(TEST_SITE, site)
    return site


def new_article(site: Path, slug: str, source: Path) -> None:
    text = source.read_text("utf-8").replace("2026/11/19/allotment-waiting-list-record", f"2026/11/25/{slug}")
    text = text.replace("Millbrook", f"Millbrook ({slug})")
    (site / "2026" / "11" / "25" / slug).mkdir(parents=True)
    (site / "2026" / "11" / "25" / slug / "index.html").write_text(text, "utf-8")


def test_second_run_fetches_almost_nothing_and_third_run_writes_only_the_changes(tmp_path: Path) -> None:
    root = served_copy(tmp_path)
    site = LocalSite(root).start()
    try:
        first = run_crawl(tmp_path, "-a", f"url={site.origin}/")
        first_requests = len(site.requested_paths)
        assert first.returncode == 0, first.log[-2000:]
        assert len(first.records()) == 9

        second = run_crawl(tmp_path, "-a", f"url={site.origin}/")
        second_paths = site.requested_paths[first_requests:]
        assert second.returncode == 0
        assert len(second.records()) == 9  # nothing new was written
        assert set(second_paths) <= {"/robots.txt", "/", "/sitemap_index.xml", "/feed.xml"}
        assert "newscrawl/conditional/not_modified" in second.log

        allotment = root / "2026" / "11" / "19" / "allotment-waiting-list-record" / "index.html"
        new_article(root, "new-one", allotment)
        new_article(root, "new-two", allotment)
        feed = root / "feed.xml"
        text = feed.read_text("utf-8").replace("</channel>", NEW_ITEMS, 1)
        updated = "<pubDate>Thu, 19 Nov 2026 08:00:00 +0000</pubDate>"  # the site says the story changed
        text = text.replace(updated, f"{updated}<atom:updated>2026-12-01T09:00:00Z</atom:updated>", 1)
        feed.write_text(text, "utf-8")
        allotment.write_text(
            allotment.read_text("utf-8").replace("waiting list", "waiting-list register"), "utf-8"
        )

        third = run_crawl(tmp_path, "-a", f"url={site.origin}/")
    finally:
        site.stop()
    assert third.returncode == 0
    written = [r for r in third.records() if r["crawl_id"] != first.records()[0]["crawl_id"]]
    assert sorted(urlsplit(r["canonical_url"]).path for r in written) == [
        "/2026/11/19/allotment-waiting-list-record/",
        "/2026/11/25/new-one/",
        "/2026/11/25/new-two/",
    ]
    changed = next(r for r in written if "allotment" in r["canonical_url"])
    original = next(r for r in first.records() if r["canonical_url"] == changed["canonical_url"])
    assert changed["version"] == 2
    assert changed["first_seen"] == original["first_seen"]
    assert {r["version"] for r in written if "new-" in r["canonical_url"]} == {1}
    assert len(list((tmp_path / "output" / "runs").glob("*.json"))) == 3
    last = json.loads((tmp_path / "output" / "runs" / f"{written[0]['crawl_id']}.json").read_text("utf-8"))
    assert last["succeeded"] is True
    assert last["articles_written"] == 3


def test_a_section_page_that_is_no_article_is_read_again_by_the_next_run(tmp_path: Path) -> None:
    """A section page the spider handed to extraction (og:type=website is no listing signal) and extraction
    rejected stays a listing: the next run that reaches it reads it again and finds what it links to.
    """
    root = served_copy(tmp_path)
    site = LocalSite(root).start()
    try:
        first = run_crawl(tmp_path, "-a", f"url={site.origin}/")
        assert first.returncode == 0, first.log[-2000:]
        assert "/sport/" in site.requested_paths
        allotment = root / "2026" / "11" / "19" / "allotment-waiting-list-record" / "index.html"
        new_article(root, "new-one", allotment)
        for page, addition in (
            (root / "sport" / "index.html", '<a href="/2026/11/25/new-one/">New one</a>'),
            (root / "index.html", "<p>Updated this morning.</p>"),
        ):
            page.write_text(page.read_text("utf-8").replace("</body>", f"{addition}</body>"), "utf-8")
        # as days later: nothing known is fetched again for being young
        second = run_crawl(tmp_path, "-a", f"url={site.origin}/", "-s", "NEWS_REVALIDATE_DAYS=0")
    finally:
        site.stop()
    assert second.returncode == 0, second.log[-2000:]
    first_run = first.records()[0]["crawl_id"]
    written = [r for r in second.records() if r["crawl_id"] != first_run]
    assert [urlsplit(r["canonical_url"]).path for r in written] == ["/2026/11/25/new-one/"]


def test_a_young_article_read_again_through_its_amp_copy_is_no_new_version(tmp_path: Path) -> None:
    """While articles are young every run that reaches them reads them again; an AMP copy's text (its own
    markup) is not a change of the article.
    """
    root = served_copy(tmp_path)
    site = LocalSite(root).start()
    try:
        first = run_crawl(tmp_path, "-a", f"url={site.origin}/")
        assert first.returncode == 0, first.log[-2000:]
        first_requests = len(site.requested_paths)
        for page in (root / "index.html", root / "sport" / "index.html"):  # the section links the AMP copy
            text = page.read_text("utf-8")
            page.write_text(text.replace("</body>", "<p>Updated this morning.</p></body>"), "utf-8")
        second = run_crawl(tmp_path, "-a", f"url={site.origin}/")
    finally:
        site.stop()
    assert second.returncode == 0, second.log[-2000:]
    assert "/2026/11/21/rovers-reach-county-cup-final/amp/" in site.requested_paths[first_requests:]
    first_run = first.records()[0]["crawl_id"]
    assert [r["canonical_url"] for r in second.records() if r["crawl_id"] != first_run] == []


def test_state_can_be_ignored_or_reset(tmp_path: Path, test_site: LocalSite) -> None:
    assert len(run_crawl(tmp_path, "-a", f"url={test_site.origin}/").records()) == 9
    ignored = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", "-a", "state=ignore")
    assert len(ignored.records()) == 18
    reset = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", "-a", "state=reset")
    assert len(reset.records()) == 27


def test_since_cutoff_skips_old_articles_before_fetching(tmp_path: Path, test_site: LocalSite) -> None:
    result = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", "-a", "since=2026-11-22")
    assert result.returncode == 0, result.log[-2000:]
    dates = sorted(r["date_published"][:10] for r in result.records())
    assert dates
    assert dates[0] >= "2026-11-22"
    assert "/2026/11/20/central-library-sunday-opening/" not in test_site.requested_paths  # news sitemap date


def test_gzip_rotation_and_manifest(tmp_path: Path, test_site: LocalSite) -> None:
    result = run_crawl(
        tmp_path,
        "-a",
        f"url={test_site.origin}/",
        settings={"OUTPUT_GZIP": "True", "OUTPUT_ROTATE_ITEMS": "4"},
    )
    assert result.returncode == 0, result.log[-2000:]
    files = sorted(result.output_dir.rglob("*.jsonl.gz"))
    assert len(files) == 3  # 4 + 4 + 1 articles
    lines = [line for path in files for line in gzip.decompress(path.read_bytes()).decode().splitlines()]
    assert len(lines) == 9
    assert not list(result.output_dir.rglob("*.part"))
    manifest = json.loads(next((result.output_dir / "runs").glob("*.json")).read_text("utf-8"))
    assert sorted(manifest["files"]) == sorted(str(path) for path in files)
    assert manifest["outcomes"]["item_dropped_reasons_count/DuplicateUrl"] == 1


def test_kill_and_resume_writes_every_article_exactly_once_and_fetches_none_again(tmp_path: Path) -> None:
    root = tmp_path / "site"
    paths = make_news_site(root, 60)
    site = LocalSite(root, delay=0.2).start()  # slow enough that the kill lands mid-crawl
    output = tmp_path / "output"
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={site.origin}/"]
    for key, value in {
        **FAST_SETTINGS,
        "OUTPUT_DIR": str(output),
        "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
    }.items():
        command += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            parts = list(output.rglob("*.part"))
            if parts and len(parts[0].read_text("utf-8").splitlines()) >= 10:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        killed = [
            json.loads(line) for p in output.rglob("*.part") for line in p.read_text("utf-8").splitlines()
        ]
        assert 10 <= len(killed) < 60
        mark = len(site.requested_paths)

        resumed = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        site.stop()
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    files = sorted(output.rglob("*.jsonl"))
    assert any(".interrupted." in f.name for f in files)  # the killed run's file, recognised
    assert not list(output.rglob("*.part"))
    records = [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()]
    canonical = [urlsplit(r["canonical_url"]).path for r in records]
    assert len(canonical) == len(set(canonical))  # nothing twice
    assert set(canonical) == set(paths)  # nothing lost
    written = {urlsplit(r["canonical_url"]).path for r in killed}
    assert not written & set(site.requested_paths[mark:])  # what the killed run wrote is not fetched again


def test_later_runs_fetch_no_known_article_of_a_site_without_page_validators(tmp_path: Path) -> None:
    """420 articles, 25 of them new before the second run; no ETag or Last-Modified on the pages."""
    root = tmp_path / "site"
    write_site(root, 420, page_kb=(12, 16), published=395, news_sitemap=30)
    site = LocalSite(root, validators=False).start()
    try:
        first = run_crawl(tmp_path, "-a", f"url={site.origin}/")
        known = {urlsplit(r["canonical_url"]).path for r in first.records()}
        new = set(write_site(root, 420, page_kb=(12, 16), news_sitemap=30)) - known
        mark = len(site.requested_paths)
        second = run_crawl(tmp_path, "-a", f"url={site.origin}/")
        second_paths = site.requested_paths[mark:]
        mark = len(site.requested_paths)
        third = run_crawl(tmp_path, "-a", f"url={site.origin}/")
        third_paths = site.requested_paths[mark:]
    finally:
        site.stop()
    assert first.returncode == 0, first.log[-3000:]
    assert len(known) == 395
    assert second.returncode == 0, second.log[-3000:]
    written = [
        urlsplit(r["canonical_url"]).path
        for r in second.records()
        if r["crawl_id"] != first.records()[0]["crawl_id"]
    ]
    assert sorted(written) == sorted(new)
    assert len(new) == 25
    assert not known & set(second_paths)  # none of the 395 known articles fetched again
    assert re.search(r"skipped [^;]*known \d+", second.log)  # the summary says so
    assert third.returncode == 0, third.log[-3000:]
    assert len(third.records()) == 420  # nothing new
    assert not (known | new) & set(third_paths)


def test_state_command_shows_articles_per_site_and_runs(tmp_path: Path, test_site: LocalSite) -> None:
    first = run_crawl(tmp_path, "-a", f"url={test_site.origin}/")
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "state", "-s", f"OUTPUT_DIR={first.output_dir}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["sites"]["127.0.0.1"] == {"articles": 9, "pending": 0}
    assert summary["runs"][0]["status"] == "succeeded"
    assert summary["runs"][0]["written"] == 9
    assert summary["runs"][0]["sites"] == ["127.0.0.1"]


def test_exit_status_says_whether_the_run_succeeded(tmp_path: Path) -> None:
    assert run_crawl(tmp_path, "-a", "site=no-such-site").returncode == 1
    assert run_crawl(tmp_path, "-a", "since=last tuesday").returncode == 1
    unreachable = run_crawl(tmp_path, "-a", "url=http://127.0.0.1:9/", settings={"RETRY_TIMES": "0"})
    assert unreachable.returncode == 3
    manifest = json.loads(next((tmp_path / "output" / "runs").glob("*.json")).read_text("utf-8"))
    assert manifest["succeeded"] is False


def _syndicated_sites(tmp_path: Path) -> tuple[LocalSite, LocalSite]:
    first = tmp_path / "first"
    make_news_site(first, 3)
    second = tmp_path / "second"
    second.mkdir()
    (second / "index.html").write_text("<html><body><p>The Wire Reprint</p></body></html>", "utf-8")
    copy = article_html(
        1, extra="This story was first published by The Generated Times and is republished here."
    )
    copy = copy.replace("Story 1", "Wire: a new headline for story one")
    (second / "wire" / "story").mkdir(parents=True)
    (second / "wire" / "story" / "index.html").write_text(
        copy.replace("/2026/10/02/story-1/", "/wire/story/"), "utf-8"
    )
    (second / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://demo.newscrawl.invalid/wire/story/</loc></url></urlset>",
        "utf-8",
    )
    return LocalSite(first).start(), LocalSite(second).start()


def test_a_syndicated_copy_on_another_site_is_marked_or_dropped(tmp_path: Path) -> None:
    first, second = _syndicated_sites(tmp_path)
    try:
        marked = run_crawl(tmp_path / "mark", "-a", f"url={first.origin}/,{second.origin}/")
        dropped = run_crawl(
            tmp_path / "drop",
            "-a",
            f"url={first.origin}/,{second.origin}/",
            settings={"NEAR_DUPLICATES": "drop"},
        )
    finally:
        first.stop()
        second.stop()
    records = marked.records()
    assert len(records) == 4
    pair = {first.origin + "/2026/10/02/story-1/", second.origin + "/wire/story/"}
    duplicates = [r for r in records if r["duplicate_of"]]
    assert len(duplicates) == 1
    assert {duplicates[0]["canonical_url"], duplicates[0]["duplicate_of"]} == pair
    assert len(dropped.records()) == 3
    assert "NearDuplicate" in dropped.log
