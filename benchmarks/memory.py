"""Crawl memory: the peak RSS of crawls of 1,000 and 20,000 articles, and their ratio, in one run.

Usage::

    python benchmarks/memory.py [--sizes 1000 20000] [--page-kb 12 16] [--seed 0] [--target 1.5] [--json]

For each size, ``benchmarks/news_site.py`` writes a site of that many articles into a temporary
folder, ``crawler.demo.server.LocalSite`` serves it on 127.0.0.1 from this process, and
``scrapy crawl news`` crawls it in a subprocess exactly as ``benchmarks/throughput.py`` does
(politeness off, 32 concurrent requests, a fresh ``OUTPUT_DIR`` and state file), with the default
``EXTRACT_WORKERS`` (one worker process per core) and ``MEMUSAGE_ENABLED=True``. Every crawl is
checked to write each article exactly once. The pages are smaller than real ones (12-16 KiB, the
generator's compact layout: a short menu and footer, 3 to 8 paragraphs, no inline bundle) so that
20,000 of them crawl in minutes; the number of pages, requests, items and state rows is what grows
with the size of a crawl, not the size of a page. A run takes about six minutes on two cores.

Memory is read in three ways, each covering something else:

- **main, memusage/max**: Scrapy's MemoryUsage extension, from the crawl's final stats: the
  ``ru_maxrss`` of the crawl process itself (``RUSAGE_SELF``: not its children), sampled every
  second (``MEMUSAGE_CHECK_INTERVAL_SECONDS=1``; the default 60 s would miss the end of a short crawl).
- **/proc**: this script reads ``VmHWM`` (peak RSS) and ``VmRSS`` of the crawl process and of every
  process under it (``/proc/<pid>/task/*/children``) four times a second: the main process's peak
  (to check Scrapy's figure), the largest peak of one extraction worker (``multiprocessing``'s spawned
  processes) and how many there were, and the largest sum of the RSS of the whole tree at one moment
  (pages shared between processes are counted in each).
- **wait4**: ``ru_maxrss`` of ``os.wait4`` on the crawl process: the largest peak RSS of any one
  process of the tree that was waited for (the crawl process and the workers it joined), not a sum.

The ratio largest size / smallest size of the main process's peak is compared with ``--target``
(1.5); the exit status is 1 when it is above the target or a crawl was incomplete.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.news_site import write_site  # noqa: E402
from benchmarks.throughput import CrawlRun, run_crawl  # noqa: E402
from crawler.demo.server import LocalSite  # noqa: E402

if TYPE_CHECKING:
    import subprocess

MIB = 2**20
SAMPLE_EVERY = 0.25
SETTINGS = {"MEMUSAGE_ENABLED": "True", "MEMUSAGE_CHECK_INTERVAL_SECONDS": "1"}


def _status_kib(pid: int) -> dict[str, int]:
    values = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:  # noqa: PTH123
            for line in status:
                if line.startswith(("VmHWM:", "VmRSS:")):
                    key, value = line.split(":", 1)
                    values[key] = int(value.split()[0])
    except OSError:  # the process is gone
        return {}
    return values


def _children(pid: int) -> list[int]:
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in children.read_text().split()]
        except OSError:
            continue
    return found


def _role(pid: int, root: int) -> str:
    if pid == root:
        return "main"
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return "other"
    if b"resource_tracker" in command:
        return "tracker"
    return "worker" if b"multiprocessing" in command or b"spawn_main" in command else "other"


@dataclass
class TreeSampler:
    """Samples ``VmHWM`` and ``VmRSS`` of a process and its descendants from ``/proc`` in a thread."""

    root: int
    peaks: dict[int, int] = field(default_factory=dict)  # pid -> VmHWM, KiB
    roles: dict[int, str] = field(default_factory=dict)
    tree_rss_peak: int = 0  # KiB
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        """Start sampling."""
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling (after one last sample)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(SAMPLE_EVERY):
                return

    def sample(self) -> None:
        """Read every process of the tree once."""
        pending, total = [self.root], 0
        while pending:
            pid = pending.pop()
            values = _status_kib(pid)
            if not values:
                continue
            if pid not in self.roles:
                self.roles[pid] = _role(pid, self.root)
            self.peaks[pid] = max(self.peaks.get(pid, 0), values.get("VmHWM", 0))
            total += values.get("VmRSS", 0)
            pending += _children(pid)
        self.tree_rss_peak = max(self.tree_rss_peak, total)

    def peak(self, role: str) -> int:
        """The largest VmHWM among the processes of ``role``, in KiB."""
        return max((kib for pid, kib in self.peaks.items() if self.roles.get(pid) == role), default=0)

    def count(self, role: str) -> int:
        """How many processes of ``role`` were seen."""
        return sum(1 for r in self.roles.values() if r == role)


@dataclass
class MemoryRun:
    """One crawl's memory figures, in MiB."""

    articles: int
    crawl: CrawlRun
    sampler: TreeSampler
    wait4_maxrss_kib: int

    def as_json(self) -> dict[str, Any]:
        """The figures as a JSON object."""
        stats = self.crawl.stats
        return {
            "articles": self.articles,
            "crawl_seconds": round(self.crawl.elapsed, 1),
            "workers_in_stats": stats.get("newscrawl/extract/workers"),
            "main_memusage_max_mib": round(stats.get("memusage/max", 0) / MIB, 1),
            "main_memusage_startup_mib": round(stats.get("memusage/startup", 0) / MIB, 1),
            "main_vmhwm_mib": round(self.sampler.peak("main") / 1024, 1),
            "worker_vmhwm_mib": round(self.sampler.peak("worker") / 1024, 1),
            "workers_seen": self.sampler.count("worker"),
            "tree_rss_peak_mib": round(self.sampler.tree_rss_peak / 1024, 1),
            "wait4_maxrss_mib": round(self.wait4_maxrss_kib / 1024, 1),
            "lines": self.crawl.lines,
            "complete": self.crawl.complete,
            "errors": self.crawl.errors,
        }


def measure(articles: int, page_kb: tuple[int, int], seed: int, say: Any) -> MemoryRun:
    """Generate, serve and crawl a site of ``articles`` articles, sampling the crawl's memory."""
    with tempfile.TemporaryDirectory(prefix="newscrawl-memory-") as tmp:
        root = Path(tmp) / "site"
        started = time.perf_counter()
        paths = write_site(root, articles, seed=seed, page_kb=page_kb)
        say(f"Generated {articles:,} articles in {time.perf_counter() - started:.1f} s; crawling")
        local = LocalSite(root).start()
        holder: dict[str, Any] = {}

        def watch(process: subprocess.Popen[bytes]) -> None:
            sampler = TreeSampler(process.pid)
            sampler.start()
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            sampler.stop()
            holder.update(sampler=sampler, maxrss=usage.ru_maxrss)

        try:
            crawl = run_crawl(
                local.origin, Path(tmp) / "crawl", {local.origin + p for p in paths}, SETTINGS, None, watch
            )
        finally:
            local.stop()
    run = MemoryRun(articles, crawl, holder["sampler"], holder["maxrss"])
    say(json.dumps(run.as_json()))
    return run


def main(argv: list[str] | None = None) -> int:
    """Crawl each size, print the table and the ratio."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20_000], help="articles per site")
    parser.add_argument("--page-kb", type=int, nargs=2, default=(12, 16), metavar=("MIN", "MAX"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--target", type=float, default=1.5, help="largest acceptable peak ratio (default 1.5)"
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)

    def say(text: str) -> None:
        if not args.json:
            print(text, file=sys.stderr, flush=True)

    runs = [measure(size, (args.page_kb[0], args.page_kb[1]), args.seed, say) for size in sorted(args.sizes)]
    rows = [run.as_json() for run in runs]
    small, large = rows[0], rows[-1]

    def ratio(key: str) -> float | None:
        return round(large[key] / small[key], 3) if small[key] else None

    report = {
        "page_kb": list(args.page_kb),
        "cores": os.cpu_count(),
        "runs": rows,
        "ratios": {
            key: ratio(key) for key in ("main_memusage_max_mib", "worker_vmhwm_mib", "tree_rss_peak_mib")
        },
        "target": args.target,
    }
    main_ratio = report["ratios"]["main_memusage_max_mib"]
    passed = main_ratio is not None and main_ratio <= args.target and all(r["complete"] for r in rows)
    report["passed"] = passed
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)
    return 0 if passed else 1


def print_table(report: dict[str, Any]) -> None:
    """The report as Markdown."""
    low, high = report["page_kb"]
    print(f"# Crawl memory: pages of {low}-{high} KiB, {report['cores']} cores, default EXTRACT_WORKERS\n")
    print(
        "| articles | crawl s | main: memusage/max | main: VmHWM | one worker: VmHWM (workers) "
        "| tree: RSS sum peak | wait4 ru_maxrss | written |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in report["runs"]:
        written = f"{row['lines']:,}" + ("" if row["complete"] else f" **{'; '.join(row['errors'])}**")
        print(
            f"| {row['articles']:,} | {row['crawl_seconds']:.0f} | {row['main_memusage_max_mib']:.0f} MiB "
            f"| {row['main_vmhwm_mib']:.0f} MiB | {row['worker_vmhwm_mib']:.0f} MiB ({row['workers_seen']}) "
            f"| {row['tree_rss_peak_mib']:.0f} MiB | {row['wait4_maxrss_mib']:.0f} MiB | {written} |"
        )
    ratios = report["ratios"]
    sizes = f"{report['runs'][-1]['articles']:,} / {report['runs'][0]['articles']:,}"
    verdict = "within" if report["passed"] else "NOT within"
    print(
        f"\nPeak ratio {sizes}: main process {_x(ratios['main_memusage_max_mib'])} ({verdict} the target "
        f"{report['target']}), one worker {_x(ratios['worker_vmhwm_mib'])}, whole tree "
        f"{_x(ratios['tree_rss_peak_mib'])}."
    )


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


if __name__ == "__main__":
    sys.exit(main())
