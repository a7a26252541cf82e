"""What one run remembers that grows with it, kept on disk: the sets of URLs it has seen, its claims, and
queues of what it holds back.

A run of a million pages sees millions of URLs (links followed, pages scheduled and recorded pending,
request fingerprints) and claims every article's canonical URL and body hash once. In Python sets they
cost a few hundred bytes each and the crawl process would grow with the size of the run; here they live
in a private temporary SQLite database (``sqlite3.connect("")``: a file the operating system deletes as
soon as it is closed, or the process dies), which keeps only its page cache in memory. Nothing in it
outlives the run: what later runs must know is in the crawl state (``crawler.store.open_store``).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterable

Key = TypeVar("Key", str, bytes)

_SCHEMA = (
    "CREATE TABLE members (name TEXT NOT NULL, key NOT NULL, PRIMARY KEY (name, key)) WITHOUT ROWID",
    "CREATE TABLE claims (key TEXT PRIMARY KEY, claimant TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE queued (queue TEXT NOT NULL, item TEXT NOT NULL)",
    "CREATE INDEX queued_by_queue ON queued (queue)",
)
CACHE_KIB = 4096  # the database's page cache: all it keeps in memory


class RunSets:
    """Named sets of strings (or bytes), first-come claims and named first-in first-out queues of strings,
    for the length of one run, on disk.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    @classmethod
    def open(cls) -> RunSets:
        """A new, empty store in a temporary file of its own."""
        connection = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        for statement in _SCHEMA:
            connection.execute(statement)
        return cls(connection)

    def add(self, name: str, keys: Iterable[Key]) -> list[Key]:
        """Add ``keys`` to the set ``name``; return those that were not in it yet, in order, each once."""
        insert = "INSERT OR IGNORE INTO members (name, key) VALUES (?, ?)"
        with self.connection:
            self.connection.execute("BEGIN")
            return [key for key in keys if self.connection.execute(insert, (name, key)).rowcount]

    def missing(self, name: str, keys: Iterable[Key]) -> list[Key]:
        """Those of ``keys`` that are not in the set ``name``, in order (not added)."""
        select = "SELECT 1 FROM members WHERE name = ? AND key = ?"
        return [key for key in keys if self.connection.execute(select, (name, key)).fetchone() is None]

    def claim(self, key: str, claimant: str) -> str | None:
        """Claim ``key`` for ``claimant``: None the first time, else the claimant that claimed it first."""
        insert = "INSERT OR IGNORE INTO claims (key, claimant) VALUES (?, ?)"
        if self.connection.execute(insert, (key, claimant)).rowcount:
            return None
        first = self.connection.execute("SELECT claimant FROM claims WHERE key = ?", (key,)).fetchone()
        return str(first[0])

    def push(self, queue: str, items: Iterable[str]) -> None:
        """Append ``items`` to the queue ``queue``."""
        with self.connection:
            self.connection.execute("BEGIN")
            self.connection.executemany(
                "INSERT INTO queued (queue, item) VALUES (?, ?)", ((queue, item) for item in items)
            )

    def pop(self, queue: str) -> str | None:
        """Take the oldest item of the queue ``queue``; None when it is empty."""
        row = self.connection.execute(
            "DELETE FROM queued WHERE rowid = (SELECT min(rowid) FROM queued WHERE queue = ?) RETURNING item",
            (queue,),
        ).fetchone()
        return None if row is None else str(row[0])

    def close(self) -> None:
        """Close the store; its file is deleted."""
        self.connection.close()
