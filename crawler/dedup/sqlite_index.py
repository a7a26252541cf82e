"""The near-duplicate index in SQLite: MinHash LSH buckets in tables of the crawl state file.

Each signature's band buckets are stored in ``neardup_bands`` (keyed by band and bucket; the signatures
are BLOBs in ``neardup_signatures``, in insertion order). A lookup reads only the rows whose bucket
equals one of its own, then keeps the candidates whose full signatures agree at the threshold. Nothing
is held in memory, and a lookup costs about the same at a thousand or a million indexed articles.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

from crawler.dedup.minhash import DEFAULT_THRESHOLD, Fingerprint, agreement, band_buckets, index_layout

if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Iterator

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
                    similarity = agreement(fp.values, signature)
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
