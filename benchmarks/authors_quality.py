"""Authors as credited: per-page set F1 of newscrawl's authors, beside bare trafilatura's, on the tuning and
validation parts of the devset and wcxb-dev's articles, and on the readability pages (validation only).

Usage::

    python benchmarks/authors_quality.py [--corpus devset wcxb readability] [--no-trafilatura]
                                         [--jobs N] [--details OUT.json]

A page counts when its annotation names someone (devset ``author``, wcxb-dev ``author``, readability
``byline``). The annotation is a string as printed ("By A and B", "Jane Doe, PhD", "FR mit dpa") or a
list; its names are read by :func:`reference_names`: a leading "By"/"Von"/"Par"… taken off, split at
``;`` ``,`` ``/`` ``&`` brackets and the words "and", "und", "et", "mit", "with", "avec"…, and parts
that are no name dropped (degrees, dates, addresses). Names are compared with case, punctuation and
white space ignored. Per page, set F1 = 2·|found ∩ expected| / (|found| + |expected|); the score is its
mean over the pages. newscrawl is ``extract_page(html, url).authors``; trafilatura is
``bare_extraction(html, url=url, with_metadata=True).author`` split on ``;``.

``--details`` writes the per-page results of the **tuning** part only: the validation part is
reported in aggregate, never page by page.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # the checkout this script stands in, not another installed one

from benchmarks.quality.corpora import (  # noqa: E402 - after the path set-up
    DEVSET,
    PARTS,
    READABILITY,
    TUNING,
    WCXB,
    Page,
    devset_pages,
    readability_pages,
    resolve,
    wcxb_pages,
)
from benchmarks.quality.scoring import name_f1, name_key  # noqa: E402 - after the path set-up

if TYPE_CHECKING:
    from collections.abc import Sequence

CORPORA = (DEVSET, WCXB, READABILITY)
AUTHOR_LABELS = {DEVSET: "author", WCXB: "authors", READABILITY: "byline"}  # what each corpus calls it
_LABEL_RE = re.compile(
    r"^(?:(?:(?:written|posted)\s+)?(?:by|von|par|por|door|di)|and|und|et|mit|with|avec)\s+", re.IGNORECASE
)
_OTHER_CREDIT_RE = re.compile(r"\s(?:edited|photos?|updated|last updated)\b.*$", re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"\s*(?:[;,/&+()\[\]|]|\s(?i:and|und|et|mit|with|avec|con|com|en)\s|\s[ye]\s)\s*")
# Degrees and credentials after a name ("Jane Doe, PhD", "Vanessa Mendez, MD"): no names of their own.
_CREDENTIALS = frozenset(
    (
        *("phd", "md", "ms", "ma", "mba", "rd", "dvm", "vmd", "rn", "lvt", "bsn", "msn", "cpp", "psp"),
        *(
            "cepf",
            "dacvb",
            "ba",
            "bs",
            "msc",
            "jd",
            "mph",
            "lcsw",
            "ldn",
            "cscs",
            "vts",
            "behavior",
            "sr",
            "jr",
        ),
    )
)


def reference_names(annotation: str | Sequence[str] | None) -> list[str]:
    """The names an author annotation gives (see the module's docstring for the rule)."""
    if not annotation:
        return []
    texts = [annotation] if isinstance(annotation, str) else list(annotation)
    names: list[str] = []
    for text in texts:
        for part in _SEPARATOR_RE.split(_LABEL_RE.sub("", " ".join(text.split()))):
            name = _OTHER_CREDIT_RE.sub("", _LABEL_RE.sub("", part.strip(" .:-–—*·")))
            if name and not any(ch.isdigit() for ch in name) and "http" not in name.casefold():
                names += [] if name_key(name) in _CREDENTIALS else [name]
    return names


def annotation_of(page: Page) -> str | list[str] | None:
    """The page's author annotation, whatever its corpus calls it."""
    value = page.labels.get(AUTHOR_LABELS[page.corpus])
    return value if isinstance(value, str | list) else None


@dataclass
class Tally:
    """Per-page F1 scores of one system on one part of one corpus."""

    scores: list[float] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        """The mean per-page F1; None without pages."""
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def exact(self) -> float | None:
        """The share of pages whose set of names is exactly right."""
        return sum(score == 1.0 for score in self.scores) / len(self.scores) if self.scores else None


def _ours(page: Page) -> list[str]:
    from crawler.extract import extract_page

    extracted = extract_page(page.html(), page.url)
    return list(extracted.authors) if extracted else []


def _trafilatura(page: Page) -> list[str]:
    from trafilatura import bare_extraction

    document = bare_extraction(page.html(), url=page.url, with_metadata=True)
    author = getattr(document, "author", None) if document is not None else None
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def _run(page: Page, with_trafilatura: bool) -> dict[str, Any]:
    for name in ("trafilatura", "htmldate", "courlan", "justext", "crawler"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    expected = reference_names(annotation_of(page))
    ours = _ours(page)
    result: dict[str, Any] = {
        "corpus": page.corpus,
        "ref": page.key,
        "url": page.url,
        "part": page.part,
        "annotation": annotation_of(page),
        "expected": expected,
        "ours": ours,
        "ours_f1": name_f1(ours, expected),
    }
    if with_trafilatura:
        theirs = _trafilatura(page)
        result |= {"trafilatura": theirs, "trafilatura_f1": name_f1(theirs, expected)}
    return result


def pages_of(corpora: Sequence[str]) -> list[Page]:
    """The articles of ``corpora`` whose annotation names someone."""
    loaders = {DEVSET: devset_pages, WCXB: wcxb_pages, READABILITY: readability_pages}
    return [
        page
        for corpus in corpora
        for page in loaders[corpus](resolve(corpus))
        if page.is_article and reference_names(annotation_of(page))
    ]


def render(results: list[dict[str, Any]], with_trafilatura: bool) -> str:
    """The Markdown table: corpus and part, pages, mean set F1 and exact share of each system."""
    systems = ["ours", *(["trafilatura"] if with_trafilatura else [])]
    lines = [
        "| corpus | part | pages | " + " | ".join(f"{name} F1 | {name} exact" for name in systems) + " |",
        "| --- | --- | --- | " + " | ".join("--- | ---" for _ in systems) + " |",
    ]
    groups = sorted(
        {(result["corpus"], result["part"]) for result in results}, key=lambda g: (g[0], PARTS.index(g[1]))
    )
    for corpus, part in groups:
        chosen = [result for result in results if (result["corpus"], result["part"]) == (corpus, part)]
        cells = []
        for name in systems:
            tally = Tally([result[f"{name}_f1"] for result in chosen])
            cells.append(f"{tally.mean:.3f} | {tally.exact:.3f}")
        lines.append(f"| {corpus} | {part} | {len(chosen)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Score the corpora and print the table; exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", choices=CORPORA, default=list(CORPORA))
    parser.add_argument("--no-trafilatura", action="store_true", help="score newscrawl only")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--details", type=Path, help="write the tuning part's per-page results here")
    args = parser.parse_args(argv)
    pages = pages_of(args.corpus)
    with_trafilatura = not args.no_trafilatura
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(_run, pages, [with_trafilatura] * len(pages), chunksize=8))
    print(render(results, with_trafilatura))
    if args.details:
        tuning = [result for result in results if result["part"] == TUNING]
        args.details.write_text(json.dumps(tuning, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
