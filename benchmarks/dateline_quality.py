"""Datelines on a labelled set: detection precision, recall and F1, and place accuracy, by part.

Usage::

    python benchmarks/dateline_quality.py [--labels benchmarks/datelines/labels.jsonl] [--check]
                                          [--floors benchmarks/datelines/floors.json] [--details]

The labels (``benchmarks/datelines/labels.jsonl``, one JSON object a line) were made by reading the
opening of each page's article, as an annotator would: whether a dateline opens the story (in its
first paragraph, the first paragraph after a standfirst, or an element just before the text), the
place it names and the agency it credits. Pages come from the devset, wcxb-dev and the readability
pages beside the repository (``../shared``), and from the golden pages in ``tests/fixtures/golden``;
each is in the **tuning** or **validation** part by the hash rule of :mod:`benchmarks.quality.corpora` (the
readability pages are validation only, the golden pages tuning only).

For every page ``crawler.extract.extract_page(html, url)`` runs once. A dateline is *detected* when
``dateline`` is not None. Place accuracy is over the pages that have a dateline: right when the
dateline was detected and its place equals the labelled one, with case, punctuation and white space
ignored (both None counts as equal: "(Reuters) -" names no place). Agency accuracy is reported the
same way, for information.

``--check`` fails (exit 1) when a metric of a part is below its floor in ``--floors``; ``--details``
lists the pages the tuning part gets wrong (never the validation part's).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # the checkout this script stands in, not another installed one

from benchmarks.quality.corpora import DEVSET, PARTS, READABILITY, TUNING, WCXB, resolve  # noqa: E402 - after the path set-up
from benchmarks.quality.scoring import SegmentCounts  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

LABELS = REPO_ROOT / "benchmarks" / "datelines" / "labels.jsonl"
FLOORS = REPO_ROOT / "benchmarks" / "datelines" / "floors.json"
GOLDEN = REPO_ROOT / "tests" / "fixtures" / "golden"
METRICS = ("detection_precision", "detection_recall", "detection_f1", "place_accuracy", "agency_accuracy")


def loose(text: str | None) -> str:
    """A place or agency with case, punctuation and white space ignored."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def read_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    """The labelled pages, one dict each."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def page_source(label: dict[str, Any]) -> tuple[bytes, datetime | None]:
    """The HTML of a labelled page and, for a golden page, the moment it was fetched."""
    corpus, ref = label["corpus"], label["ref"]
    if corpus == "golden":
        spec = json.loads((GOLDEN / f"{ref}.json").read_text(encoding="utf-8"))
        html = REPO_ROOT / spec["html"] if "html" in spec else GOLDEN / f"{ref}.html"
        return html.read_bytes(), datetime.fromisoformat(spec["fetched_at"])
    path = {
        DEVSET: resolve(DEVSET) / "html" / f"{ref}.gz",
        WCXB: resolve(WCXB) / "html" / f"{ref}.html.gz",
        READABILITY: resolve(READABILITY) / "pages" / ref / "source.html.gz",
    }[corpus]
    return gzip.decompress(path.read_bytes()), None


def corpora_present(labels: Iterable[dict[str, Any]]) -> bool:
    """Whether every corpus the labels name is beside the repository."""
    corpora = (DEVSET, WCXB, READABILITY)
    return all(resolve(label["corpus"]).is_dir() for label in labels if label["corpus"] in corpora)


@dataclass
class Found:
    """The dateline extraction found on one page."""

    dateline: str | None
    place: str | None
    agency: str | None


def extract(label: dict[str, Any]) -> Found:
    """Run ``extract_page`` on a labelled page and keep its dateline fields."""
    from crawler.extract import extract_page

    html, fetched = page_source(label)
    page = extract_page(html, label["url"], fetched)
    if page is None:
        return Found(None, None, None)
    return Found(page.dateline, page.dateline_place, page.dateline_agency)


@dataclass
class Tally:
    """Detection counts (a page with a dateline is a positive) and place and agency hits of one part."""

    detection: SegmentCounts = field(default_factory=SegmentCounts)
    place: int = 0
    agency: int = 0

    def add(self, label: dict[str, Any], found: Found) -> bool:
        """Count one page; whether it is right (detection, and place and agency where it has a dateline)."""
        detected = found.dateline is not None
        counts = self.detection
        if not label["dateline"]:
            counts.fp += detected
            counts.tn += not detected
            return not detected
        counts.tp += detected
        counts.fn += not detected
        place_ok = detected and loose(found.place) == loose(label.get("place"))
        agency_ok = detected and loose(found.agency) == loose(label.get("agency"))
        self.place += place_ok
        self.agency += agency_ok
        return place_ok and agency_ok

    def metrics(self) -> dict[str, float | None]:
        """The part's metrics by name (None where there was nothing to measure)."""
        counts = self.detection
        positives = counts.tp + counts.fn
        return {
            "detection_precision": counts.precision,
            "detection_recall": counts.recall,
            "detection_f1": counts.f1,
            "place_accuracy": self.place / positives if positives else None,
            "agency_accuracy": self.agency / positives if positives else None,
        }


def score(labels: Sequence[dict[str, Any]]) -> tuple[dict[str, Tally], list[tuple[dict[str, Any], Found]]]:
    """The tallies by part, and the tuning pages that went wrong."""
    tallies = {part: Tally() for part in PARTS}
    wrong: list[tuple[dict[str, Any], Found]] = []
    for label in labels:
        found = extract(label)
        if not tallies[label["part"]].add(label, found) and label["part"] == TUNING:
            wrong.append((label, found))
    return tallies, wrong


def render(tallies: dict[str, Tally], parts: Sequence[str] = PARTS) -> str:
    """The Markdown table: one row per metric, one column per part."""
    lines = ["| metric | " + " | ".join(parts) + " |", "| --- |" + " --- |" * len(parts)]
    counts = " | ".join(
        f"{t.tp + t.fn} with, {t.fp + t.tn} without" for t in (tallies[part].detection for part in parts)
    )
    lines.append(f"| pages | {counts} |")
    values = {part: tallies[part].metrics() for part in parts}
    for metric in METRICS:
        cells = (values[part][metric] for part in parts)
        lines.append(f"| {metric} | " + " | ".join("n/a" if v is None else f"{v:.3f}" for v in cells) + " |")
    return "\n".join(lines)


def check(tallies: dict[str, Tally], floors: dict[str, dict[str, float]]) -> list[str]:
    """Messages for every floor not met (a floor of an unknown part or metric is one too)."""
    failures = []
    for part, part_floors in floors.items():
        values = tallies[part].metrics() if part in tallies else {}
        for metric, floor in part_floors.items():
            value = values.get(metric)
            if value is None or value < floor:
                failures.append(
                    f"{part} {metric}: {'n/a' if value is None else f'{value:.3f}'} < floor {floor}"
                )
    return failures


def main(argv: Sequence[str] | None = None) -> int:
    """Score the labelled set; with ``--check``, exit 1 when a floor is not met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--floors", type=Path, default=FLOORS)
    parser.add_argument("--check", action="store_true", help="exit 1 when a metric is below its floor")
    parser.add_argument("--details", action="store_true", help="list the tuning pages that went wrong")
    parser.add_argument("--part", choices=PARTS, help="score one part only")
    args = parser.parse_args(argv)
    labels = [label for label in read_labels(args.labels) if args.part in (None, label["part"])]
    if not corpora_present(labels):
        print("corpora not found beside the repository (../shared); skipping the dateline set.")
        return 0
    for name in ("trafilatura", "htmldate", "courlan", "justext", "crawler"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    tallies, wrong = score(labels)
    print(render(tallies, [args.part] if args.part else PARTS))
    if args.details:
        for label, found in wrong:
            expected = (
                (label.get("text"), label.get("place"), label.get("agency")) if label["dateline"] else None
            )
            print(f"- {label['corpus']} {label['ref']}: expected {expected}, found {found}")
    if args.check:
        failures = check(tallies, json.loads(args.floors.read_text(encoding="utf-8")))
        if failures:
            print("\ndateline floors FAILED:\n" + "\n".join(f"- {failure}" for failure in failures))
            return 1
        print("\ndateline floors met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
