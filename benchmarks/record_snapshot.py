"""Records of two reference crawls, without times and ids: a check that a change kept the crawl's behaviour.

Usage::

    python benchmarks/record_snapshot.py --write before.json     # before a change
    python benchmarks/record_snapshot.py --compare before.json   # after it: exit 1 and a diff when different

Crawls, each in a fresh output folder with the tests' fast settings (no politeness delay):

1. the bundled demo (``scrapy crawl news``, the README's first command);
2. the end-to-end test site ``tests/site``, served on a loopback port.

Each record is kept without the fields that change from run to run (``fetched_at``, ``first_seen``,
``crawl_id``), with the test site's origin replaced by a placeholder, sorted by canonical URL.
"""

from __future__ import annotations

import argparse
import difflib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from crawler.demo.server import LocalSite  # noqa: E402 - after the path set-up

TEST_SITE = REPO_ROOT / "tests" / "site"
ORIGIN_PLACEHOLDER = "http://test-site.invalid"
RUN_FIELDS = ("fetched_at", "first_seen", "crawl_id")
FAST_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "ALLOW_PRIVATE_ADDRESSES": "True",
}


def crawl(output_dir: Path, *args: str) -> list[dict[str, Any]]:
    """Run ``scrapy crawl news ARGS`` into ``output_dir``; its records in file order."""
    command = [sys.executable, "-m", "scrapy", "crawl", "news", *args]
    for key, value in {**FAST_SETTINGS, "OUTPUT_DIR": str(output_dir)}.items():
        command += ["-s", f"{key}={value}"]
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(
            f"crawl {' '.join(args) or '(demo)'} exited {done.returncode}:\n{done.stderr[-3000:]}"
        )
    return [
        json.loads(line)
        for path in sorted(output_dir.rglob("*.jsonl"))
        for line in path.open(encoding="utf-8")
    ]


def stable(records: list[dict[str, Any]], origin: str | None = None) -> list[dict[str, Any]]:
    """Records without run-specific fields, the origin replaced, sorted by canonical URL."""
    kept = []
    for record in records:
        text = json.dumps({k: v for k, v in record.items() if k not in RUN_FIELDS}, ensure_ascii=False)
        if origin:
            text = text.replace(origin, ORIGIN_PLACEHOLDER)
        kept.append(json.loads(text))
    return sorted(kept, key=lambda record: str(record["canonical_url"]))


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """The stable records of the demo crawl and of the test-site crawl."""
    with tempfile.TemporaryDirectory() as work:
        demo = stable(crawl(Path(work) / "demo"))
        site = LocalSite(TEST_SITE).start()
        try:
            test_site = stable(crawl(Path(work) / "site", "-a", f"url={site.origin}/"), site.origin)
        finally:
            site.stop()
    return {"demo": demo, "test_site": test_site}


def main() -> int:
    """Write or compare a snapshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write the snapshot to this file")
    group.add_argument("--compare", type=Path, help="compare with the snapshot in this file")
    args = parser.parse_args()
    current = snapshot()
    text = json.dumps(current, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if args.write:
        args.write.write_text(text, "utf-8")
        print(f"{sum(map(len, current.values()))} records written to {args.write}")
        return 0
    expected = args.compare.read_text("utf-8")
    if expected == text:
        print(f"identical: {', '.join(f'{name} {len(rows)} records' for name, rows in current.items())}")
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "before", "now")
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
