"""A cache that may go away: the site then serves every page uncached.

FailSafeCache wraps the configured cache (settings.CACHES, OPTIONS["CACHE"]).
When that cache cannot be reached (Redis down, a socket error), a read is a miss,
a write is skipped, the failure is logged (once a minute at most) and the cache
is left alone for RETRY_SECONDS, so that a page does not wait for a dead server
at each of its cache reads. `/healthz` asks the cache itself (`ping()`) and says
in its body whether pages are cached (staff/views.py).

A database cache (dbcache://) is not wrapped in this way: without the database
there is no page to serve either (public pages then answer 503, staff/views.py).
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.utils.module_loading import import_string

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is in requirements.txt
    RedisError = OSError

logger = logging.getLogger(__name__)

# How long the cache is left alone after a failure.
RETRY_SECONDS = 10
# How often a cache that stays away is logged again.
LOG_SECONDS = 60
UNREACHABLE = (RedisError, OSError)


class FailSafeCache(BaseCache):
    def __init__(self, location, params):
        inner = dict(params.get("OPTIONS", {})["CACHE"])
        super().__init__(
            {key: value for key, value in params.items() if key != "OPTIONS"}
        )
        self.inner = import_string(inner["BACKEND"])(inner.get("LOCATION", ""), inner)
        self.lock = threading.Lock()
        self.down_until = 0.0  # time.monotonic()
        self.logged_at = None

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def ping(self) -> bool:
        """Whether the cache answers now (one read; /healthz)."""
        try:
            self.inner.get("healthz")
        except UNREACHABLE as error:
            self._failed(error)
            return False
        self._answered()
        return True

    def _failed(self, error) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_SECONDS
            if self.logged_at is None or now - self.logged_at >= LOG_SECONDS:
                self.logged_at = now
                logger.warning(
                    "Cache unavailable (%s): pages are served uncached",
                    type(error).__name__,
                )

    def _answered(self) -> None:
        if self.logged_at is not None:
            with self.lock:
                if self.logged_at is not None:
                    self.logged_at = None
                    self.down_until = 0.0
                    logger.warning("Cache available again")

    def _call(self, name, fallback, *args, **kwargs):
        if self.is_down:
            return fallback()
        try:
            result = getattr(self.inner, name)(*args, **kwargs)
        except UNREACHABLE as error:
            self._failed(error)
            return fallback()
        self._answered()
        return result

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: False, key, value, timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: None, key, value, timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set_many", lambda: list(data), data, timeout, version=version
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version=version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")

        return self._call("incr", missing, key, delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    def clear(self):
        return self._call("clear", lambda: None)

    def close(self, **kwargs):
        self.inner.close(**kwargs)
