"""Fit the weights of article detection (``crawler/extract/detection.py``) on the gate's tuning parts.

Usage::

    python benchmarks/detection_fit.py [--keep 0.97] [--jobs N] [--evidence CACHE.json]

Reads every tuning page of the devset (articles) and of wcxb-dev (articles, and listing, collection,
product, forum, service and documentation pages), takes its evidence as extraction computes it
(``extract_page(html, url).evidence``), and fits a logistic regression (classes weighed equally, L2
penalty as scikit-learn's ``C=1``, Newton's method; no dependency beyond the standard library). The bias is
the fitted intercept moved down until, cross-validated in five folds split by site, at least ``--keep`` of
the articles are kept. Prints the cross-validated rates (articles kept, other pages rejected, by type) at
the chosen bias and the ``WEIGHTS``/``BIAS`` to paste into the module. Validation pages are never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))  # the checkout this script stands in, not another installed one

from benchmarks.quality.corpora import DEVSET, TUNING, WCXB, Page, load, resolve, resolve_devset  # noqa: E402
from crawler.extract.article import extract_page  # noqa: E402
from crawler.extract.detection import UNWEIGHED, listing_shaped  # noqa: E402

FOLDS = 5
PENALTY = 1.0  # L2, as scikit-learn's C=1: half the squared weights against the summed weighed losses
NEWTON_STEPS = 30
Sample = tuple[dict[str, float], bool, str, str]  # evidence, is an article, page type, site


def _evidence(page: Page) -> Sample | None:
    logging.disable(logging.CRITICAL)
    extraction = extract_page(page.html(), page.url)
    if extraction is None or not extraction.body:
        return None  # no text: nothing to weigh, not kept whatever the weights
    site = urlsplit(page.url).hostname or page.url
    return extraction.evidence, page.is_article, page.page_type, site


def samples(jobs: int) -> list[Sample]:
    """The evidence of every tuning page of the devset and wcxb-dev that has text."""
    pages = [
        page for page in load(DEVSET, resolve_devset(None)) + load(WCXB, resolve(WCXB)) if page.part == TUNING
    ]
    with ProcessPoolExecutor(jobs) as pool:
        return [sample for sample in pool.map(_evidence, pages, chunksize=8) if sample is not None]


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix · x = vector`` (Gauss-Jordan with partial pivoting)."""
    size = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(rows[row][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for row in range(size):
            if row != column and rows[row][column]:
                factor = rows[row][column] / rows[column][column]
                rows[row] = [a - factor * b for a, b in zip(rows[row], rows[column], strict=True)]
    return [rows[index][size] / rows[index][index] for index in range(size)]


def fit(features: list[list[float]], labels: list[bool]) -> list[float]:
    """Logistic regression, classes weighed equally, L2 penalty on the weights (not the intercept, the last)."""
    positives = sum(labels)
    class_weight = {True: len(labels) / (2 * positives), False: len(labels) / (2 * (len(labels) - positives))}
    size = len(features[0]) + 1
    rows = [[*row, 1.0] for row in features]
    coefficients = [0.0] * size
    for _ in range(NEWTON_STEPS):
        gradient = [coefficient / PENALTY for coefficient in coefficients[:-1]] + [0.0]
        hessian = [
            [(1.0 / PENALTY if i == j and i < size - 1 else 0.0) for j in range(size)] for i in range(size)
        ]
        for row, label in zip(rows, labels, strict=True):
            score = sum(c * x for c, x in zip(coefficients, row, strict=True))
            probability = 1.0 / (1.0 + math.exp(-max(min(score, 35.0), -35.0)))
            weight = class_weight[label]
            error = weight * (probability - label)
            curvature = weight * probability * (1.0 - probability)
            for i, xi in enumerate(row):
                if xi:
                    gradient[i] += error * xi
                    hessian_row = hessian[i]
                    for j, xj in enumerate(row):
                        if xj:
                            hessian_row[j] += curvature * xi * xj
        step = _solve(hessian, gradient)
        coefficients = [c - s for c, s in zip(coefficients, step, strict=True)]
        if max(map(abs, step)) < 1e-6:
            break
    return coefficients


def _fold(site: str) -> int:
    return int(hashlib.sha256(site.encode()).hexdigest(), 16) % FOLDS


def cross_validated_scores(names: list[str], data: list[Sample]) -> list[float]:
    """Each page's score from weights fitted without its site's fold."""
    features = [[evidence.get(name, 0.0) for name in names] for evidence, *_ in data]
    labels = [is_article for _, is_article, *_ in data]
    scores = [0.0] * len(data)
    for fold in range(FOLDS):
        train = [index for index, sample in enumerate(data) if _fold(sample[3]) != fold]
        coefficients = fit([features[index] for index in train], [labels[index] for index in train])
        for index, sample in enumerate(data):
            if _fold(sample[3]) == fold:
                row = features[index] + [1.0]
                scores[index] = sum(c * x for c, x in zip(coefficients, row, strict=True))
    return scores


def rates(data: list[Sample], scores: list[float], offset: float) -> dict[str, float]:
    """Articles kept and other pages rejected (all, and by type) when ``offset`` is added to every score (a
    page with a listing's shape is rejected whatever its score).
    """
    kept: dict[str, list[bool]] = defaultdict(list)
    for (evidence, is_article, page_type, _), score in zip(data, scores, strict=True):
        kept["articles" if is_article else page_type].append(
            score + offset > 0 and not listing_shaped(evidence)
        )
    result = {"articles kept": sum(kept.pop("articles")) / max(1, len([s for s in data if s[1]]))}
    others = [value for values in kept.values() for value in values]
    result["other pages rejected"] = 1 - sum(others) / len(others)
    result |= {
        f"{page_type} rejected": 1 - sum(values) / len(values) for page_type, values in sorted(kept.items())
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=float, default=0.97, help="articles to keep, cross-validated (0.97)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--evidence", type=Path, help="cache of the pages' evidence (read if present, else written)"
    )
    args = parser.parse_args()
    if args.evidence and args.evidence.exists():
        data = [tuple(sample) for sample in json.loads(args.evidence.read_text())]
    else:
        data = samples(args.jobs)
        if args.evidence:
            args.evidence.write_text(json.dumps(data))
    names = sorted({name for evidence, *_ in data for name in evidence} - UNWEIGHED)
    scores = cross_validated_scores(names, data)
    offset = 0.0
    while rates(data, scores, offset)["articles kept"] < args.keep:
        offset += 0.05
    print(f"{len(data)} tuning pages; cross-validated by site, bias moved down {offset:.2f}:")
    for name, value in rates(data, scores, offset).items():
        print(f"  {name}: {value:.3f}")
    coefficients = fit(
        [[evidence.get(name, 0.0) for name in names] for evidence, *_ in data], [s[1] for s in data]
    )
    print("WEIGHTS: dict[str, float] = {")
    for name, weight in sorted(zip(names, coefficients, strict=False), key=lambda item: -abs(item[1])):
        print(f'    "{name}": {weight:.2f},')
    print("}")
    print(f"BIAS = {coefficients[-1] + offset:.2f}")


if __name__ == "__main__":
    main()
