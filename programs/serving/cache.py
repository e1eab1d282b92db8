"""The shared cache: Django's own Redis backend, made to fail soft, and its settings from a URL.

`REDIS_URL` (or `CACHE_URL`) selects it (tracker/settings.py); without one each process keeps its
own cache in memory. A cache only saves work, so while Redis cannot be reached, refuses us or
answers more slowly than the socket timeout, every call behaves as on an empty cache that keeps
nothing (a miss; `add()` refused) and the site computes what it would have read. After a failure
the server is left alone for RETRY_SECONDS, so that an outage costs a process one timeout every
few seconds rather than one per call; the failure is logged once per pause, naming the server
without its password.

The password never sits in the URL the backend keeps (`LOCATION`): it is passed in `OPTIONS`,
whose `password` key Django's error reports hide like any setting named so.
"""

import logging
import time
from urllib.parse import unquote, urlsplit, urlunsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5
SCHEMES = ("redis", "rediss", "unix")

# When each server (by LOCATION) may be tried again, in this process.
_paused_until: dict[str, float] = {}


class SoftClient(RedisCacheClient):
    """Django's Redis client whose calls fall back to what an empty cache answers when Redis fails."""

    def __init__(self, servers, **options):
        import redis.backoff
        import redis.retry

        # One attempt per call: redis-py's default retries would multiply the timeout.
        options.setdefault("retry", redis.retry.Retry(redis.backoff.NoBackoff(), 0))
        super().__init__(servers, **options)
        self.location = ",".join(servers)

    def _soft(self, fallback, method, *args):
        if time.monotonic() < _paused_until.get(self.location, 0):
            return fallback
        try:
            result = method(*args)
        except self._lib.RedisError as error:
            _paused_until[self.location] = time.monotonic() + RETRY_SECONDS
            logger.warning(
                "Cache at %s unavailable (%s: %s); serving without it, trying again in %s s.",
                self.location,
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )
            return fallback
        if _paused_until.pop(self.location, None) is not None:
            logger.warning("Cache at %s available again.", self.location)
        return result

    def add(self, key, value, timeout):
        return self._soft(False, super().add, key, value, timeout)

    def get(self, key, default):
        return self._soft(default, super().get, key, default)

    def set(self, key, value, timeout):
        return self._soft(None, super().set, key, value, timeout)

    def touch(self, key, timeout):
        return self._soft(False, super().touch, key, timeout)

    def delete(self, key):
        return self._soft(False, super().delete, key)

    def get_many(self, keys):
        return self._soft({}, super().get_many, keys)

    def has_key(self, key):
        return self._soft(False, super().has_key, key)

    def incr(self, key, delta):
        missing = object()
        result = self._soft(missing, super().incr, key, delta)
        if result is missing:
            raise ValueError(f"Key '{key}' not found.")  # what an empty cache says
        return result

    def set_many(self, data, timeout):
        return self._soft(None, super().set_many, data, timeout)

    def delete_many(self, keys):
        return self._soft(None, super().delete_many, keys)

    def clear(self):
        return self._soft(False, super().clear)

    def ping(self) -> None:
        """Raises what Redis answers (for the system check), unlike every other call."""
        self.get_client(write=True).ping()


class SoftRedisCache(RedisCache):
    """The default cache when REDIS_URL is set: Django's RedisCache with `SoftClient`."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SoftClient

    def ping(self) -> None:
        self._cache.ping()


def redacted(url: str) -> str:
    """The URL with its password replaced by ***, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def redis_cache(url: str, *, variable: str, socket_timeout: float) -> dict:
    """The CACHES entry for the Redis at `url`, or ImproperlyConfigured saying what is wrong with it.

    `redis://[[user]:password@]host[:port][/db]`, `rediss://…` (TLS) or `unix://[[user]:password@]/path?db=N`.
    """
    options = {"socket_timeout": socket_timeout, "socket_connect_timeout": socket_timeout, **_credentials(url)}
    problem = _problem(url)
    location = "" if problem else _location(url)
    problem = problem or _option_problem(location, options)
    if problem:
        # Shown only when it reads as an address, whose password redacted() can find.
        shown = f" ({redacted(url)})" if "://" in url else ""
        raise ImproperlyConfigured(f"{variable}{shown} {problem}.")
    return {"BACKEND": "programs.serving.cache.SoftRedisCache", "LOCATION": location, "OPTIONS": options}


def _location(url: str) -> str:
    """The URL the backend keeps: `url` without its user and password."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return f"unix://{parts.path}" + (f"?{parts.query}" if parts.query else "")
    host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else parts.hostname or ""
    return urlunsplit(parts._replace(netloc=host + (f":{parts.port}" if parts.port is not None else "")))


def _credentials(url: str) -> dict:
    """The user and password of `url`, as the backend's options."""
    parts = urlsplit(url)
    return {key: unquote(value) for key, value in (("username", parts.username), ("password", parts.password)) if value}


def _option_problem(location: str, options: dict) -> str:
    """What redis-py finds wrong with the query string's options (ssl_cert_reqs=…, db=…), without connecting, or ''."""
    import redis

    try:
        redis.ConnectionPool.from_url(location, **options).make_connection()
    except (TypeError, ValueError) as error:
        return f"has an option redis-py does not take ({error})"
    return ""


def _problem(url: str) -> str:
    """What is wrong with the form of a Redis URL, or ''."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - parsed when read
    except ValueError:
        return "is not a valid address: its port must be a number from 0 to 65535"
    if parts.scheme not in SCHEMES:
        return "must start with redis://, rediss:// or unix://"
    if parts.scheme == "unix":
        return "" if parts.path else "must name the socket's path"
    if not parts.hostname:
        return "must name a host"
    database = parts.path.strip("/")
    if database and not database.isdigit():
        return "must end with a database number (/0), if anything"
    return ""
