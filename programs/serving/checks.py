"""System checks of the shared parts the environment names: `manage.py check --deploy` reports a
cache (REDIS_URL or CACHE_URL) or a read replica (DATABASE_REPLICA_URL) that cannot be used, in
words, without the password. A malformed address stops the site from starting (tracker/settings.py).
"""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError, connections

from programs.serving.cache import SoftRedisCache
from programs.serving.routing import REPLICA


@register("caches", deploy=True)
def cache_reachable(app_configs=None, **kwargs):
    from django.core.cache import caches

    cache = caches["default"]
    if not isinstance(cache, SoftRedisCache):
        return []
    try:
        cache.ping()
    except Exception as error:  # any way of failing: a refused connection, a timeout, a wrong password
        return [
            Error(
                f"The cache at {settings.CACHES['default']['LOCATION']} cannot be used: {error}",
                hint="Check REDIS_URL (or CACHE_URL): host, port, password and database number; is Redis running?",
                id="tracker.E001",
            )
        ]
    return []


@register("replica", deploy=True)
def replica_usable(app_configs=None, **kwargs):
    if REPLICA not in settings.DATABASES:
        return []
    config = settings.DATABASES[REPLICA]
    where = f"{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"
    hint = "Check DATABASE_REPLICA_URL: host, port, user, password and database name; is the server running?"
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            standby = cursor.fetchone()[0]
            cursor.execute("SELECT version FROM programs_data_version")
    except DatabaseError as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return [Error(f"The read replica at {where} cannot be used: {message}", hint=hint, id="tracker.E002")]
    if not standby:
        return [
            Warning(
                f"The read replica at {where} is not a standby: it is not replaying a primary's changes.",
                hint="DATABASE_REPLICA_URL should name a streaming replica of the primary (pg_basebackup -R).",
                id="tracker.W003",
            )
        ]
    return []
