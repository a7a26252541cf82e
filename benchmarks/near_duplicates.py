"""Near-duplicate detection on the devset: false positives, catch rates, speed and index size.

Usage::

    python benchmarks/near_duplicates.py [--devset PATH] [--synthetic N] [--seed S]

The devset is found at ``--devset``, else at the ``NEWSCRAWL_DEVSET`` environment variable, else at
``../shared/devset`` relative to the repository root. Bodies come from ``crawler.extract.extract_page``;
bodies under ``MIN_WORDS`` words are skipped. Every measurement is made at each of ``THRESHOLDS``, one
SQLite index (``crawler.dedup.sqlite_index``) per threshold, and printed as Markdown:

1. **Collisions between distinct pages.** All bodies are indexed and each is looked up with itself
   excluded. Every pair of pages with an estimated similarity of ``LISTED`` or more is listed for
   inspection; a pair whose exact shingle Jaccard reaches ``SAME_TEXT`` shares its text (a page saved
   twice, a wire story on two sites) and is not a false positive. Brute force over all pairs of
   signatures checks that the LSH bands lost no pair. trafilatura's Simhash (similarity >= 0.9, over
   all pairs) is the reference.
2. **Catch rates.** Near-copies of every body: a new headline line, an added boilerplate tail, both
   (syndication), swapped paragraphs, a mild edit (one word in ``EDIT_EVERY`` of each paragraph of 20
   words or more replaced), and all four together. Each copy is looked up in the index of the
   originals; it is caught when the match is its original or a page sharing its text. Simhash
   compares each copy with its own original only (no index), its best case.
3. **Shingle size.** For each of ``SHINGLE_SIZES``, at the default threshold: how close the distinct
   pages come to each other, and how many copies of each kind reach the threshold.
4. **Speed and size.** ``--synthetic`` articles (default 100,000; sentences of the devset drawn at
   random) are fingerprinted once; they fill a WAL-mode SQLite file per threshold, each looked up
   before it is added, as a crawl would. Then every devset body is looked up and added, each step
   timed. The file size and the process's resident memory before and after the fill show the cost.

A full run takes about eight minutes on two cores, one with ``--synthetic 10000`` about three.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from trafilatura.deduplication import Simhash

from crawler.dedup.minhash import (
    DEFAULT_SHINGLE_SIZE,
    DEFAULT_THRESHOLD,
    Fingerprint,
    fingerprint,
    shingles,
    tokens,
)
from crawler.dedup.sqlite_index import NearDuplicateIndex
from crawler.extract import extract_page
from crawler.page.text import word_count

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEVSET = REPO_ROOT.parent / "shared" / "devset"
DEVSET_ENV = "NEWSCRAWL_DEVSET"

MIN_WORDS = 50
SAME_TEXT = 0.3  # exact Jaccard from which two corpus pages share their text (distinct articles: < 0.05)
LISTED = 0.2  # estimated similarity from which a pair of corpus pages is listed
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
SHINGLE_SIZES = (3, 4, 5, 6)
SIMHASH_THRESHOLD = 0.9
EDIT_EVERY = 40  # the mild edit replaces one word in this many
TAIL = (
    "This story was first published by {site}. Follow us on Facebook, X and Instagram, and sign up "
    "for our newsletter to get the day's top stories in your inbox. © 2024 {site}. All rights reserved."
)
SITES = ("The Daily Courier", "Metro Wire", "Nachrichten Online", "Le Journal du Soir", "Asia Briefing")


@dataclass
class Page:
    """One devset body with its fingerprints and shingles."""

    key: str
    body: str
    fp: Fingerprint
    shingles: set[str]
    simhash: Simhash


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets."""
    return len(a & b) / len(a | b) if a or b else 1.0


def load_pages(devset: Path) -> list[Page]:
    """Extract the devset's bodies, skipping short ones, in evaldata.json's order."""
    pages = []
    for url, entry in json.loads((devset / "evaldata.json").read_text(encoding="utf-8")).items():
        html = gzip.decompress((devset / "html" / f"{entry['file']}.gz").read_bytes())
        extraction = extract_page(html, url)
        body = extraction.body if extraction else ""
        fp = fingerprint(body)
        if fp is None or word_count(body) < MIN_WORDS:
            continue
        pages.append(Page(url, body, fp, shingles(body), Simhash(body)))
    return pages


# -- near-copies ------------------------------------------------------------------------------------


def new_headline(body: str, rng: random.Random) -> str:
    """A new first line made of the article's own words, as a re-publisher's headline would be."""
    words = body.split()
    return " ".join(rng.sample(words, min(9, len(words)))).capitalize() + "\n\n" + body


def added_tail(body: str, rng: random.Random) -> str:
    """The body with a syndication boilerplate paragraph appended."""
    return body + "\n\n" + TAIL.format(site=rng.choice(SITES))


def syndicated(body: str, rng: random.Random) -> str:
    """A new headline and an added tail."""
    return added_tail(new_headline(body, rng), rng)


def reordered(body: str, rng: random.Random) -> str | None:
    """The body with a quarter of its paragraphs (at least two) swapped in pairs; None for one paragraph."""
    paragraphs = body.split("\n\n")
    if len(paragraphs) < 2:
        return None
    for _ in range(max(1, len(paragraphs) // 8)):
        i, j = rng.sample(range(len(paragraphs)), 2)
        paragraphs[i], paragraphs[j] = paragraphs[j], paragraphs[i]
    return "\n\n".join(paragraphs)


def edited(body: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """The body with one word in ``EDIT_EVERY`` of each paragraph of 20 words or more replaced."""
    paragraphs = []
    for paragraph in body.split("\n\n"):
        words = paragraph.split()
        count = max(1, len(words) // EDIT_EVERY) if len(words) >= EDIT_EVERY // 2 else 0
        for i in rng.sample(range(len(words)), count):
            words[i] = rng.choice(vocabulary)
        paragraphs.append(" ".join(words))
    return "\n\n".join(paragraphs)


def everything(body: str, rng: random.Random, vocabulary: Sequence[str]) -> str:
    """All four changes together."""
    return syndicated(edited(reordered(body, rng) or body, rng, vocabulary), rng)


def variants(vocabulary: Sequence[str]) -> dict[str, Callable[[str, random.Random], str | None]]:
    """The near-copy makers, by the name the tables show."""
    return {
        "new headline": new_headline,
        "added tail": added_tail,
        "headline + tail (syndicated)": syndicated,
        "reordered paragraphs": reordered,
        f"mild edit (1 word in {EDIT_EVERY})": lambda body, rng: edited(body, rng, vocabulary),
        "all four together": lambda body, rng: everything(body, rng, vocabulary),
    }


def make_copies(pages: Sequence[Page], seed: int) -> dict[str, list[tuple[Page, str]]]:
    """Each kind of near-copy of every page it applies to, with its original."""
    vocabulary = sorted({word for page in pages for word in page.body.split()})
    copies: dict[str, list[tuple[Page, str]]] = {}
    for name, make in variants(vocabulary).items():
        made = ((page, make(page.body, random.Random(f"{seed} {name} {n}"))) for n, page in enumerate(pages))
        copies[name] = [(page, copy) for page, copy in made if copy is not None]
    return copies


# -- measurements -----------------------------------------------------------------------------------


def open_index(path: Path, threshold: float) -> NearDuplicateIndex:
    """A fresh index in a WAL-mode, autocommit SQLite file, the way the crawl state is opened."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return NearDuplicateIndex(connection, threshold=threshold)


def shared_text_pairs(pages: Sequence[Page], floor: float) -> dict[frozenset[str], float]:
    """Every pair of pages whose estimated similarity is at least ``floor``, with its exact Jaccard."""
    signatures = np.stack([np.frombuffer(page.fp.to_bytes(), "<u4") for page in pages])
    pairs = {}
    for i in range(len(pages)):
        estimates = (signatures[i + 1 :] == signatures[i]).mean(axis=1)
        for j in np.flatnonzero(estimates >= floor) + i + 1:
            pairs[frozenset((pages[i].key, pages[j].key))] = jaccard(pages[i].shingles, pages[j].shingles)
    return pairs


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0 to 1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def resident_mib() -> float | None:
    """The process's resident memory now (Linux), in MiB."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return None
    return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def table_sizes(connection: sqlite3.Connection) -> dict[str, int]:
    """Bytes on disk of each neardup table and index (empty when SQLite lacks the dbstat table)."""
    try:
        rows = connection.execute(
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE '%neardup%' GROUP BY name"
        ).fetchall()
    except sqlite3.OperationalError:
        return {}
    return dict(rows)


def collisions(pages: Sequence[Page], indexes: dict[float, NearDuplicateIndex]) -> set[frozenset[str]]:
    """Print the collisions between distinct pages; return the pairs that share their text."""
    by_key = {page.key: page for page in pages}
    corpus = shared_text_pairs(pages, LISTED)
    same_text = {pair for pair, exact in corpus.items() if exact >= SAME_TEXT}
    found: dict[frozenset[str], list[float]] = {}
    print("## Collisions between distinct devset pages\n")
    print(
        "| method | bands x rows | pages matched | missed by LSH | shared-text pairs found | false-positive pairs | false-positive rate (pages) |"
    )
    print("|---|---|---|---|---|---|---|")
    for threshold, index in indexes.items():
        matched = {}
        for page in pages:
            match = index.find(page.fp, exclude_key=page.key)
            if match:
                matched[page.key] = match[0]
        pairs = {frozenset(item) for item in matched.items()}
        for pair in pairs:
            found.setdefault(pair, []).append(threshold)
        above = {key for pair in corpus for key in pair if _estimate(pair, by_key) >= threshold}
        false = pairs - same_text
        print(
            f"| MinHash LSH >= {threshold} | {index.bands} x {index.rows} | {len(matched)} | "
            f"{len(above - matched.keys())} | {len(pairs & same_text)}/{len(same_text)} | {len(false)} | "
            f"{_rate(len({key for pair in false for key in pair}), len(pages))} |"
        )
    simhash = {
        frozenset((a.key, b.key))
        for i, a in enumerate(pages)
        for b in pages[i + 1 :]
        if a.simhash.similarity(b.simhash) >= SIMHASH_THRESHOLD
    }
    false = simhash - same_text
    print(
        f"| Simhash >= {SIMHASH_THRESHOLD}, all {len(pages) * (len(pages) - 1) // 2:,} pairs | 64 bits | "
        f"{len({key for pair in simhash for key in pair})} | - | {len(simhash & same_text)}/{len(same_text)} | "
        f"{len(false)} | {_rate(len({key for pair in false for key in pair}), len(pages))} |"
    )
    print(
        f"\nEvery pair of pages with an estimated similarity of at least {LISTED} (pairs with an exact shingle "
        f"Jaccard of at least {SAME_TEXT} share their text and are not false positives), for inspection:\n"
    )
    print("| exact | estimated | found at | page A | page B | opening of A | opening of B |")
    print("|---|---|---|---|---|---|---|")
    for pair in sorted(corpus | dict.fromkeys(found, 0.0), key=lambda p: -_estimate(p, by_key)):
        a, b = sorted(pair)
        print(
            f"| {jaccard(by_key[a].shingles, by_key[b].shingles):.2f} | {_estimate(pair, by_key):.2f} | "
            f"{', '.join(map(str, found.get(pair, []))) or 'not found'} | {a} | {b} | "
            f"{_opening(by_key[a].body)} | {_opening(by_key[b].body)} |"
        )
    if simhash - corpus.keys():
        print("\nSimhash pairs: " + "; ".join(" and ".join(sorted(pair)) for pair in simhash - corpus.keys()))
    return same_text


def catch_rates(
    indexes: dict[float, NearDuplicateIndex],
    copies: dict[str, list[tuple[Page, str]]],
    same_text: set[frozenset[str]],
) -> None:
    """Print how many near-copies of each kind the indexes of the originals find."""
    print("\n## Catch rate of near-copies (each looked up in the index of the originals)\n")
    print(
        "| copy | copies | exact Jaccard mean (min) | estimate's error mean (max) | "
        + " | ".join(f"MinHash >= {t}" for t in indexes)
        + f" | Simhash >= {SIMHASH_THRESHOLD} |"
    )
    print("|---|---|---|---|" + "---|" * (len(indexes) + 1))
    above = dict.fromkeys(indexes, 0)  # copies whose exact Jaccard reaches the threshold
    above_caught = dict.fromkeys(indexes, 0)
    wrong = 0
    for name, pairs in copies.items():
        exact: list[float] = []
        errors: list[float] = []
        simhash = 0
        caught = dict.fromkeys(indexes, 0)
        for page, copy in pairs:
            copy_fp = fingerprint(copy)
            assert copy_fp is not None  # a copy is never shorter than its original
            exact.append(jaccard(page.shingles, shingles(copy)))
            errors.append(abs(copy_fp.similarity(page.fp) - exact[-1]))
            simhash += Simhash(copy).similarity(page.simhash) >= SIMHASH_THRESHOLD
            for threshold, index in indexes.items():
                match = index.find(copy_fp)
                hit = match is not None and (
                    match[0] == page.key or frozenset((match[0], page.key)) in same_text
                )
                wrong += match is not None and not hit
                caught[threshold] += hit
                above[threshold] += exact[-1] >= threshold
                above_caught[threshold] += hit and exact[-1] >= threshold
        print(
            f"| {name} | {len(exact)} | {statistics.mean(exact):.3f} ({min(exact):.3f}) | "
            f"{statistics.mean(errors):.3f} ({max(errors):.3f}) | "
            + " | ".join(_rate(caught[t], len(exact)) for t in indexes)
            + f" | {_rate(simhash, len(exact))} |"
        )
    print(
        "| *copies whose exact Jaccard reaches the threshold* | | | | "
        + " | ".join(_rate(above_caught[t], above[t]) for t in indexes)
        + " | |"
    )
    print(f"\nCopies matched to a page other than their original: {wrong}.")


def shingle_sizes(
    pages: Sequence[Page], copies: dict[str, list[tuple[Page, str]]], same_text: set[frozenset[str]]
) -> None:
    """Print, for each shingle size, how close distinct pages come and how many copies reach the threshold."""
    print(f"\n## Shingle size, at the default threshold {DEFAULT_THRESHOLD} (signatures compared directly)\n")
    print(
        "| shingle size | distinct pairs: 99.99th percentile / max estimate | distinct pairs >= threshold | "
        + " | ".join(copies)
        + " |"
    )
    print("|---|---|---|" + "---|" * len(copies))
    position = {page.key: n for n, page in enumerate(pages)}
    partners: dict[int, list[int]] = {}
    for pair in same_text:
        i, j = sorted(position[key] for key in pair)
        partners.setdefault(i, []).append(j)
    for size in SHINGLE_SIZES:
        signatures = np.stack([_signature(page.body, size) for page in pages])
        rows = []
        for i in range(len(pages)):
            estimates = (signatures[i:] == signatures[i]).mean(axis=1)
            estimates[[0] + [j - i for j in partners.get(i, [])]] = -1.0  # the page itself, its duplicates
            rows.append(estimates[estimates >= 0.0])
        distinct = np.concatenate(rows)
        reached = [
            sum(
                (_signature(copy, size) == signatures[position[page.key]]).mean() >= DEFAULT_THRESHOLD
                for page, copy in pairs
            )
            for pairs in copies.values()
        ]
        print(
            f"| {size}{' (default)' if size == DEFAULT_SHINGLE_SIZE else ''} | "
            f"{np.quantile(distinct, 0.9999):.3f} / {distinct.max():.3f} | "
            f"{np.count_nonzero(distinct >= DEFAULT_THRESHOLD)} | "
            + " | ".join(
                _rate(count, len(pairs)) for count, pairs in zip(reached, copies.values(), strict=True)
            )
            + " |"
        )


def speed_and_size(pages: Sequence[Page], directory: Path, synthetic: int, seed: int) -> None:
    """Fill one index per threshold with synthetic articles, then time the devset bodies against it."""
    rng = random.Random(seed)
    sentences = [
        sentence
        for page in pages
        for sentence in re.split(r"(?<=[.!?])\s+", page.body)
        if 5 <= len(tokens(sentence)) <= 50
    ]
    texts = (" ".join(rng.choices(sentences, k=rng.randint(10, 30))) for _ in range(synthetic))
    fingerprints = [fp for fp in map(fingerprint, texts) if fp is not None]
    fingerprint_times = []
    for page in pages:
        start = time.perf_counter()
        fingerprint(page.body)
        fingerprint_times.append(time.perf_counter() - start)
    print(f"\n## Speed and size with {synthetic:,} synthetic articles indexed\n")
    print(
        f"fingerprint() of a devset body: median {_ms(statistics.median(fingerprint_times))}, "
        f"95th percentile {_ms(percentile(fingerprint_times, 0.95))}, mean {_ms(statistics.mean(fingerprint_times))}.\n"
    )
    print(
        "| threshold | bands x rows | find() median (p95) | add() median (p95) | find() + add() while filling: "
        "first / last 10 % (mean) | synthetic matches | file size | bytes per article | resident memory before / after |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    parts: dict[str, int] = {}
    for threshold in THRESHOLDS:
        path = directory / f"speed-{threshold}.sqlite3"
        index = open_index(path, threshold)
        memory_before = resident_mib()
        fill: list[float] = []
        matches = 0
        for i, fp in enumerate(fingerprints):
            start = time.perf_counter()
            matches += index.find(fp) is not None
            index.add(f"https://synthetic.invalid/{i}", fp)
            fill.append(time.perf_counter() - start)
        finds, adds = [], []
        for page in pages:
            t0 = time.perf_counter()
            index.find(page.fp)
            t1 = time.perf_counter()
            index.add(page.key, page.fp)
            finds.append(t1 - t0)
            adds.append(time.perf_counter() - t1)
        memory_after = resident_mib()
        index.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = path.stat().st_size
        tenth = max(1, len(fill) // 10)
        print(
            f"| {threshold} | {index.bands} x {index.rows} | {_ms(statistics.median(finds))} ({_ms(percentile(finds, 0.95))}) | "
            f"{_ms(statistics.median(adds))} ({_ms(percentile(adds, 0.95))}) | "
            f"{_ms(statistics.mean(fill[:tenth]))} / {_ms(statistics.mean(fill[-tenth:]))} | {matches} | "
            f"{size / 2**20:.0f} MiB | {size / len(index):.0f} | {_mib(memory_before)} / {_mib(memory_after)} |"
        )
        if threshold == DEFAULT_THRESHOLD:
            parts = table_sizes(index.connection)
        index.connection.close()
        path.unlink()
    if parts:
        print(
            f"\nOn disk at {DEFAULT_THRESHOLD}: "
            + ", ".join(f"{name} {size:,} bytes" for name, size in sorted(parts.items()))
            + "."
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--devset", type=Path, default=Path(os.environ.get(DEVSET_ENV, DEFAULT_DEVSET)))
    parser.add_argument(
        "--synthetic", type=int, default=100_000, help="articles indexed for timing (0: skip)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the near-copies and synthetic articles")
    args = parser.parse_args(argv)
    if not (args.devset / "evaldata.json").exists():
        print(f"No devset at {args.devset}: nothing to measure.")
        return 0
    logging.disable(logging.WARNING)  # extraction warnings about individual pages

    pages = load_pages(args.devset)
    print(f"# Near-duplicate detection: {len(pages)} devset bodies of at least {MIN_WORDS} words\n")
    with tempfile.TemporaryDirectory() as tmp:
        indexes = {t: open_index(Path(tmp) / f"originals-{t}.sqlite3", t) for t in THRESHOLDS}
        for index in indexes.values():
            for page in pages:
                index.add(page.key, page.fp)
        same_text = collisions(pages, indexes)
        copies = make_copies(pages, args.seed)
        catch_rates(indexes, copies, same_text)
        shingle_sizes(pages, copies, same_text)
        for index in indexes.values():
            index.connection.close()
        if args.synthetic > 0:
            speed_and_size(pages, Path(tmp), args.synthetic, args.seed)
    return 0


def _signature(text: str, size: int) -> np.ndarray:
    fp = fingerprint(text, shingle_size=size)
    assert fp is not None
    return np.frombuffer(fp.to_bytes(), "<u4")


def _estimate(pair: frozenset[str], by_key: dict[str, Page]) -> float:
    a, b = (by_key[key] for key in pair)
    return a.fp.similarity(b.fp)


def _opening(body: str) -> str:
    return body[:50].replace("\n", " ").replace("|", "/")


def _rate(count: int, total: int) -> str:
    return f"{count}/{total} ({100 * count / total:.1f} %)" if total else "-"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _mib(mib: float | None) -> str:
    return f"{mib:.0f} MiB" if mib is not None else "-"


if __name__ == "__main__":
    sys.exit(main())
