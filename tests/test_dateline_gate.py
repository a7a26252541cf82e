"""The dateline gate: extraction on the labelled dateline set holds the floors pinned for each part.

Runs only the labelled pages (``benchmarks/datelines/labels.jsonl``) when the corpora are beside the
repository (``../shared``); the floors are in ``benchmarks/datelines/floors.json``.
"""

from __future__ import annotations

import json

import pytest

from benchmarks.dateline_quality import FLOORS, check, corpora_present, read_labels, score

LABELS = read_labels()


def test_the_labels_are_well_formed() -> None:
    assert len(LABELS) >= 300
    assert len({(label["corpus"], label["ref"]) for label in LABELS}) == len(LABELS)
    for label in LABELS:
        assert label["part"] in {"tuning", "validation"}
        assert isinstance(label["dateline"], bool)
        if label["dateline"]:
            assert label["text"]
            assert label.get("place") or label.get("agency")


@pytest.mark.skipif(not corpora_present(LABELS), reason="the corpora are not beside the repository")
def test_datelines_meet_the_pinned_floors() -> None:
    tallies, _ = score(LABELS)
    assert check(tallies, json.loads(FLOORS.read_text(encoding="utf-8"))) == []
