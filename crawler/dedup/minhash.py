"""Near-duplicate articles: MinHash fingerprints of bodies and the banding (LSH) of their indexes.

A wire story syndicated on several sites, or an article re-published with a new headline or tail,
keeps most of its word 5-grams ("shingles"), so the Jaccard similarity of the two shingle sets stays
high while distinct articles on the same topic share almost none. A MinHash signature estimates that
similarity: each of ``num_perm`` hash functions keeps the smallest hash of the text's shingles, and
the fraction of equal minima between two signatures is an unbiased estimate of their Jaccard.

An index (LSH, "banding") cuts each signature into ``bands`` bands of ``rows`` values and stores one
bucket hash per band (``crawler.dedup.sqlite_index`` in SQLite, ``crawler.dedup.redis_index`` in Redis).
A lookup reads only the entries whose bucket equals one of its own, then keeps the candidates whose full
signatures agree at the threshold.

The defaults (threshold 0.7, 5-word shingles, 128 hash functions) come from
``benchmarks/near_duplicates.py``: on the devset no two distinct pages come near 0.7, while 0.8
already misses a tenth of the syndicated copies and a third of the lightly edited ones.

Signatures depend only on this module (the hash functions are derived from fixed strings, not from a
random generator of some library version), so an index written by one run is valid for the next.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from hashlib import blake2b
from typing import TYPE_CHECKING

import numpy as np

from crawler.page.text import CJK_CHARS

if TYPE_CHECKING:
    from numpy.typing import NDArray

# Scripts written without spaces between words (Han, kana, Hangul): every character is a token,
# so shingles are character n-grams there.
_TOKEN_RE = re.compile(rf"[{CJK_CHARS}]|[^\W{CJK_CHARS}]+")

SIGNATURE_DTYPE = np.dtype("<u4")
_CHUNK = 2048  # shingles per step: the temporary array is _CHUNK x num_perm x 8 bytes (2 MiB at 128)
DEFAULT_THRESHOLD = 0.7
DEFAULT_SHINGLE_SIZE = 5
CANDIDATE_RECALL = 0.99  # probability that a pair at exactly the threshold shares a band


@dataclass(frozen=True)
class Fingerprint:
    """A MinHash signature: ``num_perm`` unsigned 32-bit minima, packed little-endian."""

    values: bytes

    def __post_init__(self) -> None:
        if not self.values or len(self.values) % SIGNATURE_DTYPE.itemsize:
            raise ValueError(
                f"a fingerprint is a non-empty multiple of 4 bytes, got {len(self.values)} bytes"
            )

    @property
    def num_perm(self) -> int:
        """The number of hash functions (signature values)."""
        return len(self.values) // SIGNATURE_DTYPE.itemsize

    def to_bytes(self) -> bytes:
        """The signature as stored: ``num_perm`` little-endian unsigned 32-bit integers."""
        return self.values

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        """The fingerprint stored as ``data`` by :meth:`to_bytes`."""
        return cls(bytes(data))

    def similarity(self, other: Fingerprint) -> float:
        """The estimated Jaccard similarity of the two texts' shingle sets (0.0 to 1.0)."""
        if other.num_perm != self.num_perm:
            raise ValueError(f"cannot compare fingerprints of {self.num_perm} and {other.num_perm} values")
        return agreement(self.values, other.values)


def agreement(a: bytes, b: bytes) -> float:
    equal = np.frombuffer(a, SIGNATURE_DTYPE) == np.frombuffer(b, SIGNATURE_DTYPE)
    return int(np.count_nonzero(equal)) / len(equal)


def tokens(text: str) -> list[str]:
    """Lowercase word tokens of ``text`` after NFKC, each CJK character a token of its own."""
    return _TOKEN_RE.findall(unicodedata.normalize("NFKC", text).casefold())


@cache
def _hash_functions(num_perm: int) -> tuple[NDArray[np.uint64], NDArray[np.uint64]]:
    """Multipliers (odd) and increments of the ``num_perm`` multiply-shift hash functions."""
    seeds = [blake2b(f"newscrawl.neardup {i}".encode(), digest_size=16).digest() for i in range(num_perm)]
    a = np.array([int.from_bytes(s[:8], "little") | 1 for s in seeds], dtype=np.uint64)
    b = np.array([int.from_bytes(s[8:], "little") for s in seeds], dtype=np.uint64)
    return a, b


def shingles(text: str, size: int = DEFAULT_SHINGLE_SIZE) -> set[str]:
    """The distinct runs of ``size`` consecutive :func:`tokens` of ``text``."""
    return _shingles(tokens(text), size)


def _shingles(words: list[str], size: int) -> set[str]:
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def fingerprint(
    text: str, num_perm: int = 128, shingle_size: int = DEFAULT_SHINGLE_SIZE
) -> Fingerprint | None:
    """The MinHash fingerprint of ``text``'s shingles; None below ``2 * shingle_size`` tokens."""
    if num_perm < 1 or shingle_size < 1:
        raise ValueError(f"num_perm and shingle_size must be positive, got {num_perm} and {shingle_size}")
    words = tokens(text)
    if len(words) < 2 * shingle_size:
        return None
    digests = (blake2b(s.encode(), digest_size=8).digest() for s in _shingles(words, shingle_size))
    hashed = np.frombuffer(b"".join(digests), dtype="<u8")
    a, b = _hash_functions(num_perm)
    minima = np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, len(hashed), _CHUNK):
        chunk = hashed[start : start + _CHUNK, np.newaxis]
        # (a * x + b) mod 2**64, top 32 bits: numpy wraps unsigned array arithmetic silently.
        np.minimum(minima, ((chunk * a + b) >> np.uint64(32)).min(axis=0), out=minima)
    return Fingerprint(minima.astype(SIGNATURE_DTYPE).tobytes())


def lsh_parameters(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` for an LSH index that finds pairs at ``threshold`` with probability >= 0.99.

    A pair of similarity ``s`` shares a band with probability ``1 - (1 - s**rows)**bands``. A missed
    candidate is a missed duplicate, while a spurious one costs one signature comparison, so this takes
    the most rows per band (fewest spurious candidates) that still reach ``CANDIDATE_RECALL`` at the
    threshold within ``num_perm`` values, and for those rows the fewest bands (smallest index).
    """
    for rows in range(num_perm, 0, -1):
        p = threshold**rows
        bands = 1 if p >= 1.0 else math.ceil(math.log(1.0 - CANDIDATE_RECALL) / math.log1p(-p))
        if bands * rows <= num_perm:
            return bands, rows
    return num_perm, 1


def index_layout(threshold: float, num_perm: int, bands: int | None = None) -> tuple[int, int]:
    """``(bands, rows)`` of an index at ``threshold``: :func:`lsh_parameters`, or the given ``bands``."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    if bands is None:
        return lsh_parameters(threshold, num_perm)
    if not 1 <= bands <= num_perm:
        raise ValueError(f"bands must be between 1 and num_perm={num_perm}, got {bands!r}")
    return bands, num_perm // bands


def band_buckets(fp: Fingerprint, bands: int, rows: int) -> list[tuple[int, int]]:
    """``(band, bucket)`` pairs: each band of ``rows`` values hashed to a signed 64-bit (SQLite) integer."""
    width = rows * SIGNATURE_DTYPE.itemsize
    return [
        (
            band,
            int.from_bytes(
                blake2b(fp.values[band * width : (band + 1) * width], digest_size=8).digest(),
                "little",
                signed=True,
            ),
        )
        for band in range(bands)
    ]
