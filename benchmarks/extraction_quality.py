"""Extraction quality gate: newscrawl's ``extract_page`` against bare trafilatura on the devset.

Usage::

    python benchmarks/extraction_quality.py [--devset PATH] [--floors benchmarks/quality_floors.json]
                                            [--check] [--write-floors] [--limit N] [--json OUT]

The devset (an annotated corpus of 990 pages, see its README.md) is found at ``--devset``, else at
the ``NEWSCRAWL_DEVSET`` environment variable, else at ``../shared/devset`` relative to the repository
root. When it is missing the script says so and exits 0, so that CI can run the gate unconditionally.

For every page both systems run on the same bytes, each timed on its own (the order alternates from
page to page, so that neither system always profits from caches warmed by the other):

1. newscrawl: ``crawler.extract.extract_page(html, url)``; a ``None`` result (or an exception) counts
   as an empty title, body, author list and date.
2. bare trafilatura 2.x: ``trafilatura.bare_extraction(html, url=url, with_metadata=True)`` with its
   defaults, scoring its ``.text``, ``.author``, ``.date`` and ``.title``.

Metrics, computed by the same functions for both systems:

- **Body segments.** For each ``with`` segment: TP when it occurs in the body, else FN; for each
  ``without`` segment: FP when it occurs in the body, else TN. Precision = TP/(TP+FP),
  recall = TP/(TP+FN), F1 their harmonic mean. Segments and bodies are compared after white-space
  normalisation (every run of white space, line breaks included, becomes one space, on both sides);
  the comparison is otherwise exact (case-sensitive substring).
- **Author exact.** Over pages with a non-empty ``author`` annotation (a string, or a list of names).
  The annotation joined with ``"; "`` must equal the extracted names joined with ``"; "``
  (trafilatura's own convention is one string ``"A; B"``, compared as it is).
- **Author names.** Same pages; the set of names must be equal, with case, punctuation and white
  space ignored inside each name and order ignored. A string annotation is split on ``";"``, and so is
  trafilatura's author string.
- **Date (day).** Over pages with a non-empty ``date`` annotation: the first 10 characters of the
  extracted date equal the annotation. Three kinds of typo in the annotations are repaired first, the
  same for both systems: ``2022-11-1`` is zero-padded, ``2022-01.26`` read as ``2022-01-26``, and an
  impossible month with a possible day (``2022-29-11``) taken as year-day-month (``2022-11-29``).
- **Title exact / loose.** Over pages with a non-empty ``title`` annotation: exact string equality
  (after stripping surrounding white space), and equality ignoring case (Unicode case folding after
  NFKC), punctuation (Unicode categories P*) and runs of white space.
- **Speed.** Pages per second for each system: pages / total extraction time of that system; the
  speed ratio is ours / trafilatura's.
- For information: the number of pages our ``is_article`` flags as not an article, and errors.

Floors (``benchmarks/quality_floors.json``) are a JSON object ``metric -> minimum``. ``--check`` compares
our values with them and exits 1 listing every metric below its floor (0 otherwise). ``--write-floors``
writes the current values: each quality metric rounded *down* to 3 decimals minus a margin of 0.005;
the ``speed_ratio`` floor is half the measured ratio (rounded down to 3 decimals), because machines
and their load vary. With both flags the check runs first, against the floors as they were. A floor
for an unknown metric fails the check, and so does one for a metric that was not measured, except in
a partial run (``--limit``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import math
import os
import re
import sys
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = REPO_ROOT.parent / "shared" / "devset"
DEFAULT_FLOORS = REPO_ROOT / "benchmarks" / "quality_floors.json"
DEVSET_ENV = "NEWSCRAWL_DEVSET"

QUALITY_MARGIN = 0.005
SPEED_FLOOR_FACTOR = 0.5
SPEED_RATIO = "speed_ratio"
QUALITY_METRICS = (
    "body_precision",
    "body_recall",
    "body_f1",
    "author_exact",
    "author_names",
    "date_day",
    "title_exact",
    "title_loose",
)
METRIC_LABELS = {
    "body_precision": "body precision",
    "body_recall": "body recall",
    "body_f1": "body F1",
    "author_exact": "author exact",
    "author_names": "author names (set)",
    "date_day": "date (day)",
    "title_exact": "title exact",
    "title_loose": "title (case/punct.)",
}

_SPACE_RE = re.compile(r"\s+")
_SHORT_DATE_RE = re.compile(r"^(\d{4})[-.](\d{1,2})[-.](\d{1,2})$")


# --------------------------------------------------------------------------- normalisation


def normalise_space(text: str) -> str:
    """``text`` with every run of white space collapsed to one space, and stripped."""
    return _SPACE_RE.sub(" ", text).strip()


def _drop_punctuation(text: str) -> str:
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith("P"))


def loose_title(text: str) -> str:
    """A title with case, punctuation and white-space runs ignored (NFKC, casefold, P* removed)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return normalise_space(_drop_punctuation(folded))


def name_key(name: str) -> str:
    """A person's name with case, punctuation and all white space removed (NFKC, casefold)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(_drop_punctuation(folded).split())


def annotation_names(annotation: str | Sequence[str] | None) -> list[str]:
    """The names of an author annotation: a list as it is, a string split on ``";"``; blanks dropped."""
    if not annotation:
        return []
    parts = annotation.split(";") if isinstance(annotation, str) else list(annotation)
    return [part.strip() for part in parts if part and part.strip()]


def annotation_date(annotation: str) -> str:
    """A date annotation as ``YYYY-MM-DD``, with its typos repaired.

    Month and day are zero-padded (``2022-11-1``), a dot is read as a dash (``2022-01.26``), and a
    month above 12 with a day of at most 12 is read as year-day-month (``2022-29-11`` -> ``2022-11-29``).
    """
    annotation = annotation.strip()
    if match := _SHORT_DATE_RE.match(annotation):
        month, day = int(match[2]), int(match[3])
        if month > 12 >= day:
            month, day = day, month
        return f"{match[1]}-{month:02d}-{day:02d}"
    return annotation


# --------------------------------------------------------------------------- scoring


@dataclass
class SegmentCounts:
    """Confusion counts of body segments (``with`` = must appear, ``without`` = must not)."""

    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0

    def add(self, other: SegmentCounts) -> None:
        """Add another page's counts to these."""
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.tn += other.tn

    @property
    def precision(self) -> float | None:
        """TP / (TP + FP); None when nothing was counted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        """TP / (TP + FN); None when nothing was counted."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall; None if either is undefined, 0.0 if both are 0."""
        precision, recall = self.precision, self.recall
        if precision is None or recall is None:
            return None
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass
class SegmentResult:
    """One page's segment counts, with the segments that went wrong."""

    counts: SegmentCounts
    missed: list[str] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)


def score_segments(
    body: str | None, with_segments: Iterable[str], without_segments: Iterable[str]
) -> SegmentResult:
    """Score a body against the ``with`` / ``without`` segments (substring test, white space normalised)."""
    text = normalise_space(body or "")
    result = SegmentResult(SegmentCounts())
    for segment in with_segments:
        if normalise_space(segment) in text:
            result.counts.tp += 1
        else:
            result.counts.fn += 1
            result.missed.append(segment)
    for segment in without_segments:
        if normalise_space(segment) in text:
            result.counts.fp += 1
            result.leaked.append(segment)
        else:
            result.counts.tn += 1
    return result


def _joined(names: str | Sequence[str]) -> str:
    return names.strip() if isinstance(names, str) else "; ".join(name.strip() for name in names)


def author_exact(extracted: str | Sequence[str], annotation: str | Sequence[str]) -> bool:
    """Whether the extracted names joined with ``"; "`` equal the annotation joined with ``"; "``.

    Either side may be one string already in the ``"A; B"`` form (trafilatura's author, a string
    annotation); it is then compared as it is, apart from surrounding white space.
    """
    return _joined(extracted) == _joined(annotation)


def author_names_match(extracted: Sequence[str], annotation: str | Sequence[str]) -> bool:
    """Whether the sets of names agree, ignoring order, case, punctuation and white space."""
    got = {key for key in map(name_key, extracted) if key}
    expected = {key for key in map(name_key, annotation_names(annotation)) if key}
    return got == expected


def date_match(extracted: str | None, annotation: str) -> bool:
    """Whether the extracted date's first 10 characters equal the (zero-padded) annotation."""
    return extracted is not None and extracted.strip()[:10] == annotation_date(annotation)


def title_exact(extracted: str | None, annotation: str) -> bool:
    """Whether the titles are equal, apart from surrounding white space."""
    return extracted is not None and extracted.strip() == annotation.strip()


def title_loose(extracted: str | None, annotation: str) -> bool:
    """Whether the titles are equal ignoring case, punctuation and white-space runs."""
    return extracted is not None and loose_title(extracted) == loose_title(annotation)


def trafilatura_authors(author: str | None) -> list[str]:
    """trafilatura's ``"A; B"`` author string as a list of names."""
    return annotation_names(author)


# --------------------------------------------------------------------------- per-system tallies


@dataclass
class Extracted:
    """The fields one system produced for one page (empty when it produced nothing)."""

    title: str | None = None
    body: str = ""
    authors: list[str] = field(default_factory=list)
    author_string: str | None = None  # trafilatura's own "A; B", compared as is for the exact metric
    date: str | None = None
    is_article: bool | None = None
    error: str | None = None


@dataclass
class Ratio:
    """A count of successes over a count of cases."""

    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        """Count one case."""
        self.total += 1
        self.hits += int(hit)

    @property
    def value(self) -> float | None:
        """hits / total; None when there were no cases."""
        return self.hits / self.total if self.total else None


@dataclass
class SystemScore:
    """Running totals for one system over the devset."""

    segments: SegmentCounts = field(default_factory=SegmentCounts)
    author_exact: Ratio = field(default_factory=Ratio)
    author_names: Ratio = field(default_factory=Ratio)
    date_day: Ratio = field(default_factory=Ratio)
    title_exact: Ratio = field(default_factory=Ratio)
    title_loose: Ratio = field(default_factory=Ratio)
    pages: int = 0
    seconds: float = 0.0
    errors: int = 0
    not_articles: int = 0

    def metrics(self) -> dict[str, float | None]:
        """The quality metrics by name (None where there was nothing to measure)."""
        return {
            "body_precision": self.segments.precision,
            "body_recall": self.segments.recall,
            "body_f1": self.segments.f1,
            "author_exact": self.author_exact.value,
            "author_names": self.author_names.value,
            "date_day": self.date_day.value,
            "title_exact": self.title_exact.value,
            "title_loose": self.title_loose.value,
        }

    @property
    def pages_per_second(self) -> float | None:
        """Pages / total extraction time."""
        return self.pages / self.seconds if self.seconds > 0 else None


def score_page(
    score: SystemScore, extracted: Extracted, annotation: Mapping[str, Any], seconds: float
) -> dict[str, Any]:
    """Add one page's results to ``score``; return the page's details (what went wrong) for reports."""
    score.pages += 1
    score.seconds += seconds
    score.errors += int(extracted.error is not None)
    score.not_articles += int(extracted.is_article is False)
    segments = score_segments(extracted.body, annotation.get("with") or [], annotation.get("without") or [])
    score.segments.add(segments.counts)
    details: dict[str, Any] = {
        "seconds": round(seconds, 4),
        "missed": segments.missed,
        "leaked": segments.leaked,
        "title": extracted.title,
        "authors": extracted.authors,
        "date": extracted.date,
        "is_article": extracted.is_article,
        "error": extracted.error,
    }
    if author := annotation.get("author"):
        as_extracted = extracted.authors if extracted.author_string is None else extracted.author_string
        score.author_exact.add(exact_ok := author_exact(as_extracted, author))
        score.author_names.add(names_ok := author_names_match(extracted.authors, author))
        details["author_exact"], details["author_names"] = exact_ok, names_ok
    if date := annotation.get("date"):
        score.date_day.add(date_ok := date_match(extracted.date, date))
        details["date_ok"] = date_ok
    if title := annotation.get("title"):
        score.title_exact.add(exact := title_exact(extracted.title, title))
        score.title_loose.add(loose := title_loose(extracted.title, title))
        details["title_exact"], details["title_loose"] = exact, loose
    return details


# --------------------------------------------------------------------------- floors


def floor_value(metric: str, value: float) -> float:
    """The floor to write for a measured value (see the module docstring for the rule)."""
    if metric == SPEED_RATIO:
        return math.floor(value * SPEED_FLOOR_FACTOR * 1000) / 1000
    return max(0.0, round(math.floor(value * 1000) / 1000 - QUALITY_MARGIN, 3))


def make_floors(values: Mapping[str, float | None]) -> dict[str, float]:
    """Floors for every measured metric (unmeasured ones are left out)."""
    return {metric: floor_value(metric, value) for metric, value in values.items() if value is not None}


def check_floors(
    values: Mapping[str, float | None], floors: Mapping[str, float], allow_unmeasured: bool = False
) -> list[str]:
    """Messages for every floor not met.

    A floor naming an unknown metric is a failure, and so is one whose metric was not measured (no
    annotated page), unless ``allow_unmeasured`` (a partial run with ``--limit``).
    """
    failures = []
    for metric, floor in floors.items():
        if metric not in values:
            failures.append(f"{metric}: unknown metric (floor {floor})")
            continue
        value = values[metric]
        if value is None:
            if not allow_unmeasured:
                failures.append(f"{metric}: not measured (floor {floor})")
        elif value < floor:
            failures.append(f"{metric}: {value:.3f} < floor {floor:.3f}")
    return failures


# --------------------------------------------------------------------------- running


def resolve_devset(cli_value: str | None) -> Path:
    """The devset directory: ``--devset``, else ``$NEWSCRAWL_DEVSET``, else ``../shared/devset``."""
    if cli_value:
        return Path(cli_value)
    if env := os.environ.get(DEVSET_ENV):
        return Path(env)
    return DEFAULT_DEVSET


def run_ours(html: bytes, url: str) -> Extracted:
    """Run newscrawl's ``extract_page`` and keep the fields scored."""
    from crawler.extract import extract_page

    page = extract_page(html, url)
    if page is None:
        return Extracted()
    return Extracted(
        title=page.title,
        body=page.body or "",
        authors=list(page.authors),
        date=page.date_published,
        is_article=page.is_article,
    )


def run_trafilatura(html: bytes, url: str) -> Extracted:
    """Run bare trafilatura with its defaults (metadata on) and keep the fields scored."""
    from trafilatura import bare_extraction

    document = bare_extraction(html, url=url, with_metadata=True)
    if document is None:
        return Extracted()
    return Extracted(
        title=document.title,
        body=document.text or "",
        authors=trafilatura_authors(document.author),
        author_string=document.author or "",
        date=document.date,
    )


@contextmanager
def _quiet_loggers() -> Iterator[None]:
    """Silence the extractors' loggers while the gate runs (pages are noisy); restore them afterwards."""
    names = ("trafilatura", "htmldate", "courlan", "justext", "crawler")
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def _timed(runner: Any, html: bytes, url: str) -> tuple[Extracted, float]:
    start = time.perf_counter()
    try:
        result: Extracted = runner(html, url)
    except Exception as error:  # noqa: BLE001 - a crash counts as an empty extraction
        result = Extracted(error=f"{type(error).__name__}: {error}")
    return result, time.perf_counter() - start


def evaluate(
    devset: Path, limit: int | None = None, progress: bool = True
) -> tuple[SystemScore, SystemScore, list[dict[str, Any]]]:
    """Run both systems over the devset; return our score, trafilatura's and per-page details."""
    annotations: dict[str, dict[str, Any]] = json.loads(
        (devset / "evaldata.json").read_text(encoding="utf-8")
    )
    items = list(annotations.items())[:limit] if limit else list(annotations.items())
    ours, theirs = SystemScore(), SystemScore()
    pages: list[dict[str, Any]] = []
    with _quiet_loggers():
        for index, (url, annotation) in enumerate(items):
            html = gzip.decompress((devset / "html" / f"{annotation['file']}.gz").read_bytes())
            if index % 2 == 0:
                our_result, our_time = _timed(run_ours, html, url)
                their_result, their_time = _timed(run_trafilatura, html, url)
            else:
                their_result, their_time = _timed(run_trafilatura, html, url)
                our_result, our_time = _timed(run_ours, html, url)
            pages.append(
                {
                    "url": url,
                    "file": annotation["file"],
                    "expected": {key: annotation.get(key) for key in ("author", "date", "title")},
                    "ours": score_page(ours, our_result, annotation, our_time),
                    "trafilatura": score_page(theirs, their_result, annotation, their_time),
                }
            )
            if progress and (index + 1) % 50 == 0:
                print(f"... {index + 1}/{len(items)} pages", file=sys.stderr, flush=True)
    return ours, theirs, pages


def our_values(ours: SystemScore, theirs: SystemScore) -> dict[str, float | None]:
    """Our metrics plus the speed ratio ours / trafilatura: what the floors apply to."""
    values = ours.metrics()
    ours_pps, theirs_pps = ours.pages_per_second, theirs.pages_per_second
    values[SPEED_RATIO] = ours_pps / theirs_pps if ours_pps and theirs_pps else None
    return values


def _cell(value: float | None, hits: int | None = None, total: int | None = None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f} ({hits}/{total})" if total is not None else f"{value:.3f}"


def render_table(ours: SystemScore, theirs: SystemScore) -> str:
    """The Markdown table: metric | newscrawl | trafilatura."""

    def ratio_cells(name: str) -> tuple[str, str]:
        cells = []
        for score in (ours, theirs):
            ratio: Ratio = getattr(score, name)
            cells.append(_cell(ratio.value, ratio.hits, ratio.total))
        return cells[0], cells[1]

    o, t = ours.segments, theirs.segments
    rows = [
        ("pages", str(ours.pages), str(theirs.pages)),
        ("body precision", _cell(o.precision, o.tp, o.tp + o.fp), _cell(t.precision, t.tp, t.tp + t.fp)),
        ("body recall", _cell(o.recall, o.tp, o.tp + o.fn), _cell(t.recall, t.tp, t.tp + t.fn)),
        ("body F1", _cell(o.f1), _cell(t.f1)),
        *((METRIC_LABELS[name], *ratio_cells(name)) for name in QUALITY_METRICS[3:]),
    ]
    ours_pps, theirs_pps = ours.pages_per_second, theirs.pages_per_second
    rows.append(
        (
            "pages per second",
            f"{ours_pps:.1f}" if ours_pps else "n/a",
            f"{theirs_pps:.1f}" if theirs_pps else "n/a",
        )
    )
    speed = our_values(ours, theirs)[SPEED_RATIO]
    rows.append(("speed ratio (ours / trafilatura)", f"{speed:.3f}" if speed else "n/a", ""))
    rows.append(("not articles (is_article False)", str(ours.not_articles), ""))
    rows.append(("errors (exceptions)", str(ours.errors), str(theirs.errors)))
    lines = ["| metric | newscrawl | trafilatura |", "| --- | --- | --- |"]
    lines += [f"| {metric} | {a} | {b} |" for metric, a, b in rows]
    return "\n".join(lines)


def _summary(ours: SystemScore, theirs: SystemScore) -> dict[str, Any]:
    return {
        "newscrawl": {
            **ours.metrics(),
            "pages_per_second": ours.pages_per_second,
            "segments": asdict(ours.segments),
            "not_articles": ours.not_articles,
            "errors": ours.errors,
        },
        "trafilatura": {
            **theirs.metrics(),
            "pages_per_second": theirs.pages_per_second,
            "segments": asdict(theirs.segments),
            "errors": theirs.errors,
        },
        SPEED_RATIO: our_values(ours, theirs)[SPEED_RATIO],
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", help=f"devset directory (default: ${DEVSET_ENV} or {DEFAULT_DEVSET})")
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="JSON floors file")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a metric of ours is below its floor"
    )
    parser.add_argument("--write-floors", action="store_true", help="write the current values as floors")
    parser.add_argument(
        "--limit", type=int, help="only the first N pages (--check then skips metrics with no annotated page)"
    )
    parser.add_argument("--json", type=Path, help="write the summary and per-page details to this file")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the gate; the exit status is that of ``--check`` (0 when the devset is missing)."""
    args = parse_args(argv)
    devset = resolve_devset(args.devset)
    if not (devset / "evaldata.json").is_file():
        print(f"devset not found at {devset} (set --devset or ${DEVSET_ENV}); skipping the quality gate.")
        return 2 if args.write_floors else 0
    started = time.perf_counter()
    ours, theirs, pages = evaluate(devset, args.limit, progress=not args.quiet)
    elapsed = time.perf_counter() - started
    print(render_table(ours, theirs))
    print(f"\n{ours.pages} pages in {elapsed:.1f} s (devset: {devset})")
    values = our_values(ours, theirs)
    if args.json:
        args.json.write_text(
            json.dumps({"summary": _summary(ours, theirs), "pages": pages}, ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    status = 0
    if args.check:
        if not args.floors.is_file():
            print(f"\nfloors file {args.floors} not found")
            status = 1
        else:
            floors = json.loads(args.floors.read_text(encoding="utf-8"))
            failures = check_floors(values, floors, allow_unmeasured=bool(args.limit))
            if failures:
                print("\nquality gate FAILED, below floor:")
                print("\n".join(f"- {failure}" for failure in failures))
                status = 1
            else:
                print("\nquality gate passed: every metric at or above its floor")
    if args.write_floors:
        floors = make_floors(values)
        args.floors.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
        print(f"\nfloors written to {args.floors}")
    return status


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))  # the checkout this script stands in, not another installed one
    sys.exit(main())
