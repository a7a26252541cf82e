"""The whole crawl of a local site of real article pages: ``scrapy crawl news`` against trafilatura's own
command-line crawler, in one run.

Usage::

    python benchmarks/crawl_vs_trafilatura.py [--pages 440] [--devset DIR] [--repeat 1] [--json]

**The site.** ``--pages`` real article pages of the devset (``--devset``, else ``$NEWSCRAWL_DEVSET``, else
``../shared/devset``), spread evenly over it, decoded and written as UTF-8, each at its own path
(``/articles/<n>-<slug>/``), under 8 section pages (``/section/<name>/``, 40 links a page, numbered
pagination) linked from a home page that also lists the 30 latest; a ``robots.txt`` naming
``/sitemap.xml`` (every article, with ``lastmod``) and an RSS feed ``/feed.xml`` of the 50 latest, linked
from the home page. ``crawler.demo.server.LocalSite`` serves it at ``http://127.0.0.1/`` (port 80: trafilatura's URL filter,
courlan, refuses an address with a port) from this process (its threads' CPU counts for neither side).

**The sides**, each a subprocess tree started from here, timed in wall seconds and in CPU seconds of the
whole tree (user + system, ``resource.getrusage(RUSAGE_CHILDREN)`` before and after waiting for it):

- **newscrawl**: ``scrapy crawl news -a url=ORIGIN/ -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False``
  with ``ALLOW_PRIVATE_ADDRESSES=True`` (the site is on loopback), a fresh ``OUTPUT_DIR`` and crawl state,
  and ``EXTRACT_WORKERS`` 0 (extraction in the crawl process: one core), 1 and 2; every other setting
  is the default: robots.txt obeyed, ``CONCURRENT_REQUESTS=16``, ``CONCURRENT_REQUESTS_PER_DOMAIN=4``,
  discovery from robots.txt, the sitemap, the feed, the home and section pages, language detection,
  dedup, validation, JSONL written and fsynced.
  Each page carries a ``<base href>`` of its original URL, so that its own links lead to its original
  site (not followed: another domain) rather than to pages this copy does not have.
- **trafilatura** (``trafilatura`` of this environment): its ``--crawl ORIGIN/`` visits at most 30 pages
  of a site (``cli_crawler``'s fixed ``n=30``) and cannot list every article, so the URLs are listed
  with ``trafilatura --sitemap ORIGIN/ --list`` (robots.txt, then the sitemap), then extracted with
  ``trafilatura -i urls.txt --json --with-metadata``: both steps are timed and summed. Its config file
  sets ``SLEEP_TIME = 0`` (default: 5 s between two requests to a host) and ``SSRF_PROTECTION = off``
  (default: loopback refused); everything else is its default. With its default ``--parallel`` (the
  number of cores, at most 16) and with ``--parallel 8``: the threads download, extraction runs in the
  one main process; with one host and ``SLEEP_TIME = 0`` it draws one URL per round. How many articles
  ``--crawl`` lists is reported beside.

The runs alternate (newscrawl, trafilatura, newscrawl…), in reverse order on every other ``--repeat``,
so that load from other processes hits both sides alike. For each: wall seconds, CPU seconds, records
written, distinct articles among them, duplicates (a record of an article already written, or with the
same text as an earlier record), non-article records (the home, section or feed pages), and CPU
milliseconds per article. The ratios set each newscrawl run against trafilatura with its defaults.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: this checkout's ``crawler``, not an installed one
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.extraction_quality import resolve_devset  # noqa: E402
from benchmarks.throughput import crawl_env  # noqa: E402
from crawler.demo.server import LocalSite  # noqa: E402
from crawler.urls import normalise_url  # noqa: E402

SECTIONS = ("world", "politics", "business", "technology", "science", "culture", "sport", "opinion")
PER_LISTING = 40
LATEST = 30
FEED_ITEMS = 50
NEWEST = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TRAFILATURA_CONFIG = """[DEFAULT]
DOWNLOAD_TIMEOUT = 30
MAX_FILE_SIZE = 20000000
MIN_FILE_SIZE = 10
SLEEP_TIME = 0
USER_AGENTS =
COOKIE =
MAX_REDIRECTS = 2
SSRF_PROTECTION = off
INSECURE_SSL_FALLBACK = on
MIN_EXTRACTED_SIZE = 250
MIN_OUTPUT_SIZE = 1
MIN_OUTPUT_COMM_SIZE = 1
MAX_TREE_SIZE =
EXTRACTION_TIMEOUT = 30
MIN_DUPLCHECK_SIZE = 100
MAX_REPETITIONS = 2
EXTENSIVE_DATE_SEARCH = on
EXTERNAL_URLS = off
"""
_CHARSET = re.compile(rb"""(<meta[^>]*?charset\s*=\s*["']?)[\w-]+""", re.IGNORECASE)
_SLUG = re.compile(r"[^a-z0-9]+")
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)
_BASE = re.compile(rb"<base\s+href=", re.IGNORECASE)


@dataclass(frozen=True)
class Article:
    """An article of the site: its path, slug and listing date, and the URLs its page names as its own
    (its original URL, ``<link rel=canonical>``, ``og:url``): trafilatura's records give those.
    """

    path: str
    title: str
    date: datetime
    aliases: tuple[str, ...] = ()


def _copy(raw: bytes, url: str) -> bytes:
    """The page as UTF-8, its ``<meta charset>`` saying so (the server sends ``charset=utf-8``), with a
    ``<base href>`` of its original URL: its own links lead to its original site, as on a saved copy,
    not to pages this site does not have.
    """
    from w3lib.encoding import html_to_unicode

    page = _CHARSET.sub(rb"\1utf-8", html_to_unicode(None, raw)[1].encode("utf-8", "surrogatepass"))
    page = _BASE.sub(b"<base data-href=", page)  # a page's own (often relative) base no longer counts
    base = f'<base href="{escape(url)}">'.encode()
    head = _HEAD.search(page)
    return page[: head.end()] + base + page[head.end() :] if head else base + page


def _own_urls(page: bytes, url: str) -> tuple[str, ...]:
    """The page's original URL and the URLs its ``<link rel=canonical>`` and ``og:url`` give."""
    from lxml import html

    tree = html.fromstring(page)
    named = tree.xpath('//link[@rel="canonical"]/@href | //meta[@property="og:url"]/@content')
    return (url, *(urljoin(url, str(href).strip()) for href in named))


def _spread(items: list[Any], count: int) -> list[Any]:
    if count >= len(items):
        return items
    return [items[len(items) * n // count] for n in range(count)]


def _write(root: Path, path: str, text: str | bytes) -> None:
    target = root / path.strip("/") / "index.html" if path.endswith("/") else root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)


def _listing(title: str, articles: list[Article], extra: str = "") -> str:
    items = "".join(f'<li><a href="{a.path}">{escape(a.title)}</a> {a.date:%Y-%m-%d}</li>' for a in articles)
    nav = "".join(f'<a href="/section/{name}/">{name.title()}</a> ' for name in SECTIONS)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta property="og:type" content="website"><link rel="alternate" type="application/rss+xml" '
        f'href="/feed.xml"></head><body><nav>{nav}</nav><h1>{escape(title)}</h1><ul>{items}</ul>{extra}'
        "</body></html>"
    )


def build_site(root: Path, devset: Path, count: int) -> list[Article]:
    """Write the site of ``count`` devset pages into ``root``; its articles, newest first."""
    annotations: dict[str, dict[str, Any]] = json.loads((devset / "evaldata.json").read_text("utf-8"))
    entries = sorted(
        (annotation["file"], url)
        for url, annotation in annotations.items()
        if (devset / "html" / f"{annotation['file']}.gz").is_file()
    )
    articles: list[Article] = []
    for number, (name, url) in enumerate(_spread(entries, count)):
        slug = _SLUG.sub("-", urlsplit(url).path.lower()).strip("-")[-60:] or "article"
        page = _copy(gzip.decompress((devset / "html" / f"{name}.gz").read_bytes()), url)
        path = f"/articles/{number:04d}-{slug}/"
        date = NEWEST - timedelta(hours=number)
        articles.append(Article(path, slug.replace("-", " "), date, _own_urls(page, url)))
        _write(root, path, page)
    _write(root, "/", _listing("Local News", articles[:LATEST]))
    for index, section in enumerate(SECTIONS):
        listed = articles[index :: len(SECTIONS)]
        pages = [listed[start : start + PER_LISTING] for start in range(0, len(listed), PER_LISTING)]
        for page, chunk in enumerate(pages, 1):
            path = f"/section/{section}/" if page == 1 else f"/section/{section}/page/{page}/"
            more = (
                f'<a rel="next" href="/section/{section}/page/{page + 1}/">Next</a>'
                if page < len(pages)
                else ""
            )
            _write(root, path, _listing(f"{section.title()} page {page}", chunk, more))
    return articles


def write_discovery(root: Path, origin: str, articles: list[Article]) -> None:
    """The sitemap, the feed and robots.txt of the site served at ``origin``."""
    urls = "".join(
        f"<url><loc>{origin}{a.path}</loc><lastmod>{a.date:%Y-%m-%dT%H:%M:%SZ}</lastmod></url>"
        for a in articles
    )
    _write(
        root,
        "/sitemap.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
    )
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{origin}{a.path}</link>"
        f"<pubDate>{a.date:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for a in articles[:FEED_ITEMS]
    )
    _write(
        root,
        "/feed.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Local News</title>'
        f"<link>{origin}/</link>{items}</channel></rss>",
    )
    _write(root, "/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {origin}/sitemap.xml\n")


@dataclass
class SideRun:
    """One run of one side: what it is, its time and what it wrote."""

    label: str
    processes: str
    wall: float = 0.0
    cpu: float = 0.0
    records: list[dict[str, Any]] = field(default_factory=list)
    returncode: int = 0
    note: str = ""

    def counts(self, articles: dict[str, str]) -> dict[str, int]:
        """Records, distinct articles, duplicates and non-article records among this run's records;
        ``articles`` maps every URL of an article (its URL here and its aliases) to its URL here.
        """
        seen_urls: set[str] = set()
        seen_texts: set[str] = set()
        duplicates = non_articles = 0
        for record in self.records:
            # newscrawl's records have the URL fetched, trafilatura's the page's own (``source``)
            named = normalise_url(str(record.get("url") if "body" in record else record.get("source") or ""))
            url = articles.get(named, named)
            text = " ".join(str(record.get("body") or record.get("text") or "").split())
            digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
            if url not in articles:
                non_articles += 1
            elif url in seen_urls or (text and digest in seen_texts):
                duplicates += 1
            seen_urls.add(url)
            seen_texts.add(digest)
        written = len(self.records)
        return {
            "records": written,
            "articles": len(seen_urls & set(articles.values())),
            "duplicates": duplicates,
            "non_articles": non_articles,
        }


def _timed(command: list[str], log: Path, cwd: Path, stdout: Path | None = None) -> tuple[float, float, int]:
    """Run ``command``; its wall seconds, CPU seconds (the whole tree) and exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with log.open("ab") as err, stdout.open("wb") if stdout else log.open("ab") as out:
        process = subprocess.run(command, cwd=cwd, env=crawl_env(), stdout=out, stderr=err, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, process.returncode


def run_newscrawl(origin: str, workdir: Path, workers: int) -> SideRun:
    """``scrapy crawl news`` of the site with ``workers`` extraction processes."""
    output = workdir / f"newscrawl-{workers}"
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={origin}/"]
    settings = {
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "ALLOW_PRIVATE_ADDRESSES": "True",
        "EXTRACT_WORKERS": str(workers),
        "OUTPUT_DIR": str(output),
        "LOG_LEVEL": "INFO",
    }
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    processes = "1 process, 1 core" if workers == 0 else f"1 + {workers} worker process{'es' * (workers > 1)}"
    run = SideRun(f"newscrawl, EXTRACT_WORKERS={workers}", processes)
    run.wall, run.cpu, run.returncode = _timed(command, workdir / f"newscrawl-{workers}.log", REPO_ROOT)
    run.records = [
        json.loads(line)
        for path in sorted(output.rglob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    return run


def _trafilatura() -> str:
    return str(Path(sys.executable).with_name("trafilatura"))


def run_trafilatura(origin: str, workdir: Path, parallel: int | None) -> SideRun:
    """trafilatura's sitemap listing, then its extraction of the URLs listed."""
    config = workdir / "trafilatura.cfg"
    config.write_text(TRAFILATURA_CONFIG, "utf-8")
    name = "default" if parallel is None else str(parallel)
    threads = ["--parallel", str(parallel)] if parallel is not None else []
    log, urls, output = (workdir / f"trafilatura-{name}{suffix}" for suffix in (".log", ".urls", ".jsonl"))
    common = ["--config-file", str(config), *threads]
    listing = [_trafilatura(), "--sitemap", f"{origin}/", "--list", *common]
    wall, cpu, code = _timed(listing, log, workdir, urls)
    extract = [_trafilatura(), "-i", str(urls), "--json", "--with-metadata", *common]
    wall2, cpu2, code2 = _timed(extract, log, workdir, output)
    listed = len(urls.read_text("utf-8").split())
    cores = os.cpu_count() or 1
    run = SideRun(
        f"trafilatura, --parallel {parallel if parallel is not None else f'default ({min(cores, 16)})'}",
        "1 process (download threads, extraction in the main thread)",
        wall + wall2,
        cpu + cpu2,
        returncode=code or code2,
        note=f"listing {wall:.1f} s wall / {cpu:.1f} s CPU, {listed} URLs listed",
    )
    run.records = [json.loads(line) for line in output.read_text("utf-8").splitlines() if line.strip()]
    return run


def crawl_listed(origin: str, workdir: Path, articles: set[str]) -> int:
    """How many of the site's articles ``trafilatura --crawl ORIGIN/`` lists."""
    config = workdir / "trafilatura.cfg"
    config.write_text(TRAFILATURA_CONFIG, "utf-8")
    out = workdir / "trafilatura-crawl.urls"
    _timed(
        [_trafilatura(), "--crawl", f"{origin}/", "--config-file", str(config)],
        workdir / "crawl.log",
        workdir,
        out,
    )
    return len({normalise_url(url) for url in out.read_text("utf-8").split()} & articles)


def main(argv: list[str] | None = None) -> int:
    """Build and serve the site, run both sides in turn, print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=440, help="article pages of the site (default 440)")
    parser.add_argument("--devset", help="devset folder (default: $NEWSCRAWL_DEVSET or ../shared/devset)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every run (default 1)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    args = parser.parse_args(argv)
    devset = resolve_devset(args.devset)
    if not (devset / "evaldata.json").is_file():
        print(f"No devset at {devset}", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="newscrawl-vs-trafilatura-"))
    try:
        articles = build_site(tmp / "site", devset, args.pages)
        local = LocalSite(tmp / "site", port=80).start()
        # trafilatura (courlan) refuses an address with a port: http://127.0.0.1/ is what both sides crawl
        origin = local.origin.removesuffix(":80")
        if origin == local.origin:
            print(f"Port 80 is not free: trafilatura cannot crawl {origin}", file=sys.stderr)
        write_discovery(tmp / "site", origin, articles)
        try:
            paths = {normalise_url(origin + article.path) for article in articles}
            aliases = {
                normalise_url(alias): normalise_url(origin + article.path)
                for article in articles
                for alias in (*article.aliases, origin + article.path)
            }
            listed_by_crawl = crawl_listed(origin, tmp, paths)
            runs: list[SideRun] = []
            plan: list[tuple[str, int | None]] = [
                ("newscrawl", 0),
                ("trafilatura", None),
                ("newscrawl", 1),
                ("trafilatura", 8),
                ("newscrawl", 2),
            ]
            for round_number in range(max(1, args.repeat)):
                for side, value in plan if round_number % 2 == 0 else plan[::-1]:
                    workdir = tmp / f"round-{round_number}"
                    workdir.mkdir(exist_ok=True)
                    if side == "newscrawl":
                        runs.append(run_newscrawl(origin, workdir, value or 0))
                    else:
                        runs.append(run_trafilatura(origin, workdir, value))
                    print(f"{runs[-1].label}: {runs[-1].wall:.1f} s", file=sys.stderr, flush=True)
        finally:
            local.stop()
        report = _report(runs, aliases, listed_by_crawl)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


def _report(runs: list[SideRun], articles: dict[str, str], listed_by_crawl: int) -> dict[str, Any]:
    rows = []
    for run in runs:
        counts = run.counts(articles)
        rows.append(
            {
                "side": run.label,
                "processes": run.processes,
                "wall_s": round(run.wall, 1),
                "cpu_s": round(run.cpu, 1),
                **counts,
                "cpu_ms_per_article": round(1000 * run.cpu / counts["articles"], 1)
                if counts["articles"]
                else None,
                "returncode": run.returncode,
                "note": run.note,
            }
        )
    return {
        "site_articles": len(set(articles.values())),
        "cores": os.cpu_count(),
        "trafilatura_crawl_lists": listed_by_crawl,
        "runs": rows,
    }


def print_report(report: dict[str, Any]) -> None:
    """The report as Markdown, with the ratios against trafilatura with its defaults in the same round."""
    print(
        f"# Whole crawl of a local site of {report['site_articles']} real article pages, "
        f"{report['cores']} cores\n\n`trafilatura --crawl` listed {report['trafilatura_crawl_lists']} of them "
        "(it visits at most 30 pages); trafilatura lists with `--sitemap`.\n"
    )
    print(
        "| run | processes | wall s | CPU s | records | articles | duplicates | non-article "
        "| CPU ms / article | wall vs trafilatura | CPU / article vs trafilatura |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    rows = report["runs"]
    for index, row in enumerate(rows):
        group = rows[index - index % 5 : index - index % 5 + 5]
        base = next((r for r in group if r["side"].startswith("trafilatura, --parallel default")), None)
        speed = cost = "-"
        if base and not row["side"].startswith("trafilatura, --parallel default"):
            speed = f"{base['wall_s'] / row['wall_s']:.2f}x faster" if row["wall_s"] else "-"
            if row["cpu_ms_per_article"] and base["cpu_ms_per_article"]:
                cost = f"{row['cpu_ms_per_article'] / base['cpu_ms_per_article']:.2f}x"
        print(
            f"| {row['side']} | {row['processes']} | {row['wall_s']:.1f} | {row['cpu_s']:.1f} | {row['records']} "
            f"| {row['articles']} | {row['duplicates']} | {row['non_articles']} | {row['cpu_ms_per_article']} "
            f"| {speed} | {cost} |"
        )
    for row in rows:
        if row["note"] or row["returncode"]:
            print(f"\n{row['side']}: {row['note']}; exit status {row['returncode']}", end="")
    print()


if __name__ == "__main__":
    sys.exit(main())
