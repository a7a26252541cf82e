"""Golden pages: each ``tests/fixtures/golden/<name>.html`` is extracted and checked against ``<name>.json``.

The JSON file holds the page's ``url`` (and ``html``, a path from the repository root, when the
page lives elsewhere, such as the demo site), the ``fetched_at`` moment, the ``expected`` record fields (each
compared exactly; fields not listed are not checked) and, for the body, ``body_with`` and
``body_without`` snippets (as trafilatura's evaluation does), ``body_starts`` and ``body_ends``.
A JSON file with ``"article": false`` expects no record at all.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from crawler.extract import extract_article

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "fixtures" / "golden"
CASES = sorted(GOLDEN.glob("*.json"))


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_golden_page(case: Path) -> None:
    spec = json.loads(case.read_text("utf-8"))
    page = ROOT / spec["html"] if "html" in spec else case.with_suffix(".html")
    html = page.read_bytes()
    record = extract_article(html, spec["url"], fetched_at=datetime.fromisoformat(spec["fetched_at"]))
    if spec.get("article") is False:
        assert record is None
        return
    assert record is not None
    for field, value in spec.get("expected", {}).items():
        assert record[field] == value, field
    body = _squash(record["body"])
    for snippet in spec.get("body_with", []):
        assert _squash(snippet) in body
    for snippet in spec.get("body_without", []):
        assert _squash(snippet) not in body
    if "body_starts" in spec:
        assert body.startswith(_squash(spec["body_starts"]))
    if "body_ends" in spec:
        assert body.endswith(_squash(spec["body_ends"]))


def test_there_are_golden_pages() -> None:
    assert len(CASES) >= 1
