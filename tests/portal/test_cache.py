"""The shared cache keeps answering while Redis is away (portal/cache.py)."""

from django.core.cache import caches

from tests.helpers import free_port


def test_with_redis_away_the_cache_answers_from_the_process_and_counts(settings, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "away": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        },
    }
    cache = caches["away"]
    assert cache.get("missing", "default") == "default"
    assert cache.add("hits", 1) is True
    assert cache.incr("hits") == 2
    cache.set_many({"a": 1, "b": 2})
    assert cache.get_many(["a", "b", "hits"]) == {"a": 1, "b": 2, "hits": 2}
    cache.delete("a")
    assert cache.has_key("a") is False
    # The outage is logged once, not on every call.
    assert sum("Redis is away" in message for message in caplog.messages) == 1
