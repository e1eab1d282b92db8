"""Public reads on a read replica, everything else on the primary (DATABASE_REPLICA_URL).

ReadRoutingMiddleware routes each request once, before anything reads: an anonymous GET or HEAD
outside the admin, from a browser that has not written in the last moments, reads the replica
while the replica is usable; every other request — writes, the admin, a signed-in curator's pages
(any request with a session), a browser that has just saved something — reads and writes the
primary, and so does everything outside a request (management commands, imports, the shell).
Since the whole request reads one database, a page's data version and its data come from the same
one (programs.serving.caching).

Read-your-writes: a request that wrote (an ORM write routed to the primary: a save, a sign-in,
a sign-out) sets a cookie that keeps that browser on the primary for as long as the replica may
lag behind it (REPLICA_MAX_LAG_SECONDS + REPLICA_CHECK_SECONDS).

Fall-back: `ReplicaHealth` compares the replica's data version with the primary's, at most every
REPLICA_CHECK_SECONDS per process; the replica is usable while it is reachable (a replica the
pooler refuses is not) and has shown everything the primary had REPLICA_MAX_LAG_SECONDS ago.
While the primary cannot be asked, the replica is used as it is.

Once more: a GET or HEAD whose database could not be reached (it went down, a kept connection
died, the pooler refused it, a query was cancelled by recovery) is run again once, before
anything was sent, on fresh connections: a public read on the other database when there is a
replica (the primary after the replica; the replica, which serves what it has, after the
primary), any other request on the same one. A statement cancelled by its timeout is not run
again (programs.serving.outages). This works without a replica too.
"""

import logging
import math
import time
from collections import deque
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from programs.serving.data_version import Version, stored_version

logger = logging.getLogger(__name__)

REPLICA = "replica"
RECENT_WRITE_COOKIE = "recent_write"
SAFE_METHODS = ("GET", "HEAD")
PRIVATE_PREFIXES = ("/admin/", "/en/admin/")


TIMED_OUT = "timed out"
UNREACHABLE = "unreachable"


@dataclass
class Route:
    """Where the current request reads, whether it wrote, and how its database failed it, if it did."""

    reads: str
    wrote: bool = False
    failure: str | None = None  # TIMED_OUT or UNREACHABLE


_route: ContextVar[Route | None] = ContextVar("route", default=None)


def failed(kind: str) -> bool:
    """Record that the current request's database failed it (TIMED_OUT or UNREACHABLE); whether
    this is the first failure of this run of the request."""
    route = _route.get()
    if route is None:
        return True
    first = route.failure is None
    if route.failure != TIMED_OUT:  # a timeout anywhere rules out running the request again
        route.failure = kind
    return first


def read_database() -> str:
    """The alias the current request reads (the primary's outside a request)."""
    route = _route.get()
    return route.reads if route else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Reads where the request was routed (ReadRoutingMiddleware); writes and migrations on the primary."""

    def db_for_read(self, model, **hints):
        route = _route.get()
        return route.reads if route else None

    def db_for_write(self, model, **hints):
        route = _route.get()
        if route:
            route.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one data set, two copies

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica copies the primary's schema


class ReplicaHealth:
    """Whether the replica may serve reads, checked at most every REPLICA_CHECK_SECONDS.

    Each check reads the primary's data version, then the replica's. The replica's lag is how long
    ago the primary last had no more than the replica has now (0 when it has all of it); the
    versions seen in the last REPLICA_MAX_LAG_SECONDS are kept to tell.
    """

    def __init__(self):
        self.usable = True  # until the first check, on the first request, says otherwise
        self.next_check = 0.0
        self.primary_seen: deque[tuple[float, Version]] = deque()

    def check(self) -> bool:
        now = time.monotonic()
        if now >= self.next_check:
            self.next_check = now + settings.REPLICA_CHECK_SECONDS
            self.set_usable(self.probe(now))
        return self.usable

    def fell_over(self) -> None:
        self.set_usable(False, "its reads failed")
        self.next_check = time.monotonic() + settings.REPLICA_CHECK_SECONDS

    def set_usable(self, usable: bool, why: str = "") -> None:
        if usable != self.usable:
            logger.warning("Read replica %s%s.", "usable again" if usable else "not used: ", why)
        self.usable = usable

    def probe(self, now: float) -> bool:
        try:
            primary = stored_version(DEFAULT_DB_ALIAS)
        except DatabaseError:
            primary = None  # the primary is down: the replica serves what it has
            with suppress(DatabaseError):
                connections[DEFAULT_DB_ALIAS].close()
        try:
            replica = stored_version(REPLICA)
        except DatabaseError as error:
            with suppress(DatabaseError):
                connections[REPLICA].close()
            self.set_usable(False, f"unreachable ({str(error).strip().splitlines()[0]})")
            return False
        if primary is None:
            return True
        lag = self.lag(now, primary, replica)
        if lag > settings.REPLICA_MAX_LAG_SECONDS:
            self.set_usable(False, f"{lag:.1f} s behind the primary")
            return False
        return True

    def lag(self, now: float, primary: Version, replica: Version) -> float:
        self.primary_seen.append((now, primary))
        horizon = now - settings.REPLICA_MAX_LAG_SECONDS - 2 * settings.REPLICA_CHECK_SECONDS
        while self.primary_seen[0][0] < horizon:
            self.primary_seen.popleft()
        caught_up = [moment for moment, version in self.primary_seen if replica.holds(version)]
        return now - max(caught_up) if caught_up else math.inf


def reads_replica(request) -> bool:
    """Whether the request is a public read: no write, no admin, no session, no recent write."""
    return (
        request.method in SAFE_METHODS
        and not request.path.startswith(PRIVATE_PREFIXES)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and RECENT_WRITE_COOKIE not in request.COOKIES
    )


class ReadRoutingMiddleware:
    """Routes each request's reads to the replica or the primary, and runs a GET or HEAD whose
    database could not be reached once more (see the module's description)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.health = ReplicaHealth()

    def __call__(self, request):
        route = Route(self.first_choice(request))
        token = _route.set(route)
        try:
            response = self.get_response(request)
            if route.failure == UNREACHABLE and request.method in SAFE_METHODS:
                response = self.once_more(request, route)
        finally:
            _route.reset(token)
        if response.streaming and route.reads == REPLICA:
            response.streaming_content = self.streamed_on(route, response.streaming_content)
        if route.wrote:
            seconds = math.ceil(settings.REPLICA_MAX_LAG_SECONDS + settings.REPLICA_CHECK_SECONDS)
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def first_choice(self, request) -> str:
        if REPLICA in settings.DATABASES and reads_replica(request) and self.health.check():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def once_more(self, request, route: Route):
        """The request run again on fresh connections, on the database that may still answer it."""
        failed_on = route.reads
        for alias in {failed_on, DEFAULT_DB_ALIAS}:
            if not connections[alias].in_atomic_block:  # (a transaction around the request is not ours to end)
                with suppress(DatabaseError):
                    connections[alias].close()
        if failed_on == REPLICA:
            self.health.fell_over()
            route.reads = DEFAULT_DB_ALIAS
        elif REPLICA in settings.DATABASES and reads_replica(request):
            route.reads = REPLICA  # the primary is failing: the replica serves what it has
        logger.warning("Reading %s again, on %s: %s could not be reached.", request.path, route.reads, failed_on)
        route.failure = None
        return self.get_response(request)

    @staticmethod
    def streamed_on(route: Route, content):
        """A streamed response's content, read on the request's database as it is sent."""
        iterator = iter(content)
        while True:
            token = _route.set(route)
            try:
                piece = next(iterator)
            except StopIteration:
                return
            finally:
                _route.reset(token)
            yield piece
