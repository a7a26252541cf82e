from __future__ import annotations

import math

import pytest

from benchmarks import detection_fit
from crawler.extract.detection import UNWEIGHED, WEIGHTS


def test_solve_finds_the_solution_of_a_linear_system() -> None:
    matrix = [[0.0, 2.0, 1.0], [1.0, 1.0, 0.0], [3.0, 0.0, 1.0]]
    solution = detection_fit._solve(matrix, [7.0, 3.0, 6.0])
    assert solution == pytest.approx([1.0, 2.0, 3.0])


def test_fit_weighs_the_evidence_that_separates_the_classes() -> None:
    # the first value marks articles 9 times in 10; the second is noise, the same in both classes
    features = [[1.0, n % 2] for n in range(90)] + [[0.0, n % 2] for n in range(10)]
    features += [[0.0, n % 2] for n in range(90)] + [[1.0, n % 2] for n in range(10)]
    labels = [True] * 100 + [False] * 100
    telling, noise, intercept = detection_fit.fit(features, labels)
    assert telling > 2.0
    assert abs(noise) < 0.1
    # classes of equal size: the two kinds of page sit either side of 0 at equal distance
    assert intercept == pytest.approx(-telling / 2, abs=0.05)
    assert 1 / (1 + math.exp(-(telling + intercept))) > 0.8


def test_rates_reject_a_listing_shaped_page_whatever_its_score() -> None:
    evidence = dict.fromkeys(WEIGHTS.keys() | UNWEIGHED, 0.0) | {"listing_typed": 1.0}
    data = [
        (evidence, False, "listing", "a.example"),
        ({**evidence, "listing_typed": 0.0}, True, "article", "b.example"),
    ]
    rates = detection_fit.rates(data, [5.0, 5.0], 0.0)
    assert rates["articles kept"] == 1.0
    assert rates["listing rejected"] == 1.0
