"""Fuzzing: the extraction and discovery functions on mutated real pages never raise and never run long.

The pages are the golden pages, the demo site and the end-to-end test site. Hypothesis mutates them
(truncation, cut and repeated slices, stray tags and entities, NUL and invalid bytes, deep nesting)
with a fixed seed, so CI sees the same cases every run; set ``FUZZ_EXAMPLES`` for a longer, random run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.discover.feeds import parse_feed
from crawler.discover.sitemaps import parse_sitemap
from crawler.extract import extract_article, extract_page
from tests.conftest import DEMO_SITE, TEST_SITE

GOLDEN = Path(__file__).parent.parent / "fixtures" / "golden"
PAGES = sorted(
    path.read_bytes()
    for folder, pattern in ((GOLDEN, "*.html"), (DEMO_SITE, "**/*.html"), (TEST_SITE, "**/*.html"))
    for path in folder.glob(pattern)
)
DISCOVERY_FILES = sorted(
    path.read_bytes() for folder in (DEMO_SITE, TEST_SITE) for path in folder.glob("**/*.xml")
)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
TIME_BOUND = 10.0  # seconds for one call; an ordinary page takes well under 0.2 s
JUNK = [
    b"<div>",
    b"</div></div></p>",
    b"<script>",
    b"<!--",
    b"]]>",
    b"<![CDATA[",
    b"\"'<>&",
    b"&#0;&#x110000;&bogus;&amp",
    b"\x00",
    b"\xff\xfe\xc3\x28\xe2\x82",
    b"<table><tr><td>" * 50,
    b"<div>" * 3000,
    b"<meta charset='x-unknown'>",
    b"<?xml version='1.0' encoding='ebcdic'?>",
    b"\xef\xbb\xbf",
]


@st.composite
def mutated(draw: st.DrawFn, pages: list[bytes]) -> bytes:
    """A real file with a few random mutations."""
    data = bytearray(draw(st.sampled_from(pages)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["truncate", "cut", "repeat", "insert"]))
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            del data[at:]
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 5000))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 2000))] * draw(st.integers(2, 20))
        else:
            data[at:at] = draw(st.sampled_from(JUNK))
    return bytes(data)


def timed(call: object, *args: object) -> float:
    started = time.perf_counter()
    call(*args)  # type: ignore[operator]
    return time.perf_counter() - started


FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


@FUZZ
@given(mutated(PAGES))
def test_extraction_of_a_mutated_page_never_raises_nor_runs_long(page: bytes) -> None:
    assert timed(extract_page, page, "https://fuzz.example/2026/11/26/a-story/") < TIME_BOUND
    assert timed(extract_page, page.decode("utf-8", "replace"), "https://fuzz.example/a") < TIME_BOUND
    assert timed(extract_article, page, "https://fuzz.example/a") < TIME_BOUND


@FUZZ
@given(mutated(DISCOVERY_FILES))
def test_discovery_of_a_mutated_sitemap_or_feed_never_raises_nor_runs_long(document: bytes) -> None:
    assert timed(parse_sitemap, document, "https://fuzz.example/sitemap.xml", 50_000) < TIME_BOUND
    assert timed(parse_feed, document, "https://fuzz.example/feed.xml") < TIME_BOUND
