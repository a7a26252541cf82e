"""Near-duplicate detection: MinHash fingerprints and their LSH index in SQLite or Redis."""
