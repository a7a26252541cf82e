"""Crawl throughput: a full ``scrapy crawl`` of a local news site against bare trafilatura, in one run.

Usage::

    python benchmarks/throughput.py [--pages 2000] [--workers 0 1 2] [--seed 0] [--devset DIR] [--json]

Everything is measured in the same run, on the same machine state, so that the ratios mean something
even on a loaded machine:

1. **The site.** ``benchmarks/news_site.py`` writes ``--pages`` article pages of 50-150 KiB (plus
   section, author and service pages, sitemaps and a feed) into a temporary folder, served on
   127.0.0.1 by ``crawler.demo.server.LocalSite`` from this process. Its pages are built to cost an
   extractor what real news pages cost (three CMS templates, comment threads, ads and embeds between
   paragraphs, metadata not always in ``<meta>``; see that module), which step 4 checks.
2. **The server.** Every article page is fetched once with 32 threads (``urllib``, from this process):
   pages/s and MiB/s. The crawls below run far below this rate, so the server is not their bottleneck
   (and this is a lower bound: the fetching threads share the server's interpreter).
3. **The floors, in one process**, each a tight loop over every article page as served (decoded to
   ``str``, as the spider hands it on) after one untimed warm-up call:

   - **the primary floor**, ``trafilatura.bare_extraction(html, url=url, with_metadata=True)``:
     trafilatura doing the whole job of our pipeline, body and metadata (title, date, author), on
     one core; the same baseline as ``benchmarks/extraction_quality.py``. **Every ratio in the table
     is to this rate.**
   - ``trafilatura.extract(html, url=url)``, the body only, as a second reference line;
   - ``crawler.extract.extract_page``, the function the extract pipeline runs, for information.
4. **Calibration on real pages.** When the devset is there (``--devset DIR``, else
   ``$NEWSCRAWL_DEVSET``, else ``../shared/devset``: a folder with ``html/*.html.gz`` and, optionally,
   ``evaldata.json`` giving each page's URL), the primary floor and ``extract_page`` are timed on up
   to 200 of its real pages, spread evenly over the corpus and decoded as Scrapy decodes a response
   (``w3lib.encoding.html_to_unicode``), and on as many generated pages spread over the site, a real
   page and a generated one in turn so that both see the same machine load; after an untimed pass
   over up to 50 other real pages (some pages reach ``dateparser``, whose first call costs seconds).
   The output gives the rates on both and their ratio: the generated site is realistic when
   ``bare_extraction`` runs at about the same rate on both, and ``extract_page`` costs the same
   multiple of it.
5. **Full crawls.** ``scrapy crawl news -a url=<origin>/`` as a subprocess from the repository root
   with politeness off (``DOWNLOAD_DELAY=0``, ``AUTOTHROTTLE_ENABLED=False``, ``CONCURRENT_REQUESTS=32``,
   ``CONCURRENT_REQUESTS_PER_DOMAIN=32``), ``ALLOW_PRIVATE_ADDRESSES=True`` (the site is on 127.0.0.1),
   ``OUTPUT_DIR`` in the temporary folder (so a fresh state
   file), ``LOG_LEVEL=INFO`` and ``EXTRACT_WORKERS=N`` for each N of ``--workers`` (0: extraction in
   the reactor thread; N: N worker processes). Its rate is **articles written per second of crawl
   time**, the crawl time being Scrapy's ``elapsed_time_seconds`` from the final stats dump (spider
   opened to spider closed: it leaves out interpreter start-up, imports and building the crawler, and
   includes closing the pipelines). Wall time of the subprocess is shown beside it. Each crawl is
   checked: the JSONL output must hold one line per generated article, with distinct canonical URLs
   that are exactly the generated articles' URLs.

The table gives pages/s and each rate's ratio to the primary floor (bare ``bare_extraction`` with
metadata); a last line gives the ratio of the crawl with the most workers to the one with one worker.
``--json`` prints the same numbers as JSON. The exit status is 1 when a crawl failed or did not write
every article exactly once. A run at 2,000 pages takes about seven minutes on two otherwise idle cores.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.request import urlopen

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: make ``benchmarks.news_site`` importable
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.extraction_quality import resolve_devset  # noqa: E402
from benchmarks.news_site import ORIGIN, write_site  # noqa: E402
from crawler.demo.server import LocalSite  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

FETCH_THREADS = 32
DEVSET_PAGES = 200
DEVSET_WARMUP_PAGES = 50
POLITENESS_OFF = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS": "32",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "32",
    "LOG_LEVEL": "INFO",
    "ALLOW_PRIVATE_ADDRESSES": "True",  # the site is served on 127.0.0.1
}
_STAT_RE = re.compile(r"'([^'\n]+)': (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)[,}]")


@dataclass
class Rate:
    """Pages done in a time."""

    pages: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Pages per second."""
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass
class CrawlRun:
    """What one ``scrapy crawl`` subprocess did, read from its log and its output files."""

    workers: int | None
    returncode: int
    wall_seconds: float
    stats: dict[str, float]
    lines: int
    distinct_canonical: int
    missing: int
    unexpected: int
    log_path: str
    errors: list[str] = field(default_factory=list)

    @property
    def elapsed(self) -> float:
        """Scrapy's ``elapsed_time_seconds`` (0 when the stats dump is missing)."""
        return self.stats.get("elapsed_time_seconds", 0.0)

    @property
    def rate(self) -> Rate:
        """Articles written per second of crawl time."""
        return Rate(self.lines, self.elapsed)

    @property
    def complete(self) -> bool:
        """The crawl succeeded and wrote every expected article exactly once."""
        return not self.errors


def crawl_command(origin: str, output_dir: Path, settings: dict[str, str]) -> list[str]:
    """The ``scrapy crawl news`` command line for a site at ``origin``."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"url={origin}/"]
    for key, value in {**POLITENESS_OFF, "OUTPUT_DIR": str(output_dir), **settings}.items():
        command += ["-s", f"{key}={value}"]
    return command


def crawl_env() -> dict[str, str]:
    """The environment of a crawl subprocess: this one, with the repository first on the import path."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }


def final_stats(log: str) -> dict[str, float]:
    """The numeric values of the last ``Dumping Scrapy stats`` block of a crawl log."""
    start = log.rfind("Dumping Scrapy stats:")
    if start < 0:
        return {}
    block = log[start : log.find("}\n", start) + 2]
    return {key: float(value) for key, value in _STAT_RE.findall(block)}


def check_output(run: CrawlRun, output_dir: Path, expected: set[str]) -> None:
    """Count the JSONL lines and canonical URLs of a crawl; record in ``run.errors`` what is wrong."""
    canonical: list[str] = []
    for path in sorted(output_dir.rglob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            canonical += [json.loads(line)["canonical_url"] for line in lines if line.strip()]
    distinct = set(canonical)
    run.lines, run.distinct_canonical = len(canonical), len(distinct)
    run.missing, run.unexpected = len(expected - distinct), len(distinct - expected)
    if run.returncode != 0:
        run.errors.append(f"exit status {run.returncode}")
    if not run.stats:
        run.errors.append("no final stats in the log")
    if run.lines != run.distinct_canonical:
        run.errors.append(f"{run.lines - run.distinct_canonical} articles written more than once")
    if run.missing or run.unexpected:
        run.errors.append(f"{run.missing} articles missing, {run.unexpected} unexpected URLs")


def run_crawl(
    origin: str,
    workdir: Path,
    expected: set[str],
    settings: dict[str, str],
    workers: int | None,
    watch: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> CrawlRun:
    """Crawl the site at ``origin`` in a subprocess writing into ``workdir``; check and return what it did.

    ``watch``, if given, is called with the running process and returns when the process has exited
    (it must reap it, ``returncode`` set); by default the process is simply waited for.
    """
    workdir.mkdir(parents=True)
    output_dir = workdir / "output"
    log_path = workdir / "crawl.log"
    command = crawl_command(origin, output_dir, settings)
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=crawl_env(), stdout=log, stderr=subprocess.STDOUT
        )
        if watch is None:
            process.wait()
        else:
            watch(process)
    wall = time.perf_counter() - started
    text = log_path.read_text("utf-8", errors="replace")
    run = CrawlRun(workers, process.returncode or 0, wall, final_stats(text), 0, 0, 0, 0, str(log_path))
    check_output(run, output_dir, expected)
    return run


def fetch_all(urls: Sequence[str]) -> tuple[Rate, int]:
    """Fetch every URL with ``FETCH_THREADS`` threads; the rate and the bytes received."""

    def fetch(url: str) -> int:
        with urlopen(url, timeout=30) as response:
            return len(response.read())

    started = time.perf_counter()
    with ThreadPoolExecutor(FETCH_THREADS) as pool:
        received = sum(pool.map(fetch, urls))
    return Rate(len(urls), time.perf_counter() - started), received


def extraction_rate(function: Callable[[str, str], object], pages: Sequence[tuple[str, str]]) -> Rate:
    """Time ``function(html, url)`` over every page, after one untimed call."""
    function(*pages[0])
    started = time.perf_counter()
    for html, url in pages:
        function(html, url)
    return Rate(len(pages), time.perf_counter() - started)


def _bare_extraction(html: str, url: str) -> object:
    import trafilatura

    return trafilatura.bare_extraction(html, url=url, with_metadata=True)


def _trafilatura_extract(html: str, url: str) -> object:
    import trafilatura

    return trafilatura.extract(html, url=url)


def _extract_page(html: str, url: str) -> object:
    from crawler.extract import extract_page

    return extract_page(html, url)


def devset_pages(devset: Path, limit: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Up to ``limit`` real pages of the devset spread evenly over it, and up to ``DEVSET_WARMUP_PAGES``
    others to warm up on; each decoded as Scrapy decodes a response, with its URL."""
    from w3lib.encoding import html_to_unicode

    html_dir = devset / "html"
    index = devset / "evaldata.json"
    if index.is_file():
        annotations: dict[str, dict[str, Any]] = json.loads(index.read_text("utf-8"))
        entries = [(f"{annotation['file']}.gz", url) for url, annotation in annotations.items()]
    else:
        entries = [
            (path.name, f"https://devset.invalid/{path.name}") for path in sorted(html_dir.glob("*.gz"))
        ]
    count = min(limit, len(entries))
    chosen = {len(entries) * n // count for n in range(count)} if count else set()
    others = [n for n in range(len(entries)) if n not in chosen]
    warmup = others[:: max(1, len(others) // DEVSET_WARMUP_PAGES)][:DEVSET_WARMUP_PAGES]

    def load(n: int) -> tuple[str, str]:
        name, url = entries[n]
        return html_to_unicode(None, gzip.decompress((html_dir / name).read_bytes()))[1], url

    return [load(n) for n in sorted(chosen)], [load(n) for n in warmup]


def calibrate(devset: Path, generated: Sequence[tuple[str, str]]) -> dict[str, Any] | None:
    """The primary floor and ``extract_page`` on real devset pages and on as many generated ones, timed
    page by page in turn (so that both see the same machine load); None without a devset."""
    if not (devset / "html").is_dir():
        return None
    real, warmup = devset_pages(devset, DEVSET_PAGES)
    if not real or not generated:
        return None
    for html, url in warmup:
        _bare_extraction(html, url)
        _extract_page(html, url)
    sample = [generated[len(generated) * n // len(real)] for n in range(len(real))]
    seconds = dict.fromkeys(("real_bare", "real_ours", "generated_bare", "generated_ours"), 0.0)
    for pair in zip(real, sample, strict=True):
        for which, (html, url) in zip(("real", "generated"), pair, strict=True):
            for name, function in (("bare", _bare_extraction), ("ours", _extract_page)):
                started = time.perf_counter()
                function(html, url)
                seconds[f"{which}_{name}"] += time.perf_counter() - started
    rates = {key: Rate(len(real), value).per_second for key, value in seconds.items()}
    return {
        "devset": str(devset),
        "pages": len(real),
        "real": {
            "bare_extraction_pages_per_s": round(rates["real_bare"], 2),
            "extract_page_pages_per_s": round(rates["real_ours"], 2),
            "extract_page_ratio": round(rates["real_ours"] / rates["real_bare"], 3),
        },
        "generated": {
            "bare_extraction_pages_per_s": round(rates["generated_bare"], 2),
            "extract_page_pages_per_s": round(rates["generated_ours"], 2),
            "extract_page_ratio": round(rates["generated_ours"] / rates["generated_bare"], 3),
        },
        "generated_to_real": round(rates["generated_bare"] / rates["real_bare"], 3),
    }


def served_pages(root: Path, origin: str, paths: Sequence[str]) -> list[tuple[str, str]]:
    """Every article page as the server sends it (the placeholder origin replaced), with its URL."""
    return [
        ((root / path.strip("/") / "index.html").read_text("utf-8").replace(ORIGIN, origin), origin + path)
        for path in paths
    ]


def main(argv: list[str] | None = None) -> int:
    """Generate, serve, measure, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=2000, help="article pages to generate (default 2000)")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[0, 1, 2],
        help="EXTRACT_WORKERS of each crawl (default 0 1 2)",
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated site")
    parser.add_argument(
        "--devset",
        help="devset folder for the calibration on real pages (default: $NEWSCRAWL_DEVSET or ../shared/devset)",
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # extraction warnings about individual pages

    def say(text: str) -> None:
        if not args.json:
            print(text, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="newscrawl-throughput-") as tmp:
        root = Path(tmp) / "site"
        started = time.perf_counter()
        paths = write_site(root, args.pages, seed=args.seed)
        generated = time.perf_counter() - started
        site_bytes = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
        say(f"Generated {len(paths)} articles ({site_bytes / 2**20:.0f} MiB) in {generated:.1f} s")
        local = LocalSite(root).start()
        try:
            urls = [local.origin + path for path in paths]
            server, received = fetch_all(urls)
            say(f"Server: {server.per_second:.0f} pages/s")
            pages = served_pages(root, local.origin, paths)
            bare = extraction_rate(_bare_extraction, pages)
            say(f"trafilatura.bare_extraction with metadata: {bare.per_second:.1f} pages/s")
            body_only = extraction_rate(_trafilatura_extract, pages)
            say(f"trafilatura.extract: {body_only.per_second:.1f} pages/s")
            ours = extraction_rate(_extract_page, pages)
            say(f"extract_page: {ours.per_second:.1f} pages/s")
            calibration = calibrate(resolve_devset(args.devset), pages)
            del pages
            if calibration:
                say(
                    f"Calibration, {calibration['pages']} real / generated pages: bare_extraction "
                    f"{calibration['real']['bare_extraction_pages_per_s']:.1f} / "
                    f"{calibration['generated']['bare_extraction_pages_per_s']:.1f} pages/s"
                )
            crawls = []
            for workers in args.workers:
                run = run_crawl(
                    local.origin,
                    Path(tmp) / f"crawl-{workers}",
                    set(urls),
                    {"EXTRACT_WORKERS": str(workers)},
                    workers,
                )
                say(
                    f"Crawl with EXTRACT_WORKERS={workers}: {run.rate.per_second:.1f} pages/s {run.errors or ''}"
                )
                crawls.append(run)
        finally:
            local.stop()
        report = {
            "pages": len(paths),
            "site_mib": round(site_bytes / 2**20, 1),
            "cores": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "server": {
                "pages_per_s": round(server.per_second, 1),
                "mib_per_s": round(received / 2**20 / server.seconds, 1),
            },
            "bare_extraction": _rate_json(bare, bare),
            "trafilatura_extract": _rate_json(body_only, bare),
            "extract_page": _rate_json(ours, bare),
            "calibration": calibration,
            "crawls": [
                {
                    "extract_workers": run.workers,
                    "workers_in_stats": run.stats.get("newscrawl/extract/workers"),
                    **_rate_json(run.rate, bare),
                    "wall_seconds": round(run.wall_seconds, 2),
                    "lines": run.lines,
                    "distinct_canonical_urls": run.distinct_canonical,
                    "complete": run.complete,
                    "errors": run.errors,
                }
                for run in crawls
            ],
            "scaling": _scaling(crawls),
        }
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            print_table(report)
        return 0 if all(run.complete for run in crawls) else 1


def _rate_json(rate: Rate, floor: Rate) -> dict[str, Any]:
    return {
        "pages": rate.pages,
        "seconds": round(rate.seconds, 2),
        "pages_per_s": round(rate.per_second, 2),
        "ratio_to_bare_extraction": (
            round(rate.per_second / floor.per_second, 3) if floor.per_second else None
        ),
    }


def _scaling(crawls: Sequence[CrawlRun]) -> dict[str, Any] | None:
    by_workers = {run.workers: run for run in crawls}
    most = max((w for w in by_workers if w), default=None)
    if most is None or most == 1 or 1 not in by_workers or not by_workers[1].rate.per_second:
        return None
    return {
        "workers": [most, 1],
        "ratio": round(by_workers[most].rate.per_second / by_workers[1].rate.per_second, 3),
    }


def print_table(report: dict[str, Any]) -> None:
    """The report as Markdown."""
    server = report["server"]
    print(
        f"# Throughput: {report['pages']:,} article pages ({report['site_mib']} MiB), "
        f"{report['cores']} cores, load average {' '.join(map(str, report['load_average']))}\n"
    )
    print(
        f"Local server, {FETCH_THREADS} threads fetching every article page: {server['pages_per_s']:,.0f} pages/s "
        f"({server['mib_per_s']:,.0f} MiB/s).\n"
    )
    calibration = report["calibration"]
    if calibration:
        real, generated = calibration["real"], calibration["generated"]
        print(
            f"Calibration: {calibration['pages']} real pages of the devset ({calibration['devset']}) and "
            f"{calibration['pages']} of the generated ones, timed in turn:\n\n"
            "| pages | `bare_extraction` with metadata, pages/s | `extract_page`, pages/s "
            "| `extract_page` / `bare_extraction` |\n|---|---|---|---|"
        )
        for name, row in (("real (devset)", real), ("generated", generated)):
            print(
                f"| {name} | {row['bare_extraction_pages_per_s']:.1f} | {row['extract_page_pages_per_s']:.1f} "
                f"| {row['extract_page_ratio']:.2f} |"
            )
        print(f"\nGenerated / real, `bare_extraction`: {calibration['generated_to_real']:.2f}.\n")
    else:
        print("No devset found (`--devset`): no calibration on real pages.\n")
    print("| run | pages | seconds | pages/s | × primary floor |")
    print("|---|---|---|---|---|")
    for name, key in (
        (
            "**primary floor**: `trafilatura.bare_extraction(html, url=url, with_metadata=True)`, one process",
            "bare_extraction",
        ),
        ("`trafilatura.extract(html, url=url)` (body only), one process", "trafilatura_extract"),
        ("`extract_page`, one process", "extract_page"),
    ):
        row = report[key]
        print(
            f"| {name} | {row['pages']} | {row['seconds']:.1f} | {row['pages_per_s']:.1f} "
            f"| {row['ratio_to_bare_extraction']:.2f} |"
        )
    for crawl in report["crawls"]:
        where = (
            "in the reactor thread"
            if crawl["extract_workers"] == 0
            else f"{crawl['extract_workers']} worker(s)"
        )
        check = "" if crawl["complete"] else f" **{'; '.join(crawl['errors'])}**"
        print(
            f"| full crawl, EXTRACT_WORKERS={crawl['extract_workers']} ({where}; wall {crawl['wall_seconds']:.1f} s)"
            f"{check} | {crawl['lines']} | {crawl['seconds']:.1f} | {crawl['pages_per_s']:.1f} "
            f"| {crawl['ratio_to_bare_extraction']:.2f} |"
        )
    scaling = report["scaling"]
    if scaling:
        most = scaling["workers"][0]
        print(f"\nFull crawl, {most} workers / 1 worker: {scaling['ratio']:.2f}.")
    print(
        "\nRatios are to the primary floor, trafilatura's `bare_extraction` with metadata (body, title, date, "
        "author: the whole job of the pipeline) in one process. Crawl seconds are Scrapy's "
        "`elapsed_time_seconds` (spider opened to closed); every crawl was checked to write each generated "
        "article exactly once"
        + (" (see the marked rows: it did not)." if not all(c["complete"] for c in report["crawls"]) else ".")
    )


if __name__ == "__main__":
    sys.exit(main())
