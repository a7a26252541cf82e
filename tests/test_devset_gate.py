"""The extraction quality gate: CI fails when extraction falls below the floors pinned on the validation parts.

Runs whenever a corpus exists (beside the repository in ``../shared``, or where ``$NEWSCRAWL_DEVSET``,
``$NEWSCRAWL_WCXB`` and ``$NEWSCRAWL_READABILITY`` say); the floors are in
``benchmarks/quality_floors.json``. Only newscrawl runs on every page (trafilatura only on the speed
sample): the floors are ours, and the full report beside trafilatura is a command of its own.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.quality import corpora
from tests.conftest import ROOT

FOUND = [
    corpus
    for corpus in (corpora.DEVSET, corpora.WCXB, corpora.READABILITY)
    if corpora.available(corpus, corpora.resolve(corpus))
]


@pytest.mark.skipif(not FOUND, reason="no annotated corpus in ../shared")
def test_extraction_meets_the_pinned_floors() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/extraction_quality.py", "--check", "--ours-only", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
