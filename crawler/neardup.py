"""Near-duplicate articles: MinHash fingerprints of bodies and an LSH index kept in SQLite.

A wire story syndicated on several sites, or an article re-published with a new headline or tail,
keeps most of its word 5-grams ("shingles"), so the Jaccard similarity of the two shingle sets stays
high while distinct articles on the same topic share almost none. A MinHash signature estimates that
similarity: each of ``num_perm`` hash functions keeps the smallest hash of the text's shingles, and
the fraction of equal minima between two signatures is an unbiased estimate of their Jaccard.

The index (LSH, "banding") cuts each signature into ``bands`` bands of ``rows`` values and stores one
bucket hash per band in SQLite (``neardup_bands``, keyed by band and bucket; the signatures are BLOBs
in ``neardup_signatures``, in insertion order). A lookup reads only the rows whose bucket equals one
of its own, then keeps the candidates whose full signatures agree at the threshold. Nothing is held
in memory, and a lookup costs about the same at a thousand or a million indexed articles.

The defaults (threshold 0.7, 5-word shingles, 128 hash functions) come from
``benchmarks/near_duplicates.py``: on the devset no two distinct pages come near 0.7, while 0.8
already misses a tenth of the syndicated copies and a third of the lightly edited ones.

Signatures depend only on this module (the hash functions are derived from fixed strings, not from a
random generator of some library version), so an index written by one run is valid for the next.
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from hashlib import blake2b
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator

    from numpy.typing import NDArray

# Scripts written without spaces between words (Han, kana, Hangul): every character is a token,
# so shingles are character n-grams there. The ranges follow crawler.extract.text's CJK notion.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN_RE = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")

_SIGNATURE_DTYPE = np.dtype("<u4")
_CHUNK = 2048  # shingles per step: the temporary array is _CHUNK x num_perm x 8 bytes (2 MiB at 128)
DEFAULT_THRESHOLD = 0.7
DEFAULT_SHINGLE_SIZE = 5
CANDIDATE_RECALL = 0.99  # probability that a pair at exactly the threshold shares a band

SCHEMA = (
    (
        "CREATE TABLE IF NOT EXISTS neardup_signatures "
        "(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, signature BLOB NOT NULL)"
    ),
    (
        "CREATE TABLE IF NOT EXISTS neardup_bands (band INTEGER NOT NULL, bucket INTEGER NOT NULL, "
        "id INTEGER NOT NULL, PRIMARY KEY (band, bucket, id)) WITHOUT ROWID"
    ),
    "CREATE TABLE IF NOT EXISTS neardup_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)


@dataclass(frozen=True)
class Fingerprint:
    """A MinHash signature: ``num_perm`` unsigned 32-bit minima, packed little-endian."""

    values: bytes

    def __post_init__(self) -> None:
        if not self.values or len(self.values) % _SIGNATURE_DTYPE.itemsize:
            raise ValueError(
                f"a fingerprint is a non-empty multiple of 4 bytes, got {len(self.values)} bytes"
            )

    @property
    def num_perm(self) -> int:
        """The number of hash functions (signature values)."""
        return len(self.values) // _SIGNATURE_DTYPE.itemsize

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
        return _agreement(self.values, other.values)


def _agreement(a: bytes, b: bytes) -> float:
    equal = np.frombuffer(a, _SIGNATURE_DTYPE) == np.frombuffer(b, _SIGNATURE_DTYPE)
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
    return Fingerprint(minima.astype(_SIGNATURE_DTYPE).tobytes())


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
    width = rows * _SIGNATURE_DTYPE.itemsize
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


class NearDuplicateIndex:
    """MinHash LSH index stored in SQLite tables it creates itself (neardup_signatures, neardup_bands).

    The connection is the caller's, in autocommit mode (``isolation_level=None``), preferably in WAL
    mode with a busy timeout; each write is one ``BEGIN IMMEDIATE`` transaction. The banding is
    recorded in ``neardup_meta``: reopening an index with other bands or ``num_perm`` raises, since
    its stored buckets would never match.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = 128,
        bands: int | None = None,
    ) -> None:
        self.connection = connection
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands, self.rows = index_layout(threshold, num_perm, bands)
        self._lock = threading.Lock()
        layout = {"num_perm": num_perm, "bands": self.bands, "rows": self.rows}
        with self._transaction():
            for statement in SCHEMA:
                connection.execute(statement)
            connection.executemany("INSERT OR IGNORE INTO neardup_meta VALUES (?, ?)", layout.items())
            stored = dict(connection.execute("SELECT name, value FROM neardup_meta").fetchall())
        if stored != layout:
            raise ValueError(
                f"the near-duplicate index was built with {stored}, not {layout}: "
                "open it with the same threshold (or bands) and num_perm, or drop the neardup_* tables"
            )

    def find(self, fp: Fingerprint, exclude_key: str | None = None) -> tuple[str, float] | None:
        """The earliest-added key whose estimated similarity to ``fp`` is >= the threshold, with it."""
        self._check(fp)
        buckets = self._buckets(fp)
        pairs = ", ".join(["(?, ?)"] * len(buckets))
        # CROSS JOIN keeps the probe list as the outer loop, so each band is one primary-key search.
        query = (
            f"WITH probe (band, bucket) AS (VALUES {pairs}) "
            "SELECT key, signature FROM neardup_signatures WHERE id IN (SELECT bands.id FROM probe "
            "CROSS JOIN neardup_bands AS bands ON bands.band = probe.band AND bands.bucket = probe.bucket)"
        )
        params: list[int | str] = [value for pair in buckets for value in pair]
        if exclude_key is not None:
            query += " AND key <> ?"
            params.append(exclude_key)
        with self._lock:
            cursor = self.connection.execute(query + " ORDER BY id", params)
            try:
                for key, signature in cursor:
                    similarity = _agreement(fp.values, signature)
                    if similarity >= self.threshold:
                        return key, similarity
            finally:
                cursor.close()
        return None

    def add(self, key: str, fp: Fingerprint) -> None:
        """Index ``fp`` under ``key``; adding a key again replaces its signature but keeps its place."""
        self._check(fp)
        with self._lock, self._transaction():
            row = self.connection.execute(
                "SELECT id, signature FROM neardup_signatures WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                cursor = self.connection.execute(
                    "INSERT INTO neardup_signatures (key, signature) VALUES (?, ?)", (key, fp.values)
                )
                rowid = cursor.lastrowid
            else:
                rowid, old = row
                if old == fp.values:
                    return
                self._delete_bands(rowid, Fingerprint(old))
                self.connection.execute(
                    "UPDATE neardup_signatures SET signature = ? WHERE id = ?", (fp.values, rowid)
                )
            self.connection.executemany(
                "INSERT INTO neardup_bands (band, bucket, id) VALUES (?, ?, ?)",
                [(band, bucket, rowid) for band, bucket in self._buckets(fp)],
            )

    def remove(self, key: str) -> None:
        """Remove ``key`` from the index; KeyError when it is not there."""
        with self._lock, self._transaction():
            row = self.connection.execute(
                "SELECT id, signature FROM neardup_signatures WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                raise KeyError(key)
            rowid, signature = row
            self._delete_bands(rowid, Fingerprint(signature))
            self.connection.execute("DELETE FROM neardup_signatures WHERE id = ?", (rowid,))

    def __len__(self) -> int:
        """The number of indexed keys."""
        with self._lock:
            (count,) = self.connection.execute("SELECT COUNT(*) FROM neardup_signatures").fetchone()
        return int(count)

    def _check(self, fp: Fingerprint) -> None:
        if fp.num_perm != self.num_perm:
            raise ValueError(f"fingerprint has {fp.num_perm} values, the index expects {self.num_perm}")

    def _buckets(self, fp: Fingerprint) -> list[tuple[int, int]]:
        return band_buckets(fp, self.bands, self.rows)

    def _delete_bands(self, rowid: int, fp: Fingerprint) -> None:
        self.connection.executemany(
            "DELETE FROM neardup_bands WHERE band = ? AND bucket = ? AND id = ?",
            [(band, bucket, rowid) for band, bucket in self._buckets(fp)],
        )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.connection.in_transaction:
                self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")
