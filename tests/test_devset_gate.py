"""The extraction quality gate on the devset: CI fails when extraction falls below the pinned floors.

Runs whenever the devset exists (beside the repository as ``../shared/devset``, or at
``$NEWSCRAWL_DEVSET``); the floors are in ``benchmarks/quality_floors.json``.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from benchmarks.extraction_quality import resolve_devset
from tests.conftest import ROOT

DEVSET = resolve_devset(None)


@pytest.mark.skipif(not (DEVSET / "evaldata.json").exists(), reason=f"no devset at {DEVSET}")
def test_extraction_meets_the_pinned_floors() -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/extraction_quality.py", "--check", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
