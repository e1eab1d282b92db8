"""Caches that cannot serve stale data: every key carries the data version.

`programs_data_version` holds a number that a database trigger increments in the transaction of
every write to the curated tables (migration 0003): the admin, imports, bulk inserts and raw SQL
alike. A value cached under version V was computed from data at version V or later, and once a
write commits no one asks for V again; drafts, which only become public through a write, can
therefore never appear from a cache. Entries of old versions simply age out.

A request reads the version once (the page cache middleware remembers it for the request);
everything cached during the request uses that number.
"""

import functools
import hashlib
from contextvars import ContextVar

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import get_language

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
    key = cache_key(namespace, *parts)
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def per_version(function):
    """Cache a function of the data (and the page language) until the next write."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        parts = (function.__module__, function.__qualname__, get_language(), args, sorted(kwargs.items()))
        return cached("call", parts, lambda: function(*args, **kwargs))

    return wrapper


class CachedCountPaginator(Paginator):
    """A paginator whose total is counted once per query and data version, not on every page view.

    The count of a large table is the costliest query of a list page (a full scan on PostgreSQL);
    the same filters at the same version always have the same count. The query is known by its
    SQL, or by `key` when the caller has a cheaper name for it (compiling the SQL takes a while).
    """

    def __init__(self, *args, key=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    @cached_property
    def count(self):
        query = self.object_list.query
        if self.key is not None:
            return cached("count", (query.model._meta.label, self.key), self.object_list.count)
        try:
            sql = str(query)
        except EmptyResultSet:  # a filter that can match nothing, e.g. an empty IN
            return 0
        return cached("count", (query.model._meta.label, sql), self.object_list.count)
