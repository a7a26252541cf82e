"""The near-duplicate index of ``crawler.dedup.minhash`` kept in Redis, shared by every worker of a distributed crawl.

Same banding, band hashes and semantics as the SQLite ``NearDuplicateIndex``; the keys, under
``<prefix>:neardup:``:

- ``meta``: hash ``num_perm``/``bands``/``rows``, the layout the index was built with.
- ``seq``: counter that gives each new key its id, so ids follow the order keys were first added.
- ``ids``: hash key → id; ``keys``: hash id → key; ``signatures``: hash id → signature bytes;
  ``buckets``: hash id → the key's band buckets, 8 bytes per band (so a Lua script can unindex them).
- ``band:<n>``: one sorted set per band, all scores 0, members ``bucket (8 bytes) + id (decimal)``:
  a lexicographic range over a bucket lists the ids in it.

``add`` and ``remove`` are Lua scripts, atomic across processes; ``find`` is two round trips (the band
ranges in one pipeline, then the candidates' keys and signatures).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.dedup.minhash import DEFAULT_THRESHOLD, Fingerprint, band_buckets, index_layout

if TYPE_CHECKING:
    import redis

DEFAULT_PREFIX = "newscrawl:state"

# KEYS: ids, keys, signatures, buckets, seq, then one sorted set per band.
_UNINDEX = """
local function unindex(id)
    local buckets = redis.call('HGET', KEYS[4], id)
    for band = 1, #KEYS - 5 do
        redis.call('ZREM', KEYS[5 + band], string.sub(buckets, band * 8 - 7, band * 8) .. id)
    end
end
"""

# ARGV: key, signature, buckets (8 bytes per band). Returns 0 when the key had that signature already.
_ADD = (
    _UNINDEX
    + """
local id = redis.call('HGET', KEYS[1], ARGV[1])
if id then
    if redis.call('HGET', KEYS[3], id) == ARGV[2] then
        return 0
    end
    unindex(id)
else
    id = tostring(redis.call('INCR', KEYS[5]))
    redis.call('HSET', KEYS[1], ARGV[1], id)
    redis.call('HSET', KEYS[2], id, ARGV[1])
end
redis.call('HSET', KEYS[3], id, ARGV[2])
redis.call('HSET', KEYS[4], id, ARGV[3])
for band = 1, #KEYS - 5 do
    redis.call('ZADD', KEYS[5 + band], 0, string.sub(ARGV[3], band * 8 - 7, band * 8) .. id)
end
return 1
"""
)

# ARGV: key. Returns 0 when the key is not indexed.
_REMOVE = (
    _UNINDEX
    + """
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then
    return 0
end
unindex(id)
redis.call('HDEL', KEYS[1], ARGV[1])
for i = 2, 4 do
    redis.call('HDEL', KEYS[i], id)
end
return 1
"""
)


def check_bytes_client(client: redis.Redis) -> None:
    """Raise ValueError for a client that decodes responses: signatures and keys are read as bytes."""
    if client.get_connection_kwargs().get("decode_responses"):
        raise ValueError("the Redis client must be created with decode_responses=False")


class RedisNearDuplicateIndex:
    """MinHash LSH index stored in Redis under ``<prefix>:neardup:``; the layout is checked as in SQLite."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str = DEFAULT_PREFIX,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        num_perm: int = 128,
        bands: int | None = None,
    ) -> None:
        check_bytes_client(client)
        self.client = client
        self.threshold = threshold
        self.num_perm = num_perm
        self.bands, self.rows = index_layout(threshold, num_perm, bands)
        self.prefix = f"{prefix}:neardup"
        self._band_keys = [f"{self.prefix}:band:{band}" for band in range(self.bands)]
        names = ("ids", "keys", "signatures", "buckets", "seq")
        self._script_keys = [*(f"{self.prefix}:{name}" for name in names), *self._band_keys]
        self._ids, self._keys, self._signatures = self._script_keys[:3]
        self._add = client.register_script(_ADD)
        self._remove = client.register_script(_REMOVE)
        layout = {"num_perm": num_perm, "bands": self.bands, "rows": self.rows}
        with client.pipeline(transaction=True) as pipe:
            for name, value in layout.items():
                pipe.hsetnx(f"{self.prefix}:meta", name, value)
            pipe.hgetall(f"{self.prefix}:meta")
            stored = {name.decode(): int(value) for name, value in pipe.execute()[-1].items()}
        if stored != layout:
            raise ValueError(
                f"the near-duplicate index at {self.prefix} was built with {stored}, not {layout}: "
                f"open it with the same threshold (or bands) and num_perm, or delete the keys {self.prefix}:*"
            )

    def find(self, fp: Fingerprint, exclude_key: str | None = None) -> tuple[str, float] | None:
        """The earliest-added key whose estimated similarity to ``fp`` is >= the threshold, with it."""
        self._check(fp)
        with self.client.pipeline(transaction=False) as pipe:
            for key, bucket in zip(self._band_keys, self._bucket_bytes(fp), strict=True):
                pipe.zrangebylex(key, b"[" + bucket, b"(" + bucket + b"\xff")
            members: list[list[bytes]] = pipe.execute()
        ids = sorted({int(member[8:]) for band in members for member in band})
        if not ids:
            return None
        with self.client.pipeline(transaction=False) as pipe:
            pipe.hmget(self._keys, ids)
            pipe.hmget(self._signatures, ids)
            keys, signatures = pipe.execute()
        for key, signature in zip(keys, signatures, strict=True):
            # None: removed between the two round trips.
            if key is None or signature is None or key.decode() == exclude_key:
                continue
            similarity = fp.similarity(Fingerprint(signature))
            if similarity >= self.threshold:
                return key.decode(), similarity
        return None

    def add(self, key: str, fp: Fingerprint) -> None:
        """Index ``fp`` under ``key``; adding a key again replaces its signature but keeps its place."""
        self._check(fp)
        self._add(keys=self._script_keys, args=[key, fp.values, b"".join(self._bucket_bytes(fp))])

    def remove(self, key: str) -> None:
        """Remove ``key`` from the index; KeyError when it is not there."""
        if not self._remove(keys=self._script_keys, args=[key]):
            raise KeyError(key)

    def __len__(self) -> int:
        """The number of indexed keys."""
        return self.client.hlen(self._ids)

    def _check(self, fp: Fingerprint) -> None:
        if fp.num_perm != self.num_perm:
            raise ValueError(f"fingerprint has {fp.num_perm} values, the index expects {self.num_perm}")

    def _bucket_bytes(self, fp: Fingerprint) -> list[bytes]:
        return [
            bucket.to_bytes(8, "big", signed=True) for _, bucket in band_buckets(fp, self.bands, self.rows)
        ]
