"""Caches that cannot serve stale data: every key carries the data version.

`programs_data_version` holds the count of writes to the curated tables and the moment of the
last, which a database trigger sets in the transaction of every write (programs.serving.data_version):
the admin, imports, bulk inserts and raw SQL alike. A value cached under version V was computed from
data at version V, and once a write commits no one asks for V again, not even after a backup is
restored (the next write's moment is new); drafts, which only become public through a write, can
therefore never appear from a cache. Entries of old versions simply age out.

A request reads the version once (the page cache middleware remembers it for the request);
everything cached during the request uses that version. It reads it from the database the
request reads (programs.serving.routing: the primary, or for a public read a replica), so a value and
its version always come from the same copy of the data.

When several requests miss the same entry at once (a burst after a write, from every process
sharing the cache), one computes it and the others wait for its value (`get_or_compute`).
"""

import hashlib
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

from programs.serving import routing
from programs.serving.data_version import Version, stored_version

TIMEOUT = 60 * 60  # an hour: long enough to matter, short enough for old versions to leave memory
MISSING = object()
LOCK_SECONDS = 10  # how long others wait for the request computing an entry (and the lock's lifetime)
LOCK_POLL_SECONDS = 0.02

request_version: ContextVar[Version | None] = ContextVar("request_version", default=None)


def data_version() -> Version:
    """The current data version (the request's, when a request has read it already)."""
    version = request_version.get()
    if version is not None:
        return version
    return stored_version(routing.read_database())


def digest(parts: tuple) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def cache_key(namespace: str, *parts) -> str:
    return versioned_key(namespace, data_version(), *parts)


def versioned_key(namespace: str, version: Version, *parts) -> str:
    return f"{namespace}:{version}:{digest(parts)}"


def cached(namespace: str, parts: tuple, compute):
    """`compute()`, or what it returned for the same parts at the current data version."""
    return looked_up(namespace, parts, compute)[0]


def looked_up(namespace: str, parts: tuple, compute) -> tuple[object, bool]:
    """(`cached(namespace, parts, compute)`, whether it came from the cache)."""
    if not settings.APP_CACHES:
        return compute(), False
    return get_or_compute(cache_key(namespace, *parts), compute)


def get_or_compute(key: str, compute, keep=lambda value: value) -> tuple[object, bool]:
    """(the value cached at `key`, True), or (`compute()`, False) having cached `keep(value)`
    (nothing when that is MISSING).

    Computed once for concurrent misses: the first takes a lock (`cache.add`, atomic in every
    backend) and the others wait for its value, up to LOCK_SECONDS, then compute it themselves;
    so do they when it cached nothing.
    """
    value = cache.get(key, MISSING)
    if value is not MISSING:
        return value, True
    lock = f"lock:{key}"
    if not cache.add(lock, 1, LOCK_SECONDS):
        deadline = time.monotonic() + LOCK_SECONDS
        while time.monotonic() < deadline and cache.get(lock) is not None:
            time.sleep(LOCK_POLL_SECONDS)
            value = cache.get(key, MISSING)
            if value is not MISSING:
                return value, True
        # The first may have kept the value and let go of the lock between two looks.
        value = cache.get(key, MISSING)
        if value is not MISSING:
            return value, True
        return compute(), False  # (and the first keeps it)
    try:
        # Another request may have kept the value and let go of the lock since the first look.
        value = cache.get(key, MISSING)
        if value is not MISSING:
            return value, True
        value = compute()
        kept = keep(value)
        if kept is not MISSING:
            cache.set(key, kept, TIMEOUT)
        return value, False
    finally:
        cache.delete(lock)
