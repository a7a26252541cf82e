"""One way to reach Redis: timeouts on every connection and reply, a ping first, passwords never shown."""

from __future__ import annotations

from urllib.parse import urlsplit

import redis

from crawler.config import ConfigError

CONNECT_TIMEOUT = 10.0  # seconds to open a connection
REPLY_TIMEOUT = 30.0  # seconds to wait for a reply: a hung server stops the crawl instead of hanging it


class RedisUnavailable(ConfigError):
    """The Redis a setting names cannot be used; the message names it with its password masked."""


def redacted(url: str) -> str:
    """``url`` with its password, if any, masked (it goes into error messages and logs)."""
    try:
        password = urlsplit(url).password
    except ValueError:
        return url
    if password is None:
        return url
    return url.replace(f":{password}@", ":***@", 1)


def connect_redis(url: str, purpose: str, where: str = "setting REDIS_URL") -> redis.Redis:
    """A client of the Redis at ``url`` that answered a ping; ``RedisUnavailable`` naming ``where`` if not.

    The client reads replies as bytes (``decode_responses`` off), as the crawl state and the shared
    frontier expect.
    """
    try:
        client = redis.Redis.from_url(
            url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=REPLY_TIMEOUT
        )
        client.ping()
    except (ValueError, redis.RedisError) as error:
        reason = str(error)
        password = _password(url)
        if password:
            reason = reason.replace(password, "***")
        raise RedisUnavailable(
            f"{where}: cannot reach Redis at {redacted(url)!r} for {purpose} ({reason}); "
            "expected a running Redis server"
        ) from error
    return client


def _password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None
