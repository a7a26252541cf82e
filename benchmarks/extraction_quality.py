"""Extraction quality gate: newscrawl beside bare trafilatura on four corpora, in tuning and validation parts.

Usage::

    python benchmarks/extraction_quality.py [--check] [--ours-only] [--write-floors] [--floors FILE]
        [--corpus NAME ...] [--part tuning|validation|bundled] [--limit N] [--jobs N] [--json OUT]
        [--devset PATH] [--wcxb PATH] [--readability PATH] [--quiet]

The corpora (``benchmarks/quality/corpora.py``) are the devset, WCXB's dev split, Mozilla Readability's
test pages and the bundled sites' pages; each is found under ``../shared`` beside the repository, or where
its option or environment variable says (``NEWSCRAWL_DEVSET``, ``NEWSCRAWL_WCXB``,
``NEWSCRAWL_READABILITY``). A missing corpus is skipped. Devset and WCXB pages are split by a hash of the
URL into a tuning part (rules are developed on it) and a validation part (looked at only in aggregate:
it says whether the rules hold on pages they were not written for); Readability is validation only.

Both systems (``benchmarks/quality/systems.py``) run on the same bytes, in ``--jobs`` worker processes;
``--ours-only`` leaves trafilatura out (what CI runs: the floors apply to newscrawl only). The scores
(``benchmarks/quality/scoring.py``), for both systems alike, where a page that is not kept counts as empty:

- **devset**: body segment precision, recall and F1 (micro, over every ``with`` / ``without`` segment);
  author exact and author names (set); date (day); title exact and loose.
- **wcxb** (its 711 articles): word precision, recall and F1 of the body against ``main_content``
  (per page, averaged), the same F1 over the kept pages only, the share of ``with`` snippets found and of
  ``without`` snippets left out; author name F1 (per page, averaged); date (day); title exact and loose.
- **readability**: as WCXB against the text of ``expected.html`` (byline names against its byline), and
  the language against its ``lang``.
- **Article detection**, on every corpus: the share of articles kept (``kept``) and of other pages rejected,
  by page type (``rejected_listing``…), with totals per part (``all/<part>/…``).
- **Speed**: pages per second of each system on a fixed sample of devset and WCXB pages (both systems run
  on it in every run, in turn in the same worker); the ratio is ours / trafilatura's.

Each value is named ``<corpus>/<part>/<metric>`` (``devset/validation/body_f1``). Floors
(``benchmarks/quality_floors.json``) are a JSON object ``name -> minimum``, pinned from the validation
parts only. ``--check`` exits 1 listing every value below its floor, and every floor whose value was not
measured (unless the run was partial: ``--corpus``, ``--part``, ``--limit`` or a missing corpus).
``--write-floors`` writes the current validation values: each rounded *down* to 3 decimals minus a margin of
0.005; the ``speed_ratio`` floor is half the measured ratio (rounded down), because machines and their
load vary. With both flags the check runs first, against the floors as they were.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: score the checkout this file stands in
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks.quality import corpora  # noqa: E402
from benchmarks.quality.corpora import (  # noqa: E402
    BUNDLED,
    DEFAULT_DEVSET,
    DEVSET_ENV,
    TUNING,
    VALIDATION,
    Page,
    resolve_devset,
)
from benchmarks.quality.scoring import (  # noqa: E402
    Mean,
    Ratio,
    SegmentCounts,
    author_exact,
    author_names_match,
    byline_names,
    date_match,
    language_match,
    name_f1,
    score_segments,
    title_exact,
    title_loose,
    word_scores,
    words,
)
from benchmarks.quality.systems import OURS, TRAFILATURA, Extracted, extract, prepare, quiet  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = ["DEFAULT_DEVSET", "DEVSET_ENV", "resolve_devset"]

DEFAULT_FLOORS = REPO_ROOT / "benchmarks" / "quality_floors.json"
QUALITY_MARGIN = 0.005
SPEED_FLOOR_FACTOR = 0.5
SPEED_RATIO = "speed_ratio"
SPEED_PAGES = 200  # the speed sample: this many devset and WCXB pages, spread evenly
FLOORED_PARTS = (VALIDATION, BUNDLED)
ALL = "all"  # the detection totals over every corpus of a part

# Every metric, in the order of the tables, with its label.
METRIC_LABELS = {
    "kept": "kept (an article with a body)",
    "body_precision": "body precision",
    "body_recall": "body recall",
    "body_f1": "body F1",
    "body_f1_kept": "body F1 (kept pages)",
    "with_found": "with-snippets found",
    "without_absent": "without-snippets absent",
    "author_exact": "author exact",
    "author_names": "author names (set)",
    "author_f1": "author names (F1 per page)",
    "date_day": "date (day)",
    "title_exact": "title exact",
    "title_loose": "title (case/punct.)",
    "language": "language",
}
# What article detection must reach: articles kept, other pages rejected, listings and collections rejected.
TARGETS = {"kept": 0.99, "rejected": 0.90, "rejected_listings": 0.97}
LISTING_TYPES = ("listing", "collection")
LANGUAGE_SYSTEMS = (OURS,)  # bare trafilatura names no language unless it is asked for one


# --------------------------------------------------------------------------- tallies


@dataclass
class Tally:
    """Running totals of one system on one part of one corpus: ratios, means and segment counts, by metric."""

    ratios: dict[str, Ratio] = field(default_factory=dict)
    means: dict[str, Mean] = field(default_factory=dict)
    segments: dict[str, SegmentCounts] = field(default_factory=dict)
    pages: int = 0
    errors: int = 0

    def add(self, values: Mapping[str, bool | float | SegmentCounts]) -> None:
        """Add one page's values: a bool counts towards a ratio, a number towards a mean."""
        for name, value in values.items():
            if isinstance(value, SegmentCounts):
                self.segments.setdefault(name, SegmentCounts()).add(value)
            elif isinstance(value, bool):
                self.ratios.setdefault(name, Ratio()).add(value)
            else:
                self.means.setdefault(name, Mean()).add(value)

    def merge(self, other: Tally, names: Iterable[str], into: str | None = None) -> None:
        """Add the ratios ``names`` of another tally to this one's, each under its name or all ``into`` one."""
        for name in names:
            if ratio := other.ratios.get(name):
                self.ratios.setdefault(into or name, Ratio()).extend(ratio)

    def metrics(self) -> dict[str, float | None]:
        """Every value by metric name; segment counts give body precision/recall/F1 or the snippet shares."""
        values: dict[str, float | None] = {}
        if body := self.segments.get("body"):
            values |= {"body_precision": body.precision, "body_recall": body.recall, "body_f1": body.f1}
        if snippets := self.segments.get("snippets"):
            values |= {"with_found": snippets.recall, "without_absent": snippets.absent}
        values |= {name: mean.value for name, mean in self.means.items()}
        values |= {name: ratio.value for name, ratio in self.ratios.items()}
        return values

    def cell(self, name: str) -> str:
        """A metric for a table: a ratio with its counts, a mean with its number of pages."""
        if ratio := self.ratios.get(name):
            return f"{ratio.value:.3f} ({ratio.hits}/{ratio.total})" if ratio.value is not None else "n/a"
        value = self.metrics().get(name)
        return "n/a" if value is None else f"{value:.3f}"


# --------------------------------------------------------------------------- scoring one page


def _type_key(page_type: str) -> str:
    return "rejected_" + page_type.replace(" ", "_")


def detection_values(page: Page, got: Extracted) -> dict[str, bool]:
    """An article must be kept; any other page rejected (counted by its type too)."""
    if page.is_article:
        return {"kept": got.kept}
    return {"rejected": not got.kept, _type_key(page.page_type): not got.kept}


def _common_fields(labels: Mapping[str, Any], got: Extracted, authors: list[str] | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if authors:
        values["author_f1"] = name_f1(got.authors, authors)
    if date := labels.get("date"):
        values["date_day"] = date_match(got.date, date)
    if title := labels.get("title"):
        values["title_exact"] = title_exact(got.title, title)
        values["title_loose"] = title_loose(got.title, title)
    return values


def _word_values(main_content: str, got: Extracted) -> dict[str, float]:
    precision, recall, f1 = word_scores(got.body, words(main_content))
    values = {"body_precision": precision, "body_recall": recall, "body_f1": f1}
    if got.kept:
        values["body_f1_kept"] = f1
    return values


def page_values(page: Page, got: Extracted) -> tuple[dict[str, Any], dict[str, Any]]:
    """One page's values for one system (see the module docstring), and what went wrong, for reports."""
    values: dict[str, Any] = detection_values(page, got)
    notes: dict[str, Any] = {}
    labels = page.labels
    if not page.is_article or page.corpus == corpora.SITES:
        return values, notes
    if page.corpus == corpora.DEVSET:
        segments = score_segments(got.body, labels["with"] or [], labels["without"] or [])
        values["body"] = segments.counts
        notes = {"missed": segments.missed, "leaked": segments.leaked}
        if author := labels.get("author"):
            as_extracted = got.authors if got.author_string is None else got.author_string
            values["author_exact"] = author_exact(as_extracted, author)
            values["author_names"] = author_names_match(got.authors, author)
        return values | _common_fields(labels, got, None), notes
    values |= _word_values(labels["main_content"], got)
    if page.corpus == corpora.WCXB:
        snippets = score_segments(got.body, labels["with"], labels["without"])
        values["snippets"] = snippets.counts
        notes = {"missed": snippets.missed, "leaked": snippets.leaked}
        return values | _common_fields(labels, got, byline_names(labels["authors"])), notes
    if lang := labels.get("lang"):
        values["language"] = language_match(got.language, lang)
    return values | _common_fields(labels, got, byline_names(labels["byline"])), notes


# --------------------------------------------------------------------------- running


@dataclass
class Run:
    """The tallies of a run, by ``(corpus, part)`` and system, with per-page details and the speed sample."""

    tallies: dict[tuple[str, str], dict[str, Tally]] = field(default_factory=dict)
    pages: list[dict[str, Any]] = field(default_factory=list)
    speed: dict[str, float] = field(default_factory=dict)

    def add(self, page: Page, results: Mapping[str, Extracted]) -> None:
        """Score one page's results and keep its details."""
        details: dict[str, Any] = {
            "corpus": page.corpus,
            "key": page.key,
            "url": page.url,
            "part": page.part,
            "type": page.page_type,
        }
        for system, got in results.items():
            tally = self.tallies.setdefault((page.corpus, page.part), {}).setdefault(system, Tally())
            values, notes = page_values(page, got)
            if system not in LANGUAGE_SYSTEMS:
                values.pop("language", None)
            tally.add(values)
            tally.pages += 1
            tally.errors += got.error is not None
            shown = {k: v for k, v in values.items() if not isinstance(v, SegmentCounts)}
            fields = asdict(got)
            fields["body_words"] = len(fields.pop("body").split())
            details[system] = fields | shown | notes
        self.pages.append(details)

    def totals(self) -> None:
        """Add the detection totals of each split part over its corpora (``all/<part>/…``): articles kept,
        other pages rejected, and listings and collections rejected.
        """
        listing_names = [_type_key(kind) for kind in LISTING_TYPES]
        for (corpus, part), systems in list(self.tallies.items()):
            if corpus == ALL or part == BUNDLED:
                continue
            for system, tally in systems.items():
                total = self.tallies.setdefault((ALL, part), {}).setdefault(system, Tally())
                total.merge(tally, ["kept", "rejected"])
                total.merge(tally, listing_names, into="rejected_listings")

    def values(self, system: str = OURS) -> dict[str, float | None]:
        """Every value of one system by ``<corpus>/<part>/<metric>``, with the speed ratio."""
        values: dict[str, float | None] = {}
        for (corpus, part), systems in self.tallies.items():
            if tally := systems.get(system):
                values |= {f"{corpus}/{part}/{name}": value for name, value in tally.metrics().items()}
        if system == OURS and SPEED_RATIO in self.speed:
            values[SPEED_RATIO] = self.speed[SPEED_RATIO]
        return values


def speed_sample(pages: Sequence[Page], size: int = SPEED_PAGES) -> set[str]:
    """The keys of ``size`` devset and WCXB pages spread evenly: both systems are timed on them in every run."""
    timed_pages = [page for page in pages if page.corpus in {corpora.DEVSET, corpora.WCXB}]
    return {f"{page.corpus}/{page.key}" for page in timed_pages[:: max(1, len(timed_pages) // size)][:size]}


def _results(tasks: list[tuple[Page, tuple[str, ...]]], jobs: int) -> Iterator[dict[str, Extracted]]:
    if jobs <= 1:
        yield from map(extract, tasks)
        return
    with ProcessPoolExecutor(max_workers=jobs, initializer=prepare) as pool:
        yield from pool.map(extract, tasks, chunksize=4)


def evaluate(pages: Sequence[Page], systems: tuple[str, ...], jobs: int, progress: bool = True) -> Run:
    """Run the systems over the pages (in ``jobs`` processes), score them, and time both on the speed sample.

    On the sample both systems run whatever ``systems`` says, in turn (the order alternates from page to
    page, so that neither always profits from caches warmed by the other); only ``systems`` are scored.
    """
    run = Run()
    sample = speed_sample(pages)
    tasks = []
    for index, page in enumerate(pages):
        timed_both = f"{page.corpus}/{page.key}" in sample
        ran = (OURS, TRAFILATURA) if timed_both or TRAFILATURA in systems else (OURS,)
        tasks.append((page, ran if index % 2 == 0 else ran[::-1]))
    seconds = {OURS: 0.0, TRAFILATURA: 0.0}
    with quiet():
        for index, (page, results) in enumerate(zip(pages, _results(tasks, jobs), strict=True)):
            run.add(page, {system: results[system] for system in systems})
            if f"{page.corpus}/{page.key}" in sample:
                for system, spent in seconds.items():
                    seconds[system] = spent + results[system].seconds
            if progress and (index + 1) % 100 == 0:
                print(f"... {index + 1}/{len(pages)} pages", file=sys.stderr, flush=True)
    run.totals()
    if sample and seconds[OURS]:
        run.speed = {
            "pages": len(sample),
            f"{OURS}_pages_per_second": len(sample) / seconds[OURS],
            f"{TRAFILATURA}_pages_per_second": len(sample) / seconds[TRAFILATURA],
            SPEED_RATIO: seconds[TRAFILATURA] / seconds[OURS],
        }
    return run


# --------------------------------------------------------------------------- floors


def floor_value(metric: str, value: float) -> float:
    """The floor to write for a measured value (see the module docstring for the rule)."""
    if metric == SPEED_RATIO:
        return math.floor(value * SPEED_FLOOR_FACTOR * 1000) / 1000
    return max(0.0, round(math.floor(value * 1000) / 1000 - QUALITY_MARGIN, 3))


def make_floors(values: Mapping[str, float | None]) -> dict[str, float]:
    """Floors for every measured value of a validation part, and the speed ratio (tuning values get none)."""
    return {
        name: floor_value(name, value)
        for name, value in sorted(values.items())
        if value is not None and (name == SPEED_RATIO or name.split("/")[1] in FLOORED_PARTS)
    }


def check_floors(
    values: Mapping[str, float | None], floors: Mapping[str, float], partial: bool = False
) -> list[str]:
    """Messages for every floor not met.

    A floor whose value was not measured is a failure too (a renamed metric, a lost corpus), unless the
    run was ``partial`` (some corpora, parts or pages left out).
    """
    failures = []
    for name, floor in floors.items():
        value = values.get(name)
        if value is None:
            if not partial:
                failures.append(f"{name}: not measured (floor {floor})")
        elif value < floor:
            failures.append(f"{name}: {value:.3f} < floor {floor:.3f}")
    return failures


# --------------------------------------------------------------------------- tables


def _parts(run: Run, corpus: str) -> list[str]:
    return [part for part in (TUNING, VALIDATION, BUNDLED) if (corpus, part) in run.tallies]


def render_corpus(run: Run, corpus: str, systems: Sequence[str]) -> str:
    """One corpus's Markdown table: a row per metric, a column per part and system."""
    parts = _parts(run, corpus)
    columns = [(part, system) for part in parts for system in systems]
    names = [
        name
        for name in METRIC_LABELS
        if any(name in run.tallies[corpus, part][OURS].metrics() for part in parts)
    ]
    header = ["metric", *(f"{part}: {system}" for part, system in columns)]
    pages = ["pages", *(str(run.tallies[corpus, part][system].pages) for part, system in columns)]
    lines = [f"| {' | '.join(header)} |", "|" + " --- |" * len(header), f"| {' | '.join(pages)} |"]
    for name in names:
        cells = [run.tallies[corpus, part][system].cell(name) for part, system in columns]
        lines.append(f"| {METRIC_LABELS[name]} | {' | '.join(cells)} |")
    return "\n".join(lines)


def _detection_names(run: Run, corpus: str) -> list[str]:
    """The detection metrics measured on a corpus: articles kept, then other pages rejected (all, by type)."""
    names = {name for part in _parts(run, corpus) for name in run.tallies[corpus, part][OURS].ratios}
    by_type = sorted(name for name in names if name.startswith("rejected_"))
    overall = ["rejected"] if "rejected" in names and (corpus == ALL or len(by_type) > 1) else []
    return [name for name in ("kept",) if name in names] + overall + by_type


def _detection_label(name: str) -> str:
    if name == "kept":
        return "articles kept"
    if name == "rejected":
        return "other pages rejected"
    if name == "rejected_listings":
        return "listings and collections rejected"
    return f"{name.removeprefix('rejected_').replace('_', ' ')} pages rejected"


def _target(name: str) -> float:
    if name in TARGETS:
        return TARGETS[name]
    return TARGETS["rejected_listings" if name.removeprefix("rejected_") in LISTING_TYPES else "rejected"]


def render_detection(run: Run, systems: Sequence[str]) -> str:
    """Article detection, by corpus and page type, per part, with its target."""
    parts = [part for part in (TUNING, VALIDATION, BUNDLED) if any(key[1] == part for key in run.tallies)]
    columns = [(part, system) for part in parts for system in systems]
    header = ["page type", "corpus", *(f"{part}: {system}" for part, system in columns), "target"]
    lines = [f"| {' | '.join(header)} |", "|" + " --- |" * len(header)]
    for corpus in (*corpora.CORPORA, ALL):
        for name in _detection_names(run, corpus):
            cells = [
                run.tallies[corpus, part][system].cell(name) if (corpus, part) in run.tallies else ""
                for part, system in columns
            ]
            lines.append(
                f"| {_detection_label(name)} | {corpus} | {' | '.join(cells)} | ≥ {_target(name):.2f} |"
            )
    return "\n".join(lines)


def render(run: Run, systems: Sequence[str]) -> str:
    """The whole report: a table per corpus, the detection table and the speed."""
    sections = [
        f"## {corpus}\n\n{render_corpus(run, corpus, systems)}"
        for corpus in corpora.CORPORA
        if corpus != corpora.SITES and _parts(run, corpus)
    ]
    sections.append(f"## article detection\n\n{render_detection(run, systems)}")
    if speed := run.speed:
        sections.append(
            f"## speed ({speed['pages']:.0f} pages)\n\nnewscrawl {speed['newscrawl_pages_per_second']:.1f}"
            f" pages/s, trafilatura {speed['trafilatura_pages_per_second']:.1f} pages/s:"
            f" ratio {speed[SPEED_RATIO]:.3f}"
        )
    return "\n\n".join(sections)


# --------------------------------------------------------------------------- command line


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for corpus in (corpora.DEVSET, corpora.WCXB, corpora.READABILITY):
        folder, env, _ = corpora.LOCATIONS[corpus]
        parser.add_argument(f"--{corpus}", help=f"{corpus} folder (default: ${env} or ../shared/{folder})")
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="JSON floors file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a value of ours is below its floor")
    parser.add_argument("--write-floors", action="store_true", help="write the validation values as floors")
    parser.add_argument(
        "--ours-only", action="store_true", help="leave trafilatura out (the speed sample aside)"
    )
    parser.add_argument("--corpus", nargs="+", choices=corpora.CORPORA, help="only these corpora")
    parser.add_argument("--part", choices=(TUNING, VALIDATION, BUNDLED), help="only the pages of this part")
    parser.add_argument("--limit", type=int, help="only the first N pages of each corpus")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)), help="worker processes")
    parser.add_argument("--json", type=Path, help="write the values and per-page details to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser.parse_args(argv)


def select_pages(args: argparse.Namespace) -> tuple[list[Page], bool]:
    """The pages to score, and whether that is less than every page of every corpus (a partial run)."""
    partial = bool(args.corpus or args.part or args.limit)
    pages: list[Page] = []
    for corpus in args.corpus or corpora.CORPORA:
        folder = corpora.resolve(corpus, getattr(args, corpus)) if corpus != corpora.SITES else REPO_ROOT
        if not corpora.available(corpus, folder):
            print(f"{corpus} not found at {folder}: skipped")
            partial = True
            continue
        found = [page for page in corpora.load(corpus, folder) if args.part in {None, page.part}]
        pages += found[: args.limit] if args.limit else found
    return pages, partial


def main(argv: Sequence[str] | None = None) -> int:
    """Run the gate; the exit status is that of ``--check`` (0 when no corpus is found)."""
    args = parse_args(argv)
    pages, partial = select_pages(args)
    if not any(page.corpus != corpora.SITES for page in pages):
        print("no annotated corpus found; skipping the quality gate.")
        return 2 if args.write_floors else 0
    systems = (OURS,) if args.ours_only else (OURS, TRAFILATURA)
    started = time.perf_counter()
    run = evaluate(pages, systems, args.jobs, progress=not args.quiet)
    print(render(run, systems))
    print(f"\n{len(pages)} pages in {time.perf_counter() - started:.1f} s")
    values = run.values()
    if args.json:
        summary = {system: run.values(system) for system in systems}
        args.json.write_text(
            json.dumps(
                {"values": summary, "speed": run.speed, "pages": run.pages}, ensure_ascii=False, indent=1
            ),
            encoding="utf-8",
        )
    status = 0
    if args.check:
        if not args.floors.is_file():
            print(f"\nfloors file {args.floors} not found")
            status = 1
        elif failures := check_floors(values, json.loads(args.floors.read_text(encoding="utf-8")), partial):
            print("\nquality gate FAILED, below floor:")
            print("\n".join(f"- {failure}" for failure in failures))
            status = 1
        else:
            print("\nquality gate passed: every value at or above its floor")
    if args.write_floors:
        args.floors.write_text(json.dumps(make_floors(values), indent=2) + "\n", encoding="utf-8")
        print(f"\nfloors written to {args.floors}")
    return status


if __name__ == "__main__":
    sys.exit(main())
