"""Caches that cannot serve stale data: every key carries the data version.

`programs_data_version` holds a number that a database trigger increments in the transaction of
every write to the curated tables (migration 0003): the admin, imports, bulk inserts and raw SQL
alike. A value cached under version V was computed from data at version V or later, and once a
write commits no one asks for V again; drafts, which only become public through a write, can
therefore never appear from a cache. Entries of old versions simply age out.

A request reads the version once (the page cache middleware remembers it for the request);
everything cached during the request uses that number.
"""

import hashlib
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection

TIMEOUT = 60 * 60  # an hour: long enough to matter, short enough for old versions to leave memory
MISSING = object()

request_version: ContextVar[int | None] = ContextVar("request_version", default=None)


def data_version() -> int:
    """The current data version (the request's, when a request has read it already)."""
    version = request_version.get()
    if version is not None:
        return version
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM programs_data_version WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def cache_key(namespace: str, *parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{namespace}:{data_version()}:{digest}"


def cached(namespace: str, parts: tuple, compute):
    """`compute()`, or what it returned for the same parts at the current data version."""
    if not settings.APP_CACHES:
        return compute()
    key = cache_key(namespace, *parts)
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
