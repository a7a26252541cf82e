"""Re-extraction from WARC files: an archived site's articles again, with no request to the site."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.dates import normalise_date
from crawler.output.warc import read_responses
from tests.conftest import ROOT, run_crawl

if TYPE_CHECKING:
    from crawler.demo.server import LocalSite

SAME_FIELDS = ("canonical_url", "title", "body", "authors", "date_published", "language", "content_hash")


def scrapy_extract_warc(output_dir: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "scrapy", "extract", "--warc", *map(str, files)]
    command += ["-s", f"OUTPUT_DIR={output_dir}", "-L", "INFO"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120, check=False
    )


def records_of(paths: list[str]) -> dict[str, dict[str, Any]]:
    lines = [line for path in paths for line in Path(path).read_text("utf-8").splitlines()]
    return {record["url"]: record for record in map(json.loads, lines)}


def warc_dates(path: Path) -> dict[str, str]:
    """The WARC-Date of each 200 response, by URL."""
    with path.open("rb") as stream:
        return {
            record.rec_headers.get_header("WARC-Target-URI"): record.rec_headers.get_header("WARC-Date")
            for record in ArchiveIterator(stream)
            if record.rec_type == "response" and record.http_headers.get_statuscode() == "200"
        }


def archive(test_site: LocalSite, tmp_path: Path) -> tuple[dict[str, dict[str, Any]], list[Path]]:
    crawl = run_crawl(tmp_path, "-a", f"url={test_site.origin}/", "-a", "mode=archive")
    assert crawl.returncode == 0, crawl.log[-3000:]
    return {record["url"]: record for record in crawl.records()}, sorted(crawl.output_dir.rglob("*.warc.gz"))


def test_an_archived_site_is_re_extracted_without_a_request(test_site: LocalSite, tmp_path: Path) -> None:
    crawled, warcs = archive(test_site, tmp_path)
    assert len(crawled) == 9
    requests_before = len(test_site.requested_paths)

    done = scrapy_extract_warc(tmp_path / "again", *warcs)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(test_site.requested_paths) == requests_before  # the site was not asked for anything
    files = done.stdout.split()
    assert [path.split("/")[-3] for path in files] == ["127.0.0.1"]  # the archived site's own folder
    again = records_of(files)
    assert sorted(again) == sorted(crawled)
    dates = warc_dates(warcs[0])
    for url, record in again.items():
        assert {name: record[name] for name in SAME_FIELDS} == {
            name: crawled[url][name] for name in SAME_FIELDS
        }
        assert record["fetched_at"] == normalise_date(dates[url])  # the original fetch, not today
        assert record["crawl_id"] != crawled[url]["crawl_id"]
    assert "'newscrawl/warc/replayed': " in done.stderr


def test_broken_warc_files_are_named_and_counted_and_the_rest_is_re_extracted(
    test_site: LocalSite, tmp_path: Path
) -> None:
    crawled, (warc,) = archive(test_site, tmp_path)
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(b"this is not a WARC file\n" * 100)
    truncated = tmp_path / "truncated.warc.gz"
    truncated.write_bytes(warc.read_bytes()[: warc.stat().st_size // 2])
    done = scrapy_extract_warc(tmp_path / "again", garbage, truncated, warc)
    assert done.returncode == 3, done.stderr[-3000:]  # it ran, but could not read everything
    assert "Traceback" not in done.stderr
    for path in (garbage, truncated):
        assert f"ERROR: Unreadable WARC file {path} (" in done.stderr
    assert "'newscrawl/warc/unreadable': 2" in done.stderr
    assert sorted(records_of(done.stdout.split())) == sorted(crawled)  # the whole file gave every article


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    done = scrapy_extract_warc(tmp_path, tmp_path / "no-such.warc.gz")
    assert done.returncode == 2
    assert "no-such.warc.gz: no such WARC file" in done.stderr


def test_a_body_that_inflates_past_the_limit_is_not_read(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<p>" + b"0" * 4_000_000)  # 4 MB of HTML in a few KB
    path = tmp_path / "bomb.warc.gz"
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=True)
        for url, body, encoding in [
            ("https://x.example/bomb", bomb, "gzip"),
            ("https://x.example/ok", b"<p>ok", ""),
        ]:
            headers = [("Content-Type", "text/html")] + ([("Content-Encoding", encoding)] if encoding else [])
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                )
            )
    responses = {response.url: response.body for response in read_responses(path, max_size=1_000_000)}
    assert responses == {"https://x.example/bomb": None, "https://x.example/ok": b"<p>ok"}
