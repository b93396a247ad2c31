"""The shared cache (Redis) that keeps serving while Redis is away.

What the portal keeps in the cache — rate-limit counters, the transparency page, a few
computed figures — may be lost without harm, so an outage of Redis is no reason to refuse
people: each operation that meets a connection error is answered from a small cache in the
process instead (rate limits then count per process until Redis is back), and logged once per
outage. The database stays the record of everything that matters."""

from __future__ import annotations

import logging

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
OUTAGE = (RedisConnectionError, RedisTimeoutError)
OPERATIONS = (
    "add", "get", "set", "touch", "delete", "has_key", "incr", "get_many", "set_many",
    "delete_many", "clear",
)  # fmt: skip


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        options = {"OPTIONS": {"MAX_ENTRIES": 10000}}
        self._fallback = LocMemCache(f"redis-fallback-{server}", options)
        self._away = False

    def _call(self, name: str, *args, **kwargs):
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except OUTAGE as exc:
            if not self._away:
                logger.warning("Redis is away; the cache answers from the process: %r", exc)
                self._away = True
            return getattr(self._fallback, name)(*args, **kwargs)
        if self._away:
            logger.info("Redis is back; the cache answers from Redis again")
            self._away = False
        return result


def _delegate(name: str):
    def method(self, *args, **kwargs):
        return self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


for _name in OPERATIONS:
    setattr(ResilientRedisCache, _name, _delegate(_name))
