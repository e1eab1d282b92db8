"""Statement timeouts: no query of a request runs longer than its bound (PostgreSQL).

A public request's statements are bounded by STATEMENT_TIMEOUT_SECONDS (2 s), so that one slow
query cannot hold a worker; a curator's (a request with a session, or to the admin) and the
exports' rows, streamed after their view returned (programs.reads.chunks), by
LONG_STATEMENT_TIMEOUT_SECONDS. A statement past its bound is cancelled by the server; the
request answers 503 with Retry-After and is logged in one line (programs.serving.outages).

The bound is `SET LOCAL` (`set_config(…, true)`), a transaction's own: PgBouncer in transaction
pooling mode gives each transaction whichever server connection is free, so a session's `SET`
would stay on a connection that another client's transaction gets next. So the request's first
statement on a database begins a transaction there and bounds it, or bounds the transaction the
view began itself; the request's end commits it (rolls it back after a server error). A request
that reads nothing (a health check, an answer from the cache) begins none. On SQLite nothing is
bounded.
"""

from contextlib import ExitStack

from django.conf import settings
from django.db import connections, transaction

from programs.serving import outages, routing


def bound(using: str, seconds: float) -> None:
    """Bound the statements of the current transaction on `using` (PostgreSQL; else nothing)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not seconds:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{round(seconds * 1000)}ms"])


def bound_long_reads(using: str) -> None:
    """Bound a transaction that reads a great many rows (an export, a release) by the long bound."""
    bound(using, settings.LONG_STATEMENT_TIMEOUT_SECONDS)


def seconds_for(request) -> float:
    """The bound of a request's statements: the long one for a curator, the short one for the public."""
    if request.path.startswith(routing.PRIVATE_PREFIXES) or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return settings.LONG_STATEMENT_TIMEOUT_SECONDS
    return settings.STATEMENT_TIMEOUT_SECONDS


class BoundedStatements:
    """An execute wrapper of one database for one request: before a statement that no bound covers
    yet, begins a transaction (unless one is open) and bounds it."""

    def __init__(self, using: str, seconds: float):
        self.using = using
        self.seconds = seconds
        self.began = None  # the transaction it began, to end with the request
        self.bounded = None  # the outermost atomic block it bounded
        self.bounding = False

    def __call__(self, execute, sql, params, many, context):
        connection = connections[self.using]
        if not self.bounding and not (connection.in_atomic_block and connection.atomic_blocks[0] is self.bounded):
            self.bounding = True
            try:
                if not connection.in_atomic_block:
                    self.began = transaction.atomic(using=self.using)
                    self.began.__enter__()
                self.bounded = connection.atomic_blocks[0]
                bound(self.using, self.seconds)
            finally:
                self.bounding = False
        return execute(sql, params, many, context)

    def end(self, response) -> None:
        """Commit the transaction it began; roll it back after a server error, or without an answer."""
        began, self.began = self.began, None
        if began is None or not connections[self.using].in_atomic_block:
            return
        if response is None or response.status_code >= 500:
            transaction.set_rollback(True, using=self.using)
        began.__exit__(None, None, None)


class StatementTimeoutMiddleware:
    """Bounds the statements of each request on every PostgreSQL database (see the module's description)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = seconds_for(request)
        wrappers = [
            BoundedStatements(alias, seconds) for alias in connections if connections[alias].vendor == "postgresql"
        ]
        response = None
        try:
            with ExitStack() as stack:
                for wrapper in wrappers:
                    stack.enter_context(connections[wrapper.using].execute_wrapper(wrapper))
                    stack.callback(lambda wrapper=wrapper: wrapper.end(response))  # each, whatever the others do
                response = self.get_response(request)
        except outages.DATABASE_FAILURES as error:
            # Committing failed: nothing the view did was kept, and its answer (a curator's
            # "saved", say) must not be sent.
            return outages.unavailable_page(request, error)
        return response
