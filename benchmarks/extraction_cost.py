"""Extraction cost: ``extract_article`` beside bare trafilatura on the same real pages, in one process.

Usage::

    python benchmarks/extraction_cost.py [--devset DIR] [--readability DIR] [--limit N] [--repeat 2]
                                         [--profile] [--json]

The pages are the devset's (``--devset``, else ``$NEWSCRAWL_DEVSET``, else ``../shared/devset``: its
``html/*.gz`` with the URLs of ``evaldata.json``) and Mozilla Readability's test pages
(``--readability``, else ``../shared/readability``: ``pages/<name>/source.html.gz``, at
``https://<name>.example/article`` since no URL is recorded), each decoded to ``str`` as Scrapy decodes a
response (``w3lib.encoding.html_to_unicode``), as the crawl hands pages to extraction. ``--limit`` takes
that many pages spread evenly over each corpus.

The two sides, on the same ``(html, url)``:

- **ours**: ``crawler.extract.extract_article(html, url)``, the record the crawl writes (None for a
  page that is no article);
- **bare trafilatura**: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)`` with its
  defaults: body and metadata (title, author, date), the same job, on one core.

Everything runs in this one process, on one core. After an untimed pass over every page (the first
calls of ``dateparser`` and of the language profiles cost seconds, and both sides' caches fill), each
round times the two sides page by page in turn, the side that goes first alternating from page to
page, so that machine load and warm caches hit both alike. A page costs what the process spent on it
in CPU time (``time.process_time``: what another process takes of the core does not count; wall time
is shown beside it). The result is **our cost ratio**: our CPU seconds over bare trafilatura's on the
same pages, per round; ``--repeat`` rounds give its range. A page that raises counts its time and the
error.

``--profile`` then runs ``extract_article`` once more over every page under ``cProfile`` and prints where
its time goes: the functions ``extract_page`` and ``parse_page`` call (trafilatura, title, body,
bylines, dates, language…) with the cumulative time spent in them from there, and one level into
trafilatura's ``bare_extraction`` (its content extraction and fallbacks), and the parts of the metadata
``PageMetadata`` reads on demand (trafilatura's author search, htmldate, tags). A lazily computed part of
the page (``PageContext``'s headline, site names, those metadata parts) is charged to the first stage that
asks for it. Profiling slows every call alike, so read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import logging
import os
import pstats
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: this checkout's ``crawler``, not an installed one
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.extraction_quality import resolve_devset  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

READABILITY_ENV = "NEWSCRAWL_READABILITY"
DEFAULT_READABILITY = REPO_ROOT.parent / "shared" / "readability"
PROFILED_CALLERS = ("extract_page", "parse_page")  # the stages are what these call
# and, one level down each, what trafilatura spends its time on: content extraction, fallbacks
EXPANDED = ("bare_extraction", "trafilatura_sequence")
# trafilatura's and htmldate's metadata, read on demand by the stages (``PageMetadata``)
METADATA_MODULE = REPO_ROOT / "crawler" / "extract" / "metadata.py"
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "crawler")


@dataclass(frozen=True)
class Page:
    """A page as the crawl hands it to extraction: decoded HTML and its URL; ``corpus`` it came from."""

    corpus: str
    url: str
    html: str


@dataclass
class Side:
    """One side's time over a round: CPU and wall seconds, pages, errors."""

    cpu: float = 0.0
    wall: float = 0.0
    pages: int = 0
    errors: list[str] = field(default_factory=list)

    def rate(self) -> float:
        """Pages per CPU second."""
        return self.pages / self.cpu if self.cpu else 0.0

    def wall_rate(self) -> float:
        """Pages per wall second."""
        return self.pages / self.wall if self.wall else 0.0


def _decoded(raw: bytes) -> str:
    from w3lib.encoding import html_to_unicode

    return html_to_unicode(None, raw)[1]


def _spread(items: list[Any], limit: int | None) -> list[Any]:
    if limit is None or limit >= len(items):
        return items
    return [items[len(items) * n // limit] for n in range(limit)]


def devset_pages(devset: Path, limit: int | None) -> list[Page]:
    """The devset's pages with their URLs (none when the folder is missing)."""
    index = devset / "evaldata.json"
    if not index.is_file():
        return []
    annotations: dict[str, dict[str, Any]] = json.loads(index.read_text("utf-8"))
    entries = sorted((annotation["file"], url) for url, annotation in annotations.items())
    return [
        Page("devset", url, _decoded(gzip.decompress((devset / "html" / f"{name}.gz").read_bytes())))
        for name, url in _spread(entries, limit)
        if (devset / "html" / f"{name}.gz").is_file()
    ]


def readability_pages(folder: Path, limit: int | None) -> list[Page]:
    """Readability's test pages, each at ``https://<name>.example/article`` (none when the folder is missing)."""
    sources = sorted((folder / "pages").glob("*/source.html.gz"))
    return [
        Page(
            "readability",
            f"https://{source.parent.name}.example/article",
            _decoded(gzip.decompress(source.read_bytes())),
        )
        for source in _spread(sources, limit)
    ]


def _ours(html: str, url: str) -> object:
    from crawler.extract import extract_article

    return extract_article(html, url)


def _bare(html: str, url: str) -> object:
    from trafilatura import bare_extraction

    return bare_extraction(html, url=url, with_metadata=True)


SIDES: dict[str, Callable[[str, str], object]] = {"ours": _ours, "trafilatura": _bare}


def _timed(side: Side, function: Callable[[str, str], object], page: Page) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    try:
        function(page.html, page.url)
    except Exception as error:  # noqa: BLE001 - a page that raises is counted, not fatal
        side.errors.append(f"{page.url}: {type(error).__name__}: {error}")
    side.cpu += time.process_time() - cpu
    side.wall += time.perf_counter() - wall
    side.pages += 1


def timed_round(pages: Sequence[Page]) -> dict[str, Side]:
    """Both sides over every page, in turn page by page, the first side alternating."""
    sides = {name: Side() for name in SIDES}
    order = list(SIDES)
    for number, page in enumerate(pages):
        for name in order if number % 2 == 0 else order[::-1]:
            _timed(sides[name], SIDES[name], page)
    return sides


def warm_up(pages: Sequence[Page]) -> None:
    """One untimed call of each side per page."""
    for page in pages:
        for function in SIDES.values():
            try:
                function(page.html, page.url)
            except Exception:  # noqa: BLE001, S112 - counted in the timed rounds
                continue


def round_report(sides: dict[str, Side]) -> dict[str, Any]:
    """One round as JSON: each side's rates, and our cost ratio (CPU and wall)."""
    ours, bare = sides["ours"], sides["trafilatura"]
    return {
        "ours_pages_per_cpu_s": round(ours.rate(), 2),
        "trafilatura_pages_per_cpu_s": round(bare.rate(), 2),
        "cost_ratio": round(ours.cpu / bare.cpu, 3) if bare.cpu else None,
        "ours_pages_per_wall_s": round(ours.wall_rate(), 2),
        "trafilatura_pages_per_wall_s": round(bare.wall_rate(), 2),
        "wall_cost_ratio": round(ours.wall / bare.wall, 3) if bare.wall else None,
        "errors": {"ours": ours.errors, "trafilatura": bare.errors},
    }


def _label(function: tuple[str, int, str]) -> str:
    """``module.function`` of a profiled function (the module relative to the repository or site-packages)."""
    path, _, name = function
    if path in {"~", ""}:  # a built-in
        return name
    parts = Path(path).with_suffix("").parts
    if "site-packages" in parts:
        parts = parts[parts.index("site-packages") + 1 :]
    elif Path(path).is_relative_to(REPO_ROOT):
        parts = Path(path).relative_to(REPO_ROOT).with_suffix("").parts
    else:
        parts = parts[-1:]
    return ".".join([*(part for part in parts if part != "__init__"), name])


def profile(pages: Sequence[Page], top: int = 25) -> dict[str, Any]:
    """Where ``extract_article``'s time goes: the stages ``PROFILED_CALLERS`` call, and trafilatura's."""
    profiler = cProfile.Profile()
    profiler.enable()
    for page in pages:
        try:
            _ours(page.html, page.url)
        except Exception:  # noqa: BLE001, S112 - counted in the timed rounds
            continue
    profiler.disable()
    stats: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(ct for (_, _, name), (_, _, _, ct, _) in stats.items() if name == "extract_article")

    def callees(callers: Sequence[str]) -> list[dict[str, Any]]:
        found: dict[str, float] = {}
        for function, (_, _, _, _, by_caller) in stats.items():
            if function[2] in callers:  # a stage's own callees are listed, not the stage
                continue
            for caller, (_, _, _, ct) in by_caller.items():
                if caller[2] in callers:
                    found[_label(function)] = found.get(_label(function), 0.0) + ct
        ranked = [
            item for item in sorted(found.items(), key=lambda item: -item[1])[:top] if item[1] >= 0.0005
        ]
        return [
            {
                "function": name,
                "seconds": round(seconds, 3),
                "share": round(seconds / total, 3) if total else 0,
            }
            for name, seconds in ranked
        ]

    on_demand = sorted(
        (
            (_label(function), ct)
            for function, (_, _, _, ct, _) in stats.items()
            if Path(function[0]) == METADATA_MODULE and not function[2].startswith("<")
        ),
        key=lambda item: -item[1],
    )
    return {
        "pages": len(pages),
        "seconds": round(total, 2),
        "stages": callees(PROFILED_CALLERS),
        **{f"in {name}": callees((name,)) for name in EXPANDED},
        "in PageMetadata": [
            {
                "function": name,
                "seconds": round(seconds, 3),
                "share": round(seconds / total, 3) if total else 0,
            }
            for name, seconds in on_demand
        ],
    }


def main(argv: list[str] | None = None) -> int:
    """Load the pages, warm up, time the rounds, print the table (and the profile)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devset", help="devset folder (default: $NEWSCRAWL_DEVSET or ../shared/devset)")
    parser.add_argument(
        "--readability",
        help="Readability pages folder (default: $NEWSCRAWL_READABILITY or ../shared/readability)",
    )
    parser.add_argument("--limit", type=int, help="at most this many pages of each corpus, spread evenly")
    parser.add_argument("--repeat", type=int, default=2, help="timed rounds (default 2)")
    parser.add_argument("--profile", action="store_true", help="also profile extract_article by stage")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON instead of a table")
    args = parser.parse_args(argv)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    readability = Path(args.readability or os.environ.get(READABILITY_ENV) or DEFAULT_READABILITY)
    pages = devset_pages(resolve_devset(args.devset), args.limit) + readability_pages(readability, args.limit)
    if not pages:
        print("No pages: neither the devset nor the Readability pages were found", file=sys.stderr)
        return 0
    warm_up(pages)
    rounds = [round_report(timed_round(pages)) for _ in range(max(1, args.repeat))]
    report: dict[str, Any] = {
        "pages": {corpus: sum(p.corpus == corpus for p in pages) for corpus in ("devset", "readability")},
        "rounds": rounds,
    }
    if args.profile:
        report["profile"] = profile(pages)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_report(report)
    return 0


def print_report(report: dict[str, Any]) -> None:
    """The report as Markdown."""
    counts = report["pages"]
    print(
        f"# Extraction cost: {counts['devset']} devset + {counts['readability']} Readability pages, "
        "one process, the two sides alternated page by page\n"
    )
    print("| round | extract_article pages/s | bare_extraction pages/s | our cost (CPU) | our cost (wall) |")
    print("|---|---|---|---|---|")
    for number, row in enumerate(report["rounds"], 1):
        print(
            f"| {number} | {row['ours_pages_per_cpu_s']:.1f} | {row['trafilatura_pages_per_cpu_s']:.1f} "
            f"| **{row['cost_ratio']:.2f}x** | {row['wall_cost_ratio']:.2f}x |"
        )
    ratios = [row["cost_ratio"] for row in report["rounds"]]
    print(
        f"\nOur cost ratio: {min(ratios):.2f}-{max(ratios):.2f}x bare trafilatura (CPU seconds, same pages)."
    )
    for side in ("ours", "trafilatura"):
        errors = [e for row in report["rounds"] for e in row["errors"][side]]
        if errors:
            print(f"{side}: {len(errors)} page calls raised, e.g. {errors[0]}")
    if "profile" in report:
        profiled = report["profile"]
        print(f"\n## Where extract_article's time goes ({profiled['pages']} pages under cProfile)\n")
        titles = {"stages": "stage (called by extract_page / parse_page)"}
        for key in [key for key in profiled if key == "stages" or key.startswith("in ")]:
            print(f"| {titles.get(key, key)} | seconds | share of extract_article |")
            print("|---|---|---|")
            for row in profiled[key]:
                print(f"| `{row['function']}` | {row['seconds']:.2f} | {100 * row['share']:.0f} % |")
            print()


if __name__ == "__main__":
    sys.exit(main())
