"""Distributed crawling: one worker against two workers sharing one Redis, on the same local site.

Usage::

    python benchmarks/distributed.py [--pages 1000] [--extract-workers 1] [--json]

Needs ``redis-server`` on the PATH (``apt-get install redis-server``): the benchmark starts its own on
a free loopback port, with no persistence, and stops it at the end.

1. ``benchmarks/news_site.py`` writes ``--pages`` article pages into a temporary folder, served on
   127.0.0.1 by ``crawler.demo.server.LocalSite``.
2. **One worker**: ``scrapy crawl news -a url=<origin>/ -s REDIS_URL=…`` with politeness off and
   ``EXTRACT_WORKERS=--extract-workers``.
3. **Two workers**: Redis emptied, then the same command started twice at once, each with its own
   ``OUTPUT_DIR``.

The time of a run is from starting its workers to the last one exiting (``REDIS_IDLE_CLOSE=1``, so a
second of each run is the workers waiting for the frontier to stay empty). Each run is checked: the
union of its outputs must hold every generated article exactly once. The table gives pages/s and the
ratio of two workers to one. On one machine, two workers can at best use the cores one worker leaves
idle; on separate machines the ratio is what the frontier allows.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(REPO_ROOT))

import redis  # noqa: E402

from benchmarks.news_site import write_site  # noqa: E402
from benchmarks.throughput import crawl_command, crawl_env  # noqa: E402
from crawler.demo.server import LocalSite  # noqa: E402


@dataclass
class DistributedRun:
    """What the workers of one distributed crawl wrote, and how fast."""

    workers: int
    seconds: float
    written: int
    distinct: int
    missing: int
    exit_codes: list[int]

    @property
    def pages_per_second(self) -> float:
        """Articles written per second."""
        return self.written / self.seconds if self.seconds else 0.0

    @property
    def exact(self) -> bool:
        """Every article exactly once, and every worker succeeded."""
        return self.written == self.distinct and not self.missing and not any(self.exit_codes)


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A redis-server on a free loopback port; the process and its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return process, url
        except redis.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"redis-server did not start on port {port}")


def crawl(
    origin: str, redis_url: str, workdir: Path, workers: int, settings: dict[str, str], expected: set[str]
) -> DistributedRun:
    """Run ``workers`` crawl processes at once against one Redis; check the union of their outputs."""
    redis.Redis.from_url(redis_url).flushdb()
    workdir.mkdir(parents=True)
    processes = []
    started = time.perf_counter()
    for number in range(workers):
        output_dir = workdir / f"worker-{number}"
        with (workdir / f"worker-{number}.log").open("wb") as log:
            processes.append(
                subprocess.Popen(
                    crawl_command(origin, output_dir, {**settings, "REDIS_URL": redis_url}),
                    cwd=REPO_ROOT,
                    env=crawl_env(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    codes = [process.wait() for process in processes]
    seconds = time.perf_counter() - started
    canonical = [
        json.loads(line)["canonical_url"]
        for path in sorted(workdir.rglob("*.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    missing = len(expected - set(canonical))
    return DistributedRun(workers, seconds, len(canonical), len(set(canonical)), missing, codes)


def main(argv: list[str] | None = None) -> int:
    """Generate, serve, crawl with one worker and with two, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=1000, help="article pages to generate (default 1000)")
    parser.add_argument(
        "--extract-workers", type=int, default=1, help="EXTRACT_WORKERS of each crawl worker (default 1)"
    )
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    args = parser.parse_args(argv)
    settings = {"EXTRACT_WORKERS": str(args.extract_workers), "REDIS_IDLE_CLOSE": "1"}
    with tempfile.TemporaryDirectory(prefix="newscrawl-distributed-") as tmp:
        root = Path(tmp) / "site"
        paths = write_site(root, args.pages)
        site = LocalSite(root).start()
        server, redis_url = start_redis(Path(tmp))
        try:
            expected = {site.origin + path for path in paths}
            runs = [
                crawl(site.origin, redis_url, Path(tmp) / f"run-{workers}", workers, settings, expected)
                for workers in (1, 2)
            ]
        finally:
            server.terminate()
            server.wait()
            site.stop()
    ratio = runs[1].pages_per_second / runs[0].pages_per_second if runs[0].pages_per_second else 0.0
    if args.json:
        print(json.dumps({"runs": [asdict(run) for run in runs], "ratio_2_to_1": round(ratio, 3)}, indent=2))
    else:
        print(f"{args.pages} articles, EXTRACT_WORKERS={args.extract_workers} per crawl worker\n")
        print("| crawl workers | seconds | pages/s | written | distinct | missing | exit codes |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for run in runs:
            print(
                f"| {run.workers} | {run.seconds:.1f} | {run.pages_per_second:.1f} | {run.written} | "
                f"{run.distinct} | {run.missing} | {run.exit_codes} |"
            )
        print(f"\ntwo workers / one worker: {ratio:.2f}")
    return 0 if all(run.exact for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
